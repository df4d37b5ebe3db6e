/**
 * @module components/reports-table
 * A list of received probe reports: when, from which device and egress
 * address, how many checks failed and with which failure codes.
 */
import type { ReportSummary } from '../api/types.ts';
import { describeCode } from '../lib/failure-codes.ts';
import { ago, count, dateTime } from '../lib/format.ts';
import { Link } from '../router.tsx';

export function ReportsTable({
  items,
  showOffice = false,
}: {
  items: ReportSummary[];
  showOffice?: boolean;
}) {
  return (
    <div className="table-wrap">
      <table data-testid="reports-table">
        <thead>
          <tr>
            <th>Received</th>
            {showOffice && <th>Office</th>}
            <th>Device</th>
            <th>Egress IP</th>
            <th>Result</th>
            <th>Failures</th>
          </tr>
        </thead>
        <tbody>
          {items.map((r) => (
            <tr key={r.id}>
              <td className="nowrap">
                <Link to={`/reports/${encodeURIComponent(r.id)}`} title={dateTime(r.receivedAt)}>
                  {ago(r.receivedAt)}
                </Link>
              </td>
              {showOffice && (
                <td>
                  {r.officeId ? (
                    <Link to={`/offices/${encodeURIComponent(r.officeId)}`}>{r.officeName}</Link>
                  ) : (
                    <span className="muted">unmapped</span>
                  )}
                </td>
              )}
              <td className="mono small">{r.deviceId ?? '—'}</td>
              <td className="mono small">{r.egressIp}</td>
              <td className="nowrap">
                {r.failures === 0 ? (
                  <span className="badge ok">All {count(r.checks)} passed</span>
                ) : (
                  <span className="badge high">
                    {count(r.failures)} of {count(r.checks)} failed
                  </span>
                )}
              </td>
              <td>
                <div className="chips">
                  {[...new Set(r.failureCodes)].slice(0, 4).map((c) => (
                    <code key={c} className="small" title={describeCode(c)}>
                      {c}
                    </code>
                  ))}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

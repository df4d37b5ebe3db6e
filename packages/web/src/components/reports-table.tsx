/**
 * @module components/reports-table
 * A list of received probe reports: when, from which device and egress
 * address, how many checks failed and with which failure codes.
 */
import type { ReportSummary } from '../api/types.ts';
import { describeCode } from '../lib/failure-codes.ts';
import { ago, count, dateTime } from '../lib/format.ts';
import { Link } from '../router.tsx';
import { DataTable } from './data-table.tsx';

export function ReportsTable({
  items,
  showOffice = false,
  deviceLinks = false,
}: {
  items: ReportSummary[];
  showOffice?: boolean;
  /** Each device id links to the Reports page filtered by that device. */
  deviceLinks?: boolean;
}) {
  return (
    <DataTable
      testId="reports-table"
      rows={items}
      rowKey={(r) => r.id}
      columns={[
        {
          head: 'Received',
          className: 'nowrap',
          cell: (r) => (
            <Link to={`/reports/${encodeURIComponent(r.id)}`} title={dateTime(r.receivedAt)}>
              {ago(r.receivedAt)}
            </Link>
          ),
        },
        showOffice && {
          head: 'Office',
          cell: (r) =>
            r.officeId ? (
              <Link to={`/offices/${encodeURIComponent(r.officeId)}`}>{r.officeName}</Link>
            ) : (
              <span className="muted">unmapped</span>
            ),
        },
        {
          head: 'Device',
          className: 'mono small',
          cell: (r) =>
            r.deviceId && deviceLinks ? (
              <Link to={`/reports?device=${encodeURIComponent(r.deviceId)}`} title="Reports from this device">
                {r.deviceId}
              </Link>
            ) : (
              (r.deviceId ?? '—')
            ),
        },
        { head: 'Egress IP', className: 'mono small', cell: (r) => r.egressIp },
        {
          head: 'Result',
          className: 'nowrap',
          cell: (r) =>
            r.failures === 0 ? (
              <span className="badge ok">All {count(r.checks)} passed</span>
            ) : (
              <span className="badge high">
                {count(r.failures)} of {count(r.checks)} failed
              </span>
            ),
        },
        {
          head: 'Failures',
          cell: (r) => (
            <div className="chips">
              {[...new Set(r.failureCodes)].slice(0, 4).map((c) => (
                <code key={c} className="small" title={describeCode(c)}>
                  {c}
                </code>
              ))}
            </div>
          ),
        },
      ]}
    />
  );
}

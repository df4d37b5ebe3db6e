/**
 * @module pages/overview/discovered-card
 * The first eight discovered locations (networks that match no office),
 * with a link to review and adopt them.
 */
import type { Discovered } from '../../api/types.ts';
import { Card } from '../../components/card.tsx';
import { Empty } from '../../components/states.tsx';
import { ago, count, dateTime } from '../../lib/format.ts';
import { Link } from '../../router.tsx';

export function DiscoveredCard({ discovered }: { discovered: Discovered[] }) {
  return (
    <Card
      title="Discovered locations"
      titleId="disc-title"
      aside={<Link to="/manage/discovered">Review and adopt →</Link>}
    >
      {discovered.length === 0 ? (
        <Empty title="Nothing waiting">
          <p>Reports from networks that match no office appear here, grouped by egress address.</p>
        </Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Egress prefix</th>
                <th>Where</th>
                <th className="num">Devices</th>
                <th className="num">Reports</th>
                <th>Last seen</th>
              </tr>
            </thead>
            <tbody>
              {discovered.slice(0, 8).map((d) => (
                <tr key={d.id}>
                  <td className="mono">{d.egressPrefix}</td>
                  <td>
                    {[d.city, d.country].filter(Boolean).join(', ') || <span className="muted">unknown</span>}
                  </td>
                  <td className="num">{count(d.devices)}</td>
                  <td className="num">{count(d.reports)}</td>
                  <td title={dateTime(d.lastSeenAt)}>{ago(d.lastSeenAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}

/**
 * @module components/share-table
 * Failed attempts against all attempts, per domain or per host, with a bar
 * for the failed share: the evidence table of the failure-share insights,
 * as a titled evidence section (nothing when there are no rows).
 */
import { count, percent } from '../lib/format.ts';

/** What was tried (a domain or a host) and how often it failed. */
export interface ShareRow {
  failures: number;
  attempts: number;
}

/** `name` says what a row is about (its domain, its host). */
export function ShareTable<T extends ShareRow>({
  title,
  label,
  rows = [],
  name,
}: {
  title: string;
  label: string;
  rows: T[] | undefined;
  name: (row: T) => string;
}) {
  if (rows.length === 0) return null;
  return (
    <section>
      <h4>{title}</h4>
      <table className="mini-table">
        <thead>
          <tr>
            <th>{label}</th>
            <th className="num">Failed</th>
            <th>Share</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={name(r)}>
              <td className="mono">{name(r)}</td>
              <td className="num">
                {count(r.failures)}/{count(r.attempts)}
              </td>
              <td>
                <div className="bar" title={percent(r.attempts ? r.failures / r.attempts : 0)}>
                  <span style={{ width: `${r.attempts ? (100 * r.failures) / r.attempts : 0}%` }} />
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/**
 * @module pages/manage/token-table
 * The list of agent or API tokens with their last use and a revoke button.
 * Tokens themselves are never listed: the server keeps only their hash.
 */
import type { TokenRecord } from '../../api/types.ts';
import { ago, dateTime } from '../../lib/format.ts';

export function TokenTable({
  items,
  extra,
  onRevoke,
}: {
  items: TokenRecord[];
  extra?: { title: string; cell: (t: TokenRecord) => string };
  onRevoke: (t: TokenRecord) => void;
}) {
  return (
    <div className="table-wrap">
      <table data-testid="token-table">
        <thead>
          <tr>
            <th>Name</th>
            {extra && <th>{extra.title}</th>}
            <th>Created</th>
            <th>Last used</th>
            <th>State</th>
            <th>
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((t) => (
            <tr key={t.id} data-token-name={t.name}>
              <td>{t.name}</td>
              {extra && <td>{extra.cell(t)}</td>}
              <td title={dateTime(t.createdAt)}>{ago(t.createdAt)}</td>
              <td title={dateTime(t.lastUsedAt)}>{ago(t.lastUsedAt)}</td>
              <td>
                {t.revokedAt ? (
                  <span className="badge idle" title={dateTime(t.revokedAt)}>
                    Revoked
                  </span>
                ) : (
                  <span className="badge ok">Active</span>
                )}
              </td>
              <td>
                {!t.revokedAt && (
                  <button type="button" className="small danger" onClick={() => onRevoke(t)}>
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

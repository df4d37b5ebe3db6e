/**
 * @module pages/manage/token-table
 * The list of agent or API tokens with their last use and a revoke button.
 * Tokens themselves are never listed: the server keeps only their hash.
 */
import type { TokenRecord } from '../../api/types.ts';
import { ACTIONS, DataTable } from '../../components/data-table.tsx';
import { dateTime } from '../../lib/format.ts';
import { useCanEdit } from '../../session.tsx';

export function TokenTable({
  items,
  extra,
  onRevoke,
}: {
  items: TokenRecord[];
  extra?: { title: string; cell: (t: TokenRecord) => string };
  onRevoke: (t: TokenRecord) => void;
}) {
  const canEdit = useCanEdit();
  return (
    <DataTable
      testId="token-table"
      rows={items}
      rowKey={(t) => t.id}
      rowProps={(t) => ({ 'data-token-name': t.name })}
      columns={[
        { head: 'Name', cell: (t) => t.name },
        extra !== undefined && { head: extra.title, cell: extra.cell },
        { head: 'Created', at: (t) => t.createdAt },
        { head: 'Last used', at: (t) => t.lastUsedAt },
        {
          head: 'State',
          cell: (t) =>
            t.revokedAt ? (
              <span className="badge idle" title={dateTime(t.revokedAt)}>
                Revoked
              </span>
            ) : (
              <span className="badge ok">Active</span>
            ),
        },
        {
          head: ACTIONS,
          cell: (t) =>
            !t.revokedAt &&
            canEdit && (
              <button type="button" className="small danger" onClick={() => onRevoke(t)}>
                Revoke
              </button>
            ),
        },
      ]}
    />
  );
}

/**
 * @module components/pager
 * Previous / next for client-side paging of long lists (the overview's
 * thousand offices render 50 rows at a time).
 */
export function Pager({
  page,
  pageSize,
  total,
  onPage,
  noun = 'rows',
}: {
  page: number;
  pageSize: number;
  total: number;
  onPage: (page: number) => void;
  noun?: string;
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (total <= pageSize) return null;
  const from = page * pageSize + 1;
  const to = Math.min(total, (page + 1) * pageSize);
  return (
    <nav className="pager" aria-label="Pages">
      <span className="muted small">
        {from}–{to} of {total} {noun}
      </span>
      <span className="row">
        <button type="button" className="small" disabled={page === 0} onClick={() => onPage(page - 1)}>
          ← Previous
        </button>
        <span className="small">
          Page {page + 1} of {pages}
        </span>
        <button type="button" className="small" disabled={page >= pages - 1} onClick={() => onPage(page + 1)}>
          Next →
        </button>
      </span>
    </nav>
  );
}

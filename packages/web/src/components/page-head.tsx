/**
 * @module components/page-head
 * The title block at the top of every page: breadcrumbs, title, a subtitle
 * and the page's actions. Sets the document title too.
 */
import { type ReactNode, useEffect } from 'react';
import { Link } from '../router.tsx';

export function PageHead({
  title,
  sub,
  crumbs,
  actions,
}: {
  title: ReactNode;
  sub?: ReactNode;
  crumbs?: { label: string; to: string }[];
  actions?: ReactNode;
}) {
  useEffect(() => {
    if (typeof title === 'string') document.title = `${title} · netinsights`;
  }, [title]);
  return (
    <div className="page-head">
      <div>
        {crumbs && crumbs.length > 0 && (
          <nav className="crumbs" aria-label="Breadcrumb">
            {crumbs.map((c, i) => (
              <span key={c.to}>
                {i > 0 && ' / '}
                <Link to={c.to}>{c.label}</Link>
              </span>
            ))}
          </nav>
        )}
        <h1>{title}</h1>
        {sub && <div className="sub">{sub}</div>}
      </div>
      {actions && <div className="row">{actions}</div>}
    </div>
  );
}

/**
 * @module pages/not-found
 * Any URL the dashboard does not know.
 */
import { PageHead } from '../components/page-head.tsx';
import { Link } from '../router.tsx';

export function NotFound() {
  return (
    <>
      <PageHead title="Page not found" />
      <div className="card card-pad">
        <p>There is no page at this address.</p>
        <p>
          <Link to="/">Back to the overview</Link>
        </p>
      </div>
    </>
  );
}

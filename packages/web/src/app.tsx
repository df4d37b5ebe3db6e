/**
 * @module app
 * The application frame: the sign-in gate, the navigation (a sidebar on wide
 * screens, a menu button on phones) and the route table mapping URLs to pages.
 */
import { type ReactNode, useEffect, useState } from 'react';
import { Logo } from './components/logo.tsx';
import { ErrorNotice, Loading } from './components/states.tsx';
import { AssessmentPage } from './pages/assessment.tsx';
import { InsightPage } from './pages/insight.tsx';
import { InsightsPage } from './pages/insights.tsx';
import { ManageAgentTokens } from './pages/manage/agent-tokens.tsx';
import { ManageApiTokens } from './pages/manage/api-tokens.tsx';
import { ManageAudit } from './pages/manage/audit.tsx';
import { ManageDiscovered } from './pages/manage/discovered.tsx';
import { ManageNotifications } from './pages/manage/notifications.tsx';
import { ManageOffices } from './pages/manage/offices.tsx';
import { ManageThresholds } from './pages/manage/thresholds.tsx';
import { ManageUsers } from './pages/manage/users.tsx';
import { NotFound } from './pages/not-found.tsx';
import { OfficePage } from './pages/office.tsx';
import { OverviewPage } from './pages/overview.tsx';
import { RemediationPage } from './pages/remediation.tsx';
import { ReportPage } from './pages/report.tsx';
import { ReportsPage } from './pages/reports.tsx';
import { SignInPage } from './pages/sign-in.tsx';
import { Link, matchRoute, navigate, useLocation } from './router.tsx';
import { SessionProvider, useSession } from './session.tsx';

type Route = [pattern: string, render: (p: Record<string, string>) => ReactNode];

const ROUTES: Route[] = [
  ['/', () => <OverviewPage />],
  ['/offices/:id', (p) => <OfficePage id={p.id ?? ''} />],
  ['/insights', () => <InsightsPage />],
  ['/assessment', () => <AssessmentPage />],
  ['/insights/:id', (p) => <InsightPage id={p.id ?? ''} />],
  ['/reports', () => <ReportsPage />],
  ['/reports/:id', (p) => <ReportPage id={p.id ?? ''} />],
  ['/remediation', () => <RemediationPage />],
  ['/manage/offices', () => <ManageOffices />],
  ['/manage/discovered', () => <ManageDiscovered />],
  ['/manage/agent-tokens', () => <ManageAgentTokens />],
  ['/manage/api-tokens', () => <ManageApiTokens />],
  ['/manage/administrators', () => <ManageUsers />],
  ['/manage/thresholds', () => <ManageThresholds />],
  ['/manage/notifications', () => <ManageNotifications />],
  ['/manage/audit', () => <ManageAudit />],
];

const NAV: { section?: string; to: string; label: string }[] = [
  { to: '/', label: 'Overview' },
  { to: '/insights', label: 'Insights' },
  { to: '/assessment', label: 'Network assessment' },
  { to: '/reports', label: 'Reports' },
  { to: '/remediation', label: 'Remediation' },
  { section: 'Manage', to: '/manage/offices', label: 'Offices' },
  { to: '/manage/discovered', label: 'Discovered locations' },
  { to: '/manage/agent-tokens', label: 'Agent tokens' },
  { to: '/manage/api-tokens', label: 'API tokens' },
  { to: '/manage/administrators', label: 'Administrators' },
  { to: '/manage/thresholds', label: 'Insight thresholds' },
  { to: '/manage/notifications', label: 'Notifications' },
  { to: '/manage/audit', label: 'Audit log' },
];

function isCurrent(to: string, path: string): boolean {
  if (to === '/') return path === '/' || path.startsWith('/offices/');
  return path === to || path.startsWith(`${to}/`);
}

function Shell() {
  const { session, signOut } = useSession();
  const { path } = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the menu closes whenever the page changes.
  useEffect(() => setMenuOpen(false), [path]);
  useEffect(() => {
    if (!menuOpen) return;
    const close = (e: KeyboardEvent) => e.key === 'Escape' && setMenuOpen(false);
    window.addEventListener('keydown', close);
    return () => window.removeEventListener('keydown', close);
  }, [menuOpen]);

  let page: ReactNode = <NotFound />;
  for (const [pattern, render] of ROUTES) {
    const params = matchRoute(pattern, path);
    if (params) {
      page = render(params);
      break;
    }
  }

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <button
          type="button"
          className="ghost"
          style={{ color: '#fff' }}
          aria-expanded={menuOpen}
          aria-controls="sidebar"
          onClick={() => setMenuOpen((o) => !o)}
        >
          ☰<span className="sr-only">Menu</span>
        </button>
        <Logo size={22} />
      </header>
      <aside id="sidebar" className={`sidebar${menuOpen ? ' open' : ''}`}>
        <Logo />
        <nav className="nav" aria-label="Main">
          {NAV.map((n) => (
            <div key={n.to}>
              {n.section && <div className="nav-section">{n.section}</div>}
              <Link to={n.to} aria-current={isCurrent(n.to, path) ? 'page' : undefined}>
                {n.label}
              </Link>
            </div>
          ))}
        </nav>
        <div className="sidebar-foot">
          <div className="tenant" data-testid="tenant-name">
            {session?.tenant.name}
          </div>
          <div className="who" title={session?.user.email}>
            {session?.user.email} · {session?.user.role}
          </div>
          <button type="button" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </aside>
      <main id="main" className="main" tabIndex={-1}>
        {page}
      </main>
    </div>
  );
}

function Gate() {
  const { session, checking, startupError, retry } = useSession();
  const { path } = useLocation();
  useEffect(() => {
    if (session && path === '/sign-in') navigate('/', { replace: true });
  }, [session, path]);
  if (checking && !session)
    return (
      <div className="signin-wrap">
        <div className="card signin">
          <Loading label="Connecting to netinsights…" />
        </div>
      </div>
    );
  if (startupError && !session)
    return (
      <div className="signin-wrap">
        <div className="card signin">
          <Logo />
          <ErrorNotice error={startupError} retry={retry} />
        </div>
      </div>
    );
  if (!session) return <SignInPage />;
  return <Shell />;
}

export function App() {
  return (
    <SessionProvider>
      <Gate />
    </SessionProvider>
  );
}

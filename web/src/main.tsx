// The web app's entry: finds out who is logged in (GET /api/users/@me/), offers the first
// account or the login page when nobody is, and otherwise shows the shell (project, navigation)
// around the page the URL names.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, Me, Project } from './api';
import { ProjectContext } from './definitions';
import { ActionsPage } from './pages/actions';
import { ActivityPage } from './pages/activity';
import { AnnotationsPage } from './pages/annotations';
import { LoginPage, SignupPage } from './pages/auth';
import { FeatureFlagsPage } from './pages/feature_flags';
import { FunnelsPage } from './pages/funnels';
import { PathsPage } from './pages/paths';
import { DashboardPage } from './pages/dashboard';
import { DashboardsPage, InsightsPage } from './pages/insights';
import { LifecyclePage } from './pages/lifecycle';
import { PersonPage, PersonsPage } from './pages/persons';
import { RetentionPage } from './pages/retention';
import { SqlPage } from './pages/sql';
import { StickinessPage } from './pages/stickiness';
import { TrendsPage } from './pages/trends';
import { navigate, onLinkClick, useLocation } from './router';
import './style.css';
import { CohortPage, CohortsPage } from './pages/cohorts';
import { DataManagementPage } from './pages/data_management';
import { GroupPage, GroupsPage } from './pages/groups';
import { SettingsPage } from './pages/settings';

type Session = { state: 'loading' } | { state: 'signup' } | { state: 'login' }
  | { state: 'error'; message: string } | { state: 'in'; me: Me };

function useSession(): [Session, () => void] {
  const [session, setSession] = useState<Session>({ state: 'loading' });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    (async () => {
      try {
        setSession({ state: 'in', me: await api<Me>('GET', '/api/users/@me/') });
      } catch (e) {
        if (!(e instanceof ApiError) || e.status !== 401) {
          setSession({ state: 'error', message: String((e as Error).message) });
          return;
        }
        const preflight = await api<{ can_create_org: boolean }>('GET', '/_preflight/');
        setSession({ state: preflight.can_create_org ? 'signup' : 'login' });
      }
    })();
  }, [generation]);
  return [session, () => setGeneration((n) => n + 1)];
}

function Shell({ me, onLogout }: { me: Me; onLogout: () => void }) {
  const location = useLocation();
  const project = me.team;
  const path = location.pathname;
  useEffect(() => {
    if (path === '/' || path === '/login' || path === '/signup') navigate('/insights/trends', true);
  }, [path]);
  const logout = async () => {
    await api('POST', '/api/logout/');
    navigate('/login', true);
    onLogout();
  };
  const link = (href: string, label: string, section = href) => (
    <a href={href} aria-current={path.startsWith(section) ? 'page' : undefined}>{label}</a>
  );
  return (
    <div class="shell" onClick={onLinkClick}>
      <header>
        <span class="brand">Hoglet</span>
        <span class="project" data-testid="project-name">{project?.name ?? 'No project'}</span>
        <nav aria-label="Main">
          {link('/insights/trends', 'Insights', '/insights')}
          {link('/saved_insights', 'Saved insights')}
          {link('/dashboards', 'Dashboards')}
          {link('/sql', 'SQL')}
          {link('/activity', 'Activity')}
          {link('/persons', 'Persons')}
          {link('/feature_flags', 'Feature flags')}
          {link('/actions', 'Actions')}
          {link('/annotations', 'Annotations')}
          {link('/cohorts', 'Cohorts')}
          {link('/groups', 'Groups')}
          {link('/data-management', 'Data management')}
          {link('/settings/project', 'Settings', '/settings')}
        </nav>
        <span class="user">{me.email}</span>
        <button type="button" class="link" data-testid="logout" onClick={logout}>Log out</button>
      </header>
      {!project && <main class="page"><p>This organization has no project.</p></main>}
      {project && (
        <ProjectContext.Provider value={project}>
          <CurrentPage project={project} path={path} />
        </ProjectContext.Provider>
      )}
    </div>
  );
}

// The page a path names; Trends for any other.
function CurrentPage({ project, path }: { project: Project; path: string }) {
  const managed = ManagementPage({ project, path });
  if (managed) return managed;
  const person = path.match(/^\/persons\/([0-9a-fA-F-]{36})\/?$/);
  if (person) return <PersonPage key={person[1]} project={project} uuid={person[1]} />;
  if (path.startsWith('/persons')) return <PersonsPage project={project} />;
  const dashboard = path.match(/^\/dashboards\/(\d+)\/?$/);
  if (dashboard) {
    return <DashboardPage key={dashboard[1]} project={project} id={Number(dashboard[1])} />;
  }
  if (path.startsWith('/dashboards')) return <DashboardsPage project={project} />;
  if (path.startsWith('/saved_insights')) return <InsightsPage project={project} />;
  if (path.startsWith('/activity')) return <ActivityPage project={project} />;
  if (path.startsWith('/sql')) return <SqlPage project={project} />;
  if (path.startsWith('/feature_flags')) return <FeatureFlagsPage project={project} />;
  if (path.startsWith('/actions')) return <ActionsPage project={project} />;
  if (path.startsWith('/annotations')) return <AnnotationsPage project={project} />;
  if (path.startsWith('/insights/funnels')) return <FunnelsPage project={project} />;
  if (path.startsWith('/insights/retention')) return <RetentionPage project={project} />;
  if (path.startsWith('/insights/stickiness')) return <StickinessPage project={project} />;
  if (path.startsWith('/insights/lifecycle')) return <LifecyclePage project={project} />;
  if (path.startsWith('/insights/paths')) return <PathsPage project={project} />;
  return <TrendsPage project={project} />;
}

// Cohorts, groups, data management and settings; null for other paths.
function ManagementPage({ project, path }: { project: Project; path: string }) {
  const cohort = path.match(/^\/cohorts\/(\d+)\/?$/);
  if (cohort) return <CohortPage key={cohort[1]} project={project} id={Number(cohort[1])} />;
  if (path.startsWith('/cohorts')) return <CohortsPage project={project} />;
  const group = path.match(/^\/groups\/([0-4])\/(.+)$/);
  if (group) {
    const key = decodeURIComponent(group[2]);
    return <GroupPage key={path} project={project} index={Number(group[1])} groupKey={key} />;
  }
  if (path.startsWith('/groups')) return <GroupsPage project={project} />;
  if (path.startsWith('/data-management')) return <DataManagementPage project={project} />;
  if (path.startsWith('/settings')) return <SettingsPage project={project} />;
  return null;
}

function App() {
  const [session, refresh] = useSession();
  switch (session.state) {
    case 'loading':
      return <p class="muted">Loading…</p>;
    case 'error':
      return <p class="error" role="alert">{session.message}</p>;
    case 'signup':
      return <SignupPage onDone={refresh} />;
    case 'login':
      return <LoginPage onDone={refresh} />;
    case 'in':
      return <Shell me={session.me} onLogout={refresh} />;
  }
}

render(<App />, document.getElementById('app')!);

import { lazy, Suspense } from 'react';
import { callApi } from './api/client.js';
import { disconnectEvents, useLiveState } from './api/events.js';
import { hrefOf, useRoute, type Route } from './router.js';
import { useSession } from './session/use-session.js';
import { LoginPage } from './session/login-page.js';
import { IncidentList } from './incidents/incident-list.js';
import { ChannelPage } from './incidents/channel-page.js';
import { IncidentRoom } from './incidents/incident-room.js';
import { applyTheme, useTheme } from './ui/theme.js';
import { ErrorNote } from './ui/error-note.js';

// The editor (canvas, YAML, schema forms) is its own chunk: the incident pages paint without it.
const FlowList = lazy(() => import('./flows/flow-list.js').then((module) => ({ default: module.FlowList })));
const FlowEditor = lazy(() => import('./editor/flow-editor.js').then((module) => ({ default: module.FlowEditor })));
const PlaybookBrowser = lazy(() => import('./playbooks/playbook-browser.js').then((module) => ({ default: module.PlaybookBrowser })));

/** The application shell: session gate, navigation and the page for the current route. */
export function App() {
  const [session, refreshSession] = useSession();
  const route = useRoute();
  if (session.status === 'loading') return <p className="boot">Loading Sidekick…</p>;
  if (session.status === 'error')
    return (
      <main className="boot" id="main">
        <ErrorNote message={session.message} />
        <button type="button" onClick={refreshSession}>
          Try again
        </button>
      </main>
    );
  const { authenticated, required, login } = session.session;
  if (required && !authenticated) return <LoginPage onLoggedIn={refreshSession} login={login} />;
  const logout = required
    ? async () => {
        await callApi('/api/logout', { method: 'POST' }).catch(() => undefined);
        disconnectEvents();
        refreshSession();
      }
    : undefined;
  return (
    <>
      <a className="skip-link" href="#main" onClick={(event) => skipToMain(event)}>
        Skip to content
      </a>
      <Header route={route} onLogout={logout} />
      <main id="main" tabIndex={-1} className={route.page === 'flow' ? 'main wide' : 'main'}>
        <Suspense fallback={<p className="muted">Loading…</p>}>
          <Page route={route} />
        </Suspense>
      </main>
    </>
  );
}

// The skip link must not change the hash: the hash is the router.
function skipToMain(event: React.MouseEvent) {
  event.preventDefault();
  document.getElementById('main')?.focus();
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'incidents':
      return <IncidentList />;
    case 'incident':
      return <IncidentRoom key={route.id} id={route.id} />;
    case 'flows':
      return <FlowList />;
    case 'flow':
      return <FlowEditor key={route.id} id={route.id} />;
    case 'playbooks':
      return <PlaybookBrowser id={route.id} />;
    case 'channel':
      return <ChannelPage key={route.id} id={route.id} />;
  }
}

function Header({ route, onLogout }: { route: Route; onLogout?: () => void }) {
  const live = useLiveState();
  const theme = useTheme();
  const section = route.page === 'incident' || route.page === 'channel' ? 'incidents' : route.page === 'flow' ? 'flows' : route.page;
  const toggleTheme = () => {
    applyTheme(theme === 'dark' ? 'light' : 'dark');
  };
  return (
    <header className="topbar">
      <a className="brand" href={hrefOf({ page: 'incidents' })}>
        Sidekick
      </a>
      <nav aria-label="Main">
        <ul>
          {(['incidents', 'flows', 'playbooks'] as const).map((page) => (
            <li key={page}>
              <a href={hrefOf({ page })} aria-current={section === page ? 'page' : undefined}>
                {page[0]!.toUpperCase() + page.slice(1)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <span className={`live live-${live}`} role="status" title="Live updates">
        {live === 'live' ? 'live' : live === 'connecting' ? 'connecting…' : 'offline'}
      </span>
      <button type="button" className="ghost small" onClick={toggleTheme} aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}>
        {theme === 'dark' ? 'Light' : 'Dark'}
      </button>
      {onLogout && (
        <button type="button" className="ghost small" onClick={onLogout}>
          Sign out
        </button>
      )}
    </header>
  );
}

/** The app shell: navigation and the page the location hash names. */
import { Live } from './pages/live.js';
import { Models } from './pages/models.js';
import { Overview } from './pages/overview.js';
import { TraceDetail } from './pages/trace-detail.js';
import { Traces } from './pages/traces.js';
import { useRoute } from './router.js';

const NAV: [string, string][] = [
  ['overview', 'Overview'],
  ['traces', 'Traces'],
  ['models', 'Models'],
  ['live', 'Live'],
];

/** The dashboard. */
export function App() {
  const route = useRoute();
  const page =
    route.page === 'traces' ? <Traces route={route} />
    : route.page === 'trace' ? <TraceDetail key={route.arg} route={route} />
    : route.page === 'models' ? <Models route={route} />
    : route.page === 'live' ? <Live />
    : <Overview route={route} />;
  return (
    <>
      <header>
        <h1>llmtrace</h1>
        <nav aria-label="Pages">
          {NAV.map(([id, label]) => (
            <a key={id} href={`#/${id}`} aria-current={route.page === id || (id === 'traces' && route.page === 'trace') ? 'page' : undefined}>
              {label}
            </a>
          ))}
        </nav>
      </header>
      <main>{page}</main>
    </>
  );
}

import { useCallback, useEffect, useState } from 'react';
import { DashboardContext } from './context.js';
import { demoSession, injectedSession, loadNetwork, type Network, type Session } from './network.js';
import { MarketPage } from './pages/MarketPage.js';
import { MyDataPage } from './pages/MyDataPage.js';
import { ProtectPage } from './pages/ProtectPage.js';
import { RunPage } from './pages/RunPage.js';
import { ShopPage } from './pages/ShopPage.js';
import { TasksPage } from './pages/TasksPage.js';
import { ErrorNote, PageBoundary, Short } from './ui.js';

const PAGES = [
  { path: 'protect', title: 'Protect', Page: ProtectPage },
  { path: 'data', title: 'My data', Page: MyDataPage },
  { path: 'run', title: 'Run', Page: RunPage },
  { path: 'shop', title: 'Shop', Page: ShopPage },
  { path: 'market', title: 'Market', Page: MarketPage },
  { path: 'tasks', title: 'Tasks', Page: TasksPage },
] as const;

const INJECTED = 'injected';

/** The page named by the location's hash (#/protect, #/data…), Protect by default. */
const routeOf = () => window.location.hash.replace(/^#\/?/, '').split('/')[0] || 'protect';

function useRoute(): string {
  const [route, setRoute] = useState(routeOf);
  useEffect(() => {
    const onChange = () => setRoute(routeOf());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

export function App() {
  const [network, setNetwork] = useState<Network>();
  const [failure, setFailure] = useState<string>();
  const [session, setSession] = useState<Session>();
  const [choice, setChoice] = useState('');
  const route = useRoute();

  useEffect(() => {
    loadNetwork()
      .then((loaded) => {
        setNetwork(loaded);
        const first = loaded.config.demoAccounts[0];
        if (first) {
          setChoice(first.role);
          setSession(demoSession(loaded, first.role));
        }
      })
      .catch((error: unknown) => setFailure(String(error instanceof Error ? error.message : error)));
  }, []);

  const choose = useCallback(
    async (value: string) => {
      if (!network) return;
      setChoice(value);
      setFailure(undefined);
      try {
        setSession(value === INJECTED ? await injectedSession(network) : demoSession(network, value));
      } catch (error) {
        setSession(undefined);
        setFailure(error instanceof Error ? error.message : String(error));
      }
    },
    [network],
  );

  const current = PAGES.find((p) => p.path === route) ?? PAGES[0];
  return (
    <div className="layout">
      <header className="top">
        <a className="brand" href="#/protect">
          Confide
        </a>
        <nav aria-label="Pages">
          {PAGES.map((p) => (
            <a key={p.path} href={`#/${p.path}`} aria-current={p === current ? 'page' : undefined}>
              {p.title}
            </a>
          ))}
        </nav>
        {network && (
          <div className="account">
            <label htmlFor="account">Account</label>
            <select id="account" value={choice} onChange={(e) => void choose(e.target.value)}>
              {network.config.demoAccounts.map((a) => (
                <option key={a.role} value={a.role}>
                  {a.role} (demo)
                </option>
              ))}
              {typeof window.ethereum !== 'undefined' && <option value={INJECTED}>browser wallet</option>}
            </select>
            {session && <Short value={session.address} label="acting as" />}
          </div>
        )}
      </header>
      <main>
        {failure && <ErrorNote message={failure} />}
        {network ? (
          <DashboardContext.Provider value={{ network, session }}>
            <h1>{current.title}</h1>
            <PageBoundary key={`${current.path} ${session?.address ?? 'none'}`}>
              <current.Page />
            </PageBoundary>
          </DashboardContext.Provider>
        ) : (
          !failure && <p>Loading the network…</p>
        )}
      </main>
    </div>
  );
}

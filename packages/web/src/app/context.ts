import { createContext, useContext } from 'react';
import type { Network, Session } from './network.js';

/** The network and the acting account, for every page. */
type Dashboard = { network: Network; session: Session | undefined };

export const DashboardContext = createContext<Dashboard | undefined>(undefined);

/** The network and the acting account; only under <App>. */
export function useDashboard(): Dashboard {
  const value = useContext(DashboardContext);
  if (!value) throw new Error('useDashboard outside <App>');
  return value;
}

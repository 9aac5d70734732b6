// DataProtector (encryption, IPFS, SMS, the market's orders) is loaded on first use, in its own
// chunk: the read-only pages come up without it.
import { useCallback, useEffect, useRef } from 'react';
import type { DataProtector } from './dataProtector.js';
import type { Network, Session } from './network.js';

export type { DataProtector };

/** A DataProtector acting as `session` on `network`; close it when done. */
export async function openDataProtector(network: Network, session: Session): Promise<DataProtector> {
  const { dataProtectorOf } = await import('./dataProtector.js');
  return dataProtectorOf(network, session);
}

/**
 * One DataProtector for the life of a page: opened on the first call of the returned function,
 * closed when the page goes away. Rejects when no account acts.
 */
export function useDataProtector(network: Network, session: Session | undefined): () => Promise<DataProtector> {
  const opened = useRef<Promise<DataProtector>>(undefined);
  useEffect(
    () => () => {
      const dp = opened.current;
      opened.current = undefined;
      void dp?.then((d) => d.close()).catch(() => undefined);
    },
    [],
  );
  return useCallback(() => {
    if (!session) return Promise.reject(new Error('no account acts: choose one above'));
    opened.current ??= openDataProtector(network, session).catch((error: unknown) => {
      opened.current = undefined;
      throw error;
    });
    return opened.current;
  }, [network, session]);
}

// DataProtector (encryption, IPFS, SMS, the market's orders) is loaded on first use, in its own
// chunk: the read-only pages come up without it.
import type { DataProtector } from './dataProtector.js';
import type { Network, Session } from './network.js';

export type { DataProtector };

/** A DataProtector acting as `session` on `network`; close it when done. */
export async function openDataProtector(network: Network, session: Session): Promise<DataProtector> {
  const { dataProtectorOf } = await import('./dataProtector.js');
  return dataProtectorOf(network, session);
}

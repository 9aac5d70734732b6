// The DataProtector of the acting account, its services reached through the dashboard server.
import { createDataProtector, type DataProtector } from '../../../dataprotector/src/browser.js';
import type { Network, Session } from './network.js';

export type { DataProtector };

/** A DataProtector acting as `session` on `network`; close it when done. */
export function dataProtectorOf(network: Network, session: Session): DataProtector {
  return createDataProtector({
    publicClient: network.publicClient,
    wallet: session.wallet,
    hub: network.config.hub as `0x${string}`,
    dataProtector: network.config.dataProtector as `0x${string}`,
    ...(network.config.dataSharing ? { dataSharing: network.config.dataSharing as `0x${string}` } : {}),
    services: {
      storageUrl: network.endpoints.storage,
      smsUrl: network.endpoints.sms,
      marketUrl: network.endpoints.market,
      indexerUrl: network.endpoints.indexer,
    },
  });
}

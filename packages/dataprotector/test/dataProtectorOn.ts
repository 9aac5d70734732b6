// The DataProtector of one account on a test network started by `startNetwork`, for the e2e tests.
import type { Network } from '../../workerpool/test/network.js';
import { createDataProtector, type DataProtector } from '../src/index.js';

/** A DataProtector acting as `account` on the network's chain and services. */
export function dataProtectorOn(net: Network, account: Parameters<Network['clients']>[0]): DataProtector {
  return createDataProtector({
    ...net.clients(account),
    hub: net.hub,
    dataProtector: net.devnet.addresses.dataProtector,
    dataSharing: net.devnet.addresses.dataSharing,
    services: {
      storageUrl: net.storageNode.url,
      smsUrl: net.sms.url,
      marketUrl: net.market.url,
      indexerUrl: net.indexer.url,
    },
  });
}

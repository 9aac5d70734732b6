import { createMarketClient, type MarketClient } from '../../../market/src/client/createMarketClient.js';
import type { ConfideClient } from '../client.js';
import { ConfideSdkError } from '../errors.js';

const cache = new WeakMap<object, MarketClient>();

/**
 * The market client of the client's `services.marketUrl`.
 * @throws ConfideSdkError `CONFIDE_SDK_SERVICE_MISSING` when no market is configured
 */
export function marketOf(client: Pick<ConfideClient, 'services'>, action: string): MarketClient {
  const { marketUrl, fetch } = client.services;
  if (!marketUrl) {
    throw new ConfideSdkError({
      code: 'CONFIDE_SDK_SERVICE_MISSING',
      shortMessage: `${action} needs the market; create the client with \`services.marketUrl\`.`,
    });
  }
  let market = cache.get(client.services);
  if (!market) {
    market = createMarketClient({ url: marketUrl, ...(fetch ? { fetch } : {}) });
    cache.set(client.services, market);
  }
  return market;
}

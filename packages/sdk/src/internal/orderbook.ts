import { z } from 'zod';
import type { FetchOrdersParameters, FetchOrdersReturnType } from '../../../market/src/client/createMarketClient.js';
import type { OrderKind } from '../../../protocol/src/index.js';
import type { ConfideClient } from '../client.js';
import { ConfideSdkError } from '../errors.js';
import { marketOf } from './market.js';
import { tagSchema } from './orders.js';
import { addressSchema, parseParameters, uintSchema } from './validate.js';

/** An address filter, or `'any'` (iExec's wildcard): no filter. */
export const anyAddressSchema = z.union([z.literal('any'), addressSchema]).optional();

/** Filters every book takes, and the page. */
export const commonFilters = {
  minTag: tagSchema.optional(),
  maxTag: tagSchema.optional(),
  minVolume: uintSchema.optional(),
  page: z.number().int().min(0).max(100_000).optional(),
  pageSize: z.number().int().min(1).max(1000).optional(),
};

/** Each strict flag and the address filter it makes exact. */
const STRICT_OF = {
  isAppStrict: 'app',
  isDatasetStrict: 'dataset',
  isWorkerpoolStrict: 'workerpool',
  isRequesterStrict: 'requester',
};

/** Drops `'any'` and undefined filters and asks the market for one page. */
export async function fetchBook<K extends OrderKind>(
  client: Pick<ConfideClient, 'services'>,
  action: string,
  kind: K,
  schema: z.ZodType<Record<string, unknown>>,
  parameters: unknown,
  rename: Record<string, string>,
): Promise<FetchOrdersReturnType<K>> {
  const p = parseParameters(action, schema, parameters);
  for (const [strict, filter] of Object.entries(STRICT_OF)) {
    const target = p[filter];
    if (p[strict] === true && (target === undefined || target === 'any')) {
      throw new ConfideSdkError({
        code: 'CONFIDE_SDK_PARAMETERS_INVALID',
        shortMessage: `${action}: invalid parameters; fix them and call again.`,
        details: `${strict}: needs ${filter} (an address), the filter it makes strict`,
      });
    }
  }
  const filters: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(p)) {
    if (value === undefined || value === 'any') continue;
    filters[rename[name] ?? name] = value;
  }
  return marketOf(client, action).fetchOrders(kind, filters as FetchOrdersParameters);
}

import { z } from 'zod';
import type { AppOrder, DatasetOrder, RequestOrder, Signed, WorkerpoolOrder } from '../../../../protocol/src/index.js';
import { orderSchema } from '../../internal/orders.js';

/** The four orders of a deal, signed; no dataset order for an app that needs none. */
export type MatchableOrders = {
  appOrder: Signed<AppOrder>;
  datasetOrder?: Signed<DatasetOrder>;
  workerpoolOrder: Signed<WorkerpoolOrder>;
  requestOrder: Signed<RequestOrder>;
};

/** Schema of {@link MatchableOrders}, plus extra fields. */
export function matchableSchema<T extends z.ZodRawShape>(extra: T) {
  return z.strictObject({
    appOrder: orderSchema('AppOrder', true),
    datasetOrder: orderSchema('DatasetOrder', true).optional(),
    workerpoolOrder: orderSchema('WorkerpoolOrder', true),
    requestOrder: orderSchema('RequestOrder', true),
    ...extra,
  });
}

// Builds the four signed orders of a deal through the SDK, each signed by its owner's client.
import type { Address } from 'viem';
import type { AppOrder, DatasetOrder, RequestOrder, Signed, WorkerpoolOrder } from '../../../protocol/src/index.js';
import type { CreateRequestOrderParameters } from '../actions/order/createRequestOrder.js';
import type { MatchableOrders } from '../actions/order/matchSchema.js';
import { generateResultKey } from '../actions/result/generateResultKey.js';
import type { SdkFixture } from './sdkFixture.js';

const TOKEN = 1_000_000_000n;

/** Overrides of {@link orderSet}; `dataset: null` makes a deal without dataset. */
type OrderSetOverrides = {
  app?: Partial<AppOrder>;
  dataset?: Partial<DatasetOrder> | null;
  workerpool?: Partial<WorkerpoolOrder>;
  request?: Partial<CreateRequestOrderParameters>;
  requester?: Address;
};

/** A TEE deal's orders at 2 + 1 + 3 tokens per task, volume 1, signed by the world's owners. */
export async function orderSet(f: SdkFixture, o: OrderSetOverrides = {}): Promise<Required<MatchableOrders>> {
  const { appOwner, datasetOwner, scheduler, requester } = f.world.actors;
  const sign = <T>(account: typeof appOwner, kind: string, order: T) =>
    f.clientOf(account).signOrder({ kind, order } as never) as unknown as Promise<Signed<T>>;
  const appOrder = await sign(appOwner, 'AppOrder', {
    ...f.clientOf().createAppOrder({ app: f.world.app, appprice: 2n * TOKEN, tag: ['tee'] }),
    ...o.app,
  });
  const datasetOrder =
    o.dataset === null
      ? undefined
      : await sign(datasetOwner, 'DatasetOrder', {
          ...f.clientOf().createDatasetOrder({ dataset: f.world.dataset, datasetprice: 1n * TOKEN, tag: ['tee'] }),
          ...o.dataset,
        });
  const workerpoolOrder = await sign(scheduler, 'WorkerpoolOrder', {
    ...f.clientOf().createWorkerpoolOrder({
      workerpool: f.world.workerpool,
      workerpoolprice: 3n * TOKEN,
      tag: ['tee'],
      category: 0,
    }),
    ...o.workerpool,
  });
  const requesterClient = f.clientOf(requester);
  const request: RequestOrder = requesterClient.createRequestOrder({
    app: appOrder.app,
    appmaxprice: appOrder.appprice,
    ...(datasetOrder ? { dataset: datasetOrder.dataset, datasetmaxprice: datasetOrder.datasetprice } : {}),
    workerpoolmaxprice: workerpoolOrder.workerpoolprice,
    category: 0,
    tag: ['tee'],
    params: { iexec_args: '--mean pm2_5', confide_result_recipient: RECIPIENT },
    ...o.request,
  });
  const requestOrder = await requesterClient.signOrder({ kind: 'RequestOrder', order: request });
  return {
    appOrder,
    datasetOrder: datasetOrder as Signed<DatasetOrder>,
    workerpoolOrder,
    requestOrder: requestOrder as Signed<RequestOrder>,
  };
}

/** The result key of the default request. */
export const RESULT_KEY = generateResultKey();
const RECIPIENT = RESULT_KEY.recipient;

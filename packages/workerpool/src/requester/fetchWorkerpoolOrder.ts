import type { Hex } from 'viem';
import { fetchRetryingClosedSocket } from '../../../protocol/src/http.js';
import type { Signed, WorkerpoolOrder } from '../../../protocol/src/index.js';

/**
 * The workerpool order a scheduler publishes on `GET /workerpool/orders`, with its numbers as
 * bigints. (The market will serve the same orders once it exists.)
 * @example const workerpoolOrder = await fetchWorkerpoolOrder('http://127.0.0.1:13400')
 */
export async function fetchWorkerpoolOrder(schedulerUrl: string): Promise<Signed<WorkerpoolOrder>> {
  const response = await fetchRetryingClosedSocket(fetch, new URL('/workerpool/orders', schedulerUrl), {
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`the scheduler at ${schedulerUrl} answered ${response.status}`);
  const { orders } = (await response.json()) as { orders: { order: Record<string, string> }[] };
  const order = orders[0]?.order;
  if (!order) throw new Error(`the scheduler at ${schedulerUrl} publishes no order`);
  return {
    workerpool: order.workerpool as Hex,
    workerpoolprice: BigInt(order.workerpoolprice ?? 0),
    volume: BigInt(order.volume ?? 0),
    tag: order.tag as Hex,
    category: BigInt(order.category ?? 0),
    trust: BigInt(order.trust ?? 0),
    apprestrict: order.apprestrict as Hex,
    datasetrestrict: order.datasetrestrict as Hex,
    requesterrestrict: order.requesterrestrict as Hex,
    salt: order.salt as Hex,
    sign: order.sign as Hex,
  };
}

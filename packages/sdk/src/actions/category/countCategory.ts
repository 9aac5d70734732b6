import { confideHubAbi } from '../../../../protocol/src/index.js';
import type { ConfideClient } from '../../client.js';

/** How many categories the hub has: their ids are 0 to count − 1. */
export type CountCategoryReturnType = bigint;

/**
 * How many compute categories the hub has (iExec's `hub.countCategory`); ids run from 0.
 * @param client a Confide client (read-only is enough)
 * @returns the count (5 on a fresh hub: XS, S, M, L, XL)
 * @example const count = await countCategory(client) // 5n
 */
export async function countCategory(
  client: Pick<ConfideClient, 'publicClient' | 'hub'>,
): Promise<CountCategoryReturnType> {
  return client.publicClient.readContract({ address: client.hub, abi: confideHubAbi, functionName: 'countCategory' });
}

import type { Address } from 'viem';
import type { ConfideClient } from '../../client.js';
import type { ConfideSdkError } from '../../errors.js';
import { countAssets, ownerOrAccount } from '../../internal/registry.js';

/** Parameters of {@link countUserApps}. */
export type CountUserAppsParameters = {
  /** Whose apps; the client's account by default. */
  owner?: Address;
};

/** How many apps the owner holds. */
export type CountUserAppsReturnType = bigint;

/** Errors of {@link countUserApps}. */
export type CountUserAppsErrorType = ConfideSdkError<'CONFIDE_SDK_PARAMETERS_INVALID'>;

/**
 * How many apps an owner holds (iExec's `countUserApps`).
 * @param client a Confide client
 * @param parameters `{ owner? }`
 * @returns the count
 * @example const count = await countUserApps(client, { owner: '0x…' })
 */
export async function countUserApps(
  client: Pick<ConfideClient, 'publicClient' | 'walletClient' | 'contracts'>,
  parameters: CountUserAppsParameters = {},
): Promise<CountUserAppsReturnType> {
  return countAssets(client, 'app', ownerOrAccount(client, 'countUserApps', parameters));
}

import type { Address } from 'viem';
import type { ConfideClient } from '../../client.js';
import type { ConfideSdkError } from '../../errors.js';
import { countAssets, ownerOrAccount } from '../../internal/registry.js';

/** Parameters of {@link countUserWorkerpools}. */
export type CountUserWorkerpoolsParameters = {
  /** Whose workerpools; the client's account by default. */
  owner?: Address;
};

/** How many workerpools the owner holds. */
export type CountUserWorkerpoolsReturnType = bigint;

/** Errors of {@link countUserWorkerpools}. */
export type CountUserWorkerpoolsErrorType = ConfideSdkError<'CONFIDE_SDK_PARAMETERS_INVALID'>;

/**
 * How many workerpools an owner holds (iExec's `countUserWorkerpools`).
 * @param client a Confide client
 * @param parameters `{ owner? }`
 * @returns the count
 * @example const count = await countUserWorkerpools(client, { owner: '0x…' })
 */
export async function countUserWorkerpools(
  client: Pick<ConfideClient, 'publicClient' | 'walletClient' | 'contracts'>,
  parameters: CountUserWorkerpoolsParameters = {},
): Promise<CountUserWorkerpoolsReturnType> {
  return countAssets(client, 'workerpool', ownerOrAccount(client, 'countUserWorkerpools', parameters));
}

import type { Address } from 'viem';
import type { ConfideClient } from '../../client.js';
import type { ConfideSdkError } from '../../errors.js';
import { countAssets, ownerOrAccount } from '../../internal/registry.js';

/** Parameters of {@link countUserDatasets}. */
export type CountUserDatasetsParameters = {
  /** Whose datasets; the client's account by default. */
  owner?: Address;
};

/** How many datasets the owner holds. */
export type CountUserDatasetsReturnType = bigint;

/** Errors of {@link countUserDatasets}. */
export type CountUserDatasetsErrorType = ConfideSdkError<'CONFIDE_SDK_PARAMETERS_INVALID'>;

/**
 * How many datasets an owner holds (iExec's `countUserDatasets`).
 * @param client a Confide client
 * @param parameters `{ owner? }`
 * @returns the count
 * @example const count = await countUserDatasets(client, { owner: '0x…' })
 */
export async function countUserDatasets(
  client: Pick<ConfideClient, 'publicClient' | 'walletClient' | 'contracts'>,
  parameters: CountUserDatasetsParameters = {},
): Promise<CountUserDatasetsReturnType> {
  return countAssets(client, 'dataset', ownerOrAccount(client, 'countUserDatasets', parameters));
}

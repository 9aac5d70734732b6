import type { Address } from 'viem';
import type { ConfideClient } from '../../client.js';
import type { ConfideSdkError } from '../../errors.js';
import { assetAddressSchema, viewAsset } from '../../internal/registry.js';
import { parseParameters } from '../../internal/validate.js';

/** Parameters of {@link showWorkerpool}. */
export type ShowWorkerpoolParameters = { workerpool: Address };

/** A workerpool as registered, with its policies (percent). */
export type ShowWorkerpoolReturnType = {
  address: Address;
  owner: Address;
  description: string;
  workerStakeRatioPolicy: bigint;
  schedulerRewardRatioPolicy: bigint;
};

/** Errors of {@link showWorkerpool}. */
export type ShowWorkerpoolErrorType = ConfideSdkError<'CONFIDE_SDK_PARAMETERS_INVALID' | 'CONFIDE_SDK_ASSET_NOT_FOUND'>;

const schema = assetAddressSchema('workerpool');

/**
 * A workerpool's on-chain record (iExec's `showWorkerpool`).
 * @param client a Confide client
 * @param parameters `{ workerpool }`
 * @returns owner, description and policies
 * @throws ConfideSdkError `CONFIDE_SDK_ASSET_NOT_FOUND` when no workerpool is registered there
 * @example const { owner } = await showWorkerpool(client, { workerpool: '0x…' })
 */
export async function showWorkerpool(
  client: Pick<ConfideClient, 'publicClient' | 'contracts'>,
  parameters: ShowWorkerpoolParameters,
): Promise<ShowWorkerpoolReturnType> {
  const { workerpool } = parseParameters('showWorkerpool', schema, parameters) as ShowWorkerpoolParameters;
  const info = await viewAsset<Omit<ShowWorkerpoolReturnType, 'address'>>(
    client,
    'workerpool',
    'showWorkerpool',
    workerpool,
  );
  return {
    address: workerpool,
    owner: info.owner,
    description: info.description,
    workerStakeRatioPolicy: info.workerStakeRatioPolicy,
    schedulerRewardRatioPolicy: info.schedulerRewardRatioPolicy,
  };
}

import type { Address } from 'viem';
import type { ConfideClient } from '../../client.js';
import type { ConfideSdkError } from '../../errors.js';
import { assetAddressSchema, isAssetRegistered } from '../../internal/registry.js';
import { parseParameters } from '../../internal/validate.js';

/** Parameters of {@link checkDeployedWorkerpool}. */
export type CheckDeployedWorkerpoolParameters = { workerpool: Address };

/** Whether a workerpool is registered at that address. */
export type CheckDeployedWorkerpoolReturnType = boolean;

/** Errors of {@link checkDeployedWorkerpool}. */
export type CheckDeployedWorkerpoolErrorType = ConfideSdkError<'CONFIDE_SDK_PARAMETERS_INVALID'>;

const schema = assetAddressSchema('workerpool');

/**
 * Whether a workerpool is registered at an address (iExec's `checkDeployedWorkerpool`).
 * @param client a Confide client
 * @param parameters `{ workerpool }`
 * @returns `true` when registered
 * @example if (!(await checkDeployedWorkerpool(client, { workerpool: '0x…' }))) console.log('not deployed')
 */
export async function checkDeployedWorkerpool(
  client: Pick<ConfideClient, 'publicClient' | 'contracts'>,
  parameters: CheckDeployedWorkerpoolParameters,
): Promise<CheckDeployedWorkerpoolReturnType> {
  const p = parseParameters('checkDeployedWorkerpool', schema, parameters) as { workerpool: Address };
  return isAssetRegistered(client, 'workerpool', p.workerpool);
}

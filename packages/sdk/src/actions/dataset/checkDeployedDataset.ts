import type { Address } from 'viem';
import type { ConfideClient } from '../../client.js';
import type { ConfideSdkError } from '../../errors.js';
import { assetAddressSchema, isAssetRegistered } from '../../internal/registry.js';
import { parseParameters } from '../../internal/validate.js';

/** Parameters of {@link checkDeployedDataset}. */
export type CheckDeployedDatasetParameters = { dataset: Address };

/** Whether a dataset is registered at that address. */
export type CheckDeployedDatasetReturnType = boolean;

/** Errors of {@link checkDeployedDataset}. */
export type CheckDeployedDatasetErrorType = ConfideSdkError<'CONFIDE_SDK_PARAMETERS_INVALID'>;

const schema = assetAddressSchema('dataset');

/**
 * Whether a dataset is registered at an address (iExec's `checkDeployedDataset`).
 * @param client a Confide client
 * @param parameters `{ dataset }`
 * @returns `true` when registered
 * @example if (!(await checkDeployedDataset(client, { dataset: '0x…' }))) console.log('not deployed')
 */
export async function checkDeployedDataset(
  client: Pick<ConfideClient, 'publicClient' | 'contracts'>,
  parameters: CheckDeployedDatasetParameters,
): Promise<CheckDeployedDatasetReturnType> {
  const p = parseParameters('checkDeployedDataset', schema, parameters) as { dataset: Address };
  return isAssetRegistered(client, 'dataset', p.dataset);
}

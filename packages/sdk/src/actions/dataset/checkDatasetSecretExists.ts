import type { Address } from 'viem';
import type { ConfideClient } from '../../client.js';
import type { ConfideSdkError } from '../../errors.js';
import { assetAddressSchema } from '../../internal/registry.js';
import { smsSecretExists } from '../../internal/sms.js';
import { parseParameters } from '../../internal/validate.js';

/** Parameters of {@link checkDatasetSecretExists}. */
export type CheckDatasetSecretExistsParameters = { dataset: Address };

/** Whether the SMS holds the secret (its value is never returned). */
export type CheckDatasetSecretExistsReturnType = boolean;

/** Errors of {@link checkDatasetSecretExists}. */
export type CheckDatasetSecretExistsErrorType = ConfideSdkError<
  | 'CONFIDE_SDK_PARAMETERS_INVALID'
  | 'CONFIDE_SDK_SERVICE_MISSING'
  | 'CONFIDE_SDK_SMS_UNREACHABLE'
  | 'CONFIDE_SDK_SMS_REFUSED'
>;

const schema = assetAddressSchema('dataset');

/**
 * Whether the SMS holds the dataset's encryption key (released only to enclaves of deals using it) (iExec's `checkDatasetSecretExists`).
 * @param client a Confide client with `services.smsUrl`
 * @param parameters `{ dataset }`
 * @returns `true` when stored
 * @example if (!(await checkDatasetSecretExists(client, { dataset: '0x…' }))) await pushDatasetSecret(client, { dataset: '0x…', secret })
 */
export async function checkDatasetSecretExists(
  client: Pick<ConfideClient, 'services'>,
  parameters: CheckDatasetSecretExistsParameters,
): Promise<CheckDatasetSecretExistsReturnType> {
  const p = parseParameters('checkDatasetSecretExists', schema, parameters) as CheckDatasetSecretExistsParameters;
  return smsSecretExists(client, 'checkDatasetSecretExists', { kind: 'dataset-key', dataset: p.dataset });
}

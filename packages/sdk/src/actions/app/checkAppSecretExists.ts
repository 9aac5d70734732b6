import type { Address } from 'viem';
import type { ConfideClient } from '../../client.js';
import type { ConfideSdkError } from '../../errors.js';
import { assetAddressSchema } from '../../internal/registry.js';
import { smsSecretExists } from '../../internal/sms.js';
import { parseParameters } from '../../internal/validate.js';

/** Parameters of {@link checkAppSecretExists}. */
export type CheckAppSecretExistsParameters = { app: Address };

/** Whether the SMS holds the secret (its value is never returned). */
export type CheckAppSecretExistsReturnType = boolean;

/** Errors of {@link checkAppSecretExists}. */
export type CheckAppSecretExistsErrorType = ConfideSdkError<
  | 'CONFIDE_SDK_PARAMETERS_INVALID'
  | 'CONFIDE_SDK_SERVICE_MISSING'
  | 'CONFIDE_SDK_SMS_UNREACHABLE'
  | 'CONFIDE_SDK_SMS_REFUSED'
>;

const schema = assetAddressSchema('app');

/**
 * Whether the SMS holds the app developer's secret (given to its enclaves as `IEXEC_APP_DEVELOPER_SECRET`) (iExec's `checkAppSecretExists`).
 * @param client a Confide client with `services.smsUrl`
 * @param parameters `{ app }`
 * @returns `true` when stored
 * @example if (!(await checkAppSecretExists(client, { app: '0x…' }))) await pushAppSecret(client, { app: '0x…', secret })
 */
export async function checkAppSecretExists(
  client: Pick<ConfideClient, 'services'>,
  parameters: CheckAppSecretExistsParameters,
): Promise<CheckAppSecretExistsReturnType> {
  const p = parseParameters('checkAppSecretExists', schema, parameters) as CheckAppSecretExistsParameters;
  return smsSecretExists(client, 'checkAppSecretExists', { kind: 'app-secret', app: p.app });
}

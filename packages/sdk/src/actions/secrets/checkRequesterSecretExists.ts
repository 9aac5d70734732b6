import type { Address } from 'viem';
import { z } from 'zod';
import type { ConfideClient } from '../../client.js';
import type { ConfideSdkError } from '../../errors.js';
import { smsSecretExists } from '../../internal/sms.js';
import { addressSchema, parseParameters } from '../../internal/validate.js';
import { secretNameSchema } from './pushRequesterSecret.js';

/** Parameters of {@link checkRequesterSecretExists}. */
export type CheckRequesterSecretExistsParameters = {
  /** Whose secret; the client's account by default. */
  requester?: Address;
  name: string;
};

/** Whether the SMS holds it (the value is never returned). */
export type CheckRequesterSecretExistsReturnType = boolean;

/** Errors of {@link checkRequesterSecretExists}. */
export type CheckRequesterSecretExistsErrorType = ConfideSdkError<
  | 'CONFIDE_SDK_PARAMETERS_INVALID'
  | 'CONFIDE_SDK_SERVICE_MISSING'
  | 'CONFIDE_SDK_SMS_UNREACHABLE'
  | 'CONFIDE_SDK_SMS_REFUSED'
>;

const schema = z.strictObject({ requester: addressSchema.optional(), name: secretNameSchema });

/**
 * Whether a requester's named secret is in the SMS (iExec's `checkRequesterSecretExists`).
 * @param client a Confide client with `services.smsUrl`
 * @param parameters `{ requester?, name }`
 * @returns `true` when stored
 * @example await checkRequesterSecretExists(client, { name: 'api-token' })
 */
export async function checkRequesterSecretExists(
  client: Pick<ConfideClient, 'services' | 'walletClient'>,
  parameters: CheckRequesterSecretExistsParameters,
): Promise<CheckRequesterSecretExistsReturnType> {
  const p = parseParameters('checkRequesterSecretExists', schema, parameters);
  const requester =
    p.requester ??
    client.walletClient?.account.address ??
    parseParameters('checkRequesterSecretExists', schema.required(), parameters).requester;
  return smsSecretExists(client, 'checkRequesterSecretExists', {
    kind: 'requester-secret',
    requester,
    name: p.name,
  });
}

import type { Address } from 'viem';
import { z } from 'zod';
import type { ConfideClient } from '../../client.js';
import type { ConfideSdkError } from '../../errors.js';
import { smsPushSecret } from '../../internal/sms.js';
import { addressSchema, parseParameters } from '../../internal/validate.js';

/** Parameters of {@link pushDatasetSecret}. */
export type PushDatasetSecretParameters = {
  dataset: Address;
  /** The secret, at most 4,096 UTF-8 bytes; never logged. */
  secret: string;
};

/** Nothing: the SMS stored the secret. */
export type PushDatasetSecretReturnType = undefined;

/** Errors of {@link pushDatasetSecret}; `CONFIDE_SDK_SMS_REFUSED` carries the SMS code in `reason`. */
export type PushDatasetSecretErrorType = ConfideSdkError<
  | 'CONFIDE_SDK_PARAMETERS_INVALID'
  | 'CONFIDE_SDK_ACCOUNT_REQUIRED'
  | 'CONFIDE_SDK_SERVICE_MISSING'
  | 'CONFIDE_SDK_SMS_UNREACHABLE'
  | 'CONFIDE_SDK_SMS_REFUSED'
>;

const schema = z.strictObject({
  dataset: addressSchema,
  secret: z
    .string()
    .min(1)
    .refine((value) => new TextEncoder().encode(value).length <= 4096, 'must be at most 4096 bytes'),
});

/**
 * Stores the dataset's encryption key (released only to enclaves of deals using it) in the SMS, signed by the dataset's owner (iExec's `pushDatasetSecret`). Set once: the
 * SMS refuses a second push with reason `SMS_SECRET_EXISTS`.
 * @param client a Confide client with the owner's account and `services.smsUrl`
 * @param parameters `{ dataset, secret }`
 * @throws ConfideSdkError `CONFIDE_SDK_SMS_REFUSED` (reason `SMS_NOT_OWNER`, `SMS_SECRET_EXISTS`…)
 * @example await pushDatasetSecret(client, { dataset: '0x…', secret })
 */
export async function pushDatasetSecret(
  client: Pick<ConfideClient, 'services' | 'walletClient' | 'chain'>,
  parameters: PushDatasetSecretParameters,
): Promise<PushDatasetSecretReturnType> {
  const p = parseParameters('pushDatasetSecret', schema, parameters) as PushDatasetSecretParameters;
  await smsPushSecret(client, 'pushDatasetSecret', { kind: 'dataset-key', dataset: p.dataset }, p.secret);
  return undefined;
}

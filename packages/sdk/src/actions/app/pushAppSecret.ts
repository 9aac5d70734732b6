import type { Address } from 'viem';
import { z } from 'zod';
import type { ConfideClient } from '../../client.js';
import type { ConfideSdkError } from '../../errors.js';
import { smsPushSecret } from '../../internal/sms.js';
import { addressSchema, parseParameters } from '../../internal/validate.js';

/** Parameters of {@link pushAppSecret}. */
export type PushAppSecretParameters = {
  app: Address;
  /** The secret, at most 4,096 UTF-8 bytes; never logged. */
  secret: string;
};

/** Nothing: the SMS stored the secret. */
export type PushAppSecretReturnType = undefined;

/** Errors of {@link pushAppSecret}; `CONFIDE_SDK_SMS_REFUSED` carries the SMS code in `reason`. */
export type PushAppSecretErrorType = ConfideSdkError<
  | 'CONFIDE_SDK_PARAMETERS_INVALID'
  | 'CONFIDE_SDK_ACCOUNT_REQUIRED'
  | 'CONFIDE_SDK_SERVICE_MISSING'
  | 'CONFIDE_SDK_SMS_UNREACHABLE'
  | 'CONFIDE_SDK_SMS_REFUSED'
>;

const schema = z.strictObject({
  app: addressSchema,
  secret: z
    .string()
    .min(1)
    .refine((value) => new TextEncoder().encode(value).length <= 4096, 'must be at most 4096 bytes'),
});

/**
 * Stores the app developer's secret (given to its enclaves as `IEXEC_APP_DEVELOPER_SECRET`) in the SMS, signed by the app's owner (iExec's `pushAppSecret`). Set once: the
 * SMS refuses a second push with reason `SMS_SECRET_EXISTS`.
 * @param client a Confide client with the owner's account and `services.smsUrl`
 * @param parameters `{ app, secret }`
 * @throws ConfideSdkError `CONFIDE_SDK_SMS_REFUSED` (reason `SMS_NOT_OWNER`, `SMS_SECRET_EXISTS`…)
 * @example await pushAppSecret(client, { app: '0x…', secret })
 */
export async function pushAppSecret(
  client: Pick<ConfideClient, 'services' | 'walletClient' | 'chain'>,
  parameters: PushAppSecretParameters,
): Promise<PushAppSecretReturnType> {
  const p = parseParameters('pushAppSecret', schema, parameters) as PushAppSecretParameters;
  await smsPushSecret(client, 'pushAppSecret', { kind: 'app-secret', app: p.app }, p.secret);
  return undefined;
}

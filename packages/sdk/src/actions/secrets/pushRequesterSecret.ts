import { z } from 'zod';
import type { ConfideClient } from '../../client.js';
import type { ConfideSdkError } from '../../errors.js';
import { requireWallet } from '../../internal/chain.js';
import { smsPushSecret } from '../../internal/sms.js';
import { parseParameters } from '../../internal/validate.js';

/** Parameters of {@link pushRequesterSecret}. */
export type PushRequesterSecretParameters = {
  /** The name a request's `iexec_secrets` refers to: `[A-Za-z0-9_-]{1,64}`. */
  name: string;
  /** The secret, at most 4,096 UTF-8 bytes; never logged. */
  secret: string;
};

/** Nothing: the SMS stored the secret. */
export type PushRequesterSecretReturnType = undefined;

/** Errors of {@link pushRequesterSecret}. */
export type PushRequesterSecretErrorType = ConfideSdkError<
  | 'CONFIDE_SDK_PARAMETERS_INVALID'
  | 'CONFIDE_SDK_ACCOUNT_REQUIRED'
  | 'CONFIDE_SDK_SERVICE_MISSING'
  | 'CONFIDE_SDK_SMS_UNREACHABLE'
  | 'CONFIDE_SDK_SMS_REFUSED'
>;

/** A requester secret's name, as the SMS and the params accept it. */
export const secretNameSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must match [A-Za-z0-9_-]{1,64}');

const schema = z.strictObject({
  name: secretNameSchema,
  secret: z
    .string()
    .min(1)
    .refine((value) => new TextEncoder().encode(value).length <= 4096, 'must be at most 4096 bytes'),
});

/**
 * Stores a named secret of the client's account in the SMS (iExec's `pushRequesterSecret`); a
 * request refers to it in `params.iexec_secrets` and its enclave reads it as `IEXEC_REQUESTER_SECRET_<index>`.
 * @param client a Confide client with an account and `services.smsUrl`
 * @param parameters `{ name, secret }`
 * @throws ConfideSdkError `CONFIDE_SDK_SMS_REFUSED` with reason `SMS_SECRET_EXISTS` for a name already set
 * @example await pushRequesterSecret(client, { name: 'api-token', secret: 'xyz' })
 */
export async function pushRequesterSecret(
  client: Pick<ConfideClient, 'services' | 'walletClient' | 'chain'>,
  parameters: PushRequesterSecretParameters,
): Promise<PushRequesterSecretReturnType> {
  const p = parseParameters('pushRequesterSecret', schema, parameters);
  const { account } = requireWallet(client, 'pushRequesterSecret');
  await smsPushSecret(
    client,
    'pushRequesterSecret',
    { kind: 'requester-secret', requester: account.address, name: p.name },
    p.secret,
  );
  return undefined;
}

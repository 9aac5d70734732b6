import { type Address, getAddress, type Hex, type LocalAccount } from 'viem';
import { READ_VALUE_HASH, type SmsAction, secretValueHash, smsRequestTypedData } from '../auth/smsRequest.js';

/** Which secret to set: a dataset's key, an app's developer secret, or a requester's named secret. */
export type SecretTarget =
  | { kind: 'dataset-key'; dataset: Address }
  | { kind: 'app-secret'; app: Address }
  | { kind: 'requester-secret'; name: string };

/** The SMS refused the push; `code` is its stable error code (e.g. `SMS_NOT_OWNER`). */
export class SmsPushError extends Error {
  override name = 'SmsPushError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function route(
  target: SecretTarget,
  account: Address,
): { path: string; action: SmsAction; subject: Address; name: string } {
  if (target.kind === 'dataset-key') {
    return { path: `/datasets/${target.dataset}/key`, action: 'PUT_DATASET_KEY', subject: target.dataset, name: '' };
  }
  if (target.kind === 'app-secret') {
    return { path: `/apps/${target.app}/secret`, action: 'PUT_APP_SECRET', subject: target.app, name: '' };
  }
  return {
    path: `/requesters/${account}/secrets/${encodeURIComponent(target.name)}`,
    action: 'PUT_REQUESTER_SECRET',
    subject: account,
    name: target.name,
  };
}

/**
 * Stores a secret in the SMS as its owner: asks a single-use challenge, signs the EIP-712
 * `SmsRequest` (which commits to the value's hash, never the value), and sends both.
 * @throws SmsPushError with the SMS's code when it refuses (not the owner, exists, too large…)
 * @example await pushSecret({ smsUrl, chainId, account: dataOwner, target: { kind: 'dataset-key', dataset }, value: key })
 */
export async function pushSecret(p: {
  smsUrl: string;
  chainId: number;
  account: LocalAccount;
  target: SecretTarget;
  value: string;
}): Promise<void> {
  const { path, action, subject, name } = route(p.target, p.account.address);
  await signedSmsCall(p, { path, method: 'PUT', action, subject, name, value: p.value });
}

/**
 * Internal: one owner-signed SMS call — asks a challenge, signs the `SmsRequest` (over the value's
 * hash, or {@link READ_VALUE_HASH} when there is no value), sends it; returns the JSON answer, if any.
 * @throws SmsPushError with the SMS's code when it refuses
 */
export async function signedSmsCall(
  p: { smsUrl: string; chainId: number; account: LocalAccount },
  call: { path: string; method: 'PUT' | 'POST'; action: SmsAction; subject: Address; name: string; value?: string },
): Promise<unknown> {
  const answer = async (response: Response) => {
    if (response.ok) return response.status === 204 ? undefined : response.json();
    const body = (await response.json().catch(() => undefined)) as
      | { error?: { code?: string; message?: string } }
      | undefined;
    throw new SmsPushError(body?.error?.code ?? `HTTP_${response.status}`, body?.error?.message ?? response.statusText);
  };
  const send = (path: string, method: string, body: unknown) =>
    fetch(new URL(path, p.smsUrl), {
      method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then(answer);
  const { challenge, expiresAt } = (await send('/challenges', 'POST', { address: p.account.address })) as {
    challenge: Hex;
    expiresAt: number;
  };
  const signature = await p.account.signTypedData(
    smsRequestTypedData(p.chainId, {
      action: call.action,
      subject: getAddress(call.subject),
      name: call.name,
      valueHash: call.value === undefined ? READ_VALUE_HASH : secretValueHash(call.value),
      challenge,
      expiresAt: BigInt(expiresAt),
    }),
  );
  return send(call.path, call.method, {
    ...(call.value === undefined ? {} : { value: call.value }),
    challenge,
    signature,
  });
}

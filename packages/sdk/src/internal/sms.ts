import { type Address, getAddress, type Hex } from 'viem';
import { type SmsAction, secretValueHash, smsRequestTypedData } from '../../../sms/src/auth/smsRequest.js';
import type { ConfideClient } from '../client.js';
import { ConfideSdkError } from '../errors.js';
import { typedDataSigner } from './chain.js';

/** A secret slot in the SMS: a dataset's key, an app's developer secret, a requester's named secret. */
type SmsSlot =
  | { kind: 'dataset-key'; dataset: Address }
  | { kind: 'app-secret'; app: Address }
  | { kind: 'requester-secret'; requester: Address; name: string };

function slotRoute(slot: SmsSlot): { path: string; action: SmsAction; subject: Address; name: string } {
  if (slot.kind === 'dataset-key') {
    return { path: `/datasets/${slot.dataset}/key`, action: 'PUT_DATASET_KEY', subject: slot.dataset, name: '' };
  }
  if (slot.kind === 'app-secret') {
    return { path: `/apps/${slot.app}/secret`, action: 'PUT_APP_SECRET', subject: slot.app, name: '' };
  }
  return {
    path: `/requesters/${slot.requester}/secrets/${encodeURIComponent(slot.name)}`,
    action: 'PUT_REQUESTER_SECRET',
    subject: slot.requester,
    name: slot.name,
  };
}

function smsUrl(client: Pick<ConfideClient, 'services'>, action: string): string {
  const url = client.services.smsUrl;
  if (!url) {
    throw new ConfideSdkError({
      code: 'CONFIDE_SDK_SERVICE_MISSING',
      shortMessage: `${action} needs the SMS; create the client with \`services.smsUrl\`.`,
    });
  }
  return url;
}

async function call(
  client: Pick<ConfideClient, 'services'>,
  action: string,
  path: string,
  init: RequestInit,
): Promise<Response> {
  const base = smsUrl(client, action);
  const fetcher = client.services.fetch ?? globalThis.fetch;
  try {
    return await fetcher(new URL(path, base).toString(), {
      ...init,
      headers: init.body ? { 'content-type': 'application/json' } : undefined,
      signal: AbortSignal.timeout(10_000),
    });
  } catch (cause) {
    throw new ConfideSdkError({
      code: 'CONFIDE_SDK_SMS_UNREACHABLE',
      shortMessage: `${action}: cannot reach the SMS at ${base}; is it running?`,
      cause,
    });
  }
}

async function refusal(action: string, response: Response): Promise<ConfideSdkError> {
  const body = (await response.json().catch(() => undefined)) as { error?: { code?: unknown; message?: unknown } };
  const code = typeof body?.error?.code === 'string' ? body.error.code : undefined;
  if (!code?.startsWith('SMS_')) {
    return new ConfideSdkError({
      code: 'CONFIDE_SDK_SMS_UNREACHABLE',
      shortMessage: `${action}: the SMS answered HTTP ${response.status} without an SMS error; is the URL an SMS?`,
    });
  }
  return new ConfideSdkError({
    code: 'CONFIDE_SDK_SMS_REFUSED',
    shortMessage: `${action}: the SMS refused: ${typeof body.error?.message === 'string' ? body.error.message : code}`,
    reason: code,
  });
}

/**
 * Whether the SMS holds a secret in this slot (it answers 204 or 404, never the value).
 * @throws ConfideSdkError `CONFIDE_SDK_SERVICE_MISSING`, `CONFIDE_SDK_SMS_UNREACHABLE`, `CONFIDE_SDK_SMS_REFUSED`
 */
export async function smsSecretExists(
  client: Pick<ConfideClient, 'services'>,
  action: string,
  slot: SmsSlot,
): Promise<boolean> {
  const response = await call(client, action, slotRoute(slot).path, { method: 'GET' });
  if (response.status === 204) return true;
  if (response.status === 404 && (await response.text()) === '') return false;
  throw await refusal(action, response);
}

/**
 * Stores a secret as its owner: a single-use challenge, then the EIP-712 `SmsRequest` signed by
 * the client's account (it commits to the value's hash, not the value), then the value.
 * @throws ConfideSdkError `CONFIDE_SDK_ACCOUNT_REQUIRED`, `CONFIDE_SDK_SERVICE_MISSING`,
 * `CONFIDE_SDK_SMS_UNREACHABLE`, `CONFIDE_SDK_SMS_REFUSED` (reason `SMS_NOT_OWNER`, `SMS_SECRET_EXISTS`…)
 */
export async function smsPushSecret(
  client: Pick<ConfideClient, 'services' | 'walletClient' | 'chain'>,
  action: string,
  slot: SmsSlot,
  value: string,
): Promise<void> {
  const signer = typedDataSigner(client, action);
  const challengeResponse = await call(client, action, '/challenges', {
    method: 'POST',
    body: JSON.stringify({ address: signer.address }),
  });
  if (!challengeResponse.ok) throw await refusal(action, challengeResponse);
  const { challenge, expiresAt } = (await challengeResponse.json()) as { challenge: Hex; expiresAt: number };
  const route = slotRoute(slot);
  const signature = await signer.signTypedData(
    smsRequestTypedData(client.chain.id, {
      action: route.action,
      subject: getAddress(route.subject),
      name: route.name,
      valueHash: secretValueHash(value),
      challenge,
      expiresAt: BigInt(expiresAt),
    }),
  );
  const response = await call(client, action, route.path, {
    method: 'PUT',
    body: JSON.stringify({ value, challenge, signature }),
  });
  if (!response.ok) throw await refusal(action, response);
}

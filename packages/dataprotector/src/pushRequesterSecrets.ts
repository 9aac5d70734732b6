import type { LocalAccount } from 'viem';
import { pushSecret } from '../../sms/src/client/pushSecret.js';
import { type OnStatusUpdate, step } from './statusUpdates.js';
import { service } from './validate.js';

/**
 * Pushes the requester's secrets to the SMS under fresh random names, as the step
 * `PUSH_REQUESTER_SECRET`, and returns the `iexec_secrets` map (index → name) for the request's
 * params; `undefined` when there are none. The values never appear in a status update.
 * @example const names = await pushRequesterSecrets({ smsUrl, chainId, account, secrets: { 1: token } })
 */
export async function pushRequesterSecrets<Title extends string>(p: {
  smsUrl: string;
  chainId: number;
  account: LocalAccount;
  secrets: Record<string, string> | undefined;
  onStatusUpdate: OnStatusUpdate<Title | 'PUSH_REQUESTER_SECRET'> | undefined;
}): Promise<Record<string, string> | undefined> {
  const { secrets } = p;
  if (!secrets || Object.keys(secrets).length === 0) return undefined;
  return step(p.onStatusUpdate, 'PUSH_REQUESTER_SECRET', async () => {
    const names: Record<string, string> = {};
    for (const [index, value] of Object.entries(secrets)) {
      const name = Array.from(globalThis.crypto.getRandomValues(new Uint8Array(16)), (b) =>
        b.toString(16).padStart(2, '0'),
      ).join('');
      await service('pushing a requester secret to the SMS', () =>
        pushSecret({
          smsUrl: p.smsUrl,
          chainId: p.chainId,
          account: p.account,
          target: { kind: 'requester-secret', name },
          value,
        }),
      );
      names[index] = name;
    }
    return names;
  });
}

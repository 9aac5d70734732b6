import type { Address, LocalAccount } from 'viem';
import { SmsPushError, signedSmsCall } from './pushSecret.js';

/** Where and as whom: the SMS, its chain, the dataset owner's account. */
type OwnerCall = { smsUrl: string; chainId: number; account: LocalAccount; dataset: Address };

/**
 * Reads a dataset's current key back from the SMS, as its on-chain owner (an EIP-712
 * `READ_DATASET_KEY` request under a single-use challenge): what a key rotation decrypts the
 * current ciphertext with. The key is returned, never logged.
 * @throws SmsPushError with the SMS's code: `SMS_NOT_OWNER`, `SMS_SECRET_NOT_FOUND`…
 * @example const key = await readDatasetKey({ smsUrl, chainId, account: dataOwner, dataset })
 */
export async function readDatasetKey(p: OwnerCall): Promise<string> {
  const answer = (await signedSmsCall(p, {
    path: `/datasets/${p.dataset}/key/read`,
    method: 'POST',
    action: 'READ_DATASET_KEY',
    subject: p.dataset,
    name: '',
  })) as { value?: unknown } | undefined;
  if (typeof answer?.value !== 'string') throw new SmsPushError('SMS_INTERNAL', 'the SMS answered without a key');
  return answer.value;
}

/**
 * Replaces a dataset's key in the SMS with `value`, as its owner (`ROTATE_DATASET_KEY`); the SMS
 * destroys the old key in the same step, so nothing it releases decrypts the old ciphertext.
 * @throws SmsPushError with the SMS's code: `SMS_NOT_OWNER`, `SMS_SECRET_NOT_FOUND`, `SMS_INVALID_INPUT`…
 * @example await rotateDatasetKey({ smsUrl, chainId, account: dataOwner, dataset, value: newKey })
 */
export async function rotateDatasetKey(p: OwnerCall & { value: string }): Promise<void> {
  await signedSmsCall(p, {
    path: `/datasets/${p.dataset}/key/rotate`,
    method: 'POST',
    action: 'ROTATE_DATASET_KEY',
    subject: p.dataset,
    name: '',
    value: p.value,
  });
}

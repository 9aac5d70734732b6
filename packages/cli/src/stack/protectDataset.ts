import type { Account, Address, Chain, LocalAccount, PublicClient, Transport, WalletClient } from 'viem';
import { toHex } from 'viem';
import {
  datasetChecksum,
  encodeDatasetKey,
  encryptDatasetBytes,
  generateDatasetKey,
} from '../../../crypto/src/index.js';
import { confideHubAbi, datasetRegistryAbi } from '../../../protocol/src/index.js';
import { pushSecret } from '../../../sms/src/index.js';
import type { Storage } from '../../../storage/src/index.js';

/**
 * The data owner's whole step: encrypts `plaintext` under a fresh key, stores the ciphertext,
 * registers the dataset with the ciphertext's SHA-256 (or `checksumOf`'s, for a test that must
 * lie), and pushes the key to the SMS as the dataset's owner.
 * @returns the dataset address, its CID and the encoded key (for the caller's records only)
 * @example const { dataset } = await protectDataset({ publicClient, wallet, account, hub, storage, smsUrl, plaintext, name: 'air.csv' })
 */
export async function protectDataset(p: {
  publicClient: PublicClient<Transport, Chain>;
  wallet: WalletClient<Transport, Chain, Account>;
  /** The owner's account: it signs the SMS request. */
  account: LocalAccount;
  hub: Address;
  storage: Storage;
  smsUrl: string;
  plaintext: Uint8Array;
  name: string;
  checksumOf?: Uint8Array;
}) {
  const key = generateDatasetKey();
  const ciphertext = encryptDatasetBytes({ plaintext: p.plaintext, key });
  const { cid } = await p.storage.put(ciphertext);
  const registry = await p.publicClient.readContract({
    address: p.hub,
    abi: confideHubAbi,
    functionName: 'datasetRegistry',
  });
  const args = [
    p.account.address,
    p.name,
    toHex(`/ipfs/${cid}`),
    await datasetChecksum(p.checksumOf ?? ciphertext),
  ] as const;
  const dataset = await p.publicClient.readContract({
    address: registry,
    abi: datasetRegistryAbi,
    functionName: 'predictDataset',
    args,
  });
  await p.publicClient.waitForTransactionReceipt({
    hash: await p.wallet.writeContract({
      address: registry,
      abi: datasetRegistryAbi,
      functionName: 'createDataset',
      args,
    }),
  });
  const encoded = encodeDatasetKey(key);
  await pushSecret({
    smsUrl: p.smsUrl,
    chainId: await p.publicClient.getChainId(),
    account: p.account,
    target: { kind: 'dataset-key', dataset },
    value: encoded,
  });
  return { dataset, cid, key: encoded };
}

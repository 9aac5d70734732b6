import {
  type Account,
  type Address,
  type Chain,
  type PublicClient,
  sha256,
  type Transport,
  toHex,
  type WalletClient,
} from 'viem';
import { bundleFingerprint, packBundle } from '../../../enclave/src/index.js';
import { appRegistryAbi, confideHubAbi } from '../../../protocol/src/index.js';
import type { Storage } from '../../../storage/src/index.js';

/** Parameters of {@link publishApp}. */
type PublishAppParameters = {
  publicClient: PublicClient<Transport, Chain>;
  /** The app owner's wallet. */
  wallet: WalletClient<Transport, Chain, Account>;
  hub: Address;
  storage: Storage;
  /** A folder with `confide.json` and the app's files. */
  folder: string;
  name: string;
  /** What the registered location serves, when a test needs it to differ from the bundle. */
  served?: Uint8Array;
};

/**
 * Packs `folder` as a canonical bundle, stores it, and registers the app on chain with the
 * bundle's location (`/ipfs/<cid>`), checksum (SHA-256) and TEE fingerprint.
 * @returns the app's address, the bundle and its CID
 * @example const { app } = await publishApp({ publicClient, wallet, hub, storage, folder: 'apps/hello', name: 'hello' })
 */
export async function publishApp(p: PublishAppParameters) {
  const bundle = await packBundle(p.folder);
  const { cid } = await p.storage.put(p.served ?? bundle);
  const registry = await p.publicClient.readContract({
    address: p.hub,
    abi: confideHubAbi,
    functionName: 'appRegistry',
  });
  const args = [
    p.wallet.account.address,
    p.name,
    'NODE',
    toHex(`/ipfs/${cid}`),
    sha256(bundle),
    bundleFingerprint(bundle),
  ] as const;
  const app = await p.publicClient.readContract({
    address: registry,
    abi: appRegistryAbi,
    functionName: 'predictApp',
    args,
  });
  await p.publicClient.waitForTransactionReceipt({
    hash: await p.wallet.writeContract({ address: registry, abi: appRegistryAbi, functionName: 'createApp', args }),
  });
  return { app, bundle, cid };
}

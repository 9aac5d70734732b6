// The data owner's and the app developer's steps, as the e2e tests play them on a Network.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Address, type Hex, parseUnits, zeroAddress } from 'viem';
import type { PrivateKeyAccount } from 'viem/accounts';
import { protectDataset as protectDatasetOnChain } from '../../cli/src/stack/protectDataset.js';
import { publishApp as publishAppOnChain } from '../../cli/src/stack/publishApp.js';
import { confideDomain, confideHubAbi, randomSalt, signOrder, TAG_TEE } from '../../protocol/src/index.js';
import type { Network } from './network.js';

export const PRICE = { app: parseUnits('2', 9), dataset: parseUnits('1', 9), workerpool: parseUnits('3', 9) };

async function _registry(net: Network, name: 'appRegistry' | 'datasetRegistry'): Promise<Address> {
  return net
    .clients(net.roles.requester)
    .publicClient.readContract({ address: net.hub, abi: confideHubAbi, functionName: name });
}

/**
 * The data owner protects `plaintext`: encrypts it, stores the ciphertext, registers the
 * dataset (with `checksumOf` bytes' checksum: the ciphertext unless a test lies), pushes the
 * key, and signs a dataset order for `app`.
 */
export async function protectDataset(
  net: Network,
  p: { plaintext: Uint8Array; name: string; app: Address; checksumOf?: Uint8Array },
) {
  const { dataOwner, requester } = net.roles;
  const { dataset, key } = await protectDatasetOnChain({
    ...net.clients(dataOwner),
    account: dataOwner,
    hub: net.hub,
    storage: net.storage,
    smsUrl: net.sms.url,
    ...p,
  });
  const order = await signOrder({
    domain: confideDomain(net.devnet.chainId, net.hub),
    kind: 'DatasetOrder',
    signer: dataOwner,
    order: {
      dataset,
      datasetprice: PRICE.dataset,
      volume: 100n,
      tag: TAG_TEE,
      apprestrict: p.app,
      workerpoolrestrict: zeroAddress,
      requesterrestrict: requester.address,
      salt: randomSalt(),
    },
  });
  return { dataset, key, order };
}

/**
 * The app developer stores `folder` as a bundle and registers it, then signs an app order.
 * With `served`, another bundle is what the registered multiaddr serves (a tampered app); `tag`
 * is the order's (TEE by default; zero for an app that may run replicated, without a TEE).
 */
export async function publishApp(net: Network, p: { folder: string; name: string; served?: Uint8Array; tag?: Hex }) {
  const { appOwner } = net.roles;
  const { app, bundle } = await publishAppOnChain({
    ...net.clients(appOwner),
    hub: net.hub,
    storage: net.storage,
    ...p,
  });
  const order = await signOrder({
    domain: confideDomain(net.devnet.chainId, net.hub),
    kind: 'AppOrder',
    signer: appOwner as PrivateKeyAccount,
    order: {
      app,
      appprice: PRICE.app,
      volume: 100n,
      tag: p.tag ?? TAG_TEE,
      datasetrestrict: zeroAddress,
      workerpoolrestrict: zeroAddress,
      requesterrestrict: zeroAddress,
      salt: randomSalt(),
    },
  });
  return { app, bundle, order };
}

/** A one-file node app in a temporary folder. */
export async function writeApp(name: string, source: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), `app-${name}-`));
  await writeFile(
    path.join(dir, 'confide.json'),
    JSON.stringify({ name, version: '1.0.0', runtime: 'node', entrypoint: 'main.mjs' }),
  );
  await writeFile(path.join(dir, 'main.mjs'), source);
  return dir;
}

/** Escrow balance plus frozen funds of `account`. */
export async function escrowOf(net: Network, account: Address): Promise<{ balance: bigint; frozen: bigint }> {
  const { publicClient } = net.clients(net.roles.requester);
  const [balance, frozen] = await Promise.all([
    publicClient.readContract({ address: net.hub, abi: confideHubAbi, functionName: 'balanceOf', args: [account] }),
    publicClient.readContract({ address: net.hub, abi: confideHubAbi, functionName: 'frozenOf', args: [account] }),
  ]);
  return { balance, frozen };
}

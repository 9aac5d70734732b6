import {
  type Account,
  type Address,
  type Chain,
  type PublicClient,
  type Transport,
  toHex,
  type WalletClient,
  zeroAddress,
} from 'viem';
import { packBundle } from '../../../enclave/src/index.js';
import { createMarketClient } from '../../../market/src/index.js';
import {
  type AppOrder,
  appRegistryAbi,
  confideDomain,
  confideHubAbi,
  randomSalt,
  type Signed,
  signOrder,
  TAG_TEE,
} from '../../../protocol/src/index.js';
import { appBundleFields } from '../../../sdk/src/internal/bundle.js';
import type { Storage } from '../../../storage/src/index.js';
import type { Stack } from './startStack.js';

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
 * bundle's location (`/ipfs/<cid>`), checksum (SHA-256) and TEE fingerprint, as the SDK's
 * `deployAppBundle` does. Unlike it, an app already registered with exactly these (a resumed
 * `confide start`) is not registered again, and `served` lets a test store other bytes.
 * @returns the app's address, the bundle and its CID
 * @example const { app } = await publishApp({ publicClient, wallet, hub, storage, folder: 'apps/hello', name: 'hello' })
 */
export async function publishApp(p: PublishAppParameters) {
  const bundle = await packBundle(p.folder);
  const { cid } = await p.storage.put(p.served ?? bundle);
  // The fields `confide app deploy --bundle` (the SDK's deployAppBundle) registers.
  const { multiaddr, checksum, fingerprint } = appBundleFields(bundle, cid);
  const registry = await p.publicClient.readContract({
    address: p.hub,
    abi: confideHubAbi,
    functionName: 'appRegistry',
  });
  const args = [p.wallet.account.address, p.name, 'NODE', toHex(multiaddr), checksum, fingerprint] as const;
  const app = await p.publicClient.readContract({
    address: registry,
    abi: appRegistryAbi,
    functionName: 'predictApp',
    args,
  });
  if (
    await p.publicClient.readContract({
      address: registry,
      abi: appRegistryAbi,
      functionName: 'isRegistered',
      args: [app],
    })
  )
    return { app, bundle, cid };
  await p.publicClient.waitForTransactionReceipt({
    hash: await p.wallet.writeContract({ address: registry, abi: appRegistryAbi, functionName: 'createApp', args }),
  });
  return { app, bundle, cid };
}

/**
 * Publishes the app in `folder` on `stack` and offers it on the stack's market: an open TEE app
 * order (any dataset, pool and requester) at `price` per run for `volume` runs. When the market
 * already offers the app with such an order (a resumed `confide start`), that order is kept.
 * @returns what {@link publishApp} returns, and the published order
 * @example const { app } = await offerApp(stack, { folder: 'apps/hello', name: 'hello', price: 0n, volume: 10n })
 */
export async function offerApp(
  stack: Stack,
  p: { folder: string; name: string; price: bigint; volume: bigint },
): Promise<Awaited<ReturnType<typeof publishApp>> & { appOrder: Signed<AppOrder> }> {
  const { appOwner } = stack.roles;
  const published = await publishApp({
    ...stack.clients(appOwner),
    hub: stack.hub,
    storage: stack.storage,
    folder: p.folder,
    name: p.name,
  });
  const market = createMarketClient({ url: stack.market.url });
  const { orders } = await market.fetchOrders('AppOrder', { app: published.app });
  const open = orders.find(
    ({ order, remaining }) =>
      remaining > 0n &&
      order.appprice === p.price &&
      order.tag === TAG_TEE &&
      order.datasetrestrict === zeroAddress &&
      order.workerpoolrestrict === zeroAddress &&
      order.requesterrestrict === zeroAddress,
  );
  if (open) return { ...published, appOrder: open.order };
  const appOrder = await signOrder({
    domain: confideDomain(stack.devnet.chainId, stack.hub),
    kind: 'AppOrder',
    signer: appOwner,
    order: {
      app: published.app,
      appprice: p.price,
      volume: p.volume,
      tag: TAG_TEE,
      datasetrestrict: zeroAddress,
      workerpoolrestrict: zeroAddress,
      requesterrestrict: zeroAddress,
      salt: randomSalt(),
    },
  });
  await market.publishOrder('AppOrder', appOrder);
  return { ...published, appOrder };
}

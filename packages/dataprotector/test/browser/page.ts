// Bundled for the browser by ../003_browser.e2e.test.ts (esbuild, platform "browser") and run in
// headless Chromium: the DataProtector from its package name (its "browser" export), as a dapp imports
// it, and the SDK, with viem wallet clients of local private-key accounts over HTTP.
import { createDataProtector } from '@confide/dataprotector';
import { type Address, createPublicClient, createWalletClient, defineChain, type Hex, http } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { createConfideClient } from '../../../sdk/src/index.js';

/** What the test hands the page. */
export type StoryConfig = {
  rpcUrl: string;
  chainId: number;
  hub: Address;
  dataProtector: Address;
  dataSharing: Address;
  services: { storageUrl: string; smsUrl: string; marketUrl: string; indexerUrl: string };
  ownerKey: Hex;
  requesterKey: Hex;
  app: Address;
  workerpoolMaxPrice: string;
  csv: string;
};

async function runStory(config: StoryConfig) {
  const chain = defineChain({
    id: config.chainId,
    name: 'Confide devnet',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [config.rpcUrl] } },
  });
  const transport = http(config.rpcUrl);
  const publicClient = createPublicClient({ chain, transport, pollingInterval: 100 });
  const dataProtectorOf = (key: Hex) =>
    createDataProtector({
      publicClient,
      wallet: createWalletClient({ chain, transport, account: privateKeyToAccount(key), pollingInterval: 100 }),
      hub: config.hub,
      dataProtector: config.dataProtector,
      dataSharing: config.dataSharing,
      services: config.services,
    });
  const owner = dataProtectorOf(config.ownerKey);
  const requester = dataProtectorOf(config.requesterKey);
  const requesterAddress = privateKeyToAccount(config.requesterKey).address;

  // A File, as an <input type="file"> gives: streamed, zipped, encrypted and uploaded in the page.
  const file = new File([config.csv], 'air-quality.csv', { type: 'text/csv' });
  const steps: string[] = [];
  const protectedData = await owner.protectData({
    data: { csv: file },
    name: 'browser upload',
    onStatusUpdate: (u) => {
      if (u.isDone) steps.push(u.title);
    },
  });
  const access = await owner.grantAccess({
    protectedData: protectedData.address,
    authorizedApp: config.app,
    authorizedUser: requesterAddress,
    numberOfAccess: 1,
  });
  const { taskId, resultKey } = await requester.processProtectedData({
    protectedData: protectedData.address,
    app: config.app,
    workerpoolMaxPrice: BigInt(config.workerpoolMaxPrice),
    waitForResult: false,
  });
  const completion = await requester.waitForTaskCompletion({ taskId });
  const { result } = await requester.getResultFromCompletedTask({
    taskId,
    resultIdentity: resultKey.identity,
    path: 'result.json',
  });

  // The SDK in the same page: read the task back, and fetch and decrypt the result itself.
  const sdk = createConfideClient({
    chain,
    transport,
    hub: config.hub,
    services: { marketUrl: config.services.marketUrl, smsUrl: config.services.smsUrl },
    pollingInterval: 100,
  });
  const task = await sdk.showTask({ taskId });
  return {
    // Proof that nothing leaned on Node globals: a browser has neither.
    nodeGlobals: { Buffer: typeof (globalThis as { Buffer?: unknown }).Buffer, process: typeof globalThis.process },
    steps,
    protectedData: { address: protectedData.address, multiaddr: protectedData.multiaddr },
    remainingAccess: access.remainingAccess,
    taskId,
    completion: completion.status,
    taskStatus: task.statusName,
    resultText: new TextDecoder().decode(result as Uint8Array),
  };
}

(globalThis as { runStory?: typeof runStory }).runStory = runStory;

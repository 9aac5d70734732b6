import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Address, type Hex, nonceManager, zeroAddress } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { confideDomain, createChainClients, randomSalt, signOrder, TAG_TEE } from '../../protocol/src/index.js';
import { createKuboStorage } from '../../storage/src/index.js';
import { fetchWorkerpoolOrder } from '../../workerpool/src/requester/fetchWorkerpoolOrder.js';
import { runConfidentialTask } from '../../workerpool/src/requester/runConfidentialTask.js';
import { protectDataset } from './stack/protectDataset.js';

/** What `confide start` writes to `<dir>/network.json` so that other commands can reach it. */
export type NetworkFile = {
  rpcUrl: string;
  chainId: number;
  hub: Address;
  workerpool: Address;
  smsUrl: string;
  storageUrl: string;
  schedulerUrl: string;
  apps: Record<string, Address>;
  /** Well-known devnet keys of the demo roles (never for value). */
  keys: { appOwner: Hex; dataOwner: Hex; requester: Hex };
};

const SAMPLE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../apps/climate-stats-data/air-quality.csv',
);
const UNIT = 10n ** 9n;

/**
 * The founding story on a running `confide start` network: the data owner protects the
 * air-quality CSV for climate-stats only, the app owner and the data owner sign their orders,
 * the requester runs the app on it and decrypts the statistics (written to `<dir>/demo-result`).
 * @example await runDemo({ stateDir: '.confide' }, console.log)
 */
export async function runDemo(p: { stateDir: string; csv?: string }, onStep: (line: string) => void) {
  const network = JSON.parse(await readFile(path.join(p.stateDir, 'network.json'), 'utf8')) as NetworkFile;
  const account = (key: Hex) => privateKeyToAccount(key, { nonceManager });
  const [appOwner, dataOwner, requester] = [network.keys.appOwner, network.keys.dataOwner, network.keys.requester].map(
    account,
  );
  if (!appOwner || !dataOwner || !requester) throw new Error('network.json lacks the demo keys');
  const clients = (a: typeof appOwner) =>
    createChainClients({ rpc: network.rpcUrl, chainId: network.chainId, account: a });
  const storage = createKuboStorage({ url: network.storageUrl });
  const app = network.apps['climate-stats'];
  if (!app) throw new Error('network.json names no climate-stats app');
  const domain = confideDomain(network.chainId, network.hub);
  try {
    const csvPath = p.csv ?? SAMPLE;
    onStep(`data owner: encrypting ${path.basename(csvPath)}, storing it, registering it, pushing its key to the SMS…`);
    const { dataset, cid } = await protectDataset({
      ...clients(dataOwner),
      account: dataOwner,
      hub: network.hub,
      storage,
      smsUrl: network.smsUrl,
      plaintext: await readFile(csvPath),
      name: path.basename(csvPath),
    });
    onStep(`  dataset ${dataset} at /ipfs/${cid}, usable by climate-stats only, 1 CFD per use`);
    const datasetOrder = await signOrder({
      domain,
      kind: 'DatasetOrder',
      signer: dataOwner,
      order: {
        dataset,
        datasetprice: UNIT,
        volume: 10n,
        tag: TAG_TEE,
        apprestrict: app,
        workerpoolrestrict: zeroAddress,
        requesterrestrict: zeroAddress,
        salt: randomSalt(),
      },
    });
    const appOrder = await signOrder({
      domain,
      kind: 'AppOrder',
      signer: appOwner,
      order: {
        app,
        appprice: 2n * UNIT,
        volume: 10n,
        tag: TAG_TEE,
        datasetrestrict: zeroAddress,
        workerpoolrestrict: zeroAddress,
        requesterrestrict: zeroAddress,
        salt: randomSalt(),
      },
    });
    onStep('requester: matching the orders and following the task…');
    const started = performance.now();
    const { tasks } = await runConfidentialTask({
      ...clients(requester),
      hub: network.hub,
      storage,
      appOrder,
      datasetOrder,
      workerpoolOrder: await fetchWorkerpoolOrder(network.schedulerUrl),
      onStatus: (event) =>
        onStep(`  ${event.step}${event.taskId ? ` ${event.taskId}` : ''}${event.reason ? ` (${event.reason})` : ''}`),
    });
    const [task] = tasks;
    if (task?.status !== 'COMPLETED') throw new Error(`the task did not complete: ${JSON.stringify(task)}`);
    const out = path.join(p.stateDir, 'demo-result');
    await mkdir(out, { recursive: true });
    for (const [name, bytes] of task.files) await writeFile(path.join(out, name), bytes);
    const stats = JSON.parse(Buffer.from(task.files.get('result.json') ?? []).toString('utf8')) as {
      rows: number;
      stations: number;
      byStation: Record<string, { exceedanceDays: Record<string, number> }>;
    };
    onStep(
      `done in ${((performance.now() - started) / 1000).toFixed(1)} s: ${stats.rows} rows, ${stats.stations} stations`,
    );
    for (const [station, s] of Object.entries(stats.byStation)) {
      const days = Object.entries(s.exceedanceDays)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
      onStep(`  ${station}: days over the WHO daily limits: ${days}`);
    }
    onStep(`decrypted result (result.json, chart.svg) in ${out}`);
    return { task, out };
  } finally {
    await storage.close();
  }
}

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Address, type Hex, nonceManager } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { createDataProtector } from '../../dataprotector/src/index.js';
import { createChainClients } from '../../protocol/src/index.js';

/** What `confide start` writes to `<dir>/network.json` so that other commands can reach it. */
export type NetworkFile = {
  rpcUrl: string;
  chainId: number;
  hub: Address;
  workerpool: Address;
  smsUrl: string;
  storageUrl: string;
  schedulerUrl: string;
  marketUrl: string;
  indexerUrl: string;
  dataProtector: Address;
  /** The sharing contract: collections, rentals, subscriptions, sales, consumption. */
  dataSharing: Address;
  apps: Record<string, Address>;
  /** Well-known devnet keys of the demo roles (never for value). */
  keys: { appOwner: Hex; dataOwner: Hex; requester: Hex };
};

const SAMPLE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../apps/climate-stats-data/air-quality.csv',
);
const CFD = 1_000_000_000n;

/**
 * The founding story on a running `confide start` network, through the DataProtector API: the
 * data owner protects the air-quality CSV and grants the requester uses of climate-stats; the
 * requester finds it by schema, runs the app on it and decrypts the statistics (written to
 * `<dir>/demo-result`).
 * @example await runDemo({ stateDir: '.confide' }, console.log)
 */
export async function runDemo(p: { stateDir: string; csv?: string }, onStep: (line: string) => void) {
  const network = JSON.parse(await readFile(path.join(p.stateDir, 'network.json'), 'utf8')) as NetworkFile;
  const app = network.apps['climate-stats'];
  if (!app) throw new Error('network.json names no climate-stats app');
  const as = (key: Hex) => {
    const account = privateKeyToAccount(key, { nonceManager });
    return createDataProtector({
      ...createChainClients({ rpc: network.rpcUrl, chainId: network.chainId, account }),
      hub: network.hub,
      dataProtector: network.dataProtector,
      dataSharing: network.dataSharing,
      services: {
        storageUrl: network.storageUrl,
        smsUrl: network.smsUrl,
        marketUrl: network.marketUrl,
        indexerUrl: network.indexerUrl,
      },
    });
  };
  const scientist = as(network.keys.dataOwner);
  const lab = as(network.keys.requester);
  const labAddress = privateKeyToAccount(network.keys.requester).address;
  const show = (who: string) => (u: { title: string; isDone: boolean }) => {
    if (u.isDone) onStep(`  ${who}: ${u.title}`);
  };
  try {
    const csvPath = p.csv ?? SAMPLE;
    onStep(`scientist: protectData(${path.basename(csvPath)})`);
    const data = await scientist.protectData({
      data: { csv: await readFile(csvPath) },
      name: path.basename(csvPath),
      onStatusUpdate: show('scientist'),
    });
    onStep(`  protected data ${data.address} at ${data.multiaddr}, schema ${JSON.stringify(data.schema)}`);
    onStep('scientist: grantAccess(climate-stats, the lab, 10 uses at 1 CFD)');
    await scientist.grantAccess({
      protectedData: data.address,
      authorizedApp: app,
      authorizedUser: labAddress,
      pricePerAccess: CFD,
      numberOfAccess: 10,
      onStatusUpdate: show('scientist'),
    });
    onStep('lab: processProtectedData(climate-stats)');
    const started = performance.now();
    const { taskId, files } = await lab.processProtectedData({
      protectedData: data.address,
      app,
      dataMaxPrice: CFD,
      appMaxPrice: 2n * CFD,
      workerpoolMaxPrice: 10n * CFD,
      onStatusUpdate: show('lab'),
    });
    if (!files) throw new Error(`task ${taskId} returned no result`);
    const out = path.join(p.stateDir, 'demo-result');
    await mkdir(out, { recursive: true });
    for (const [name, bytes] of files) await writeFile(path.join(out, name), bytes);
    const stats = JSON.parse(Buffer.from(files.get('result.json') ?? []).toString('utf8')) as {
      rows: number;
      stations: number;
      byStation: Record<string, { exceedanceDays: Record<string, number> }>;
    };
    onStep(
      `done in ${((performance.now() - started) / 1000).toFixed(1)} s (task ${taskId}): ${stats.rows} rows, ${stats.stations} stations`,
    );
    for (const [station, s] of Object.entries(stats.byStation)) {
      const days = Object.entries(s.exceedanceDays)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
      onStep(`  ${station}: days over the WHO daily limits: ${days}`);
    }
    onStep(`decrypted result (result.json, chart.svg) in ${out}`);
    return { taskId, out };
  } finally {
    await scientist.close();
    await lab.close();
  }
}

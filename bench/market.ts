// Figures of the market (packages/market) on the devnet (anvil over HTTP, SQLite file in WAL mode,
// its connection in a worker thread):
// 1. ingest: CONFIDE_BENCH_ORDERS (default 100,000) distinct dataset orders, signed beforehand by
//    4 owners over 8 datasets, published through the HTTP handler (hono's app.request, no
//    socket) with every check: schema, EIP-712 hash, signature recovery, owner (cached, read
//    once per dataset), viewConsumed (batched into deployless multicalls), insert. Orders/s,
//    against the bare recovery of the same orders (hash + libsecp256k1, no HTTP, no chain, no
//    database) and, on a sample, against viem's recoverTypedDataAddress. Also the CPU time per
//    order of this process (all its threads; anvil not counted), which load on the machine
//    changes far less than the rate.
// 2. query: p50/p99 of 1,000 filtered first pages (datasetorders by dataset and apprestrict),
//    against a primary-key lookup (GET /datasetorders/:orderHash) measured the same way.
// Targets: ingest ≥ 2,000 orders/s; filtered page p99 ≤ 10 ms.
// Run: npm run bench:market

import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import secp256k1 from 'secp256k1';
import { type Address, type Hex, type PublicClient, recoverTypedDataAddress, sha256, toHex, zeroAddress } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { startDevnet } from '../packages/cli/src/devnet.js';
import { createMarketServer, openMarketDatabase } from '../packages/market/src/index.js';
import { createOrderHasher } from '../packages/market/src/orders/createOrderHasher.js';
import { recoverOrderSigner } from '../packages/market/src/orders/recoverOrderSigner.js';
import {
  confideDomain,
  createChainClients,
  type DatasetOrder,
  datasetRegistryAbi,
  orderTypes,
  randomSalt,
  type Signed,
  TAG_TEE,
} from '../packages/protocol/src/index.js';

const ORDERS = Number(process.env.CONFIDE_BENCH_ORDERS ?? 100_000);
const QUERIES = 1000;
const CONCURRENCY = 256;
const OWNERS = 4;
const DATASETS = 8;
const APPS = [zeroAddress, ...Array.from({ length: 4 }, () => privateKeyToAccount(generatePrivateKey()).address)];

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
};
const rate = (count: number, ms: number) => (count / ms) * 1000;
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits });

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const dir = await mkdtemp(path.join(tmpdir(), 'bench-market-'));
const devnet = await startDevnet({ port: await freePort(), accounts: 1, stateDir: dir });
try {
  const { hub, datasetRegistry } = devnet.addresses;
  const payer = privateKeyToAccount(devnet.accounts[0]?.privateKey as Hex);
  const { publicClient, wallet } = createChainClients({ rpc: devnet.rpcUrl, chainId: devnet.chainId, account: payer });

  // Owners are fresh keys; the payer registers their datasets for them.
  const owners = Array.from({ length: OWNERS }, () => generatePrivateKey());
  const datasets: { dataset: Address; key: Hex }[] = [];
  for (let i = 0; i < DATASETS; i++) {
    const key = owners[i % OWNERS] as Hex;
    const name = `bench-${i}.csv`;
    const args = [privateKeyToAccount(key).address, name, toHex('/ipfs/bench'), sha256(toHex(name))] as const;
    const dataset = await publicClient.readContract({
      address: datasetRegistry,
      abi: datasetRegistryAbi,
      functionName: 'predictDataset',
      args,
    });
    const hash = await wallet.writeContract({
      address: datasetRegistry,
      abi: datasetRegistryAbi,
      functionName: 'createDataset',
      args,
    });
    await publicClient.waitForTransactionReceipt({ hash });
    datasets.push({ dataset, key });
  }

  console.log(`signing ${fmt(ORDERS)} dataset orders (not timed)…`);
  const hasher = createOrderHasher(confideDomain(devnet.chainId, hub));
  const orders: Signed<DatasetOrder>[] = [];
  const digests: Uint8Array[] = [];
  for (let i = 0; i < ORDERS; i++) {
    const { dataset, key } = datasets[i % DATASETS] as { dataset: Address; key: Hex };
    const order: DatasetOrder = {
      dataset,
      datasetprice: BigInt(1 + ((i * 7919) % 1_000_000)),
      volume: BigInt(1 + (i % 100)),
      tag: TAG_TEE,
      apprestrict: APPS[i % APPS.length] as Address,
      workerpoolrestrict: zeroAddress,
      requesterrestrict: zeroAddress,
      salt: randomSalt(),
    };
    const digest = hasher.digest('DatasetOrder', order);
    const { signature, recid } = secp256k1.ecdsaSign(digest, Buffer.from(key.slice(2), 'hex'));
    orders.push({ ...order, sign: `0x${Buffer.from(signature).toString('hex')}${(27 + recid).toString(16)}` });
    digests.push(digest);
  }
  const bodies = orders.map((o) =>
    JSON.stringify({ order: Object.fromEntries(Object.entries(o).map(([k, v]) => [k, String(v)])) }),
  );

  // Baseline: the bare recovery of the same orders, as the market does it, nothing else.
  let started = performance.now();
  for (const order of orders) {
    const { sign, ...unsigned } = order;
    recoverOrderSigner(hasher.digest('DatasetOrder', unsigned), sign);
  }
  const bareRate = rate(ORDERS, performance.now() - started);
  const sample = orders.slice(0, Math.min(2000, ORDERS));
  started = performance.now();
  for (const { sign, ...message } of sample) {
    await recoverTypedDataAddress({
      domain: confideDomain(devnet.chainId, hub),
      types: { DatasetOrder: orderTypes.DatasetOrder },
      primaryType: 'DatasetOrder',
      message,
      signature: sign,
    });
  }
  const viemRate = rate(sample.length, performance.now() - started);

  const db = await openMarketDatabase(path.join(dir, 'market.sqlite'));
  const { app } = createMarketServer({
    db,
    chain: { publicClient: publicClient as PublicClient, hub, chainId: devnet.chainId },
    logDestination: { write: () => undefined },
  });
  const post = async (body: string) => {
    const response = await app.request('/datasetorders', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    });
    if (response.status !== 201) throw new Error(`publication refused: ${response.status} ${await response.text()}`);
  };

  console.log(`ingesting through POST /datasetorders, ${CONCURRENCY} in flight…`);
  const cpuBefore = process.cpuUsage();
  started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < bodies.length) await post(bodies[next++] as string);
    }),
  );
  const ingestMs = performance.now() - started;
  const ingestRate = rate(ORDERS, ingestMs);
  const cpu = process.cpuUsage(cpuBefore);
  const cpuPerOrder = (cpu.user + cpu.system) / ORDERS;

  const timed = async (path: string) => {
    const t = performance.now();
    const response = await app.request(path);
    if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
    await response.json();
    return performance.now() - t;
  };
  const hashes = orders.slice(0, QUERIES).map((o) => hasher.hash('DatasetOrder', o));
  for (let i = 0; i < 50; i++) await timed(`/datasetorders/${hashes[i]}`); // warm-up
  const lookups: number[] = [];
  for (const hash of hashes) lookups.push(await timed(`/datasetorders/${hash}`));
  const pages: number[] = [];
  for (let i = 0; i < QUERIES; i++) {
    const { dataset } = datasets[i % DATASETS] as { dataset: Address };
    pages.push(await timed(`/datasetorders?dataset=${dataset}&apprestrict=${APPS[1 + (i % 4)]}&pageSize=20`));
  }
  await db.destroy();

  const [p50, p99, k50, k99] = [
    quantile(pages, 0.5),
    quantile(pages, 0.99),
    quantile(lookups, 0.5),
    quantile(lookups, 0.99),
  ];
  console.log(
    `\nmarket bench: ${fmt(ORDERS)} orders, ${OWNERS} owners, ${DATASETS} datasets, anvil over HTTP, SQLite WAL file`,
  );
  console.log(
    `ingest   ${fmt(ingestRate)} orders/s (${fmt(ingestMs / 1000, 1)} s)  target ≥ 2,000  ${ingestRate >= 2000 ? 'OK' : 'MISSED'}`,
  );
  console.log(
    `  CPU ${fmt(cpuPerOrder)} µs per order (this process, all threads: main + SQLite worker; anvil not counted)`,
  );
  console.log(
    `  baseline bare recovery (hash + libsecp256k1): ${fmt(bareRate)} orders/s → ingest is ${fmt(ingestRate / bareRate, 2)}× it`,
  );
  console.log(
    `  viem recoverTypedDataAddress (${fmt(sample.length)} sample): ${fmt(viemRate)} orders/s → ingest is ${fmt(ingestRate / viemRate, 2)}× it`,
  );
  console.log(
    `query    filtered first page (dataset + apprestrict, 20 of ~${fmt((ORDERS / DATASETS / 5) * 2)}): p50 ${fmt(p50, 2)} ms, p99 ${fmt(p99, 2)} ms  target p99 ≤ 10 ms  ${p99 <= 10 ? 'OK' : 'MISSED'}`,
  );
  console.log(
    `  baseline primary-key lookup: p50 ${fmt(k50, 2)} ms, p99 ${fmt(k99, 2)} ms → page is ${fmt(p50 / k50, 1)}× (p50), ${fmt(p99 / k99, 1)}× (p99)`,
  );
} finally {
  await devnet.stop();
  await rm(dir, { recursive: true, force: true });
}

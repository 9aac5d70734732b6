import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Hex } from 'viem';
import { packBundle } from '../../enclave/src/index.js';
import { computeTaskId, confideHubAbi } from '../../protocol/src/index.js';
import { fetchWorkerpoolOrder } from '../src/requester/fetchWorkerpoolOrder.js';
import { type ConfidentialTaskResult, runConfidentialTask } from '../src/requester/runConfidentialTask.js';
import { escrowOf, PRICE, protectDataset, publishApp, writeApp } from './marketplace.js';
import { type Network, startNetwork } from './network.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const CSV = Buffer.from('station,timestamp,pm2_5\nparis-01,2024-01-01T00:00:00Z,12.5\n');
/** An app that works for a while (so that a test can act while it computes), then writes a result. */
const SLOW_APP = `
const until = Date.now() + 4000;
while (Date.now() < until) await new Promise((r) => setTimeout(r, 50));
const { writeFileSync } = await import('node:fs');
writeFileSync(process.env.IEXEC_OUT + '/out.txt', 'done');
writeFileSync(process.env.IEXEC_OUT + '/computed.json', JSON.stringify({ 'deterministic-output-path': process.env.IEXEC_OUT + '/out.txt' }));
`;

let net: Network;

/** Polls the scheduler's status of a task until `predicate` holds. */
async function schedulerStatus(
  taskId: Hex,
  predicate: (s: { worker: string | null; workerStatus: string | null; state: string }) => boolean,
) {
  for (;;) {
    const response = await fetch(new URL(`/tasks/${taskId}`, net.scheduler.url)).catch(() => undefined);
    if (response?.ok) {
      const status = (await response.json()) as { worker: string | null; workerStatus: string | null; state: string };
      if (predicate(status)) return status;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Places a request and resolves with its single task's end, as seen by the requester. */
async function request(p: {
  appOrder: Parameters<typeof runConfidentialTask>[0]['appOrder'];
  datasetOrder?: Parameters<typeof runConfidentialTask>[0]['datasetOrder'];
  volume?: bigint;
}): Promise<{ dealId: Hex; tasks: ConfidentialTaskResult[] }> {
  return runConfidentialTask({
    ...net.clients(net.roles.requester),
    hub: net.hub,
    storage: net.storage,
    workerpoolOrder: await fetchWorkerpoolOrder(net.scheduler.url),
    timeoutMs: 180_000,
    ...p,
  });
}

/** A raw JSON-RPC call to the devnet (anvil's time controls). */
async function rpc(method: string, params: unknown[]): Promise<void> {
  const response = await fetch(net.devnet.rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const answer = (await response.json()) as { error?: unknown };
  assert.equal(answer.error, undefined, `${method} failed`);
}

/** The first task of the next deal the requester will make (the deal id depends on the request only). */
async function firstTaskOfNextDeal(): Promise<Hex> {
  const { publicClient } = net.clients(net.roles.requester);
  const block = await publicClient.getBlockNumber();
  for (;;) {
    const head = await publicClient.getBlockNumber();
    const events =
      head > block
        ? await publicClient.getContractEvents({
            address: net.hub,
            abi: confideHubAbi,
            eventName: 'OrdersMatched',
            fromBlock: block + 1n,
            toBlock: head,
            strict: true,
          })
        : [];
    const deal = events[0]?.args.dealId;
    if (deal) return computeTaskId(deal, 0n);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('001 workerpool failure stories: every task ends on chain', () => {
  before(async () => {
    net = await startNetwork({ workers: 2, workerpoolPrice: PRICE.workerpool, leaseMs: 5_000 });
  });
  after(async () => {
    await net?.stop();
  });

  it('an app that exits 1 ends FAILED with the requester refunded at once and the stake released', async () => {
    const { order: appOrder } = await publishApp(net, {
      folder: await writeApp('exit-one', 'console.error("no"); process.exit(1);\n'),
      name: 'exit-one',
    });
    const requester0 = await escrowOf(net, net.roles.requester.address);
    const scheduler0 = await escrowOf(net, net.roles.scheduler.address);
    const { tasks } = await request({ appOrder });
    assert.deepEqual(
      tasks.map((t) => (t.status === 'FAILED' ? t.reason : t.status)),
      ['APP_EXIT_NONZERO'],
    );
    assert.deepEqual(await escrowOf(net, net.roles.requester.address), requester0, 'every unit back, nothing frozen');
    assert.deepEqual(await escrowOf(net, net.roles.scheduler.address), scheduler0, 'the stake is free again');
  });

  it('a tampered app bundle gets no keys: FAILED with SECRETS_REFUSED', async () => {
    const other = await packBundle(path.join(ROOT, 'apps/hello'));
    const { app, order: appOrder } = await publishApp(net, {
      folder: path.join(ROOT, 'apps/climate-stats'),
      name: 'climate-stats-tampered',
      served: other,
    });
    const { order: datasetOrder } = await protectDataset(net, { plaintext: CSV, name: 'tampered.csv', app });
    const { tasks } = await request({ appOrder, datasetOrder });
    assert.deepEqual(
      tasks.map((t) => (t.status === 'FAILED' ? t.reason : t.status)),
      ['SECRETS_REFUSED'],
    );
  });

  it('a dataset whose ciphertext does not match its checksum: FAILED with DATASET_CHECKSUM_MISMATCH', async () => {
    const { app, order: appOrder } = await publishApp(net, {
      folder: path.join(ROOT, 'apps/climate-stats'),
      name: 'climate-stats-checksum',
    });
    const { order: datasetOrder } = await protectDataset(net, {
      plaintext: CSV,
      name: 'wrong-checksum.csv',
      app,
      checksumOf: Buffer.from('other bytes'),
    });
    const { tasks } = await request({ appOrder, datasetOrder });
    assert.deepEqual(
      tasks.map((t) => (t.status === 'FAILED' ? t.reason : t.status)),
      ['DATASET_CHECKSUM_MISMATCH'],
    );
  });

  it("a result over the data's policy maxResultSize: FAILED with RESULT_TOO_LARGE, refunded exactly, nothing published; a large enough limit completes", async () => {
    const { app, order: appOrder } = await publishApp(net, {
      folder: path.join(ROOT, 'apps/climate-stats'),
      name: 'climate-stats-size',
    });
    const { dataset, order: datasetOrder } = await protectDataset(net, { plaintext: CSV, name: 'size.csv', app });
    const owner = net.clients(net.roles.dataOwner);
    const setMaxResultSize = async (maxResultSize: bigint) => {
      const hash = await owner.wallet.writeContract({
        address: net.hub,
        abi: confideHubAbi,
        functionName: 'setPolicy',
        args: [
          dataset,
          { restrictApps: false, restrictUsers: false, pricePerUse: 0n, maxUses: 0, expiry: 0, maxResultSize },
        ],
      });
      assert.equal((await owner.publicClient.waitForTransactionReceipt({ hash })).status, 'success');
    };
    // climate-stats' result archive (result.json, chart.svg, computed.json) is a few kB.
    await setMaxResultSize(256n);
    const requester0 = await escrowOf(net, net.roles.requester.address);
    const { tasks } = await request({ appOrder, datasetOrder });
    assert.deepEqual(
      tasks.map((t) => (t.status === 'FAILED' ? t.reason : t.status)),
      ['RESULT_TOO_LARGE'],
    );
    assert.deepEqual(await escrowOf(net, net.roles.requester.address), requester0, 'every unit back, nothing frozen');
    const { publicClient } = net.clients(net.roles.requester);
    const finalized = await publicClient.getContractEvents({
      address: net.hub,
      abi: confideHubAbi,
      eventName: 'TaskFinalized',
      args: { taskId: tasks[0]?.taskId },
      fromBlock: 0n,
    });
    assert.deepEqual(finalized, [], 'no result location published');

    await setMaxResultSize(1_000_000n);
    const again = await request({ appOrder, datasetOrder });
    const done = again.tasks[0];
    assert.equal(done?.status, 'COMPLETED', JSON.stringify(done));
    assert.ok(done.files.has('result.json'), 'the beneficiary reads the result');
  });

  it('a worker killed (SIGKILL) while computing: its lease expires and the other worker completes the task', async () => {
    const { order: appOrder } = await publishApp(net, {
      folder: await writeApp('slow-kill', SLOW_APP),
      name: 'slow-kill',
    });
    const taskIdPromise = firstTaskOfNextDeal();
    const running = request({ appOrder });
    const taskId = await taskIdPromise;
    const assigned = await schedulerStatus(taskId, (s) => s.workerStatus === 'COMPUTING');
    const index = net.roles.workers.findIndex((w) => w.address === assigned.worker);
    const victim = net.workers[index];
    assert.ok(victim, `the task is on a worker of the network (${assigned.worker})`);
    await victim.kill();
    const { tasks } = await running;
    assert.equal(tasks[0]?.status, 'COMPLETED', JSON.stringify(tasks[0]));
    const final = await schedulerStatus(taskId, (s) => s.state === 'DONE');
    assert.notEqual(final.worker, assigned.worker, 'completed by the other worker');
    net.workers[index] = await net.startWorker(index);
  });

  it('the scheduler killed and restarted: it resumes from its journal, no task initialized or paid twice', async () => {
    const { order: appOrder } = await publishApp(net, {
      folder: await writeApp('slow-restart', SLOW_APP),
      name: 'slow-restart',
    });
    const taskIdPromise = firstTaskOfNextDeal();
    const requester0 = await escrowOf(net, net.roles.requester.address);
    const running = request({ appOrder, volume: 2n });
    const taskId = await taskIdPromise;
    await schedulerStatus(taskId, (s) => s.workerStatus === 'COMPUTING');
    const port = new URL(net.scheduler.url).port;
    await net.scheduler.kill();
    net.scheduler = await net.startScheduler(port);
    const { dealId, tasks } = await running;
    assert.deepEqual(
      tasks.map((t) => t.status),
      ['COMPLETED', 'COMPLETED'],
    );
    const { publicClient } = net.clients(net.roles.requester);
    const initialized = await publicClient.getContractEvents({
      address: net.hub,
      abi: confideHubAbi,
      eventName: 'TaskInitialized',
      fromBlock: 0n,
      strict: true,
    });
    assert.equal(initialized.filter((e) => e.args.dealId === dealId).length, 2, 'each task initialized once');
    const requester1 = await escrowOf(net, net.roles.requester.address);
    assert.equal(
      requester0.balance + requester0.frozen - (requester1.balance + requester1.frozen),
      2n * (PRICE.app + PRICE.workerpool),
      'paid once per task',
    );
  });

  it('the SMS down for a while: the enclave retries, and the task completes once it is back', async () => {
    const { order: appOrder } = await publishApp(net, {
      folder: await writeApp('sms-down', SLOW_APP),
      name: 'sms-down',
    });
    const port = new URL(net.sms.url).port;
    await net.sms.stop();
    const taskIdPromise = firstTaskOfNextDeal();
    const running = request({ appOrder });
    const taskId = await taskIdPromise;
    await schedulerStatus(taskId, (s) => s.workerStatus === 'COMPUTING');
    net.sms = await net.startSms(port);
    const { tasks } = await running;
    assert.equal(tasks[0]?.status, 'COMPLETED', JSON.stringify(tasks[0]));
  });

  it('a task no worker runs is claimed by the scheduler after its final deadline: requester refunded, stake seized', async () => {
    for (const worker of net.workers) await worker.stop();
    const { order: appOrder } = await publishApp(net, { folder: await writeApp('unrun', SLOW_APP), name: 'unrun' });
    const requester0 = await escrowOf(net, net.roles.requester.address);
    const scheduler0 = await escrowOf(net, net.roles.scheduler.address);
    const taskIdPromise = firstTaskOfNextDeal();
    const running = request({ appOrder });
    const taskId = await taskIdPromise;
    await schedulerStatus(taskId, (s) => s.state === 'READY');
    const { publicClient } = net.clients(net.roles.requester);
    const task = await publicClient.readContract({
      address: net.hub,
      abi: confideHubAbi,
      functionName: 'viewTask',
      args: [taskId],
    });
    const block = await publicClient.getBlock();
    await rpc('evm_increaseTime', [Number(task.finalDeadline - block.timestamp) + 1]);
    await rpc('evm_mine', []);
    const { tasks } = await running;
    assert.deepEqual(
      tasks.map((t) => (t.status === 'FAILED' ? t.reason : t.status)),
      ['CLAIMED'],
    );
    await schedulerStatus(taskId, (s) => s.state === 'DONE');
    const stake = (PRICE.workerpool * 30n) / 100n;
    const requester1 = await escrowOf(net, net.roles.requester.address);
    const scheduler1 = await escrowOf(net, net.roles.scheduler.address);
    assert.deepEqual(requester1, requester0, 'the requester has every unit back');
    assert.equal(
      scheduler0.balance + scheduler0.frozen - (scheduler1.balance + scheduler1.frozen),
      stake,
      'the stake is seized',
    );
  });
});

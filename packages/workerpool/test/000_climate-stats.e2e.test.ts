import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Address, sha256 } from 'viem';
import { computeClimateStats } from '../../../apps/climate-stats-data/reference.mjs';
import { confideHubAbi } from '../../protocol/src/index.js';
import { fetchWorkerpoolOrder } from '../src/requester/fetchWorkerpoolOrder.js';
import { runConfidentialTask } from '../src/requester/runConfidentialTask.js';
import { escrowOf, PRICE, protectDataset, publishApp } from './marketplace.js';
import { type Network, startNetwork } from './network.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const VOLUME = 3n;

let net: Network;

async function escrow(account: Address): Promise<bigint> {
  const { balance, frozen } = await escrowOf(net, account);
  return balance + frozen;
}

/** Every file under `dir`, recursively. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe('000 climate-stats on the whole confidential path, as separate processes', () => {
  before(async () => {
    net = await startNetwork({ workers: 2, workerpoolPrice: PRICE.workerpool });
  });
  after(async () => {
    await net?.stop();
  });

  it('3 tasks on a protected CSV end COMPLETED, the requester reads correct statistics, every party is paid exactly', async () => {
    const { appOwner, dataOwner, scheduler, requester, workers } = net.roles;
    // The app developer stores and registers climate-stats; the data owner protects the CSV for it.
    const { app, order: appOrder } = await publishApp(net, {
      folder: path.join(ROOT, 'apps/climate-stats'),
      name: 'climate-stats',
    });
    const csv = await readFile(path.join(ROOT, 'apps/climate-stats-data/air-quality.csv'));
    const { key, order: datasetOrder } = await protectDataset(net, {
      plaintext: csv,
      name: 'air-quality-2024.csv',
      app,
    });
    const workerpoolOrder = await fetchWorkerpoolOrder(net.scheduler.url);

    const parties = [
      requester.address,
      dataOwner.address,
      appOwner.address,
      scheduler.address,
      ...workers.map((w) => w.address),
    ];
    const before0 = await Promise.all(parties.map(escrow));

    const requesterClients = net.clients(requester);
    const { dealId, tasks } = await runConfidentialTask({
      ...requesterClients,
      hub: net.hub,
      storage: net.storage,
      appOrder,
      datasetOrder,
      workerpoolOrder,
      volume: VOLUME,
      timeoutMs: 240_000,
    });

    const expected = `${JSON.stringify(computeClimateStats(csv.toString('utf8')), null, 2)}\n`;
    assert.equal(tasks.length, 3);
    for (const task of tasks) {
      assert.equal(task.status, 'COMPLETED', JSON.stringify(task));
      if (task.status !== 'COMPLETED') continue;
      const resultJson = task.files.get('result.json');
      assert.ok(resultJson, 'result.json is in the result');
      assert.equal(Buffer.from(resultJson).toString('utf8'), expected, 'the statistics of the CSV, computed in plain');
      assert.equal(task.resultDigest, sha256(resultJson), 'the on-chain digest is the SHA-256 of result.json');
      assert.ok(task.files.get('chart.svg'), 'the chart is in the result');
    }

    // Each worker's status endpoint shows the tasks it ran, as a user reads them.
    const shown = await Promise.all(
      net.workers.map(
        async (w) =>
          ((await (await fetch(new URL('/tasks', w.url))).json()) as { tasks: { taskId: string; status: string }[] })
            .tasks,
      ),
    );
    const ran = shown.flat().filter((t) => tasks.some((task) => task.taskId === t.taskId));
    assert.deepEqual(
      ran.map((t) => t.status),
      ['COMPLETED', 'COMPLETED', 'COMPLETED'],
    );
    const one = ran[0];
    assert.ok(one);
    const owner = net.workers[shown.findIndex((list) => list.some((t) => t.taskId === one.taskId))];
    const single = await fetch(new URL(`/tasks/${one.taskId}`, owner?.url));
    assert.equal(((await single.json()) as { status: string }).status, 'COMPLETED');

    // Money moved by exactly the prices.
    const deal = await requesterClients.publicClient.readContract({
      address: net.hub,
      abi: confideHubAbi,
      functionName: 'viewDeal',
      args: [dealId],
    });
    const schedulerReward = (PRICE.workerpool * BigInt(deal.schedulerRewardRatio)) / 100n;
    const after0 = await Promise.all(parties.map(escrow));
    const delta = after0.map((v, i) => v - (before0[i] ?? 0n));
    const [dRequester, dData, dApp, dScheduler, ...dWorkers] = delta;
    assert.equal(dRequester, -VOLUME * (PRICE.app + PRICE.dataset + PRICE.workerpool));
    assert.equal(dData, VOLUME * PRICE.dataset);
    assert.equal(dApp, VOLUME * PRICE.app);
    assert.equal(dScheduler, VOLUME * schedulerReward);
    assert.equal(
      dWorkers.reduce((a, b) => a + b, 0n),
      VOLUME * (PRICE.workerpool - schedulerReward),
    );
    for (const d of dWorkers) assert.equal(d % (PRICE.workerpool - schedulerReward), 0n, 'each worker paid per task');

    // The plaintext never touched the workers' disks: not a line of the CSV in any of their files.
    const probe = csv.toString('utf8').split('\n')[1] ?? '';
    assert.ok(probe.length > 20);
    for (const dir of net.workerDirs) {
      for (const file of await filesUnder(dir)) {
        const content = await readFile(file);
        assert.equal(content.includes(probe), false, `${file} holds plaintext`);
      }
    }
    const shm = await readdir('/dev/shm').catch(() => []);
    assert.deepEqual(
      shm.filter((n) => n.startsWith('confide-')),
      [],
      'every enclave work dir is gone from the tmpfs',
    );

    // Logs: one structured line per step, with the task id, and no secret.
    const workerLogs = net.workers.flatMap((w) => w.logs);
    for (const task of tasks) {
      const steps = workerLogs
        .map((l) => JSON.parse(l) as { taskId?: string; status?: string })
        .filter((l) => l.taskId === task.taskId && l.status)
        .map((l) => l.status);
      assert.deepEqual(steps, [
        'RECEIVED',
        'DOWNLOADING_APP',
        'DOWNLOADING_DATA',
        'COMPUTING',
        'UPLOADING',
        'CONTRIBUTED',
        'COMPLETED',
      ]);
    }
    const allLogs = [...workerLogs, ...net.scheduler.logs, ...net.sms.logs].join('\n');
    assert.equal(allLogs.includes(key), false, 'the dataset key is in no log');
  });
});

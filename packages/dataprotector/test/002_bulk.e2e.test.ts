import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Address, nonceManager, parseUnits } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { offerApp } from '../../cli/src/stack/publishApp.js';
import { DATASET_INFINITE_VOLUME } from '../../protocol/src/index.js';
import { escrowOf } from '../../workerpool/test/marketplace.js';
import { type Network, startNetwork } from '../../workerpool/test/network.js';
import type { DataProtector } from '../src/index.js';
import { dataProtectorOn } from './dataProtectorOn.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const TOKEN = parseUnits('1', 9);
const PRICE = { app: TOKEN, workerpool: 2n * TOKEN };

let net: Network;
const clients: DataProtector[] = [];

/** Polls `read` until `done` holds (the market follows the chain a little behind). */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function dataProtectorOf(account: Network['roles']['requester']): DataProtector {
  const dp = dataProtectorOn(net, account);
  clients.push(dp);
  return dp;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('002 bulk: one request, three protected data of two owners, two tasks, on the whole local stack', () => {
  before(async () => {
    net = await startNetwork({ workers: 2, workerpoolPrice: PRICE.workerpool });
  });
  after(async () => {
    for (const dp of clients) await dp.close();
    await net?.stop();
  });

  it('grant with allowBulk, prepare 2 per task, process: every dataset read; inspect says FINISHED; a revoked grant is refused by the SMS', async () => {
    const { dataOwner, requester } = net.roles;
    const secondKey = net.devnet.accounts[7]?.privateKey;
    assert.ok(secondKey, 'a spare devnet account for the second owner');
    const secondOwner = privateKeyToAccount(secondKey, { nonceManager });
    const owners = [dataProtectorOf(dataOwner), dataProtectorOf(secondOwner)];
    const lab = dataProtectorOf(requester);

    // The hello app reports the size and SHA-256 of every dataset of its slice.
    const { app } = await offerApp(net, {
      folder: path.join(ROOT, 'apps/hello'),
      name: 'hello',
      price: PRICE.app,
      volume: 100n,
    });

    // Three protected data: two of the first owner, one of the second; each granted for bulk to the lab.
    const data = [];
    for (const [i, owner] of [0, 0, 1].entries()) {
      const dp = owners[owner] as DataProtector;
      const protectedData = await dp.protectData({ data: { reading: `station ${i}: pm2.5 = ${10 + i}` } });
      const steps: string[] = [];
      const access = await dp.grantAccess({
        protectedData: protectedData.address,
        authorizedApp: app,
        authorizedUser: requester.address,
        allowBulk: true,
        onStatusUpdate: (u) => steps.push(`${u.title}:${u.isDone}`),
      });
      assert.deepEqual(steps, [
        'CREATE_BULK_ORDER:false',
        'CREATE_BULK_ORDER:true',
        'PUBLISH_BULK_ORDER:false',
        'PUBLISH_BULK_ORDER:true',
      ]);
      assert.equal(access.datasetprice, '0');
      assert.equal(access.volume, DATASET_INFINITE_VOLUME.toString());
      data.push({ ...protectedData, owner: owner === 0 ? dataOwner.address : secondOwner.address });
    }
    // A fourth, granted for bulk then revoked before processing.
    const revoked = await owners[1]?.protectData({ data: { reading: 'withdrawn' } });
    assert.ok(revoked);
    await owners[1]?.grantAccess({
      protectedData: revoked.address,
      authorizedApp: app,
      authorizedUser: requester.address,
      allowBulk: true,
    });
    // An ordinary grant to the lab, which bulkOnly leaves out.
    const ordinary = await owners[0]?.protectData({ data: { reading: 'sold per use' } });
    assert.ok(ordinary);
    await owners[0]?.grantAccess({
      protectedData: ordinary.address,
      authorizedApp: app,
      authorizedUser: requester.address,
      pricePerAccess: TOKEN,
      numberOfAccess: 3,
    });

    // The lab finds the four bulk grants on the market, among five.
    const filters = { authorizedApp: app, authorizedUser: requester.address };
    await eventually(
      () => lab.getGrantedAccess(filters),
      (g) => g.count === 5,
    );
    const { grantedAccess } = await lab.getGrantedAccess({ ...filters, bulkOnly: true });
    assert.equal(grantedAccess.length, 4);
    assert.ok(!grantedAccess.some((a) => a.dataset === ordinary.address));
    const byData = (address: Address) => grantedAccess.find((a) => a.dataset === address);
    const bulkAccesses = data.map((d) => byData(d.address));
    assert.ok(bulkAccesses.every((a) => a !== undefined));

    // Prepare: 3 data, 2 per task → 2 tasks. Nothing paid yet.
    const prepareSteps: string[] = [];
    const { bulkRequest, resultKey } = await lab.prepareBulkRequest({
      bulkAccesses: bulkAccesses as NonNullable<(typeof bulkAccesses)[number]>[],
      app,
      maxProtectedDataPerTask: 2,
      appMaxPrice: PRICE.app,
      workerpoolMaxPrice: PRICE.workerpool,
      args: 'bulk',
      onStatusUpdate: (u) => prepareSteps.push(`${u.title}:${u.isDone}`),
    });
    assert.equal(bulkRequest.volume, '2');
    assert.deepEqual(
      prepareSteps,
      ['GENERATE_ENCRYPTION_KEY', 'PREPARE_PROTECTED_DATA_BULK', 'CREATE_BULK_REQUEST'].flatMap((t) => [
        `${t}:false`,
        `${t}:true`,
      ]),
    );
    const initial = await lab.inspectBulkRequest({ bulkRequest });
    assert.deepEqual(
      { ...initial, tasks: initial.tasks.length },
      {
        bulkStatus: 'INITIALIZING',
        tasksToCreateCount: 2,
        tasksProcessingCount: 0,
        tasksCompletedCount: 0,
        tasksTotalCount: 2,
        tasks: 0,
      },
    );

    // Process and wait: both tasks complete, and together they read all three datasets.
    const before0 = await escrowOf(net, requester.address);
    const { tasks } = await lab.processBulkRequest({
      bulkRequest,
      waitForResult: true,
      resultIdentity: resultKey.identity,
      path: 'result.txt',
    });
    assert.deepEqual(
      tasks.map((t) => [t.bulkIndex, t.status, t.success]),
      [
        [0, 'COMPLETED', true],
        [1, 'COMPLETED', true],
      ],
    );
    const texts = tasks.map((t) => Buffer.from(t.result as Uint8Array).toString('utf8'));
    const slices = [data.slice(0, 2), data.slice(2)];
    for (const [i, slice] of slices.entries()) {
      assert.match(texts[i] ?? '', /^Hello, bulk!/);
      for (const [j, d] of slice.entries()) {
        const zip = d.zipFile;
        assert.ok(zip instanceof Uint8Array, 'protected in memory, so the zip is returned');
        assert.ok(
          texts[i]?.includes(`bulk dataset ${j + 1} ${d.address}: ${zip.length} bytes, sha256 ${sha256(zip)}`),
          `task ${i} read ${d.address} (owner ${d.owner}):\n${texts[i]}`,
        );
      }
      assert.equal(texts[i]?.match(/^bulk dataset /gm)?.length, slice.length, 'only its own slice');
    }
    const after0 = await escrowOf(net, requester.address);
    assert.equal(
      before0.balance + before0.frozen - (after0.balance + after0.frozen),
      2n * (PRICE.app + PRICE.workerpool),
      'two tasks paid; the bulk data itself is free',
    );

    const finished = await lab.inspectBulkRequest({
      bulkRequest,
      withResult: true,
      resultIdentity: resultKey.identity,
      path: 'result.txt',
    });
    assert.equal(finished.bulkStatus, 'FINISHED');
    assert.deepEqual(
      [
        finished.tasksToCreateCount,
        finished.tasksProcessingCount,
        finished.tasksCompletedCount,
        finished.tasksTotalCount,
      ],
      [0, 0, 2, 2],
    );
    assert.deepEqual(
      finished.tasks.map((t) => [t.taskId, t.success, Buffer.from(t.result as Uint8Array).toString('utf8')]),
      tasks.map((t, i) => [t.taskId, true, texts[i]]),
    );

    // The second owner revokes its fourth data after the lab prepared a request with it: the SMS
    // refuses that slice (SMS_BULK_ORDER_REVOKED), the task fails signed and is refunded at once.
    const withRevoked = await lab.prepareBulkRequest({
      bulkAccesses: [bulkAccesses[2], byData(revoked.address)] as NonNullable<(typeof bulkAccesses)[number]>[],
      app,
      appMaxPrice: PRICE.app,
      workerpoolMaxPrice: PRICE.workerpool,
    });
    const revocations = await owners[1]?.revokeAllAccess({ protectedData: revoked.address });
    assert.equal(revocations?.length, 1);
    const beforeRefusal = await escrowOf(net, requester.address);
    const refused = await lab.processBulkRequest({ bulkRequest: withRevoked.bulkRequest, waitForResult: true });
    assert.equal(refused.tasks.length, 1);
    const [task] = refused.tasks;
    assert.equal(task?.status, 'FAILED');
    assert.equal(task?.success, false);
    assert.equal(task?.error?.code, 'CONFIDE_DATAPROTECTOR_TASK_FAILED');
    assert.equal(task?.error?.reason, 'SECRETS_REFUSED');
    const refusal = net.sms.logs.find((l) => l.includes('release refused') && l.includes(task?.taskId ?? '-'));
    assert.ok(refusal, 'the SMS logged its refusal');
    assert.equal(JSON.parse(refusal).code, 'SMS_BULK_ORDER_REVOKED');
    assert.deepEqual(await escrowOf(net, requester.address), beforeRefusal, 'refunded at once');
    const failedStatus = await lab.inspectBulkRequest({ bulkRequest: withRevoked.bulkRequest });
    assert.equal(failedStatus.bulkStatus, 'FINISHED');
    assert.equal(failedStatus.tasks[0]?.error?.reason, 'SECRETS_REFUSED');
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { type Address, type Hex, keccak256, toHex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import type { Scheduler } from './createScheduler.js';
import { type Journal, openJournal } from './openJournal.js';
import { schedulerRoutes, workerLoginMessage } from './schedulerRoutes.js';

const WORKERPOOL = '0x00000000000000000000000000000000000000aa' as Address;
const worker = privateKeyToAccount(generatePrivateKey());
const stranger = privateKeyToAccount(generatePrivateKey());
const TASK = keccak256(toHex('task 0'));

let journal: Journal;
let app: ReturnType<typeof schedulerRoutes>;

/**
 * The journal and the routes are real; the scheduler's chain side is replaced by the journal's
 * own lease logic (a double for this unit test: the e2e tests run the real one).
 */
function journalScheduler(j: Journal): Scheduler {
  return {
    assign: (w: Address) => j.assignNext(w, Date.now() + 60_000),
    heartbeat: (taskId: Hex, w: Address, status: string) => j.renewLease(taskId, w, Date.now() + 60_000, status),
    authorize: async (taskId: Hex, w: Address, enclave: Address) =>
      j.setEnclave(taskId, w, enclave) ? ('0x1234' as Hex) : undefined,
    leaseMs: 60_000,
  } as unknown as Scheduler;
}

async function call(method: string, url: string, body?: unknown, token?: string) {
  const res = await app.request(url, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

const code = (r: { body?: Record<string, unknown> }) => (r.body?.error as { code?: string } | undefined)?.code;

async function login(account = worker): Promise<string> {
  const { body } = await call('POST', '/workers/challenge', { worker: account.address });
  const challenge = body?.challenge as string;
  const signature = await account.signMessage({ message: workerLoginMessage(challenge, WORKERPOOL) });
  const res = await call('POST', '/workers/login', { challenge, signature });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body?.token as string;
}

describe('scheduler HTTP API', () => {
  before(() => {
    journal = openJournal({ path: path.join(mkdtempSync(path.join(tmpdir(), 'scheduler-')), 'journal.db') });
    journal.recordDeals(5n, [
      { dealId: keccak256(toHex('deal')), botFirst: 0, botSize: 1, tasks: [{ taskId: TASK, index: 0 }] },
    ]);
    journal.markReady(TASK, 1_000_000);
    app = schedulerRoutes({
      scheduler: journalScheduler(journal),
      journal,
      workerpool: WORKERPOOL,
      allowedWorkers: [worker.address],
    });
  });

  it('a worker logs in with a signed single-use challenge, leases the task, beats, gets its enclave authorized', async () => {
    const token = await login();
    const next = await call('POST', '/tasks/next', {}, token);
    assert.deepEqual(next.body, { taskId: TASK, leaseMs: 60_000, attempt: 1 });
    assert.equal((await call('POST', '/tasks/next', {}, token)).status, 204, 'nothing else to do');
    assert.equal((await call('POST', `/tasks/${TASK}/heartbeat`, { status: 'COMPUTING' }, token)).status, 200);
    const enclave = privateKeyToAccount(generatePrivateKey()).address;
    const authorized = await call('POST', `/tasks/${TASK}/authorize`, { enclave }, token);
    assert.equal(authorized.body?.authorizationSign, '0x1234');
    const status = await call('GET', `/tasks/${TASK}`);
    assert.equal(status.body?.workerStatus, 'COMPUTING');
    assert.equal(status.body?.worker, worker.address);
  });

  const refusals: [string, () => Promise<{ status: number; body?: Record<string, unknown> }>, number, string][] = [
    ['a body that is not JSON', () => call('POST', '/workers/challenge', '{'), 400, 'SCHEDULER_INVALID_INPUT'],
    [
      'a worker address that is not one',
      () => call('POST', '/workers/challenge', { worker: '0x12' }),
      400,
      'SCHEDULER_INVALID_INPUT',
    ],
    [
      'a worker that is not registered with the pool',
      () => call('POST', '/workers/challenge', { worker: stranger.address }),
      403,
      'SCHEDULER_WORKER_NOT_ALLOWED',
    ],
    [
      'an unknown challenge',
      () => call('POST', '/workers/login', { challenge: '0x00', signature: '0x00' }),
      401,
      'SCHEDULER_CHALLENGE_INVALID',
    ],
    [
      'a login signed by someone else',
      async () => {
        const { body } = await call('POST', '/workers/challenge', { worker: worker.address });
        const signature = await stranger.signMessage({
          message: workerLoginMessage(body?.challenge as string, WORKERPOOL),
        });
        return call('POST', '/workers/login', { challenge: body?.challenge, signature });
      },
      401,
      'SCHEDULER_SIGNATURE_INVALID',
    ],
    [
      'a challenge used twice',
      async () => {
        const { body } = await call('POST', '/workers/challenge', { worker: worker.address });
        const signature = await worker.signMessage({
          message: workerLoginMessage(body?.challenge as string, WORKERPOOL),
        });
        await call('POST', '/workers/login', { challenge: body?.challenge, signature });
        return call('POST', '/workers/login', { challenge: body?.challenge, signature });
      },
      401,
      'SCHEDULER_CHALLENGE_INVALID',
    ],
    ['a lease without a session', () => call('POST', '/tasks/next', {}), 401, 'SCHEDULER_AUTH_REQUIRED'],
    ['a forged session token', () => call('POST', '/tasks/next', {}, 'forged'), 401, 'SCHEDULER_AUTH_REQUIRED'],
    [
      'a task id that is not 32 bytes',
      async () => call('POST', '/tasks/0x12/heartbeat', { status: 'COMPUTING' }, await login()),
      400,
      'SCHEDULER_INVALID_INPUT',
    ],
    [
      'a status a worker cannot report',
      async () => call('POST', `/tasks/${TASK}/heartbeat`, { status: 'PAID' }, await login()),
      400,
      'SCHEDULER_INVALID_INPUT',
    ],
    [
      'a result location that is not /ipfs/<cid>',
      async () => call('POST', `/tasks/${TASK}/heartbeat`, { status: 'REVEALED', results: 'https://x' }, await login()),
      400,
      'SCHEDULER_INVALID_INPUT',
    ],
    [
      'a heartbeat for a task leased to no one',
      async () => call('POST', `/tasks/${keccak256(toHex('other'))}/heartbeat`, { status: 'COMPUTING' }, await login()),
      409,
      'SCHEDULER_TASK_NOT_YOURS',
    ],
    [
      'an authorization for a task leased to no one',
      async () =>
        call('POST', `/tasks/${keccak256(toHex('other'))}/authorize`, { enclave: worker.address }, await login()),
      409,
      'SCHEDULER_TASK_NOT_YOURS',
    ],
    [
      'the status of an unknown task',
      () => call('GET', `/tasks/${keccak256(toHex('none'))}`),
      404,
      'SCHEDULER_TASK_UNKNOWN',
    ],
  ];
  for (const [name, make, status, expected] of refusals) {
    it(`refuses ${name}: ${status} ${expected}`, async () => {
      const res = await make();
      assert.equal(res.status, status, JSON.stringify(res.body));
      assert.equal(code(res), expected);
    });
  }
});

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { type LocalAccount, zeroAddress, zeroHash } from 'viem';
import {
  contribute,
  digestOf,
  finalize,
  pocWorkers,
  replicatedTask,
  reveal,
} from '../../../../../contracts/test/helpers/poc.js';
import { resultHash, resultSeal } from '../../../../protocol/src/index.js';
import { expectSdkError, type SdkFixture, sdkFixture } from '../../testing/sdkFixture.js';
import { showContribution } from './showContribution.js';
import { showWorker } from './showWorker.js';

describe('worker', () => {
  let f: SdkFixture;
  let workers: LocalAccount[];
  before(async () => {
    f = await sdkFixture();
    workers = await pocWorkers(f.world);
  });

  it('showContribution follows a replicated task: CONTRIBUTED, then PROVED; showWorker the scores, a liar losing', async () => {
    const [w0, w1, liar, w3] = workers as [LocalAccount, LocalAccount, LocalAccount, LocalAccount];
    const client = f.clientOf();
    // Trust 5: three fresh workers agree and each gains a point.
    const first = await replicatedTask(f.world, 5n);
    for (const w of [w0, w1, liar]) await contribute(f.world, first.taskId, w);
    const committed = await showContribution(client, {
      taskId: first.taskId,
      worker: w0.address.toLowerCase() as never,
    });
    assert.deepEqual(committed, {
      taskId: first.taskId,
      worker: w0.address,
      status: 1,
      statusName: 'CONTRIBUTED',
      resultHash: resultHash(first.taskId, digestOf('honest')),
      resultSeal: resultSeal(w0.address, first.taskId, digestOf('honest')),
      enclaveChallenge: zeroAddress,
      weight: 1n,
    });
    for (const w of [w0, w1, liar]) await reveal(f.world, first.taskId, w);
    assert.equal((await showContribution(client, { taskId: first.taskId, worker: w0.address })).statusName, 'PROVED');
    await finalize(f.world, first.taskId);
    const shown = await showWorker(client, { worker: liar.address });
    assert.deepEqual(
      { worker: shown.worker, score: shown.score, locked: shown.locked },
      {
        worker: liar.address,
        score: 1n,
        locked: 0n,
      },
    );

    // Trust 3: the liar is outvoted by three honest workers and slashed: 1 × 2/3 → 0.
    const second = await replicatedTask(f.world, 3n);
    const free = await showWorker(client, { worker: liar.address });
    await contribute(f.world, second.taskId, liar, { digest: digestOf('lie') });
    const staked = await showWorker(client, { worker: liar.address });
    assert.ok(staked.locked > 0n, 'the contribution locks a stake');
    assert.equal(staked.stake, free.stake - staked.locked, 'taken from its free balance');
    for (const w of [w0, w1, w3]) await contribute(f.world, second.taskId, w);
    for (const w of [w0, w1, w3]) await reveal(f.world, second.taskId, w);
    await finalize(f.world, second.taskId);
    const slashed = await showWorker(client, { worker: liar.address });
    assert.deepEqual([slashed.stake, slashed.locked], [staked.stake, 0n], 'the stake is seized, not returned');
    const lie = await showContribution(client, { taskId: second.taskId, worker: liar.address });
    assert.equal(lie.statusName, 'CONTRIBUTED', 'a liar never reveals');
    assert.equal(lie.resultHash, resultHash(second.taskId, digestOf('lie')));
    const scores = await Promise.all([w0, w1, liar, w3].map((w) => f.clientOf().showWorker({ worker: w.address })));
    assert.deepEqual(
      scores.map((s) => s.score),
      [2n, 2n, 0n, 1n],
    );
  });

  it('showWorker of a worker never settled is score 0', async () => {
    const fresh = workers[5] as LocalAccount;
    const shown = await showWorker(f.clientOf(), { worker: fresh.address });
    assert.deepEqual(
      { worker: shown.worker, score: shown.score, locked: shown.locked },
      {
        worker: fresh.address,
        score: 0n,
        locked: 0n,
      },
    );
  });

  it('error: no contribution is CONFIDE_SDK_CONTRIBUTION_NOT_FOUND; bad parameters CONFIDE_SDK_PARAMETERS_INVALID', async () => {
    const worker = (workers[5] as LocalAccount).address;
    const error = await expectSdkError(
      showContribution(f.clientOf(), { taskId: zeroHash, worker }),
      'CONFIDE_SDK_CONTRIBUTION_NOT_FOUND',
    );
    assert.match(error.shortMessage, new RegExp(`worker ${worker} has no contribution to task ${zeroHash}`));
    await expectSdkError(showWorker(f.clientOf(), { worker: '0x12' as never }), 'CONFIDE_SDK_PARAMETERS_INVALID');
    await expectSdkError(showWorker(f.clientOf(), {} as never), 'CONFIDE_SDK_PARAMETERS_INVALID');
    await expectSdkError(
      showContribution(f.clientOf(), { taskId: 'task-1' as never, worker }),
      'CONFIDE_SDK_PARAMETERS_INVALID',
    );
    await expectSdkError(
      showContribution(f.clientOf(), { taskId: zeroHash, worker, extra: 1 } as never),
      'CONFIDE_SDK_PARAMETERS_INVALID',
    );
  });
});

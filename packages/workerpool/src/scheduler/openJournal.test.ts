import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { type Address, keccak256, toHex } from 'viem';
import { openJournal } from './openJournal.js';

const W = ['0x00000000000000000000000000000000000000a1', '0x00000000000000000000000000000000000000a2'].map(
  (a) => a as Address,
);
const W3 = '0x00000000000000000000000000000000000000a3' as Address;
const TASK = keccak256(toHex('replicated task'));
const dbPath = () => path.join(mkdtempSync(path.join(tmpdir(), 'journal-')), 'journal.db');

function replicatedJournal(file = dbPath()) {
  const journal = openJournal({ path: file });
  journal.recordDeals(1n, [
    {
      dealId: keccak256(toHex('deal')),
      botFirst: 0,
      botSize: 1,
      tasks: [{ taskId: TASK, index: 0 }],
      replicated: true,
    },
  ]);
  journal.markReady(TASK, 1_000);
  return journal;
}

describe('scheduler journal: replicas of a replicated task', () => {
  it('leases as many replicas as wanted, never two to one worker; the task stays READY', () => {
    const journal = replicatedJournal();
    assert.equal(journal.assignNext(W[0] as Address, Date.now() + 60_000), undefined, 'nothing wanted yet');
    journal.setReplicasWanted(TASK, 2);
    assert.equal(journal.assignNext(W[0] as Address, Date.now() + 60_000)?.taskId, TASK);
    assert.equal(journal.assignNext(W[0] as Address, Date.now() + 60_000), undefined, 'not twice to one worker');
    assert.equal(journal.assignNext(W[1] as Address, Date.now() + 60_000)?.taskId, TASK);
    assert.equal(journal.assignNext(W3, Date.now() + 60_000), undefined, 'two wanted, two leased');
    assert.equal(journal.task(TASK)?.state, 'READY');
    assert.equal(journal.holdsReplica(TASK, W[0] as Address), true);
    assert.equal(journal.holdsReplica(TASK, W3), false);
    journal.close();
  });

  it('a commitment on chain ends the lease; an expired lease frees its place for another worker', () => {
    const journal = replicatedJournal();
    journal.setReplicasWanted(TASK, 1);
    journal.assignNext(W[0] as Address, Date.now() - 1);
    journal.markContributed(TASK, [W[0] as Address]);
    assert.equal(journal.holdsReplica(TASK, W[0] as Address), false, 'committed: no second authorization');
    assert.deepEqual(journal.expireLeases(Date.now()), [], 'a commitment does not expire');
    journal.assignNext(W[1] as Address, Date.now() - 1);
    assert.deepEqual(
      journal.expireLeases(Date.now()).map((t) => t.worker),
      [W[1]],
    );
    assert.equal(journal.renewLease(TASK, W[1] as Address, Date.now(), 'COMPUTING'), false, 'the lease is gone');
    assert.equal(journal.assignNext(W[1] as Address, Date.now() + 60_000), undefined, 'not back to the late worker');
    assert.equal(journal.assignNext(W3, Date.now() + 60_000)?.taskId, TASK);
    assert.equal(journal.renewLease(TASK, W3, Date.now() + 60_000, 'REVEALED', '/ipfs/bafyresult'), true);
    assert.deepEqual(
      journal.replicas(TASK).map((r) => [r.worker, r.state, r.results]),
      [
        [W[0], 'CONTRIBUTED', null],
        [W[1], 'EXPIRED', null],
        [W3, 'LEASED', '/ipfs/bafyresult'],
      ],
    );
    journal.close();
  });

  it('survives a restart, and a journal from before replication gains its columns', () => {
    const file = dbPath();
    const first = replicatedJournal(file);
    first.setReplicasWanted(TASK, 3);
    first.assignNext(W[0] as Address, Date.now() + 60_000);
    first.close();
    const again = openJournal({ path: file });
    assert.equal(again.task(TASK)?.replicasWanted, 3);
    assert.equal(again.task(TASK)?.replicated, true);
    assert.equal(again.replicas(TASK).length, 1);
    again.close();

    const old = dbPath();
    const db = new Database(old);
    db.exec(`CREATE TABLE tasks (task_id TEXT PRIMARY KEY, deal_id TEXT NOT NULL, task_index INTEGER NOT NULL,
      state TEXT NOT NULL, worker TEXT, enclave TEXT, lease_until INTEGER NOT NULL DEFAULT 0,
      attempts INTEGER NOT NULL DEFAULT 0, final_deadline INTEGER NOT NULL DEFAULT 0, worker_status TEXT,
      outcome TEXT, initialize_tx TEXT, created_at INTEGER NOT NULL)`);
    db.prepare("INSERT INTO tasks (task_id, deal_id, task_index, state, created_at) VALUES (?, ?, 0, 'READY', 0)").run(
      TASK,
      TASK,
    );
    db.close();
    const migrated = openJournal({ path: old });
    assert.deepEqual(
      [migrated.task(TASK)?.replicated, migrated.task(TASK)?.replicasWanted],
      [false, 0],
      'an old task is a TEE task',
    );
    assert.equal(migrated.assignNext(W[0] as Address, Date.now() + 60_000)?.taskId, TASK);
    migrated.close();
  });
});

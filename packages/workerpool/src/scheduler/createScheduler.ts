import type { Logger } from 'pino';
import {
  type Account,
  type Address,
  type Chain,
  getAddress,
  type Hex,
  type PublicClient,
  type Transport,
  toHex,
  type WalletClient,
} from 'viem';
import {
  authorizationHash,
  computeTaskId,
  confideDomain,
  confideHubAbi,
  hashOrder,
  parseFailureReason,
  randomSalt,
  signOrder,
  TAG_TEE,
  TaskStatus,
  type WorkerpoolOrder,
} from '../../../protocol/src/index.js';
import type { Journal, JournalTask } from './openJournal.js';
import { replicasWanted } from './replicasWanted.js';

/** The contribution statuses of the hub, by value. */
const ContributionStatus = ['UNSET', 'CONTRIBUTED', 'PROVED', 'REJECTED'] as const;

/** The terms of the workerpool order the scheduler publishes. */
export type WorkerpoolOrderTerms = {
  price: bigint;
  volume: bigint;
  category: bigint;
  trust: bigint;
  tag: Hex;
};

/** Parameters of {@link createScheduler}. */
export type CreateSchedulerParameters = {
  publicClient: PublicClient<Transport, Chain>;
  /** The workerpool owner's wallet: it initializes, claims and authorizes. */
  wallet: WalletClient<Transport, Chain, Account>;
  hub: Address;
  workerpool: Address;
  journal: Journal;
  log: Logger;
  orderTerms?: Partial<WorkerpoolOrderTerms>;
  /** How long a worker holds a task without a heartbeat before it goes back to the queue. */
  leaseMs?: number;
  /** Blocks to wait before trusting an event (0 on an instant-mining devnet). */
  confirmations?: number;
  /** How many blocks one follow step reads at most. */
  maxBlockRange?: bigint;
};

/** A signed workerpool order with its hash. */
export type PublishedWorkerpoolOrder = { order: WorkerpoolOrder & { sign: Hex }; orderHash: Hex };

/**
 * The scheduler of one workerpool: follows its deals on chain, initializes their tasks, leases
 * them to workers, authorizes the workers' enclaves, and claims what can no longer finish.
 * State lives in the journal; `tick()` is idempotent and safe after a crash at any point,
 * because every on-chain step is checked on chain before it is sent again.
 */
export function createScheduler(p: CreateSchedulerParameters) {
  const { publicClient, wallet, hub, workerpool, journal, log } = p;
  const leaseMs = p.leaseMs ?? 60_000;
  const confirmations = BigInt(p.confirmations ?? 0);
  const maxRange = p.maxBlockRange ?? 5_000n;
  const owner = wallet.account.address;
  const read = {
    task: (taskId: Hex) =>
      publicClient.readContract({ address: hub, abi: confideHubAbi, functionName: 'viewTask', args: [taskId] }),
    deal: (dealId: Hex) =>
      publicClient.readContract({ address: hub, abi: confideHubAbi, functionName: 'viewDeal', args: [dealId] }),
  };
  const send = async (
    functionName: 'initializeArray' | 'claimArray' | 'finalize' | 'reopen',
    args: readonly unknown[],
  ) => {
    const hash = await wallet.writeContract({
      address: hub,
      abi: confideHubAbi,
      functionName,
      args: args as never,
    } as never);
    return hash;
  };

  /** Reads new SchedulerNotice events of this workerpool and records their deals and tasks. */
  async function follow(): Promise<void> {
    const head = (await publicClient.getBlockNumber()) - confirmations;
    const from = (journal.cursor() ?? -1n) + 1n;
    if (head < from) return;
    const to = head - from + 1n > maxRange ? from + maxRange - 1n : head;
    const notices = await publicClient.getContractEvents({
      address: hub,
      abi: confideHubAbi,
      eventName: 'SchedulerNotice',
      args: { workerpool },
      fromBlock: from,
      toBlock: to,
      strict: true,
    });
    const deals = [];
    for (const notice of notices) {
      const dealId = notice.args.dealId;
      const deal = await read.deal(dealId);
      const botFirst = Number(deal.botFirst);
      const botSize = Number(deal.botSize);
      const tasks = Array.from({ length: botSize }, (_, i) => ({
        index: botFirst + i,
        taskId: computeTaskId(dealId, BigInt(botFirst + i)),
      }));
      // Trust above 1 without the TEE bit: Proof of Contribution, several workers per task.
      const replicated = deal.trust > 1 && (BigInt(deal.tag) & BigInt(TAG_TEE)) === 0n;
      deals.push({ dealId, botFirst, botSize, tasks, replicated });
      log.info(
        { dealId, botFirst, botSize, block: Number(notice.blockNumber), trust: deal.trust, replicated },
        'deal received',
      );
    }
    journal.recordDeals(to, deals);
  }

  /** Initializes PENDING tasks, after checking on chain which ones already are. */
  async function initialize(): Promise<void> {
    const pending = journal.tasksIn('PENDING');
    const toInitialize: JournalTask[] = [];
    for (const task of pending) {
      const onChain = await read.task(task.taskId);
      if (TaskStatus[onChain.status] === 'UNSET') toInitialize.push(task);
      else {
        journal.markReady(task.taskId, Number(onChain.finalDeadline));
        log.info({ taskId: task.taskId, status: TaskStatus[onChain.status] }, 'task ready');
      }
    }
    if (toInitialize.length === 0) return;
    const batch = toInitialize.slice(0, 50);
    const tx = await send('initializeArray', [batch.map((t) => t.dealId), batch.map((t) => BigInt(t.taskIndex))]);
    journal.markInitializing(
      batch.map((t) => t.taskId),
      tx,
    );
    const receipt = await publicClient.waitForTransactionReceipt({ hash: tx });
    for (const task of batch) log.info({ taskId: task.taskId, tx, status: receipt.status }, 'task initialized');
    // The next round reads them ACTIVE on chain and marks them READY.
    if (receipt.status === 'success') await initialize();
  }

  /** Records tasks that ended on chain, and puts expired leases back in the queue. */
  async function settle(): Promise<void> {
    for (const task of journal.expireLeases(Date.now())) {
      log.warn({ taskId: task.taskId, worker: task.worker, attempts: task.attempts }, 'lease expired, task requeued');
    }
    const block = await publicClient.getBlock();
    const claimable: Hex[] = [];
    for (const task of journal.unfinished()) {
      if (task.state === 'PENDING') continue;
      const onChain = await read.task(task.taskId);
      const status = TaskStatus[onChain.status];
      if (status === 'COMPLETED') {
        if (journal.markDone(task.taskId, 'COMPLETED')) log.info({ taskId: task.taskId }, 'task completed');
      } else if (status === 'FAILED') {
        const reason = await failureReasonOf(task.taskId);
        if (journal.markDone(task.taskId, `FAILED:${reason}`)) log.info({ taskId: task.taskId, reason }, 'task failed');
      } else if ((status === 'ACTIVE' || status === 'REVEALING') && block.timestamp >= onChain.finalDeadline) {
        claimable.push(task.taskId);
      } else if (task.replicated && task.state === 'READY') {
        await advanceReplicated(task, onChain, block.timestamp);
      }
    }
    if (claimable.length > 0) {
      const tx = await send('claimArray', [claimable]);
      const receipt = await publicClient.waitForTransactionReceipt({ hash: tx });
      if (receipt.status === 'success') {
        for (const taskId of claimable) {
          journal.markDone(taskId, 'CLAIMED');
          log.warn({ taskId, tx }, 'task claimed after its final deadline: requester refunded');
        }
      }
    }
  }

  /**
   * One step of a replicated task, from what the chain says: while ACTIVE, records the commitments
   * and sets how many more workers it wants; once REVEALING, finalizes when every winner revealed
   * (or one did and the reveal deadline passed), or reopens when the deadline passed with none.
   */
  async function advanceReplicated(
    task: JournalTask,
    onChain: { status: number; dealId: Hex; contributionDeadline: bigint },
    now: bigint,
  ): Promise<void> {
    const { taskId } = task;
    const consensus = await publicClient.readContract({
      address: hub,
      abi: confideHubAbi,
      functionName: 'viewConsensus',
      args: [taskId],
    });
    const contributions = await Promise.all(
      consensus.contributors.map(async (worker) => ({
        worker,
        ...(await publicClient.readContract({
          address: hub,
          abi: confideHubAbi,
          functionName: 'viewContribution',
          args: [taskId, worker],
        })),
      })),
    );
    journal.markContributed(
      taskId,
      contributions.map((c) => getAddress(c.worker)),
    );
    const status = TaskStatus[onChain.status];
    if (status === 'ACTIVE') {
      const deal = await read.deal(onChain.dealId);
      const wanted =
        now >= onChain.contributionDeadline
          ? 0
          : replicasWanted(
              BigInt(deal.trust),
              contributions
                .filter((c) => ContributionStatus[c.status] === 'CONTRIBUTED')
                .map((c) => ({ resultHash: c.resultHash, weight: Number(c.weight) })),
              contributions.length,
            );
      if (wanted !== task.replicasWanted) {
        journal.setReplicasWanted(taskId, wanted);
        log.info({ taskId, wanted, contributions: contributions.length }, 'replicas wanted');
      }
      return;
    }
    if (status !== 'REVEALING') return;
    if (task.replicasWanted !== 0) journal.setReplicasWanted(taskId, 0);
    const reveals = Number(consensus.revealCounter);
    const pastReveal = now >= consensus.revealDeadline;
    if (reveals === 0 && pastReveal) {
      const tx = await send('reopen', [taskId]);
      const receipt = await publicClient.waitForTransactionReceipt({ hash: tx });
      log.warn({ taskId, tx, status: receipt.status }, 'no winner revealed in time: task reopened');
      return;
    }
    if (reveals === 0 || (reveals < Number(consensus.winnerCounter) && !pastReveal)) return;
    // Where the result is: as told by a worker whose reveal the hub accepted.
    const proved = new Set(
      contributions.filter((c) => ContributionStatus[c.status] === 'PROVED').map((c) => getAddress(c.worker)),
    );
    const location = journal.replicas(taskId).find((r) => proved.has(getAddress(r.worker)) && r.results)?.results;
    if (!location && !pastReveal) return; // The revealer's heartbeat with its location is on its way.
    const tx = await send('finalize', [taskId, toHex(location ?? ''), '0x']);
    const receipt = await publicClient.waitForTransactionReceipt({ hash: tx });
    log.info({ taskId, tx, status: receipt.status, reveals, location }, 'consensus revealed: task finalized');
  }

  async function failureReasonOf(taskId: Hex): Promise<string> {
    const [event] = await publicClient.getContractEvents({
      address: hub,
      abi: confideHubAbi,
      eventName: 'TaskFailed',
      args: { taskId },
      fromBlock: 0n,
      strict: true,
    });
    return event ? parseFailureReason(event.args.reason) : 'CLAIMED';
  }

  let published: PublishedWorkerpoolOrder | undefined;
  return {
    /** One round: follow the chain, initialize, settle. Serialize calls (never two at once). */
    async tick(): Promise<void> {
      await follow();
      await initialize();
      await settle();
    },
    /** The workerpool order this scheduler sells, signed once and kept in the journal. */
    async workerpoolOrder(): Promise<PublishedWorkerpoolOrder> {
      if (published) return published;
      const saved = journal.getMeta('workerpoolOrder');
      if (saved) {
        published = JSON.parse(saved, (_k, v) =>
          typeof v === 'string' && /^\d+n$/.test(v) ? BigInt(v.slice(0, -1)) : v,
        );
        return published as PublishedWorkerpoolOrder;
      }
      const terms = { price: 0n, volume: 1_000_000n, category: 0n, trust: 0n, tag: TAG_TEE, ...p.orderTerms };
      const order: WorkerpoolOrder = {
        workerpool,
        workerpoolprice: terms.price,
        volume: terms.volume,
        tag: terms.tag,
        category: terms.category,
        trust: terms.trust,
        apprestrict: '0x0000000000000000000000000000000000000000',
        datasetrestrict: '0x0000000000000000000000000000000000000000',
        requesterrestrict: '0x0000000000000000000000000000000000000000',
        salt: randomSalt(),
      };
      const chainId = await publicClient.getChainId();
      const signed = await signOrder({
        domain: confideDomain(chainId, hub),
        kind: 'WorkerpoolOrder',
        order,
        signer: wallet.account as never,
      });
      published = {
        order: signed,
        orderHash: hashOrder({ domain: confideDomain(chainId, hub), kind: 'WorkerpoolOrder', order }),
      };
      journal.setMeta(
        'workerpoolOrder',
        JSON.stringify(published, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)),
      );
      log.info(
        { orderHash: published.orderHash, price: String(terms.price), volume: String(terms.volume) },
        'workerpool order signed',
      );
      return published;
    },
    /** Leases the next READY task to `worker`. */
    assign(worker: Address): JournalTask | undefined {
      const task = journal.assignNext(getAddress(worker), Date.now() + leaseMs);
      if (task) {
        log.info(
          { taskId: task.taskId, worker: getAddress(worker), attempt: task.attempts, replicated: task.replicated },
          'task assigned',
        );
      }
      return task;
    },
    /**
     * Extends a lease (a replica's too); false when the task is no longer this worker's. A worker
     * that revealed a replicated result says where it stored it (`results`, `/ipfs/<cid>`).
     */
    heartbeat(taskId: Hex, worker: Address, status: string, results?: string): boolean {
      const ok = journal.renewLease(taskId, getAddress(worker), Date.now() + leaseMs, status, results);
      if (ok) log.info({ taskId, worker, status, ...(results ? { results } : {}) }, 'worker status');
      return ok;
    },
    /**
     * Signs the authorization of §1.9 for the enclave of the worker that holds the task, or, for a
     * replica of a replicated task, for the worker itself (enclave 0x0).
     */
    async authorize(taskId: Hex, worker: Address, enclave: Address): Promise<Hex | undefined> {
      const task = journal.task(taskId);
      const holds = task?.replicated
        ? BigInt(enclave) === 0n && journal.holdsReplica(taskId, getAddress(worker))
        : journal.setEnclave(taskId, getAddress(worker), getAddress(enclave));
      if (!holds) return undefined;
      const signature = await wallet.account.signMessage?.({
        message: { raw: authorizationHash(getAddress(worker), taskId, getAddress(enclave)) },
      });
      log.info({ taskId, worker, enclave }, 'enclave authorized');
      return signature;
    },
    owner,
    leaseMs,
  };
}

/** What {@link createScheduler} returns. */
export type Scheduler = ReturnType<typeof createScheduler>;

// Proof of Contribution as IReplicatedTasks specifies it, in plain bigints: the consensus rule, the
// reopen rule and the payout of a finalized task. The property test replays random contribution
// patterns through it and the contracts and compares them.
import type { Address, Hex } from 'viem';

/** Largest weight of one worker (MAX_WORKER_WEIGHT in ReplicatedTasks.sol). */
const MAX_WORKER_WEIGHT = 1024n;

/** w = min(max(score / 3, 3) − 1, 1024): 2 for a new worker. */
function weightOf(score: bigint): bigint {
  const w = (score / 3n > 3n ? score / 3n : 3n) - 1n;
  return w > MAX_WORKER_WEIGHT ? MAX_WORKER_WEIGHT : w;
}

/** floor(log2(w)) for w ≥ 1. */
function log2(w: bigint): bigint {
  let n = 0n;
  for (let v = w; v > 1n; v >>= 1n) n++;
  return n;
}

/** One contribution as the model keeps it. */
type ModelContribution = {
  worker: Address;
  resultHash: Hex;
  logWeight: bigint;
  status: 'contributed' | 'proved' | 'rejected';
};

/** The replicated state of one task. */
export class ConsensusModel {
  readonly contributions: ModelContribution[] = [];
  readonly groups = new Map<Hex, bigint>();
  /** Σ group weights; the rule adds the prior 1. */
  total = 0n;
  value: Hex | undefined;
  winners = 0;

  constructor(readonly trust: bigint) {}

  /** Adds a contribution; returns whether it reached the consensus. */
  contribute(worker: Address, resultHash: Hex, score: bigint): boolean {
    const weight = weightOf(score);
    this.contributions.push({ worker, resultHash, logWeight: log2(weight), status: 'contributed' });
    const group = this.groups.get(resultHash) ?? 0n;
    const grown = (group === 0n ? 1n : group) * weight;
    this.groups.set(resultHash, grown);
    this.total += grown - group;
    if (grown * this.trust > (this.total + 1n) * (this.trust - 1n)) {
      this.value = resultHash;
      this.winners = this.contributions.filter((c) => c.status === 'contributed' && c.resultHash === resultHash).length;
      return true;
    }
    return false;
  }

  /** Nobody revealed: the winners are rejected and their group forgotten. */
  reopen(): number {
    let rejected = 0;
    for (const c of this.contributions) {
      if (c.status === 'contributed' && c.resultHash === this.value) {
        c.status = 'rejected';
        rejected++;
      }
    }
    const value = this.value as Hex;
    this.total -= this.groups.get(value) ?? 0n;
    this.groups.set(value, 0n);
    this.value = undefined;
    this.winners = 0;
    return rejected;
  }

  /** Marks `worker`'s contribution revealed. */
  reveal(worker: Address) {
    const c = this.contributions.find((x) => x.worker === worker);
    if (!c) throw new Error(`${worker} did not contribute`);
    c.status = 'proved';
  }
}

/** Who gets what when a task is finalized: amounts and the new scores. */
type Settlement = {
  /** Reward of each prover (its stake is unlocked besides). */
  rewards: Map<Address, bigint>;
  /** Contributors whose stake is seized. */
  slashed: Address[];
  /** Share of the pool left to the scheduler (kitty bonus excluded). */
  schedulerShare: bigint;
  scores: Map<Address, bigint>;
};

/** The payout of a finalized task, as `_settleContributions` computes it. */
export function settle(
  consensus: ConsensusModel,
  p: { workerpoolPrice: bigint; stake: bigint; schedulerRewardRatio: bigint; scores: Map<Address, bigint> },
): Settlement {
  const all = consensus.contributions;
  let pool = p.workerpoolPrice;
  let totalLogWeight = 0n;
  for (const c of all) {
    if (c.status === 'proved') totalLogWeight += c.logWeight;
    else pool += p.stake;
  }
  const workersShare = (pool * (100n - p.schedulerRewardRatio)) / 100n;
  const scores = new Map(p.scores);
  const rewards = new Map<Address, bigint>();
  const slashed: Address[] = [];
  let schedulerShare = pool;
  for (const c of all) {
    const score = scores.get(c.worker) ?? 0n;
    if (c.status === 'proved') {
      const reward = (workersShare * c.logWeight) / totalLogWeight;
      schedulerShare -= reward;
      rewards.set(c.worker, reward);
      if (all.length > 1) scores.set(c.worker, score + 1n);
    } else {
      slashed.push(c.worker);
      scores.set(c.worker, (score * 2n) / 3n);
    }
  }
  return { rewards, slashed, schedulerShare, scores };
}

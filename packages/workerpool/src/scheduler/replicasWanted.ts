import type { Hex } from 'viem';

/** Most contributions a task takes (the hub's `MAX_CONTRIBUTORS`). */
export const MAX_CONTRIBUTORS = 16;

/** A commitment on chain, as `viewContribution` reads it (`weight` is floor(log2(w))). */
type Commitment = { resultHash: Hex; weight: number };

/** Whether a group of weight `group` wins among `total` (Σ groups) at `trust`: PoCo's consensus rule. */
function wins(group: bigint, total: bigint, trust: bigint): boolean {
  return group * trust > (total + 1n) * (trust - 1n);
}

/**
 * How many more commitments a replicated task needs before its consensus can be reached, if the
 * next workers all agree with the leading result and weigh as little as a fresh worker (2). The
 * scheduler keeps that many replicas leased; disagreement raises it, agreement lowers it, and a
 * task that can take no more contributions (16) wants none. 0 once the rule already holds.
 * @param trust the deal's trust (> 1)
 * @param committed the commitments still counted (CONTRIBUTED), each with its log2 weight
 * @param contributors every contribution made so far, rejected ones included (they use places)
 * @example replicasWanted(3n, [], 0) // 2: two fresh workers agreeing reach a trust-3 consensus
 */
export function replicasWanted(trust: bigint, committed: readonly Commitment[], contributors: number): number {
  const groups = new Map<Hex, bigint>();
  for (const c of committed) groups.set(c.resultHash, (groups.get(c.resultHash) ?? 1n) * 2n ** BigInt(c.weight));
  let total = [...groups.values()].reduce((a, b) => a + b, 0n);
  let leading = [...groups.values()].reduce((a, b) => (b > a ? b : a), 0n);
  const room = MAX_CONTRIBUTORS - contributors;
  let wanted = 0;
  while (!(leading > 0n && wins(leading, total, trust)) && wanted < room) {
    const grown = (leading === 0n ? 1n : leading) * 2n;
    total += grown - leading;
    leading = grown;
    wanted += 1;
  }
  return wins(leading, total, trust) ? wanted : room;
}

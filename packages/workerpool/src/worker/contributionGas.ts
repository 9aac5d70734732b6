// The gas limit of a replicated task's contribution. Workers contribute concurrently: one worker's
// estimate is made while it would be the first to commit, and a second worker's transaction may be
// mined before it and turn this one into the contribution that reaches the consensus, which costs
// more (the hub counts the winners over every contributor and writes the consensus). An exact
// estimate then runs out of gas and the worker loses its place. The limit leaves room for that path;
// unused gas is not charged.

/**
 * Extra gas over the estimate. The worst case: an estimate for a contribution that would not reach
 * the consensus (~167k gas), mined as the one that reaches it over the 16 contributors at most
 * (~320k); contracts/test/poc.test.ts measures both.
 */
const CONSENSUS_HEADROOM_PERCENT = 150n;

/** The gas limit to send a contribution with, from its estimate. */
export function contributionGas(estimate: bigint): bigint {
  return estimate + (estimate * CONSENSUS_HEADROOM_PERCENT) / 100n;
}

import assert from 'node:assert/strict';
import {
  type Address,
  encodeAbiParameters,
  type Hex,
  keccak256,
  type LocalAccount,
  toHex,
  zeroAddress,
  zeroHash,
} from 'viem';
import { mnemonicToAccount } from 'viem/accounts';
import {
  authorizationHash,
  ContributionStatus as ContributionStatusNames,
  resultHash,
  resultSeal,
} from '../../../packages/protocol/src/index.js';
import { depositFor, strict } from './fixtures.js';
import { activeTask, balances, type OrderOverrides, PRICES, TOKEN, type World } from './world.js';

/** The development mnemonic of the in-process chain (hardhat.config.cjs funds its first 12 accounts). */
const DEV_MNEMONIC = 'test test test test test test test test test test test junk';
/** The default workerpool policy stakes 30 % of the workerpool price per contribution. */
export const WORKER_STAKE = (PRICES.workerpool * 30n) / 100n;
/** Escrow deposit of each worker that is not an actor of the world. */
const WORKER_DEPOSIT = 1000n * TOKEN;
/** The in-process chain's time reference of category 0 (XS), in seconds. */
export const TIMEREF = 300n;

/** Order overrides for a replicated deal: no TEE bit anywhere, and `trust` on both sides. */
export function replicatedOverrides(trust: bigint, o: OrderOverrides = {}): OrderOverrides {
  return {
    ...o,
    app: { tag: zeroHash, ...o.app },
    dataset: o.dataset === null ? null : { tag: zeroHash, ...o.dataset },
    workerpool: { tag: zeroHash, trust, ...o.workerpool },
    request: { tag: zeroHash, trust, ...o.request },
  };
}

/** Matches a replicated deal of `trust` and initializes its task 0. */
export function replicatedTask(world: World, trust: bigint, o: OrderOverrides = {}) {
  return activeTask(world, replicatedOverrides(trust, o));
}

/**
 * Six funded dev accounts to act as workers: the world's `worker` and `other`, and accounts 8 to
 * 11, which receive an escrow deposit here. Call once per world.
 */
export async function pocWorkers(world: World): Promise<LocalAccount[]> {
  const extra = [8, 9, 10, 11].map((addressIndex) => mnemonicToAccount(DEV_MNEMONIC, { addressIndex }));
  for (const account of extra) await depositFor(world, account.address, WORKER_DEPOSIT);
  return [world.actors.worker, world.actors.other, ...extra];
}

/** A result digest named by `label`: equal labels are the same result. */
export function digestOf(label: string): Hex {
  return keccak256(toHex(`replicated result ${label}`));
}

/** Options of {@link contributeArgs}: any part of a contribution may be falsified. */
type ContributeOptions = {
  /** The digest committed to; its hash and this worker's seal are derived from it. */
  digest?: Hex;
  resultHash?: Hex;
  resultSeal?: Hex;
  enclave?: LocalAccount;
  /** Signs the enclave message instead of the enclave. */
  enclaveSigner?: LocalAccount;
  /** Signs the authorization instead of the workerpool owner. */
  authorizer?: LocalAccount;
};

/** Arguments of `contribute` for `worker` on `taskId`, honest unless told otherwise. */
export async function contributeArgs(world: World, taskId: Hex, worker: LocalAccount, o: ContributeOptions = {}) {
  const digest = o.digest ?? digestOf('honest');
  const hash = o.resultHash ?? resultHash(taskId, digest);
  const seal = o.resultSeal ?? resultSeal(worker.address, taskId, digest);
  const enclave: Address = o.enclave?.address ?? zeroAddress;
  const authorizer = o.authorizer ?? world.actors.scheduler;
  const authorizationSign = await authorizer.signMessage({
    message: { raw: authorizationHash(worker.address, taskId, enclave) },
  });
  const enclaveSigner = o.enclaveSigner ?? o.enclave;
  const enclaveSign = enclaveSigner
    ? await enclaveSigner.signMessage({ message: { raw: keccak256(`${hash}${seal.slice(2)}` as Hex) } })
    : '0x';
  return [taskId, hash, seal, enclave, enclaveSign, authorizationSign] as const;
}

/** Contributes as `worker` (honestly unless told otherwise) and waits for the receipt. */
export async function contribute(world: World, taskId: Hex, worker: LocalAccount, o: ContributeOptions = {}) {
  const args = await contributeArgs(world, taskId, worker, o);
  return world.mined(strict(world, worker).hub.write.contribute(args));
}

/** Reveals `digest` as `worker` and waits for the receipt. */
export function reveal(world: World, taskId: Hex, worker: LocalAccount, digest = digestOf('honest')) {
  return world.mined(strict(world, worker).hub.write.reveal([taskId, digest]));
}

/** What a scheduler posts as the result location. */
export const RESULTS = toHex('{"storage":"ipfs","location":"/ipfs/bafyreplicated"}');

/** Finalizes as the scheduler and waits for the receipt. */
export function finalize(world: World, taskId: Hex, callbackData: Hex = '0x') {
  return world.mined(strict(world, world.actors.scheduler).hub.write.finalize([taskId, RESULTS, callbackData]));
}

/** Moves the chain's clock to `deadline` (a past deadline is left as it is). */
export async function passDeadline(world: World, deadline: bigint) {
  const now = await world.chain.now();
  if (deadline > now) await world.chain.increaseTime(deadline - now);
}

/** The contract's `ContributionStatus` enum, as viem decodes it (indexes of the protocol's names). */
export const ContributionStatus = {
  Unset: ContributionStatusNames.indexOf('UNSET'),
  Contributed: ContributionStatusNames.indexOf('CONTRIBUTED'),
  Proved: ContributionStatusNames.indexOf('PROVED'),
  Rejected: ContributionStatusNames.indexOf('REJECTED'),
} as const;

/** Slot of `HubStorage.Layout.scores`: the namespace's location + 9 (its tenth field). */
const SCORES_SLOT = 0xc59a6cdc2d056fb0c7712e207b25eb03f10de9330c00013d8dbf62f80d611500n + 9n;

/** Writes a worker's score straight into the hub's storage, to test weights without a task history. */
export async function setScore(world: World, worker: Address, score: bigint) {
  const slot = keccak256(encodeAbiParameters([{ type: 'address' }, { type: 'uint256' }], [worker, SCORES_SLOT]));
  const request = world.chain.provider.request as (args: { method: string; params?: unknown[] }) => Promise<unknown>;
  await request({ method: 'hardhat_setStorageAt', params: [world.addresses.hub, slot, toHex(score, { size: 32 })] });
}

/** (free, frozen) change of one account. */
type Delta = readonly [bigint, bigint];

/** Reads (free, frozen) of `accounts`; `moved` then checks that each changed by its delta since. */
export async function ledger(world: World, accounts: readonly Address[]) {
  const before = await balances(world, accounts);
  return {
    moved: async (deltas: readonly Delta[], message?: string) => {
      const expected = before.map(([balance, frozen], i) => {
        const [db, df] = deltas[i] ?? [0n, 0n];
        return [(balance as bigint) + db, (frozen as bigint) + df];
      });
      assert.deepEqual(await balances(world, accounts), expected, message);
    },
  };
}

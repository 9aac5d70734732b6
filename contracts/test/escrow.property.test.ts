import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import { type Address, getAddress, type Hex, keccak256, type LocalAccount, maxUint256, toHex } from 'viem';
import {
  authorizationHash,
  computeDealId,
  computeTaskId,
  dataSharingClientAbi,
  failureMessageHash,
  failureReason,
  hashOrder,
} from '../../packages/protocol/src/index.js';
import { contractSender, hubSender, type Outcome } from './helpers/send.js';
import {
  createDataset,
  deployWorld,
  matchArgs,
  newEnclave,
  type OrderSet,
  PRICES,
  TOKEN,
  teeSignatures,
  type World,
} from './helpers/world.js';

/**
 * Runs of the property. 1,000 runs (the default, and CI's) took 32-39 s alone on a 2-core machine,
 * 65 s with three such suites sharing its cores; `npm run bench:props` sets 10,000.
 */
const RUNS = Number(process.env.CONFIDE_PROPERTY_RUNS ?? 1000);
/** Longest command sequence of one run. */
const MAX_COMMANDS = 12;

const KITTY: Address = '0x99c2268479b93fDe36232351229815DF80837e23';
const TASK_PRICE = PRICES.app + PRICES.dataset + PRICES.workerpool;
const STAKE = (PRICES.workerpool * 30n) / 100n;
/** The kitty bonus floor, KITTY_MIN in Tasks.sol. */
const KITTY_MIN = TOKEN;
/** Escrow balance of every actor at the start of each run: enough for one task, not for two. */
const START_BALANCE = 8n * TOKEN;
/** Tokens minted to, and approved by, every actor once: far more than any run deposits. */
const WALLET = 1_000_000n * TOKEN;
/** Timestamps this close to a deadline are ambiguous (the next block's time is not exact): step past them. */
const TIME_MARGIN = 60n;
const RESULTS = toHex('{"storage":"ipfs","location":"/ipfs/bafyresult"}');
const RESULT_DIGEST = keccak256(toHex('escrow property result'));
/** Sharing terms: a rental, a subscription and a sale, each paid from escrow to the data owner. */
const RENT = 2n * TOKEN;
const RENT_DURATION = 3600n;
const SUBSCRIPTION = 3n * TOKEN;
const SUBSCRIPTION_DURATION = 30n * 86400n;
const SALE = 5n * TOKEN;
/** What every actor lets the sharing contract spend at the start of each run: a few payments' worth. */
const START_ALLOWANCE = 6n * TOKEN;

/** Outcomes that 1,000 runs with seed 42 must reach, lest the property hold vacuously. */
const REQUIRED_COVERAGE = [
  'deposit: ok',
  'withdraw: ok',
  'withdraw: EscrowInsufficientBalance',
  'matchOrders: ok',
  'matchOrders: EscrowInsufficientBalance',
  'sponsorMatchOrders: ok',
  'sponsorMatchOrders: EscrowInsufficientBalance',
  'match refused for the scheduler stake',
  'contributeAndFinalize: ok',
  'contributeAndFinalize paid a kitty bonus',
  'contributeAndFinalize: TaskContributionDeadlinePassed',
  'contributeAndFinalize: TaskNotActive',
  'reportFailure: ok',
  'reportFailure: TaskNotActive',
  'claim: ok',
  'claim: TaskFinalDeadlineNotReached',
  'claim: TaskNotClaimable',
  'initializeAndClaimArray: ok',
  'initializeAndClaimArray: TaskFinalDeadlineNotReached',
  'approve: ok',
  'rentProtectedData: ok',
  'rentProtectedData: EscrowInsufficientAllowance',
  'rentProtectedData: EscrowInsufficientBalance',
  'subscribeToCollection: ok',
  'subscribeToCollection: EscrowInsufficientAllowance',
  'subscribeToCollection: EscrowInsufficientBalance',
  'buyProtectedData: ok',
  'buyProtectedData: EscrowInsufficientAllowance',
  'buyProtectedData: EscrowInsufficientBalance',
  'buyProtectedData: SharingNotForSale',
];

const ACTOR_NAMES = ['requester', 'sponsor', 'appOwner', 'datasetOwner', 'scheduler', 'worker', 'other'] as const;
type ActorName = (typeof ACTOR_NAMES)[number];

/**
 * Which deal a task command acts on: `pick` indexes the open deals modulo their count, or, when
 * `closed` is set and some deal is closed, the closed ones (a second payout must be refused).
 */
type Pick = { pick: number; closed: boolean };

/** One step of a run. */
type Command =
  | { type: 'deposit'; who: ActorName; amount: bigint }
  | { type: 'withdraw'; who: ActorName; amount: { percentOfBalance: number } | { aboveBalance: bigint } }
  | { type: 'match'; caller: ActorName; sponsored: boolean }
  | { type: 'initialize'; pick: number }
  | ({ type: 'finalize'; worker: 'worker' | 'other' } & Pick)
  | ({ type: 'fail'; worker: 'worker' | 'other' } & Pick)
  | ({ type: 'claim'; caller: ActorName; waitForDeadline: boolean } & Pick)
  | { type: 'approve'; who: ActorName; amount: bigint }
  | { type: 'rent' | 'subscribe' | 'buy'; who: ActorName };

const actorArb = fc.constantFrom(...ACTOR_NAMES);
const pickArb = { pick: fc.nat(MAX_COMMANDS), closed: fc.nat(3).map((n) => n === 0) };
const commandArb: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant('deposit' as const),
      who: actorArb,
      amount: fc.bigInt({ min: 1n, max: 20n * TOKEN }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant('withdraw' as const),
      who: actorArb,
      amount: fc.oneof(
        fc.record({ percentOfBalance: fc.integer({ min: 0, max: 100 }) }),
        fc.record({ aboveBalance: fc.bigInt({ min: 1n, max: 10n * TOKEN }) }),
      ),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ type: fc.constant('match' as const), caller: actorArb, sponsored: fc.boolean() }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ type: fc.constant('initialize' as const), pick: fc.nat(MAX_COMMANDS) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant('finalize' as const),
      worker: fc.constantFrom('worker' as const, 'other' as const),
      ...pickArb,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('fail' as const),
      worker: fc.constantFrom('worker' as const, 'other' as const),
      ...pickArb,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant('claim' as const),
      caller: actorArb,
      waitForDeadline: fc.boolean(),
      ...pickArb,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant('approve' as const),
      who: actorArb,
      amount: fc.oneof(fc.bigInt({ min: 0n, max: 10n * TOKEN }), fc.constant(maxUint256)),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      type: fc.constantFrom('rent' as const, 'subscribe' as const, 'buy' as const),
      who: actorArb,
    }),
  },
);

type Entry = { balance: bigint; frozen: bigint };
type Ledger = Map<Address, Entry>;
/** A deal of the model: one task, paid by `sponsor`; open until finalized or claimed. */
type ModelDeal = {
  dealId: Hex;
  taskId: Hex;
  sponsor: Address;
  initialized: boolean;
  status: 'open' | 'completed' | 'failed';
};
/** TaskStatus values of closed tasks, as the contract's enum. */
const TASK_STATUS = { completed: 3, failed: 4 } as const;

/** A revert the model predicts, named as the contract's custom error. */
class Revert extends Error {
  constructor(
    readonly errorName: string,
    readonly args: readonly unknown[] | undefined,
  ) {
    super(errorName);
  }
}

/** The escrow as the protocol specifies it, in plain bigints. Mutations throw {@link Revert} before changing anything they cannot finish. */
class Model {
  readonly ledger: Ledger;
  constructor(
    initial: Ledger,
    readonly wallets: Map<Address, bigint>,
    readonly deals: ModelDeal[] = [],
    /** What each account let the sharing contract move of its escrow. */
    readonly allowances = new Map<Address, bigint>(),
    /** Whether the data for sale was sold in this run. */
    public sold = false,
  ) {
    this.ledger = new Map([...initial].map(([a, e]) => [a, { ...e }]));
  }
  entry(account: Address): Entry {
    const entry = this.ledger.get(account);
    assert.ok(entry, `${account} is a tracked account`);
    return entry;
  }
  /** Runs `change` on a copy of the ledger and keeps the copy only if no revert was predicted. */
  atomically(change: (model: Model) => void): Revert | undefined {
    const copy = new Model(this.ledger, new Map(this.wallets), this.deals, new Map(this.allowances), this.sold);
    try {
      change(copy);
    } catch (error) {
      if (error instanceof Revert) return error;
      throw error;
    }
    for (const [account, entry] of copy.ledger) this.ledger.set(account, entry);
    for (const [account, tokens] of copy.wallets) this.wallets.set(account, tokens);
    for (const [account, allowed] of copy.allowances) this.allowances.set(account, allowed);
    this.sold = copy.sold;
    return undefined;
  }
  credit(account: Address, amount: bigint) {
    this.entry(account).balance += amount;
  }
  lock(account: Address, amount: bigint) {
    const e = this.entry(account);
    if (e.balance < amount) throw new Revert('EscrowInsufficientBalance', [account, e.balance, amount]);
    e.balance -= amount;
    e.frozen += amount;
  }
  unlock(account: Address, amount: bigint) {
    const e = this.entry(account);
    assert.ok(e.frozen >= amount, `model: ${account} has ${amount} frozen to unlock`);
    e.frozen -= amount;
    e.balance += amount;
  }
  /** `spender` moves `amount` of `from`'s free balance to `to`, within its allowance (hub.transferFrom). */
  transferFrom(spender: Address, from: Address, to: Address, amount: bigint) {
    const allowed = this.allowances.get(from) ?? 0n;
    if (allowed !== maxUint256) {
      if (allowed < amount) throw new Revert('EscrowInsufficientAllowance', [from, spender, allowed, amount]);
      this.allowances.set(from, allowed - amount);
    }
    const e = this.entry(from);
    if (e.balance < amount) throw new Revert('EscrowInsufficientBalance', [from, e.balance, amount]);
    e.balance -= amount;
    this.entry(to).balance += amount;
  }
  seize(account: Address, amount: bigint) {
    const e = this.entry(account);
    assert.ok(e.frozen >= amount, `model: ${account} has ${amount} frozen to seize`);
    e.frozen -= amount;
  }
}

/** Sends sharing-contract transactions; its client ABI decodes the hub's errors the payments bubble up. */
function sharingSender(world: World) {
  return contractSender(world.chain, world.addresses.dataSharing, dataSharingClientAbi);
}

describe('Escrow conservation (property)', () => {
  let world: World;
  let send: ReturnType<typeof hubSender>;
  let sendSharing: ReturnType<typeof sharingSender>;
  /** The rented data (its collection also offers subscriptions) and the data for sale. */
  let rented: Address;
  let forSale: Address;
  let rentedCollection: bigint;
  let actors: Record<ActorName, LocalAccount>;
  /**
   * Every account that can hold funds here: the seven actors and the kitty. The invariant sums
   * exactly these, so value reaching any other account breaks it.
   */
  let accounts: Address[];
  let initialLedger: Ledger;
  let initialWallets: Map<Address, bigint>;
  let schedulerRewardRatio: bigint;
  let enclave: LocalAccount;
  /** One signed order set per possible match of a run; runs are reverted, so every run reuses them. */
  let orderPool: { orders: OrderSet; dealId: Hex; taskId: Hex }[];

  before(async () => {
    world = await deployWorld({ deposit: false });
    send = hubSender(world.chain, world.addresses.hub);
    sendSharing = sharingSender(world);
    const { requester, sponsor, appOwner, datasetOwner, scheduler, worker, other, deployer } = world.actors;
    actors = { requester, sponsor, appOwner, datasetOwner, scheduler, worker, other };
    accounts = [...ACTOR_NAMES.map((n) => actors[n].address), KITTY];
    for (const name of ACTOR_NAMES) {
      const account = actors[name];
      await world.mined(world.as(deployer).token.write.mint([account.address, WALLET]));
      await world.mined(world.as(account).token.write.approve([world.addresses.hub, WALLET]));
      await world.mined(world.as(account).hub.write.deposit([START_BALANCE]));
      await world.mined(world.as(account).hub.write.approve([world.addresses.dataSharing, START_ALLOWANCE]));
    }
    initialLedger = new Map(accounts.map((a) => [a, { balance: a === KITTY ? 0n : START_BALANCE, frozen: 0n }]));
    initialWallets = new Map(ACTOR_NAMES.map((n) => [actors[n].address, WALLET - START_BALANCE]));
    await checkInvariant(new Model(initialLedger, new Map(initialWallets)), requester.address, 'setup');
    const terms = await world.as(deployer).workerpools.read.viewWorkerpoolTerms([world.workerpool]);
    assert.equal(getAddress(terms[0]), scheduler.address);
    schedulerRewardRatio = terms[2];
    // The data owner's collections: one rents its data and sells subscriptions, the other sells its data.
    const owner = world.as(datasetOwner).sharing;
    rented = await createDataset(world, datasetOwner, 'property-rented.csv');
    forSale = await createDataset(world, datasetOwner, 'property-sold.csv');
    await world.mined(world.as(datasetOwner).datasets.write.setApprovalForAll([world.addresses.dataSharing, true]));
    rentedCollection = 1n;
    await world.mined(owner.write.createCollection([datasetOwner.address]));
    await world.mined(owner.write.createCollection([datasetOwner.address]));
    await world.mined(owner.write.addToCollection([rentedCollection, rented]));
    await world.mined(owner.write.addToCollection([2n, forSale]));
    await world.mined(owner.write.setProtectedDataToRenting([rented, RENT, RENT_DURATION]));
    await world.mined(owner.write.setSubscriptionParams([rentedCollection, SUBSCRIPTION, SUBSCRIPTION_DURATION]));
    await world.mined(owner.write.setProtectedDataForSale([forSale, SALE]));
    enclave = newEnclave();
    orderPool = [];
    for (let i = 0; i < MAX_COMMANDS; i++) {
      const salt = (part: string) => keccak256(toHex(`escrow property ${part} ${i}`));
      const orders = await world.orders({
        app: { salt: salt('app') },
        dataset: { salt: salt('dataset') },
        workerpool: { salt: salt('workerpool') },
        request: { salt: salt('request') },
      });
      const requestHash = hashOrder({ domain: world.domain, kind: 'RequestOrder', order: orders.request });
      const dealId = computeDealId(requestHash, 0n);
      orderPool.push({ orders, dealId, taskId: computeTaskId(dealId, 0n) });
    }
  });

  /** How often each outcome happened, to show (and, from 1,000 runs on, check) what the runs reached. */
  const coverage = new Map<string, number>();
  function cover(label: string) {
    coverage.set(label, (coverage.get(label) ?? 0) + 1);
  }

  /** Asserts the chain's outcome is the model's prediction (success, or this exact revert). */
  function assertOutcome(outcome: Outcome, expected: Revert | undefined, what: string) {
    cover(`${what}: ${outcome.ok ? 'ok' : outcome.errorName}`);
    if (!expected) {
      assert.ok(outcome.ok, `${what} succeeds, got ${outcome.ok ? '' : `${outcome.errorName}(${outcome.args})`}`);
      return;
    }
    assert.ok(!outcome.ok, `${what} reverts with ${expected.errorName}, but it succeeded`);
    assert.equal(outcome.errorName, expected.errorName, what);
    if (expected.args) assert.deepEqual(outcome.args, expected.args, what);
  }

  /** The invariant, and the model's exact ledger, after every command. */
  async function checkInvariant(model: Model, wallet: Address | undefined, step: string) {
    const [held, supply, tokens, ...entries] = await Promise.all([
      world.as(world.actors.deployer).token.read.balanceOf([world.addresses.hub]),
      world.hub.read.totalSupply(),
      wallet ? world.as(world.actors.deployer).token.read.balanceOf([wallet]) : Promise.resolve(undefined),
      ...accounts.map((a) => world.hub.read.viewAccount([a])),
    ]);
    const sum = entries.reduce((total, [balance, frozen]) => total + balance + frozen, 0n);
    assert.equal(supply, held, `${step}: hub.totalSupply() equals the tokens the hub holds`);
    assert.equal(sum, supply, `${step}: balances and frozen parts of all accounts add up to totalSupply`);
    if (wallet) assert.equal(tokens, model.wallets.get(wallet), `${step}: ${wallet} holds the tokens it should`);

    const open = model.deals.filter((d) => d.status === 'open');
    entries.forEach(([balance, frozen], i) => {
      const account = accounts[i] as Address;
      const expected = model.entry(account);
      assert.ok(expected.balance >= 0n && expected.frozen >= 0n, `${step}: model never goes negative`);
      assert.deepEqual({ balance, frozen }, expected, `${step}: ledger of ${account}`);
      if (account === KITTY) return;
      const owed = BigInt(open.filter((d) => d.sponsor === account).length) * TASK_PRICE;
      const staked = account === actors.scheduler.address ? BigInt(open.length) * STAKE : 0n;
      assert.equal(frozen, owed + staked, `${step}: ${account} has frozen exactly what its open tasks owe`);
    });
  }

  /** Chain time, stepped past `deadline` when it is too close to it to say which side the next block falls. */
  async function settledNow(deadline: bigint): Promise<bigint> {
    const now = await world.chain.now();
    if (now + TIME_MARGIN < deadline || now >= deadline) return now;
    await world.chain.increaseTime(deadline - now);
    return world.chain.now();
  }

  /** Task 0 of `deal` made ACTIVE by the scheduler (anyone may initialize). */
  async function initialize(deal: ModelDeal) {
    assertOutcome(await send(actors.scheduler, 'initialize', [deal.dealId, 0n]), undefined, 'initialize');
    deal.initialized = true;
  }

  /** The deal a task command acts on (see {@link Pick}); undefined when there is none. */
  function pickDeal(model: Model, { pick, closed }: Pick): ModelDeal | undefined {
    const closedDeals = model.deals.filter((d) => d.status !== 'open');
    const pool = closed && closedDeals.length > 0 ? closedDeals : model.deals.filter((d) => d.status === 'open');
    return pool[pick % Math.max(pool.length, 1)];
  }

  async function deadlines(deal: ModelDeal) {
    const { startTime, timeref } = await world.hub.read.viewDeal([deal.dealId]);
    const start = BigInt(startTime);
    const ref = BigInt(timeref);
    return { contribution: start + 7n * ref, final: start + 10n * ref };
  }

  /** Runs one command against the chain and the model; returns the wallet it touched, if any. */
  async function execute(model: Model, command: Command, matches: { count: number }): Promise<Address | undefined> {
    switch (command.type) {
      case 'deposit': {
        const who = actors[command.who];
        const expected = model.atomically((m) => {
          m.credit(who.address, command.amount);
          m.wallets.set(who.address, (m.wallets.get(who.address) ?? 0n) - command.amount);
        });
        assertOutcome(await send(who, 'deposit', [command.amount]), expected, 'deposit');
        return who.address;
      }
      case 'withdraw': {
        const who = actors[command.who];
        const balance = model.entry(who.address).balance;
        const amount =
          'percentOfBalance' in command.amount
            ? (balance * BigInt(command.amount.percentOfBalance)) / 100n
            : balance + command.amount.aboveBalance;
        const expected = model.atomically((m) => {
          if (amount === 0n) throw new Revert('EscrowZeroAmount', []);
          const e = m.entry(who.address);
          if (e.balance < amount) throw new Revert('EscrowInsufficientBalance', [who.address, e.balance, amount]);
          e.balance -= amount;
          m.wallets.set(who.address, (m.wallets.get(who.address) ?? 0n) + amount);
        });
        assertOutcome(await send(who, 'withdraw', [amount]), expected, 'withdraw');
        return who.address;
      }
      case 'match': {
        const slot = orderPool[matches.count];
        assert.ok(slot, 'one pooled order set per match');
        const caller = actors[command.caller];
        const sponsor = command.sponsored ? caller.address : actors.requester.address;
        const expected = model.atomically((m) => {
          m.lock(sponsor, TASK_PRICE);
          m.lock(actors.scheduler.address, STAKE);
        });
        const outcome = await send(
          caller,
          command.sponsored ? 'sponsorMatchOrders' : 'matchOrders',
          matchArgs(slot.orders),
        );
        assertOutcome(outcome, expected, command.sponsored ? 'sponsorMatchOrders' : 'matchOrders');
        if (expected?.args?.[0] === actors.scheduler.address && sponsor !== actors.scheduler.address) {
          cover('match refused for the scheduler stake');
        }
        if (outcome.ok) {
          matches.count++;
          const deal = {
            dealId: slot.dealId,
            taskId: slot.taskId,
            sponsor,
            initialized: false,
            status: 'open' as const,
          };
          model.deals.push(deal);
        }
        return undefined;
      }
      case 'initialize': {
        const fresh = model.deals.filter((d) => !d.initialized);
        const deal = fresh[command.pick % Math.max(fresh.length, 1)];
        if (deal) await initialize(deal);
        return undefined;
      }
      case 'finalize': {
        const deal = pickDeal(model, command);
        if (!deal) return undefined;
        if (!deal.initialized) await initialize(deal);
        const worker = actors[command.worker];
        const [{ contribution }, sigs] = await Promise.all([
          deadlines(deal),
          teeSignatures({
            taskId: deal.taskId,
            worker: worker.address,
            enclave,
            scheduler: actors.scheduler,
            resultDigest: RESULT_DIGEST,
          }),
        ]);
        const now = await settledNow(contribution);
        const kittyBefore = model.entry(KITTY).frozen;
        const expected = model.atomically((m) => {
          if (deal.status !== 'open') throw new Revert('TaskNotActive', [deal.taskId, TASK_STATUS[deal.status]]);
          if (now >= contribution) throw new Revert('TaskContributionDeadlinePassed', undefined);
          m.seize(deal.sponsor, TASK_PRICE);
          m.credit(actors.appOwner.address, PRICES.app);
          m.credit(actors.datasetOwner.address, PRICES.dataset);
          const workerReward = (PRICES.workerpool * (100n - schedulerRewardRatio)) / 100n;
          m.credit(worker.address, workerReward);
          const kitty = m.entry(KITTY).frozen;
          let bonus = (kitty * 10n) / 100n;
          if (bonus < KITTY_MIN) bonus = KITTY_MIN;
          if (bonus > kitty) bonus = kitty;
          m.seize(KITTY, bonus);
          m.credit(actors.scheduler.address, PRICES.workerpool - workerReward + bonus);
          m.unlock(actors.scheduler.address, STAKE);
        });
        const outcome = await send(worker, 'contributeAndFinalize', [
          deal.taskId,
          RESULT_DIGEST,
          RESULTS,
          '0x',
          enclave.address,
          sigs.enclaveSign,
          sigs.authorizationSign,
        ]);
        assertOutcome(outcome, expected, 'contributeAndFinalize');
        if (outcome.ok && model.entry(KITTY).frozen < kittyBefore) cover('contributeAndFinalize paid a kitty bonus');
        if (outcome.ok) deal.status = 'completed';
        return undefined;
      }
      case 'fail': {
        const deal = pickDeal(model, command);
        if (!deal) return undefined;
        if (!deal.initialized) await initialize(deal);
        const worker = actors[command.worker];
        const reason = failureReason('APP_EXIT_NONZERO');
        const [{ contribution }, authorizationSign, enclaveSign] = await Promise.all([
          deadlines(deal),
          actors.scheduler.signMessage({
            message: { raw: authorizationHash(worker.address, deal.taskId, enclave.address) },
          }),
          enclave.signMessage({ message: { raw: failureMessageHash(worker.address, deal.taskId, reason) } }),
        ]);
        const now = await settledNow(contribution);
        const expected = model.atomically((m) => {
          if (deal.status !== 'open') throw new Revert('TaskNotActive', [deal.taskId, TASK_STATUS[deal.status]]);
          if (now >= contribution) throw new Revert('TaskContributionDeadlinePassed', undefined);
          m.unlock(deal.sponsor, TASK_PRICE);
          m.unlock(actors.scheduler.address, STAKE);
        });
        const outcome = await send(worker, 'reportFailure', [
          deal.taskId,
          reason,
          enclave.address,
          enclaveSign,
          authorizationSign,
        ]);
        assertOutcome(outcome, expected, 'reportFailure');
        if (outcome.ok) deal.status = 'failed';
        return undefined;
      }
      case 'approve': {
        const who = actors[command.who];
        const expected = model.atomically((m) => {
          m.allowances.set(who.address, command.amount);
        });
        const outcome = await send(who, 'approve', [world.addresses.dataSharing, command.amount]);
        assertOutcome(outcome, expected, 'approve');
        return undefined;
      }
      case 'rent':
      case 'subscribe':
      case 'buy': {
        const who = actors[command.who];
        const seller = actors.datasetOwner.address;
        const sharing = world.addresses.dataSharing;
        const expected = model.atomically((m) => {
          if (command.type === 'rent') m.transferFrom(sharing, who.address, seller, RENT);
          if (command.type === 'subscribe') m.transferFrom(sharing, who.address, seller, SUBSCRIPTION);
          if (command.type === 'buy') {
            if (m.sold) throw new Revert('SharingNotForSale', [forSale]);
            m.transferFrom(sharing, who.address, seller, SALE);
            m.sold = true;
          }
        });
        const outcome =
          command.type === 'rent'
            ? await sendSharing(who, 'rentProtectedData', [rented, RENT, RENT_DURATION])
            : command.type === 'subscribe'
              ? await sendSharing(who, 'subscribeToCollection', [rentedCollection, SUBSCRIPTION, SUBSCRIPTION_DURATION])
              : await sendSharing(who, 'buyProtectedData', [forSale, SALE]);
        const name = { rent: 'rentProtectedData', subscribe: 'subscribeToCollection', buy: 'buyProtectedData' };
        assertOutcome(outcome, expected, name[command.type]);
        if (outcome.ok && command.type === 'buy') {
          const owner = await world.as(who).datasets.read.ownerOfAsset([forSale]);
          assert.equal(owner, who.address, 'the buyer owns the data bought, in the same transaction as it paid');
        }
        return undefined;
      }
      case 'claim': {
        const deal = pickDeal(model, command);
        if (!deal) return undefined;
        const { final } = await deadlines(deal);
        let now = await settledNow(final);
        if (command.waitForDeadline && now < final) {
          await world.chain.increaseTime(final - now);
          now = await world.chain.now();
        }
        const expected = model.atomically((m) => {
          if (deal.status !== 'open') throw new Revert('TaskNotClaimable', [deal.taskId, TASK_STATUS[deal.status]]);
          if (now < final) throw new Revert('TaskFinalDeadlineNotReached', undefined);
          m.unlock(deal.sponsor, TASK_PRICE);
          m.seize(actors.scheduler.address, STAKE);
          m.credit(KITTY, STAKE);
          m.lock(KITTY, STAKE);
        });
        const caller = actors[command.caller];
        // A task never initialized is claimed through initializeAndClaimArray, an initialized one through claim.
        const outcome = deal.initialized
          ? await send(caller, 'claim', [deal.taskId])
          : await send(caller, 'initializeAndClaimArray', [[deal.dealId], [0n]]);
        assertOutcome(outcome, expected, deal.initialized ? 'claim' : 'initializeAndClaimArray');
        if (outcome.ok) {
          deal.initialized = true;
          deal.status = 'failed';
        }
        return undefined;
      }
    }
  }

  it('keeps token.balanceOf(hub) == totalSupply == Σ balance + frozen, and every frozen part owed, after every command (tasks, rentals, subscriptions, sales)', async (t) => {
    const started = performance.now();
    await fc.assert(
      fc.asyncProperty(fc.array(commandArb, { minLength: 1, maxLength: MAX_COMMANDS }), async (commands) => {
        const snapshot = await world.chain.snapshot();
        try {
          const allowances = new Map(ACTOR_NAMES.map((n) => [actors[n].address, START_ALLOWANCE]));
          const model = new Model(initialLedger, new Map(initialWallets), [], allowances);
          const matches = { count: 0 };
          for (const [i, command] of commands.entries()) {
            const wallet = await execute(model, command, matches);
            await checkInvariant(model, wallet, `command ${i} (${command.type})`);
          }
        } finally {
          await world.chain.revert(snapshot);
        }
      }),
      { seed: 42, numRuns: RUNS, includeErrorInReport: true },
    );
    const seconds = (performance.now() - started) / 1000;
    t.diagnostic(`${RUNS} runs in ${seconds.toFixed(1)} s`);
    for (const [label, count] of [...coverage].sort()) t.diagnostic(`${label} × ${count}`);
    if (RUNS >= 1000) {
      const missing = REQUIRED_COVERAGE.filter((label) => !coverage.has(label));
      assert.deepEqual(missing, [], 'the generated sequences reach every outcome the property is about');
    }
  });
});

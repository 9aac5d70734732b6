import assert from 'node:assert/strict';
import {
  type Account,
  type Address,
  BaseError,
  ContractFunctionRevertedError,
  getContract,
  type Hex,
  type LocalAccount,
  sha256,
  type TransactionReceipt,
  toHex,
  zeroAddress,
} from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import {
  type AppOrder,
  appRegistryAbi,
  authorizationHash,
  type ConfideAddresses,
  computeTaskId,
  confideDomain,
  confideHubAbi,
  confideTokenAbi,
  type DatasetOrder,
  dataProtectorAbi,
  dataSharingClientAbi,
  datasetRegistryAbi,
  deployConfide,
  enclaveMessageHash,
  NULL_DATASET_ORDER,
  type RequestOrder,
  randomSalt,
  type Signed,
  signOrder,
  TAG_TEE,
  type WorkerpoolOrder,
  workerpoolRegistryAbi,
} from '../../../packages/protocol/src/index.js';
import { createTestChain } from './chain.js';

/** One token in the smallest unit (9 decimals). */
export const TOKEN = 1_000_000_000n;
/** Default prices: the founding use case's 1 token per access, plus app and compute. */
export const PRICES = { app: 2n * TOKEN, dataset: 1n * TOKEN, workerpool: 3n * TOKEN } as const;
/** What each actor deposits into the escrow at the start. */
const INITIAL_DEPOSIT = 1000n * TOKEN;
/** A TEE fingerprint: the SHA-256 of some bundle. */
export const FINGERPRINT = sha256(toHex('climate-stats bundle v1'));

type Actors = {
  deployer: LocalAccount;
  appOwner: LocalAccount;
  datasetOwner: LocalAccount;
  scheduler: LocalAccount;
  worker: LocalAccount;
  requester: LocalAccount;
  other: LocalAccount;
  sponsor: LocalAccount;
};

/** The four orders of a deal, signed. */
export type OrderSet = {
  app: Signed<AppOrder>;
  dataset: Signed<DatasetOrder>;
  workerpool: Signed<WorkerpoolOrder>;
  request: Signed<RequestOrder>;
};

/** Field overrides for {@link World.orders}; `dataset: null` makes a deal without dataset. */
export type OrderOverrides = {
  app?: Partial<AppOrder>;
  dataset?: Partial<DatasetOrder> | null;
  workerpool?: Partial<WorkerpoolOrder>;
  request?: Partial<RequestOrder>;
  signers?: Partial<Record<keyof OrderSet, LocalAccount>>;
};

/** Deploys Confide on a fresh in-process chain; no assets, no deposits. */
async function deployBase(options: { token?: Address }) {
  const chain = createTestChain();
  const names = ['deployer', 'appOwner', 'datasetOwner', 'scheduler', 'worker', 'requester', 'other', 'sponsor'];
  const actors = Object.fromEntries(names.map((name, i) => [name, chain.accounts[i]])) as Actors;
  const { wallet, publicClient } = chain.clientsOf(actors.deployer);
  const addresses = await deployConfide({ wallet, publicClient, token: options.token });
  const domain = confideDomain(31337, addresses.hub);

  const as = (account: Account) => {
    const client = { public: publicClient, wallet: chain.clientsOf(account).wallet };
    return {
      hub: getContract({ address: addresses.hub, abi: confideHubAbi, client }),
      token: getContract({ address: addresses.token, abi: confideTokenAbi, client }),
      apps: getContract({ address: addresses.appRegistry, abi: appRegistryAbi, client }),
      datasets: getContract({ address: addresses.datasetRegistry, abi: datasetRegistryAbi, client }),
      workerpools: getContract({ address: addresses.workerpoolRegistry, abi: workerpoolRegistryAbi, client }),
      dataProtector: getContract({ address: addresses.dataProtector, abi: dataProtectorAbi, client }),
      sharing: getContract({ address: addresses.dataSharing, abi: dataSharingClientAbi, client }),
    };
  };
  const mined = async (hash: Promise<Hex> | Hex): Promise<TransactionReceipt> => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash: await hash });
    assert.equal(receipt.status, 'success', `transaction ${receipt.transactionHash} reverted`);
    return receipt;
  };
  return {
    chain,
    actors,
    addresses: addresses as ConfideAddresses,
    domain,
    publicClient,
    as,
    mined,
    hub: as(actors.deployer).hub,
    app: zeroAddress as Address,
    dataset: zeroAddress as Address,
    workerpool: zeroAddress as Address,
  };
}

type BaseWorld = Awaited<ReturnType<typeof deployBase>>;

/** A deployed protocol with funded actors and one app, dataset and workerpool. */
export type World = BaseWorld & { orders: (o?: OrderOverrides) => Promise<OrderSet> };

/**
 * Deploys Confide on a fresh in-process chain with one app, dataset and workerpool; unless a
 * foreign token is given, every actor but the deployer deposits {@link INITIAL_DEPOSIT}.
 */
export async function deployWorld(options: { token?: Address; deposit?: boolean } = {}): Promise<World> {
  const world = await deployBase(options);
  const { appOwner, datasetOwner, scheduler, worker, requester, other, sponsor } = world.actors;
  if (options.deposit !== false && !options.token) {
    for (const actor of [appOwner, datasetOwner, scheduler, worker, requester, other, sponsor]) {
      await fund(world, actor, INITIAL_DEPOSIT);
    }
  }
  world.app = await createApp(world, appOwner);
  world.dataset = await createDataset(world, datasetOwner);
  world.workerpool = await createWorkerpool(world, scheduler);
  return { ...world, orders: (o: OrderOverrides = {}) => makeOrders(world, o) };
}

/** Mints `amount` devnet tokens to `account` and deposits them into its escrow account. */
async function fund(world: BaseWorld, account: Account, amount: bigint): Promise<void> {
  const c = world.as(account);
  await world.mined(world.as(world.actors.deployer).token.write.mint([account.address, amount]));
  await world.mined(c.token.write.approve([world.addresses.hub, amount]));
  await world.mined(c.hub.write.deposit([amount]));
}

/** Registers a TEE app owned by `owner`; `name` varies the identifier. */
export async function createApp(world: BaseWorld, owner: Account, name = 'climate-stats'): Promise<Address> {
  const args = [owner.address, name, 'NODE', toHex('/ipfs/bafyapp'), sha256(toHex(name)), FINGERPRINT] as const;
  const address = await world.as(owner).apps.read.predictApp(args);
  await world.mined(world.as(owner).apps.write.createApp(args));
  return address;
}

/** Registers a dataset owned by `owner`; `name` varies the identifier. */
export async function createDataset(world: BaseWorld, owner: Account, name = 'air-quality.csv'): Promise<Address> {
  const args = [owner.address, name, toHex('/ipfs/bafydata'), sha256(toHex(name))] as const;
  const address = await world.as(owner).datasets.read.predictDataset(args);
  await world.mined(world.as(owner).datasets.write.createDataset(args));
  return address;
}

/** Registers a workerpool owned by `owner`. */
export async function createWorkerpool(world: BaseWorld, owner: Account, description = 'pool'): Promise<Address> {
  const address = await world.as(owner).workerpools.read.predictWorkerpool([owner.address, description]);
  await world.mined(world.as(owner).workerpools.write.createWorkerpool([owner.address, description]));
  return address;
}

/** Builds and signs the four orders of a default TEE deal, with overrides. */
async function makeOrders(world: BaseWorld, o: OrderOverrides = {}): Promise<OrderSet> {
  const { appOwner, datasetOwner, scheduler, requester } = world.actors;
  const signers = { app: appOwner, dataset: datasetOwner, workerpool: scheduler, request: requester, ...o.signers };
  const app: AppOrder = {
    app: world.app,
    appprice: PRICES.app,
    volume: 1n,
    tag: TAG_TEE,
    datasetrestrict: zeroAddress,
    workerpoolrestrict: zeroAddress,
    requesterrestrict: zeroAddress,
    salt: randomSalt(),
    ...o.app,
  };
  const dataset: DatasetOrder | null =
    o.dataset === null
      ? null
      : {
          dataset: world.dataset,
          datasetprice: PRICES.dataset,
          volume: 1n,
          tag: TAG_TEE,
          apprestrict: world.app,
          workerpoolrestrict: zeroAddress,
          requesterrestrict: zeroAddress,
          salt: randomSalt(),
          ...o.dataset,
        };
  const workerpool: WorkerpoolOrder = {
    workerpool: world.workerpool,
    workerpoolprice: PRICES.workerpool,
    volume: 1n,
    tag: TAG_TEE,
    category: 0n,
    trust: 0n,
    apprestrict: zeroAddress,
    datasetrestrict: zeroAddress,
    requesterrestrict: zeroAddress,
    salt: randomSalt(),
    ...o.workerpool,
  };
  const request: RequestOrder = {
    app: app.app,
    appmaxprice: app.appprice,
    dataset: dataset?.dataset ?? zeroAddress,
    datasetmaxprice: dataset?.datasetprice ?? 0n,
    workerpool: zeroAddress,
    workerpoolmaxprice: workerpool.workerpoolprice,
    requester: requester.address,
    volume: 1n,
    tag: TAG_TEE,
    category: 0n,
    trust: 0n,
    beneficiary: requester.address,
    callback: zeroAddress,
    params: '{"iexec_args":"--mean pm25"}',
    salt: randomSalt(),
    ...o.request,
  };
  const domain = world.domain;
  return {
    app: await signOrder({ signer: signers.app, domain, kind: 'AppOrder', order: app }),
    dataset: dataset
      ? await signOrder({ signer: signers.dataset, domain, kind: 'DatasetOrder', order: dataset })
      : NULL_DATASET_ORDER,
    workerpool: await signOrder({ signer: signers.workerpool, domain, kind: 'WorkerpoolOrder', order: workerpool }),
    request: await signOrder({ signer: signers.request, domain, kind: 'RequestOrder', order: request }),
  };
}

/** Argument tuple of matchOrders for an order set. */
export function matchArgs(o: OrderSet) {
  return [o.app, o.dataset, o.workerpool, o.request] as const;
}

/** Matches the orders as `caller` and returns the deal id read from the OrdersMatched event. */
export async function match(world: World, orders: OrderSet, caller: Account = world.actors.requester) {
  const hash = await world.as(caller).hub.write.matchOrders(matchArgs(orders));
  const receipt = await world.mined(hash);
  const events = await world.publicClient.getContractEvents({
    address: world.addresses.hub,
    abi: confideHubAbi,
    eventName: 'OrdersMatched',
    blockHash: receipt.blockHash,
  });
  const dealId = events[0]?.args.dealId;
  assert.ok(dealId, 'OrdersMatched carries the deal id');
  return { dealId, receipt };
}

/** A fresh enclave key, as the enclave runtime creates per task. */
export function newEnclave(): LocalAccount {
  return privateKeyToAccount(generatePrivateKey());
}

/** The signatures a worker presents to contributeAndFinalize. */
export async function teeSignatures(p: {
  taskId: Hex;
  worker: Address;
  enclave: LocalAccount;
  scheduler: LocalAccount;
  resultDigest: Hex;
}) {
  const authorizationSign = await p.scheduler.signMessage({
    message: { raw: authorizationHash(p.worker, p.taskId, p.enclave.address) },
  });
  const enclaveSign = await p.enclave.signMessage({
    message: { raw: enclaveMessageHash(p.worker, p.taskId, p.resultDigest) },
  });
  return { authorizationSign, enclaveSign };
}

/** Matches default orders and initializes task 0; returns ids. */
export async function activeTask(world: World, overrides: OrderOverrides = {}) {
  const orders = await world.orders(overrides);
  const { dealId } = await match(world, orders);
  await world.mined(world.as(world.actors.scheduler).hub.write.initialize([dealId, 0n]));
  return { orders, dealId, taskId: computeTaskId(dealId, 0n) };
}

/**
 * Awaits `promise` and checks that it reverted with the custom error `name` and, when given,
 * exactly these arguments.
 */
export async function expectRevert(promise: Promise<unknown>, name: string, args?: readonly unknown[]) {
  let error: unknown;
  try {
    await promise;
  } catch (caught) {
    error = caught;
  }
  assert.ok(error, `expected a revert with ${name}, but the call succeeded`);
  const reverted =
    error instanceof BaseError ? error.walk((e) => e instanceof ContractFunctionRevertedError) : undefined;
  assert.ok(reverted instanceof ContractFunctionRevertedError, `expected ${name}, got: ${String(error)}`);
  assert.equal(reverted.data?.errorName, name, `expected ${name}, got ${reverted.shortMessage}`);
  if (args) assert.deepEqual(reverted.data?.args, args);
}

/** Balances (free, frozen) of several accounts. */
export async function balances(world: World, accounts: readonly Address[]) {
  return Promise.all(
    accounts.map(async (a) => [await world.hub.read.balanceOf([a]), await world.hub.read.frozenOf([a])]),
  );
}

import assert from 'node:assert/strict';
import {
  type Abi,
  type Account,
  type Address,
  BaseError,
  type ContractEventName,
  ContractFunctionRevertedError,
  createPublicClient,
  createWalletClient,
  custom,
  decodeErrorResult,
  getAddress,
  getContract,
  type Hex,
  keccak256,
  type LocalAccount,
  parseEventLogs,
  type TransactionReceipt,
  toHex,
  zeroAddress,
} from 'viem';
import {
  appRegistryAbi,
  authorizationHash,
  confideHubAbi,
  confideTokenAbi,
  dataSharingClientAbi,
  datasetRegistryAbi,
  enclaveMessageHash,
  randomSalt,
  workerpoolRegistryAbi,
} from '../../../packages/protocol/src/index.js';
import { balances, newEnclave, type World } from './world.js';

/** The contract's `OrderKind` enum, as viem decodes it. */
export const Kind = { App: 0, Dataset: 1, Workerpool: 2, Request: 3 } as const;
/** The contract's `TaskStatus` enum, as viem decodes it. */
export const Status = { Unset: 0, Active: 1, Revealing: 2, Completed: 3, Failed: 4 } as const;
/** Where seized scheduler stakes go. */
export const KITTY: Address = '0x99c2268479b93fDe36232351229815DF80837e23';
/** A result location, as workers post it. */
const RESULTS = toHex('{"storage":"ipfs","location":"/ipfs/bafyresult"}');
/** An address that is neither an account in use nor a registered asset. */
export const STRANGER: Address = '0x000000000000000000000000000000000000dEaD';
/** Largest value a deal stores for a price. */
export const MAX_UINT96 = 2n ** 96n - 1n;

/**
 * The protocol's contracts bound to `account`, like `world.as`, but over a transport that does
 * not retry: viem files a revert (JSON-RPC code 3) as an unknown error and retries it three
 * times, which costs a second per expected revert.
 */
export function strict(world: World, account: Account = world.actors.deployer) {
  const transport = custom(world.chain.provider, { retryCount: 0 });
  const chain = world.publicClient.chain;
  const client = {
    public: createPublicClient({ chain, transport, pollingInterval: 5 }),
    wallet: createWalletClient({ chain, transport, account, pollingInterval: 5 }),
  };
  const { addresses } = world;
  return {
    client,
    hub: getContract({ address: addresses.hub, abi: confideHubAbi, client }),
    token: getContract({ address: addresses.token, abi: confideTokenAbi, client }),
    apps: getContract({ address: addresses.appRegistry, abi: appRegistryAbi, client }),
    datasets: getContract({ address: addresses.datasetRegistry, abi: datasetRegistryAbi, client }),
    workerpools: getContract({ address: addresses.workerpoolRegistry, abi: workerpoolRegistryAbi, client }),
    sharing: getContract({ address: addresses.dataSharing, abi: dataSharingClientAbi, client }),
  };
}

/** The two funded dev accounts {@link World.actors} does not use. */
export function spareAccounts(world: World): [LocalAccount, LocalAccount] {
  const [a, b] = [world.chain.accounts[8], world.chain.accounts[9]];
  assert.ok(a && b, 'the test chain has ten accounts');
  return [a as LocalAccount, b as LocalAccount];
}

/** Deploys a (test) contract as the deployer and returns it bound to the deployer's wallet. */
export async function deploy<const TAbi extends Abi>(world: World, abi: TAbi, bytecode: Hex, args: unknown[] = []) {
  const { client } = strict(world);
  const parameters = { abi, bytecode, args } as unknown as Parameters<typeof client.wallet.deployContract>[0];
  const receipt = await world.mined(client.wallet.deployContract(parameters));
  assert.ok(receipt.contractAddress, 'deployment created a contract');
  return getContract({ address: getAddress(receipt.contractAddress), abi, client });
}

/** Mints devnet tokens to the deployer and deposits them into `target`'s escrow account. */
export async function depositFor(world: World, target: Address, amount: bigint): Promise<void> {
  const deployer = world.as(world.actors.deployer);
  await world.mined(deployer.token.write.mint([world.actors.deployer.address, amount]));
  await world.mined(deployer.token.write.approve([world.addresses.hub, amount]));
  await world.mined(deployer.hub.write.depositFor([amount, target]));
}

/** Hub events of one name in a receipt. */
export function hubEvents<const N extends ContractEventName<typeof confideHubAbi>>(
  receipt: TransactionReceipt,
  eventName: N,
) {
  return parseEventLogs({ abi: confideHubAbi, logs: receipt.logs, eventName });
}

/** A task id no deal produced. */
export function newTaskId(): Hex {
  return keccak256(randomSalt());
}

/** Runs `fn` and checks that the free and frozen balances of `accounts` did not move. */
export async function expectUnchanged(world: World, accounts: readonly Address[], fn: () => Promise<unknown>) {
  const before = await balances(world, accounts);
  await fn();
  assert.deepEqual(await balances(world, accounts), before, 'balances are unchanged');
}

/** The decoded custom error a promise rejected with, for checks `expectRevert` cannot express. */
export async function revertOf(promise: Promise<unknown>): Promise<{ name: string; args: readonly unknown[] }> {
  let error: unknown;
  try {
    await promise;
  } catch (caught) {
    error = caught;
  }
  assert.ok(error, 'expected a revert, but the call succeeded');
  const reverted =
    error instanceof BaseError ? error.walk((e) => e instanceof ContractFunctionRevertedError) : undefined;
  assert.ok(reverted instanceof ContractFunctionRevertedError, `expected a custom error, got: ${String(error)}`);
  assert.ok(reverted.data, `revert without decodable data: ${reverted.shortMessage}`);
  return { name: reverted.data.errorName, args: reverted.data.args ?? [] };
}

/** Decodes revert data returned by a low-level call (e.g. a test double's recorded result). */
export function decodeHubError(data: Hex) {
  return decodeErrorResult({ abi: confideHubAbi, data });
}

/** Makes the next block (and pending-block calls) use timestamp `ts`. */
export async function setNextTimestamp(world: World, ts: bigint): Promise<void> {
  const request = world.chain.provider.request as (args: { method: string; params?: unknown[] }) => Promise<unknown>;
  await request({ method: 'evm_setNextBlockTimestamp', params: [Number(ts)] });
}

/** Runs `fn` on a snapshot of the chain and restores it afterwards, whatever happened. */
export async function onSnapshot<T>(world: World, fn: () => Promise<T>): Promise<T> {
  const id = await world.chain.snapshot();
  try {
    return await fn();
  } finally {
    const request = world.chain.provider.request as (args: { method: string }) => Promise<unknown>;
    await request({ method: 'evm_mine' });
    await world.chain.revert(id);
  }
}

/** Options of {@link contribution}: every part of a contributeAndFinalize call may be falsified. */
type ContributionOptions = {
  worker?: LocalAccount;
  /** The enclave key; `null` names no enclave (the zero address). */
  enclave?: LocalAccount | null;
  /** Signs the result instead of the enclave. */
  enclaveSigner?: LocalAccount;
  callbackData?: Hex;
  resultDigest?: Hex;
  /** Signs the authorization instead of the workerpool owner. */
  authorizer?: LocalAccount;
  /** The worker and task the authorization names, when not the submitting worker and this task. */
  authorizedWorker?: Address;
  authorizedTask?: Hex;
  authorizationSign?: Hex;
};

/** Builds the arguments of `contributeAndFinalize` for `taskId`, honest unless told otherwise. */
export async function contribution(world: World, taskId: Hex, o: ContributionOptions = {}) {
  const worker = o.worker ?? world.actors.worker;
  const enclave = o.enclave === undefined ? newEnclave() : o.enclave;
  const enclaveAddress = enclave?.address ?? zeroAddress;
  const callbackData = o.callbackData ?? '0x';
  const resultDigest = o.resultDigest ?? keccak256(callbackData === '0x' ? toHex(`result of ${taskId}`) : callbackData);
  const authorizer = o.authorizer ?? world.actors.scheduler;
  const authorizationSign =
    o.authorizationSign ??
    (await authorizer.signMessage({
      message: {
        raw: authorizationHash(o.authorizedWorker ?? worker.address, o.authorizedTask ?? taskId, enclaveAddress),
      },
    }));
  const enclaveSigner = o.enclaveSigner ?? enclave;
  const enclaveSign = enclaveSigner
    ? await enclaveSigner.signMessage({ message: { raw: enclaveMessageHash(worker.address, taskId, resultDigest) } })
    : '0x';
  const args = [taskId, resultDigest, RESULTS, callbackData, enclaveAddress, enclaveSign, authorizationSign] as const;
  return {
    args,
    worker,
    enclave,
    resultDigest,
    authorizationSign,
    /** Submits as the worker; `gas` skips estimation so the transaction runs with exactly that limit. */
    send: (options: { gas?: bigint } = {}) => strict(world, worker).hub.write.contributeAndFinalize(args, options),
  };
}

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Hex, keccak256, type LocalAccount, toHex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import {
  authorizationHash,
  computeTaskId,
  failureMessageHash,
  failureReason,
} from '../../../packages/protocol/src/index.js';
import { depositFor } from './fixtures.js';
import { contributeArgs, digestOf, finalize, replicatedOverrides, reveal } from './poc.js';
import { createApp, createDataset, deployWorld, match, TOKEN, teeSignatures, type World } from './world.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** The committed snapshot, checked by gas.test.ts and rewritten by `npm run gas:snapshot`. */
export const SNAPSHOT_FILE = path.join(root, 'contracts/gas-snapshot.json');

/** Gas of each measured call and the deployed size of each contract. */
export type GasSnapshot = { gas: Record<string, number>; bytecodeSize: Record<string, number> };

const fixedSalt = (label: string): Hex => keccak256(toHex(label));
/** A fixed enclave key, so the calldata (and so the gas) is the same on every run. */
const ENCLAVE = privateKeyToAccount(keccak256(toHex('confide gas snapshot enclave')));

async function gasOf(world: World, hash: Promise<Hex>): Promise<number> {
  return Number((await world.mined(hash)).gasUsed);
}

async function teeTask(world: World, label: string, withDataset: boolean) {
  const orders = await world.orders({
    app: { salt: fixedSalt(`${label} app`) },
    dataset: withDataset ? { salt: fixedSalt(`${label} dataset`) } : null,
    workerpool: { salt: fixedSalt(`${label} workerpool`) },
    request: { salt: fixedSalt(`${label} request`) },
  });
  const { dealId, receipt } = await match(world, orders);
  const { scheduler, worker } = world.actors;
  const initialize = await gasOf(world, world.as(scheduler).hub.write.initialize([dealId, 0n]));
  const taskId = computeTaskId(dealId, 0n);
  const resultDigest = keccak256(toHex(`${label} result`));
  const sigs = await teeSignatures({ taskId, worker: worker.address, enclave: ENCLAVE, scheduler, resultDigest });
  const results = toHex(
    '{"storage":"ipfs","location":"/ipfs/bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy"}',
  );
  const finalize = await gasOf(
    world,
    world
      .as(worker)
      .hub.write.contributeAndFinalize([
        taskId,
        resultDigest,
        results,
        '0x',
        ENCLAVE.address,
        sigs.enclaveSign,
        sigs.authorizationSign,
      ]),
  );
  return { match: Number(receipt.gasUsed), initialize, finalize };
}

/** Measures the snapshot on a fresh in-process chain with a fixed sequence of calls. */
export async function measureGas(): Promise<GasSnapshot> {
  const world = await deployWorld();
  const { appOwner, requester, scheduler, other } = world.actors;
  const gas: Record<string, number> = {};

  const appArgs = [appOwner.address, 'gas-app', 'NODE', toHex('/ipfs/bafyapp'), keccak256('0x01'), keccak256('0x02')];
  gas.createApp = await gasOf(world, world.as(appOwner).apps.write.createApp(appArgs as never));
  gas.createDataset = await gasOf(
    world,
    world
      .as(appOwner)
      .datasets.write.createDataset([appOwner.address, 'gas-data', toHex('/ipfs/x'), keccak256('0x03')]),
  );
  gas.createWorkerpool = await gasOf(
    world,
    world.as(scheduler).workerpools.write.createWorkerpool([scheduler.address, 'gas-pool']),
  );
  await createApp(world, other, 'unused');
  await world.mined(world.as(requester).token.write.faucet([requester.address, 10n]));
  await world.mined(world.as(requester).token.write.approve([world.addresses.hub, 10n]));
  gas.deposit = await gasOf(world, world.as(requester).hub.write.deposit([1n]));

  const withDataset = await teeTask(world, 'first', true);
  gas.matchOrders = withDataset.match;
  gas.initialize = withDataset.initialize;
  gas.contributeAndFinalize = withDataset.finalize;
  gas.teeTaskTotal = withDataset.match + withDataset.initialize + withDataset.finalize;
  const noDataset = await teeTask(world, 'no dataset', false);
  gas.matchOrdersNoDataset = noDataset.match;
  gas.teeTaskTotalNoDataset = noDataset.match + noDataset.initialize + noDataset.finalize;

  gas.claim = await teeTaskForClaim(world);
  gas.reportFailure = await failedTask(world);
  gas.withdraw = await gasOf(world, world.as(requester).hub.write.withdraw([1n]));

  // Replicated tasks: fresh workers weigh 2, so trust 3 is reached by two agreeing contributions and
  // trust 5 by three (2^k > trust − 1).
  const third = privateKeyToAccount(keccak256(toHex('confide gas snapshot third worker')));
  await depositFor(world, third.address, 100n * TOKEN);
  const request = world.chain.provider.request as (args: { method: string; params?: unknown[] }) => Promise<unknown>;
  await request({ method: 'hardhat_setBalance', params: [third.address, toHex(10n ** 18n)] });
  const [pair, trio] = [
    [world.actors.worker, world.actors.other],
    [world.actors.worker, world.actors.other, third],
  ];
  const twoWorkers = await replicatedGas(world, 'replicated pair', 3n, pair);
  gas.replicatedTaskTotal2Workers = twoWorkers.total;
  const threeWorkers = await replicatedGas(world, 'replicated trio', 5n, trio);
  gas.contribute = threeWorkers.contribute[0] as number;
  gas.contributeReachingConsensus = threeWorkers.contribute[2] as number;
  gas.reveal = threeWorkers.reveal[0] as number;
  gas.finalizeReplicated = threeWorkers.finalize;
  gas.replicatedTaskTotal3Workers = threeWorkers.total;
  Object.assign(gas, await sharingGas(world));

  const bytecodeSize: Record<string, number> = {};
  for (const name of [
    'ConfideHub',
    'ConfideTaskModule',
    'ConfideReplicatedModule',
    'AppRegistry',
    'DatasetRegistry',
    'WorkerpoolRegistry',
    'ConfideToken',
    'DataSharing',
  ]) {
    const artifact = JSON.parse(fs.readFileSync(path.join(root, `contracts/build/${name}.json`), 'utf8'));
    bytecodeSize[name] = artifact.deployedSize;
  }
  return { gas, bytecodeSize };
}

/** The sharing path: a rental paid from escrow, then a consumption (dataset order built and matched by the contract). */
async function sharingGas(world: World) {
  const { datasetOwner, requester } = world.actors;
  const owner = world.as(datasetOwner).sharing;
  const dataset = await createDataset(world, datasetOwner, 'gas-shared.csv');
  await world.mined(world.as(datasetOwner).datasets.write.setApprovalForAll([world.addresses.dataSharing, true]));
  await world.mined(owner.write.createCollection([datasetOwner.address]));
  const addToCollection = await gasOf(world, owner.write.addToCollection([1n, dataset]));
  await world.mined(owner.write.setProtectedDataToRenting([dataset, TOKEN, 3600n]));
  await world.mined(world.as(requester).hub.write.approve([world.addresses.dataSharing, TOKEN]));
  const rentProtectedData = await gasOf(
    world,
    world.as(requester).sharing.write.rentProtectedData([dataset, TOKEN, 3600n]),
  );
  const orders = await world.orders({
    app: { salt: fixedSalt('sharing app') },
    workerpool: { salt: fixedSalt('sharing workerpool') },
    request: { salt: fixedSalt('sharing request'), dataset, datasetmaxprice: 0n },
  });
  const consumeProtectedData = await gasOf(
    world,
    world.as(requester).sharing.write.consumeProtectedData([dataset, orders.app, orders.workerpool, orders.request]),
  );
  return { addToCollection, rentProtectedData, consumeProtectedData };
}

async function failedTask(world: World): Promise<number> {
  const orders = await world.orders({
    app: { salt: fixedSalt('failure app') },
    dataset: { salt: fixedSalt('failure dataset') },
    workerpool: { salt: fixedSalt('failure workerpool') },
    request: { salt: fixedSalt('failure request') },
  });
  const { dealId } = await match(world, orders);
  const { scheduler, worker } = world.actors;
  await world.mined(world.as(scheduler).hub.write.initialize([dealId, 0n]));
  const taskId = computeTaskId(dealId, 0n);
  const reason = failureReason('APP_EXIT_NONZERO');
  const authorizationSign = await scheduler.signMessage({
    message: { raw: authorizationHash(worker.address, taskId, ENCLAVE.address) },
  });
  const enclaveSign = await ENCLAVE.signMessage({
    message: { raw: failureMessageHash(worker.address, taskId, reason) },
  });
  return gasOf(
    world,
    world.as(worker).hub.write.reportFailure([taskId, reason, ENCLAVE.address, enclaveSign, authorizationSign]),
  );
}

async function teeTaskForClaim(world: World): Promise<number> {
  const orders = await world.orders({
    app: { salt: fixedSalt('claim app') },
    dataset: { salt: fixedSalt('claim dataset') },
    workerpool: { salt: fixedSalt('claim workerpool') },
    request: { salt: fixedSalt('claim request') },
  });
  const { dealId } = await match(world, orders);
  await world.mined(world.as(world.actors.scheduler).hub.write.initialize([dealId, 0n]));
  const taskId = computeTaskId(dealId, 0n);
  const task = await world.hub.read.viewTask([taskId]);
  await world.chain.increaseTime(task.finalDeadline - (await world.chain.now()));
  return gasOf(world, world.as(world.actors.other).hub.write.claim([taskId]));
}

/** A replicated task where every worker contributes and reveals the same result, then finalize. */
async function replicatedGas(world: World, label: string, trust: bigint, workers: LocalAccount[]) {
  const orders = await world.orders(
    replicatedOverrides(trust, {
      app: { salt: fixedSalt(`${label} app`) },
      dataset: { salt: fixedSalt(`${label} dataset`) },
      workerpool: { salt: fixedSalt(`${label} workerpool`) },
      request: { salt: fixedSalt(`${label} request`) },
    }),
  );
  const { dealId, receipt } = await match(world, orders);
  const initialize = await gasOf(world, world.as(world.actors.scheduler).hub.write.initialize([dealId, 0n]));
  const taskId = computeTaskId(dealId, 0n);
  const digest = digestOf(label);
  const contribute: number[] = [];
  for (const worker of workers) {
    const args = await contributeArgs(world, taskId, worker, { digest });
    contribute.push(await gasOf(world, world.as(worker).hub.write.contribute(args)));
  }
  const revealed: number[] = [];
  for (const worker of workers) revealed.push(Number((await reveal(world, taskId, worker, digest)).gasUsed));
  const finalized = Number((await finalize(world, taskId)).gasUsed);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const total = Number(receipt.gasUsed) + initialize + sum(contribute) + sum(revealed) + finalized;
  return { contribute, reveal: revealed, finalize: finalized, total };
}

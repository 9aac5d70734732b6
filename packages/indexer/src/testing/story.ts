import type { Account, Address, Hex, LocalAccount } from 'viem';
import { keccak256, sha256, toHex } from 'viem';
import {
  activeTask,
  createApp,
  match,
  newEnclave,
  teeSignatures,
  type World,
} from '../../../../contracts/test/helpers/world.js';
import {
  authorizationHash,
  computeTaskId,
  type FailureReason,
  failureMessageHash,
  failureReason,
  OrderOperation,
} from '../../../protocol/src/index.js';

// Real transactions on the in-process chain (Hardhat's EDR), shared by the indexer's tests.

/** Creates a protected data through the DataProtector; returns its address. */
export async function protect(world: World, owner: Account, name: string, schema: unknown): Promise<Address> {
  const json = typeof schema === 'string' ? schema : JSON.stringify(schema);
  const multiaddr = toHex(`/ipfs/bafy${name}`);
  const checksum = sha256(toHex(`ciphertext of ${name}`));
  const as = world.as(owner);
  const address = await as.datasets.read.predictDataset([owner.address, name, multiaddr, checksum]);
  await world.mined(as.dataProtector.write.createDatasetWithSchema([owner.address, name, json, multiaddr, checksum]));
  return address;
}

/** Transfers a dataset (ERC-721, tokenId = uint160(address)) from its owner to `to`. */
export async function transferDataset(world: World, asset: Address, from: Account, to: Address): Promise<void> {
  await world.mined(world.as(from).datasets.write.transferFrom([from.address, to, BigInt(asset)]));
}

/** Finalizes an ACTIVE task as the TEE worker would, with the result at `location`. */
export async function completeTask(world: World, taskId: Hex, location: string): Promise<void> {
  const { scheduler, worker } = world.actors;
  const enclave = newEnclave();
  const resultDigest = keccak256(toHex(location));
  const sigs = await teeSignatures({ taskId, worker: worker.address, enclave, scheduler, resultDigest });
  await world.mined(
    world
      .as(worker)
      .hub.write.contributeAndFinalize([
        taskId,
        resultDigest,
        toHex(location),
        '0x',
        enclave.address,
        sigs.enclaveSign,
        sigs.authorizationSign,
      ]),
  );
}

/** Reports an ACTIVE task FAILED as its enclave would. */
export async function failTask(world: World, taskId: Hex, code: FailureReason): Promise<void> {
  const { scheduler, worker } = world.actors;
  const enclave: LocalAccount = newEnclave();
  const reason = failureReason(code);
  const authorizationSign = await scheduler.signMessage({
    message: { raw: authorizationHash(worker.address, taskId, enclave.address) },
  });
  const enclaveSign = await enclave.signMessage({
    message: { raw: failureMessageHash(worker.address, taskId, reason) },
  });
  await world.mined(
    world.as(worker).hub.write.reportFailure([taskId, reason, enclave.address, enclaveSign, authorizationSign]),
  );
}

/** Moves past the task's final deadline and claims it. */
async function claimTask(world: World, taskId: Hex): Promise<void> {
  const task = await world.hub.read.viewTask([taskId]);
  await world.chain.increaseTime(task.finalDeadline - (await world.chain.now()) + 1n);
  await world.mined(world.as(world.actors.other).hub.write.claim([taskId]));
}

/** Schemas of the story's protected data. */
export const SCHEMAS = {
  air: { csv: 'application/octet-stream', meta: { station: 'string', year: 'f64' } },
  alice: { email: 'string', picture: 'image/png' },
  bob: { email: 'string', picture: 'image/jpeg', vip: 'bool' },
} as const;

/** What {@link tellStory} created. */
export type Story = Awaited<ReturnType<typeof tellStory>>;

/**
 * The indexer's test story, all real transactions: four protected data of three owners (one with
 * a schema that is not JSON), 100 s apart; one transferred; a second app; four deals — one task
 * COMPLETED, one FAILED by its enclave, one claimed after its deadline, and a two-task deal on a
 * protected data with one task ACTIVE and one never initialized; an order closed and one presigned.
 */
export async function tellStory(world: World) {
  const { datasetOwner, other, requester, sponsor, appOwner } = world.actors;
  const air = await protect(world, datasetOwner, 'air-quality', SCHEMAS.air);
  await world.chain.increaseTime(100);
  const alice = await protect(world, other, 'alice-contact', SCHEMAS.alice);
  await world.chain.increaseTime(100);
  const bob = await protect(world, requester, 'bob-contact', SCHEMAS.bob);
  await world.chain.increaseTime(100);
  const broken = await protect(world, other, 'broken', 'not json');
  await transferDataset(world, alice, other, sponsor.address);
  const hello = await createApp(world, other, 'hello');

  const done = await activeTask(world, { request: { params: '{"iexec_args":"--mean pm25"}' } });
  await completeTask(world, done.taskId, '/ipfs/bafyresult');
  const failed = await activeTask(world);
  await failTask(world, failed.taskId, 'APP_EXIT_NONZERO');
  const claimed = await activeTask(world);
  await claimTask(world, claimed.taskId);
  const twoTasks = await world.orders({
    app: { volume: 2n },
    dataset: { dataset: air, volume: 2n },
    workerpool: { volume: 2n },
    request: { volume: 2n },
  });
  const { dealId: onAir } = await match(world, twoTasks);
  await world.mined(world.as(world.actors.scheduler).hub.write.initialize([onAir, 0n]));

  const unused = await world.orders();
  await world.mined(
    world
      .as(datasetOwner)
      .hub.write.manageDatasetOrder([{ order: unused.dataset, operation: OrderOperation.Close, sign: '0x' }]),
  );
  await world.mined(
    world
      .as(appOwner)
      .hub.write.manageAppOrder([{ order: { ...unused.app, sign: '0x' }, operation: OrderOperation.Sign, sign: '0x' }]),
  );
  return {
    protectedData: { air, alice, bob, broken },
    apps: { climate: world.app, hello },
    deals: { done: done.dealId, failed: failed.dealId, claimed: claimed.dealId, onAir },
    tasks: {
      done: done.taskId,
      failed: failed.taskId,
      claimed: claimed.taskId,
      onAirActive: computeTaskId(onAir, 0n),
      onAirUnset: computeTaskId(onAir, 1n),
    },
  };
}

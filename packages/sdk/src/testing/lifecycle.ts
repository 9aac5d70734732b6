// Moves deals and tasks through their life on chain as a workerpool would: initialize, finalize
// with an enclave's signature, or report a failure.
import { type Hex, keccak256, toHex } from 'viem';
import { newEnclave, teeSignatures } from '../../../../contracts/test/helpers/world.js';
import { authorizationHash, failureMessageHash, failureReason } from '../../../protocol/src/index.js';
import { orderSet } from './orderSet.js';
import type { SdkFixture } from './sdkFixture.js';

/** Matches a default TEE deal of `volume` tasks through the SDK; returns its id and task ids. */
export async function matchedDeal(f: SdkFixture, volume = 1n) {
  const orders = await orderSet(f, {
    app: { volume },
    dataset: { volume },
    workerpool: { volume },
    request: { volume },
  });
  const requester = f.clientOf(f.world.actors.requester);
  const { dealId } = await requester.matchOrders({ ...orders, skipPreflightCheck: true });
  const { tasks } = await requester.showDeal({ dealId });
  return { dealId, tasks, orders };
}

/** The scheduler initializes task `idx` of the deal. */
export async function initializeTask(f: SdkFixture, dealId: Hex, idx: bigint) {
  await f.world.mined(f.world.as(f.world.actors.scheduler).hub.write.initialize([dealId, idx]));
}

/** The worker finalizes the task with `results` (e.g. `/ipfs/<cid>`), signed by a fresh enclave. */
export async function completeTask(f: SdkFixture, taskId: Hex, results: string) {
  const { worker, scheduler } = f.world.actors;
  const enclave = newEnclave();
  const resultDigest = keccak256(toHex(results));
  const sigs = await teeSignatures({ taskId, worker: worker.address, enclave, scheduler, resultDigest });
  await f.world.mined(
    f.world
      .as(worker)
      .hub.write.contributeAndFinalize([
        taskId,
        resultDigest,
        toHex(results),
        '0x',
        enclave.address,
        sigs.enclaveSign,
        sigs.authorizationSign,
      ]),
  );
  return resultDigest;
}

/** The worker reports that the app failed, signed by a fresh enclave. */
export async function failTask(f: SdkFixture, taskId: Hex) {
  const { worker, scheduler } = f.world.actors;
  const enclave = newEnclave();
  const reason = failureReason('APP_EXIT_NONZERO');
  const authorizationSign = await scheduler.signMessage({
    message: { raw: authorizationHash(worker.address, taskId, enclave.address) },
  });
  const enclaveSign = await enclave.signMessage({
    message: { raw: failureMessageHash(worker.address, taskId, reason) },
  });
  await f.world.mined(
    f.world.as(worker).hub.write.reportFailure([taskId, reason, enclave.address, enclaveSign, authorizationSign]),
  );
}

/** Moves the chain's clock past the deal's final deadline. */
export async function passFinalDeadline(f: SdkFixture, dealId: Hex) {
  const { finalDeadline } = await f.clientOf().showDeal({ dealId });
  await f.world.chain.increaseTime(finalDeadline - (await f.world.chain.now()) + 1n);
}

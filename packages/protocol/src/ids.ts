import { type Address, encodePacked, type Hex, keccak256 } from 'viem';

/**
 * dealId = keccak256(requestOrderHash ‖ request volume consumed before the match), as PoCo.
 * @example computeDealId(requestHash, 0n)
 */
export function computeDealId(requestHash: Hex, consumedBefore: bigint): Hex {
  return keccak256(encodePacked(['bytes32', 'uint256'], [requestHash, consumedBefore]));
}

/**
 * taskId = keccak256(dealId ‖ idx); idx runs from the deal's botFirst.
 * @example computeTaskId(dealId, 0n)
 */
export function computeTaskId(dealId: Hex, idx: bigint): Hex {
  return keccak256(encodePacked(['bytes32', 'uint256'], [dealId, idx]));
}

/** What the workerpool owner signs (EIP-191) to authorise `worker` and `enclave` for a task. */
export function authorizationHash(worker: Address, taskId: Hex, enclave: Address): Hex {
  return keccak256(encodePacked(['address', 'bytes32', 'address'], [worker, taskId, enclave]));
}

/** resultHash = keccak256(taskId ‖ resultDigest). */
export function resultHash(taskId: Hex, resultDigest: Hex): Hex {
  return keccak256(encodePacked(['bytes32', 'bytes32'], [taskId, resultDigest]));
}

/** resultSeal = keccak256(worker ‖ taskId ‖ resultDigest). */
export function resultSeal(worker: Address, taskId: Hex, resultDigest: Hex): Hex {
  return keccak256(encodePacked(['address', 'bytes32', 'bytes32'], [worker, taskId, resultDigest]));
}

/** What the enclave signs (EIP-191) for a result: keccak256(resultHash ‖ resultSeal). */
export function enclaveMessageHash(worker: Address, taskId: Hex, resultDigest: Hex): Hex {
  return keccak256(
    encodePacked(['bytes32', 'bytes32'], [resultHash(taskId, resultDigest), resultSeal(worker, taskId, resultDigest)]),
  );
}

/** Task statuses, indexed as the contract's `TaskStatus` enum. */
export const TaskStatus = ['UNSET', 'ACTIVE', 'REVEALING', 'COMPLETED', 'FAILED'] as const;

import { type Address, encodePacked, type Hex, hexToString, keccak256, stringToHex } from 'viem';

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

/**
 * Statuses of a worker's contribution to a replicated task, indexed as the contract's
 * `ContributionStatus` enum (`viewContribution(taskId, worker).status`).
 * @example ContributionStatus[contribution.status] // 'PROVED'
 */
export const ContributionStatus = ['UNSET', 'CONTRIBUTED', 'PROVED', 'REJECTED'] as const;

/** Domain tag of failure reports: keccak256("CONFIDE_TASK_FAILURE_V1"). */
export const FAILURE_TAG: Hex = keccak256(stringToHex('CONFIDE_TASK_FAILURE_V1'));

/**
 * What the enclave signs (EIP-191) to report that a task failed:
 * keccak256(FAILURE_TAG ‖ worker ‖ taskId ‖ reason).
 * @example failureMessageHash(worker, taskId, failureReason('APP_EXIT_NONZERO'))
 */
export function failureMessageHash(worker: Address, taskId: Hex, reason: Hex): Hex {
  return keccak256(encodePacked(['bytes32', 'address', 'bytes32', 'bytes32'], [FAILURE_TAG, worker, taskId, reason]));
}

/** Why a task failed, as reported on chain by its enclave. Codes, never data or secrets. */
export const FailureReasons = [
  'APP_EXIT_NONZERO',
  'APP_TIMEOUT',
  'APP_MEMORY_LIMIT',
  'APP_PROCESS_LIMIT',
  'COMPUTED_JSON_INVALID',
  'DATASET_CHECKSUM_MISMATCH',
  'DATASET_DECRYPT_FAILED',
  'INPUT_DOWNLOAD_FAILED',
  'SECRETS_REFUSED',
  'RESULT_UPLOAD_FAILED',
  'RESULT_RECIPIENT_MISSING',
  'RESULT_TOO_LARGE',
] as const;

/** One of {@link FailureReasons}. */
export type FailureReason = (typeof FailureReasons)[number];

/**
 * The bytes32 on-chain form of a failure reason (UTF-8, right-padded with zeros).
 * @example failureReason('APP_TIMEOUT')
 */
export function failureReason(reason: FailureReason): Hex {
  return stringToHex(reason, { size: 32 });
}

/** Reads a failure reason back from its bytes32 form; unknown codes are returned as they are. */
export function parseFailureReason(reason: Hex): string {
  return hexToString(reason, { size: 32 }).replace(/\0+$/, '');
}

// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {IDeals} from "./IDeals.sol";
import {TaskStatus} from "../libs/Types.sol";

/// @title ITasks
/// @notice Task lifecycle. Deadlines are anchored on the deal's start and the category's time
/// reference T: contributions until start + 7·T, claim possible from start + 10·T.
/// The TEE path finalizes in one call signed by the enclave and authorised by the scheduler; deals
/// with trust > 1 and no TEE bit go through IReplicatedTasks (contribute, reveal, finalize).
interface ITasks is IDeals {
    /// @notice Everything about a task in one call, deadlines included.
    struct TaskInfo {
        TaskStatus status;
        bytes32 dealId;
        uint256 idx;
        uint256 timeref;
        uint256 contributionDeadline;
        uint256 finalDeadline;
        bytes32 resultDigest;
        uint256 resultsTimestamp;
        bytes resultsCallback;
    }

    /// @notice Task `idx` of `dealId` became ACTIVE.
    event TaskInitialized(bytes32 indexed taskId, address indexed workerpool, bytes32 dealId, uint256 idx);
    /// @notice The task completed; `results` says where the result is (it is not stored: read it here).
    /// `worker` is the caller: the worker on the TEE path, the scheduler on the replicated path.
    event TaskFinalized(bytes32 indexed taskId, address indexed worker, bytes32 resultDigest, bytes results);
    /// @notice The task failed past its deadline; the sponsor was refunded, the scheduler's stake seized.
    event TaskClaimed(bytes32 indexed taskId);
    /// @notice The enclave reported that the app failed for `reason`; the sponsor was refunded at once
    /// and the scheduler's stake released.
    event TaskFailed(bytes32 indexed taskId, address indexed worker, bytes32 reason);

    /// @notice The index is outside the deal's [botFirst, botFirst + botSize).
    error TaskIndexOutOfRange(bytes32 dealId, uint256 idx, uint256 botFirst, uint256 botSize);
    /// @notice The task was initialized before.
    error TaskAlreadyInitialized(bytes32 taskId);
    /// @notice The operation needs an ACTIVE task.
    error TaskNotActive(bytes32 taskId, TaskStatus status);
    /// @notice The task cannot be claimed in this status.
    error TaskNotClaimable(bytes32 taskId, TaskStatus status);
    /// @notice The task has no result yet.
    error TaskNotCompleted(bytes32 taskId, TaskStatus status);
    /// @notice The contribution deadline is past.
    error TaskContributionDeadlinePassed(bytes32 taskId, uint256 deadline, uint256 timestamp);
    /// @notice The final deadline is not reached yet.
    error TaskFinalDeadlineNotReached(bytes32 taskId, uint256 deadline, uint256 timestamp);
    /// @notice The one-call path needs a deal whose trust is 1.
    error TaskTrustNotOne(bytes32 taskId, uint256 trust);
    /// @notice The deal's tag requires a TEE and no enclave was named.
    error TaskEnclaveRequired(bytes32 taskId);
    /// @notice The authorization is not signed by the workerpool owner.
    error TaskAuthorizationInvalid(bytes32 taskId, address signer, address scheduler);
    /// @notice The result is not signed by the authorised enclave.
    error TaskEnclaveSignatureInvalid(bytes32 taskId, address signer, address enclave);
    /// @notice The callback data does not hash to the result digest.
    error TaskCallbackDataMismatch(bytes32 taskId, bytes32 resultDigest, bytes32 callbackHash);
    /// @notice A task function was called on the module itself instead of through the hub.
    error TaskModuleCalledDirectly();
    /// @notice Too little gas left to give the callback its due.
    error TaskCallbackGasInsufficient(uint256 available, uint256 required);
    /// @notice A failure report needs a reason code.
    error TaskFailureReasonMissing(bytes32 taskId);
    /// @notice Two arrays that must pair up have different lengths.
    error TaskArrayLengthMismatch(uint256 first, uint256 second);

    /// @notice Makes task `idx` of `dealId` ACTIVE. Anyone may call it; schedulers do.
    /// @return taskId keccak256(dealId ‖ idx)
    function initialize(bytes32 dealId, uint256 idx) external returns (bytes32 taskId);

    /// @notice `initialize` for several tasks.
    function initializeArray(bytes32[] calldata dealIds, uint256[] calldata idxs) external returns (bool);

    /// @notice The TEE fast path: contributes and finalizes in one call, pays everyone, then calls
    /// the deal's callback. The caller is the worker.
    /// @param taskId an ACTIVE task of a deal with trust 1, before its contribution deadline
    /// @param resultDigest the digest of the result (keccak256(resultsCallback) when there is a callback)
    /// @param results where the result is (e.g. JSON `{storage, location}`); emitted in `TaskFinalized`
    /// @param resultsCallback data for the callback contract, or empty; returned by `resultFor`
    /// @param enclaveChallenge the enclave's address (zero for a non-TEE deal)
    /// @param enclaveSign EIP-191 signature by the enclave over keccak256(resultHash ‖ resultSeal)
    /// @param authorizationSign EIP-191 signature by the workerpool owner over keccak256(worker ‖ taskId ‖ enclave)
    function contributeAndFinalize(
        bytes32 taskId,
        bytes32 resultDigest,
        bytes calldata results,
        bytes calldata resultsCallback,
        address enclaveChallenge,
        bytes calldata enclaveSign,
        bytes calldata authorizationSign
    ) external;

    /// @notice Ends a TEE task whose app failed (non-zero exit, time or memory limit, invalid
    /// computed.json, bad input checksum…): FAILED at once, the sponsor refunded, the scheduler's stake
    /// released. Same rules as `contributeAndFinalize`: ACTIVE, trust 1, before the contribution
    /// deadline, authorised by the workerpool owner, signed by that enclave. The caller is the worker.
    /// @param reason a non-zero code such as "APP_EXIT_NONZERO" (bytes32), never free text or data
    /// @param enclaveSign EIP-191 signature by the enclave over keccak256(FAILURE_TAG ‖ worker ‖ taskId ‖ reason),
    /// FAILURE_TAG = keccak256("CONFIDE_TASK_FAILURE_V1")
    function reportFailure(
        bytes32 taskId,
        bytes32 reason,
        address enclaveChallenge,
        bytes calldata enclaveSign,
        bytes calldata authorizationSign
    ) external;

    /// @notice Fails a task past its final deadline: refunds the sponsor, seizes the scheduler's stake,
    /// returns the stakes of a replicated task's contributors (scores untouched).
    function claim(bytes32 taskId) external;

    /// @notice `claim` for several tasks.
    function claimArray(bytes32[] calldata taskIds) external returns (bool);

    /// @notice Initializes and claims tasks that were never started, past their final deadline.
    function initializeAndClaimArray(bytes32[] calldata dealIds, uint256[] calldata idxs) external returns (bool);

    /// @notice A task with its deadlines; an unknown task reads as UNSET with zero fields.
    function viewTask(bytes32 taskId) external view returns (TaskInfo memory);

    /// @notice EIP-1154 pull: the callback data of a COMPLETED task (as PoCo); reverts with
    /// `TaskNotCompleted` otherwise. The off-chain result location is in `TaskFinalized`.
    function resultFor(bytes32 taskId) external view returns (bytes memory);
}

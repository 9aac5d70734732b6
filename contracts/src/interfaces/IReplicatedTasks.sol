// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {ContributionStatus, TaskStatus} from "../libs/Types.sol";

/// @title IReplicatedTasks
/// @notice Proof of Contribution for deals with trust > 1 and no TEE bit: several workers commit to
/// a result (contribute), the trust-weighted consensus picks one, its contributors reveal it, the
/// scheduler finalizes. Agreeing workers share the reward by weight and gain score; the others lose
/// their stake and a third of their score.
///
/// Consensus rule (PoCo's): a worker of score s weighs w = min(max(s / 3, 3) - 1, 1024); a result
/// group's weight is the product of its contributors' weights; total = 1 + Σ group weights. The
/// consensus is reached on group g as soon as g · trust > total · (trust - 1): the odds that another
/// result is right fall below 1 / trust. Fresh workers (w = 2) need ceil(log2(trust)) agreeing
/// contributions and no disagreement. Reveals close 2·T after the consensus (T: the category's time
/// reference); the final deadline (deal start + 10·T) bounds everything.
///
/// Errors shared with the TEE path (`TaskNotActive`, `TaskContributionDeadlinePassed`,
/// `TaskAuthorizationInvalid`, `TaskEnclaveSignatureInvalid`, `TaskCallbackDataMismatch`,
/// `TaskModuleCalledDirectly`, `TaskCallbackGasInsufficient`) and the `TaskFinalized` event are
/// declared in ITasks.
interface IReplicatedTasks {
    /// @notice The replicated state of a task.
    struct ConsensusInfo {
        bytes32 consensusValue;
        uint256 revealDeadline;
        uint256 revealCounter;
        uint256 winnerCounter;
        /// @dev 1 + Σ group weights, as the consensus rule reads it (0 for an unknown task).
        uint256 total;
        address[] contributors;
    }

    /// @notice One worker's contribution.
    struct ContributionInfo {
        ContributionStatus status;
        bytes32 resultHash;
        bytes32 resultSeal;
        address enclaveChallenge;
        /// @dev floor(log2(weight)) at contribution time: the worker's share of the reward.
        uint256 weight;
    }

    /// @notice `worker` committed to `resultHash` and locked its stake.
    event TaskContributed(bytes32 indexed taskId, address indexed worker, bytes32 resultHash);
    /// @notice `consensusValue` won: its `winnerCounter` contributors may reveal until `revealDeadline`.
    event TaskConsensusReached(
        bytes32 indexed taskId, bytes32 consensusValue, uint256 winnerCounter, uint256 revealDeadline
    );
    /// @notice `worker` revealed the digest behind its commitment.
    event TaskRevealed(bytes32 indexed taskId, address indexed worker, bytes32 resultDigest);
    /// @notice Nobody revealed in time: the `rejected` winners were rejected and the task is ACTIVE again.
    event TaskReopened(bytes32 indexed taskId, uint256 rejected);
    /// @notice A winner got its stake back and `reward`; its score is now `score`.
    event ContributionRewarded(bytes32 indexed taskId, address indexed worker, uint256 reward, uint256 score);
    /// @notice A contributor that disagreed or did not reveal lost `stake`; its score is now `score`.
    event ContributionSlashed(bytes32 indexed taskId, address indexed worker, uint256 stake, uint256 score);

    /// @notice The replicated path needs a deal with trust > 1 and no TEE bit in its tag.
    error TaskNotReplicated(bytes32 taskId, uint256 trust, bytes32 tag);
    /// @notice A contribution must commit to a non-zero result hash.
    error TaskResultHashMissing(bytes32 taskId);
    /// @notice Each worker contributes once per task.
    error TaskAlreadyContributed(bytes32 taskId, address worker, ContributionStatus status);
    /// @notice The task holds as many contributions as it can settle in one transaction.
    error TaskContributorsFull(bytes32 taskId, uint256 max);
    /// @notice The operation needs a task in REVEALING (a consensus was reached).
    error TaskNotRevealing(bytes32 taskId, TaskStatus status);
    /// @notice The reveal deadline is past.
    error TaskRevealDeadlinePassed(bytes32 taskId, uint256 deadline, uint256 timestamp);
    /// @notice The reveal deadline is not reached yet.
    error TaskRevealDeadlineNotReached(bytes32 taskId, uint256 deadline, uint256 timestamp);
    /// @notice The final deadline is past: only `claim` remains.
    error TaskFinalDeadlinePassed(bytes32 taskId, uint256 deadline, uint256 timestamp);
    /// @notice The caller has no commitment waiting for its reveal.
    error TaskContributionNotCommitted(bytes32 taskId, address worker, ContributionStatus status);
    /// @notice The caller's commitment is not the consensus value: it has nothing to reveal.
    error TaskContributionNotInConsensus(bytes32 taskId, address worker, bytes32 resultHash, bytes32 consensusValue);
    /// @notice keccak256(taskId ‖ digest) is not the committed result hash.
    error TaskResultHashMismatch(bytes32 taskId, bytes32 committed, bytes32 revealed);
    /// @notice keccak256(worker ‖ taskId ‖ digest) is not the committed seal: not this worker's result.
    error TaskResultSealMismatch(bytes32 taskId, bytes32 committed, bytes32 revealed);
    /// @notice Only the deal's workerpool owner (the scheduler) may do this.
    error TaskCallerNotScheduler(bytes32 taskId, address caller, address scheduler);
    /// @notice A winner revealed: the task cannot be reopened, only finalized.
    error TaskAlreadyRevealed(bytes32 taskId, uint256 revealCounter);
    /// @notice Finalize needs every winner's reveal, or one reveal and the reveal deadline past.
    error TaskRevealsPending(bytes32 taskId, uint256 revealCounter, uint256 winnerCounter, uint256 revealDeadline);

    /// @notice Commits the caller (a worker) to a result: locks its stake (the deal's worker stake, the
    /// workerpool's stake policy × price) and adds its weight to the result's group; may reach the
    /// consensus (→ REVEALING).
    /// @param taskId an ACTIVE task of a deal with trust > 1 and no TEE bit, before its contribution deadline
    /// @param resultHash keccak256(taskId ‖ resultDigest)
    /// @param resultSeal keccak256(worker ‖ taskId ‖ resultDigest): binds the result to this worker
    /// @param enclaveChallenge an enclave address whose signature is checked, or zero
    /// @param enclaveSign EIP-191 signature by the enclave over keccak256(resultHash ‖ resultSeal), or empty
    /// @param authorizationSign EIP-191 signature by the workerpool owner over keccak256(worker ‖ taskId ‖ enclave)
    function contribute(
        bytes32 taskId,
        bytes32 resultHash,
        bytes32 resultSeal,
        address enclaveChallenge,
        bytes calldata enclaveSign,
        bytes calldata authorizationSign
    ) external;

    /// @notice Opens the caller's commitment, which must be the consensus value, before the reveal deadline.
    function reveal(bytes32 taskId, bytes32 resultDigest) external;

    /// @notice Scheduler only: when the reveal deadline passed with no reveal (and the final deadline
    /// has not), rejects the silent winners, forgets their group and makes the task ACTIVE again.
    function reopen(bytes32 taskId) external;

    /// @notice Scheduler only: completes a REVEALING task once every winner revealed, or one did and
    /// the reveal deadline passed; pays the asset owners, the winners by weight, the scheduler; slashes
    /// the other contributors; then calls the deal's callback.
    /// @param results where the result is; emitted in `TaskFinalized`
    /// @param resultsCallback data for the callback contract (must hash to the revealed digest when
    /// the deal has a callback), or empty; returned by `resultFor`
    function finalize(bytes32 taskId, bytes calldata results, bytes calldata resultsCallback) external;

    /// @notice The replicated state of a task; an unknown task reads as zeros.
    function viewConsensus(bytes32 taskId) external view returns (ConsensusInfo memory);

    /// @notice `worker`'s contribution to a task; UNSET if none.
    function viewContribution(bytes32 taskId, address worker) external view returns (ContributionInfo memory);

    /// @notice A worker's score: +1 per agreeing contribution to a replicated task, × 2/3 per faulty one.
    function viewScore(address worker) external view returns (uint256);
}

// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IReplicatedTasks} from "../interfaces/IReplicatedTasks.sol";
import {ITasks} from "../interfaces/ITasks.sol";
import {IAssetRegistry} from "../interfaces/IAssetRegistry.sol";
import {TaskCommon} from "./TaskCommon.sol";
import {HubStorage} from "../libs/HubStorage.sol";
import {TaskIds} from "../libs/TaskIds.sol";
import {TAG_TEE_BIT} from "../libs/Constants.sol";
import {Consensus, Contribution, ContributionStatus, Deal, Task, TaskStatus} from "../libs/Types.sol";

/// @title ReplicatedTasks
/// @notice Proof of Contribution: contribute, reveal, reopen and finalize for deals with trust > 1
/// and no TEE bit, with worker stakes, scores and slashing. Runs in the hub's context (delegatecall),
/// on the hub's storage; `claim` (in Tasks) returns the contributors' stakes of a failed task.
abstract contract ReplicatedTasks is IReplicatedTasks, TaskCommon {
    /// @dev Reveals close 2 × the category's time reference after the consensus (as PoCo).
    uint256 internal constant REVEAL_DEADLINE_RATIO = 2;
    /// @dev Most contributions per task: finalize and claim loop over them in one transaction.
    uint256 internal constant MAX_CONTRIBUTORS = 16;
    /// @dev Largest weight of one worker (score ≥ 3,075). With 16 contributors a group is at most
    /// 1024^16 = 2^160 and the rule's products stay below 2^181: no overflow whatever the scores.
    uint256 internal constant MAX_WORKER_WEIGHT = 1024;

    constructor(IAssetRegistry apps, IAssetRegistry datasets) TaskCommon(apps, datasets) {}

    /// @inheritdoc IReplicatedTasks
    function contribute(
        bytes32 taskId,
        bytes32 resultHash,
        bytes32 resultSeal,
        address enclaveChallenge,
        bytes calldata enclaveSign,
        bytes calldata authorizationSign
    ) external onlyThroughHub nonReentrant {
        Task storage task = HubStorage.layout().tasks[taskId];
        if (task.status != TaskStatus.Active) revert ITasks.TaskNotActive(taskId, task.status);
        Deal storage deal = HubStorage.layout().deals[task.dealId];
        _checkReplicated(taskId, deal);
        _checkContributionDeadline(taskId, deal);
        if (resultHash == bytes32(0)) revert TaskResultHashMissing(taskId);
        Consensus storage consensus = HubStorage.layout().consensus[taskId];
        ContributionStatus status = consensus.contributions[msg.sender].status;
        if (status != ContributionStatus.Unset) revert TaskAlreadyContributed(taskId, msg.sender, status);
        if (consensus.contributors.length >= MAX_CONTRIBUTORS) revert TaskContributorsFull(taskId, MAX_CONTRIBUTORS);
        _checkAuthorization(taskId, deal.workerpoolOwner, enclaveChallenge, authorizationSign);
        if (enclaveChallenge != address(0)) {
            _checkEnclaveSignature(taskId, resultHash, resultSeal, enclaveChallenge, enclaveSign);
        }

        _commit(taskId, task, deal, resultHash, resultSeal, enclaveChallenge);
    }

    /// @inheritdoc IReplicatedTasks
    function reveal(bytes32 taskId, bytes32 resultDigest) external onlyThroughHub nonReentrant {
        Task storage task = HubStorage.layout().tasks[taskId];
        if (task.status != TaskStatus.Revealing) revert TaskNotRevealing(taskId, task.status);
        Consensus storage consensus = HubStorage.layout().consensus[taskId];
        uint256 deadline = consensus.revealDeadline;
        if (block.timestamp >= deadline) revert TaskRevealDeadlinePassed(taskId, deadline, block.timestamp);
        Contribution storage contribution = consensus.contributions[msg.sender];
        if (contribution.status != ContributionStatus.Contributed) {
            revert TaskContributionNotCommitted(taskId, msg.sender, contribution.status);
        }
        bytes32 committed = contribution.resultHash;
        if (committed != consensus.value) {
            revert TaskContributionNotInConsensus(taskId, msg.sender, committed, consensus.value);
        }
        bytes32 revealedHash = TaskIds.resultHash(taskId, resultDigest);
        if (revealedHash != committed) revert TaskResultHashMismatch(taskId, committed, revealedHash);
        bytes32 revealedSeal = TaskIds.resultSeal(msg.sender, taskId, resultDigest);
        if (revealedSeal != contribution.resultSeal) {
            revert TaskResultSealMismatch(taskId, contribution.resultSeal, revealedSeal);
        }

        contribution.status = ContributionStatus.Proved;
        // At most MAX_CONTRIBUTORS reveals: the counter cannot pass 16.
        ++consensus.revealCounter;
        task.resultDigest = resultDigest;
        emit TaskRevealed(taskId, msg.sender, resultDigest);
    }

    /// @inheritdoc IReplicatedTasks
    function reopen(bytes32 taskId) external onlyThroughHub nonReentrant {
        (Task storage task,) = _revealingTaskOfScheduler(taskId);
        Consensus storage consensus = HubStorage.layout().consensus[taskId];
        uint256 deadline = consensus.revealDeadline;
        if (block.timestamp < deadline) revert TaskRevealDeadlineNotReached(taskId, deadline, block.timestamp);
        if (consensus.revealCounter != 0) revert TaskAlreadyRevealed(taskId, consensus.revealCounter);

        bytes32 value = consensus.value;
        uint256 rejected = 0;
        uint256 count = consensus.contributors.length;
        for (uint256 i = 0; i < count; ++i) {
            Contribution storage c = consensus.contributions[consensus.contributors[i]];
            if (c.status == ContributionStatus.Contributed && c.resultHash == value) {
                c.status = ContributionStatus.Rejected;
                ++rejected;
            }
        }
        consensus.total -= consensus.groups[value];
        consensus.groups[value] = 0;
        consensus.value = bytes32(0);
        consensus.revealDeadline = 0;
        consensus.winnerCounter = 0;
        task.status = TaskStatus.Active;
        emit TaskReopened(taskId, rejected);
    }

    /// @inheritdoc IReplicatedTasks
    function finalize(bytes32 taskId, bytes calldata results, bytes calldata resultsCallback)
        external
        onlyThroughHub
        nonReentrant
    {
        (Task storage task, Deal storage deal) = _revealingTaskOfScheduler(taskId);
        Consensus storage consensus = HubStorage.layout().consensus[taskId];
        uint256 reveals = consensus.revealCounter;
        if (reveals != consensus.winnerCounter && (reveals == 0 || block.timestamp < consensus.revealDeadline)) {
            revert TaskRevealsPending(taskId, reveals, consensus.winnerCounter, consensus.revealDeadline);
        }
        bytes32 resultDigest = task.resultDigest;
        address callback = deal.callback;
        if (callback != address(0)) {
            bytes32 callbackHash = keccak256(resultsCallback);
            if (callbackHash != resultDigest) {
                revert ITasks.TaskCallbackDataMismatch(taskId, resultDigest, callbackHash);
            }
        }

        task.status = TaskStatus.Completed;
        task.resultsTimestamp = uint40(block.timestamp);
        if (resultsCallback.length > 0) task.resultsCallback = resultsCallback;
        _payAssetOwners(taskId, deal);
        _payScheduler(taskId, deal, _settleContributions(taskId, deal, consensus));
        emit ITasks.TaskFinalized(taskId, msg.sender, resultDigest, results);

        if (callback != address(0)) _callBack(callback, taskId, resultsCallback);
    }

    /// @inheritdoc IReplicatedTasks
    function viewConsensus(bytes32 taskId) external view returns (ConsensusInfo memory info) {
        Consensus storage consensus = HubStorage.layout().consensus[taskId];
        info.consensusValue = consensus.value;
        info.revealDeadline = consensus.revealDeadline;
        info.revealCounter = consensus.revealCounter;
        info.winnerCounter = consensus.winnerCounter;
        if (HubStorage.layout().tasks[taskId].status != TaskStatus.Unset) info.total = consensus.total + 1;
        info.contributors = consensus.contributors;
    }

    /// @inheritdoc IReplicatedTasks
    function viewContribution(bytes32 taskId, address worker) external view returns (ContributionInfo memory) {
        Contribution storage c = HubStorage.layout().consensus[taskId].contributions[worker];
        return ContributionInfo(c.status, c.resultHash, c.resultSeal, c.enclaveChallenge, c.weight);
    }

    /// @inheritdoc IReplicatedTasks
    function viewScore(address worker) external view returns (uint256) {
        return HubStorage.layout().scores[worker];
    }

    /// @dev Trust > 1 and no TEE bit; TEE and trust-1 deals use the one-call path.
    function _checkReplicated(bytes32 taskId, Deal storage deal) private view {
        bytes32 tag = bytes32(uint256(deal.tag));
        if (deal.trust < 2 || tag & TAG_TEE_BIT != bytes32(0)) revert TaskNotReplicated(taskId, deal.trust, tag);
    }

    /// @dev A REVEALING task, before its final deadline, and the caller is its scheduler.
    function _revealingTaskOfScheduler(bytes32 taskId) private view returns (Task storage task, Deal storage deal) {
        task = HubStorage.layout().tasks[taskId];
        deal = HubStorage.layout().deals[task.dealId];
        if (msg.sender != deal.workerpoolOwner) revert TaskCallerNotScheduler(taskId, msg.sender, deal.workerpoolOwner);
        if (task.status != TaskStatus.Revealing) revert TaskNotRevealing(taskId, task.status);
        uint256 deadline = _deadline(deal, FINAL_DEADLINE_RATIO);
        if (block.timestamp >= deadline) revert TaskFinalDeadlinePassed(taskId, deadline, block.timestamp);
    }

    /// @dev Locks the caller's stake, records its commitment, adds its weight to its group and checks
    /// the consensus rule: group · trust > (1 + total) · (trust − 1).
    function _commit(
        bytes32 taskId,
        Task storage task,
        Deal storage deal,
        bytes32 resultHash,
        bytes32 resultSeal,
        address enclaveChallenge
    ) private {
        uint256 stake = _workerStake(deal);
        if (stake > 0) _lock(msg.sender, stake);
        uint256 weight = _weightOf(HubStorage.layout().scores[msg.sender]);
        Consensus storage consensus = HubStorage.layout().consensus[taskId];
        // weight ≤ MAX_WORKER_WEIGHT = 2^10, so its log2 (≤ 10) fits 8 bits.
        consensus.contributions[msg.sender] = Contribution(
            ContributionStatus.Contributed, uint8(Math.log2(weight)), enclaveChallenge, resultHash, resultSeal
        );
        consensus.contributors.push(msg.sender);
        uint256 group = consensus.groups[resultHash];
        uint256 grown = (group == 0 ? 1 : group) * weight;
        consensus.groups[resultHash] = grown;
        consensus.total += grown - group;
        emit TaskContributed(taskId, msg.sender, resultHash);

        uint256 trust = deal.trust;
        if (grown * trust > (consensus.total + 1) * (trust - 1)) {
            _reachConsensus(taskId, task, deal, consensus, resultHash);
        }
    }

    /// @dev w = min(max(score / 3, 3) - 1, MAX_WORKER_WEIGHT): 2 for a new worker (PoCo's formula, capped).
    function _weightOf(uint256 score) private pure returns (uint256) {
        uint256 weight = Math.max(score / 3, 3) - 1;
        return weight > MAX_WORKER_WEIGHT ? MAX_WORKER_WEIGHT : weight;
    }

    function _workerStake(Deal storage deal) private view returns (uint256) {
        return uint256(deal.workerpoolPrice) * deal.workerStakeRatio / 100;
    }

    /// @dev Marks the consensus: the contributors of `value` still committed are the winners.
    function _reachConsensus(
        bytes32 taskId,
        Task storage task,
        Deal storage deal,
        Consensus storage consensus,
        bytes32 value
    ) private {
        uint256 winners = 0;
        uint256 count = consensus.contributors.length;
        for (uint256 i = 0; i < count; ++i) {
            Contribution storage c = consensus.contributions[consensus.contributors[i]];
            if (c.status == ContributionStatus.Contributed && c.resultHash == value) ++winners;
        }
        uint256 revealDeadline = block.timestamp + REVEAL_DEADLINE_RATIO * uint256(deal.timeref);
        task.status = TaskStatus.Revealing;
        consensus.value = value;
        // A timestamp plus 2 × a 24-bit time reference fits 40 bits for millennia; winners ≤ 16.
        consensus.revealDeadline = uint40(revealDeadline);
        consensus.winnerCounter = uint16(winners);
        emit TaskConsensusReached(taskId, value, winners, revealDeadline);
    }

    /// @dev Pays the workers of a finalized task and returns what is left for the scheduler. The pool is
    /// the workerpool price plus the stakes of every contributor that did not prove the consensus; the
    /// provers share (100 − scheduler ratio) % of it by log-weight, get their stake back and +1 score
    /// (when the task was replicated); the others are seized and keep 2/3 of their score.
    function _settleContributions(bytes32 taskId, Deal storage deal, Consensus storage consensus)
        private
        returns (uint256 schedulerShare)
    {
        uint256 stake = _workerStake(deal);
        uint256 count = consensus.contributors.length;
        uint256 pool = deal.workerpoolPrice;
        uint256 totalLogWeight = 0;
        for (uint256 i = 0; i < count; ++i) {
            Contribution storage c = consensus.contributions[consensus.contributors[i]];
            if (c.status == ContributionStatus.Proved) totalLogWeight += c.weight;
            else pool += stake;
        }
        uint256 workersShare = pool * (100 - deal.schedulerRewardRatio) / 100;
        schedulerShare = pool;
        for (uint256 i = 0; i < count; ++i) {
            address worker = consensus.contributors[i];
            uint8 weight = consensus.contributions[worker].weight;
            if (consensus.contributions[worker].status == ContributionStatus.Proved) {
                // totalLogWeight ≥ weight ≥ 1 (every weight is ≥ 2); the shares sum to ≤ workersShare ≤ pool.
                uint256 reward = workersShare * weight / totalLogWeight;
                schedulerShare -= reward;
                _rewardWorker(taskId, worker, stake, reward, count > 1);
            } else {
                _slashWorker(taskId, worker, stake);
            }
        }
    }

    /// @dev Returns a winner's stake, pays its share and, when the task was replicated, raises its score.
    function _rewardWorker(bytes32 taskId, address worker, uint256 stake, uint256 reward, bool replicated) private {
        if (stake > 0) _unlock(worker, stake);
        if (reward > 0) _reward(worker, reward, taskId);
        mapping(address => uint256) storage scores = HubStorage.layout().scores;
        if (replicated) ++scores[worker];
        emit ContributionRewarded(taskId, worker, reward, scores[worker]);
    }

    /// @dev Seizes a loser's stake (into the pool being shared out) and cuts its score to 2/3.
    function _slashWorker(bytes32 taskId, address worker, uint256 stake) private {
        if (stake > 0) _seize(worker, stake, taskId);
        mapping(address => uint256) storage scores = HubStorage.layout().scores;
        uint256 score = scores[worker] * 2 / 3;
        scores[worker] = score;
        emit ContributionSlashed(taskId, worker, stake, score);
    }
}

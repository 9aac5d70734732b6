// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {ITasks} from "../interfaces/ITasks.sol";
import {IAssetRegistry} from "../interfaces/IAssetRegistry.sol";
import {TaskCommon} from "./TaskCommon.sol";
import {HubStorage} from "../libs/HubStorage.sol";
import {Signatures} from "../libs/Signatures.sol";
import {TaskIds} from "../libs/TaskIds.sol";
import {WORKERPOOL_STAKE_RATIO_PERCENT} from "../libs/Constants.sol";
import {TaskStatus, Task, Deal, Consensus, sponsorOf} from "../libs/Types.sol";

/// @title Tasks
/// @notice Initialize, the TEE one-call finalize with its payments and callback, and claim (which also
/// returns the stakes of a replicated task's contributors). Runs in the hub's context (delegatecall),
/// on the hub's storage; never on its own.
abstract contract Tasks is ITasks, TaskCommon {
    constructor(IAssetRegistry apps, IAssetRegistry datasets) TaskCommon(apps, datasets) {}

    /// @inheritdoc ITasks
    function initialize(bytes32 dealId, uint256 idx) public onlyThroughHub returns (bytes32 taskId) {
        Deal storage deal = _existingDeal(dealId);
        uint256 first = deal.botFirst;
        uint256 size = deal.botSize;
        if (idx < first || idx >= first + size) revert TaskIndexOutOfRange(dealId, idx, first, size);
        taskId = TaskIds.taskId(dealId, idx);
        Task storage task = HubStorage.layout().tasks[taskId];
        if (task.status != TaskStatus.Unset) revert TaskAlreadyInitialized(taskId);
        task.dealId = dealId;
        task.status = TaskStatus.Active;
        // idx < botFirst + botSize ≤ 2^64 - 1 + 2^32 - 1 is not guaranteed to fit, but botFirst is a
        // consumed volume and volumes never approach 2^64 - 2^32; the cast is checked anyway.
        task.idx = uint64(idx);
        emit TaskInitialized(taskId, deal.workerpool, dealId, idx);
    }

    /// @inheritdoc ITasks
    function initializeArray(bytes32[] calldata dealIds, uint256[] calldata idxs) external returns (bool) {
        if (dealIds.length != idxs.length) revert TaskArrayLengthMismatch(dealIds.length, idxs.length);
        for (uint256 i = 0; i < dealIds.length; ++i) {
            initialize(dealIds[i], idxs[i]);
        }
        return true;
    }

    /// @inheritdoc ITasks
    function contributeAndFinalize(
        bytes32 taskId,
        bytes32 resultDigest,
        bytes calldata results,
        bytes calldata resultsCallback,
        address enclaveChallenge,
        bytes calldata enclaveSign,
        bytes calldata authorizationSign
    ) external onlyThroughHub nonReentrant {
        Task storage task = HubStorage.layout().tasks[taskId];
        if (task.status != TaskStatus.Active) revert TaskNotActive(taskId, task.status);
        Deal storage deal = HubStorage.layout().deals[task.dealId];
        _checkContribution(taskId, deal, resultDigest, resultsCallback);
        _checkAuthorization(taskId, deal.workerpoolOwner, enclaveChallenge, authorizationSign);
        if (enclaveChallenge != address(0)) _checkEnclaveResult(taskId, resultDigest, enclaveChallenge, enclaveSign);

        task.status = TaskStatus.Completed;
        task.resultsTimestamp = uint40(block.timestamp);
        task.resultDigest = resultDigest;
        if (resultsCallback.length > 0) task.resultsCallback = resultsCallback;
        _payCompletedTask(taskId, deal);
        emit TaskFinalized(taskId, msg.sender, resultDigest, results);

        address callback = deal.callback;
        if (callback != address(0)) _callBack(callback, taskId, resultsCallback);
    }

    /// @inheritdoc ITasks
    function reportFailure(
        bytes32 taskId,
        bytes32 reason,
        address enclaveChallenge,
        bytes calldata enclaveSign,
        bytes calldata authorizationSign
    ) external onlyThroughHub nonReentrant {
        Task storage task = HubStorage.layout().tasks[taskId];
        if (task.status != TaskStatus.Active) revert TaskNotActive(taskId, task.status);
        if (reason == bytes32(0)) revert TaskFailureReasonMissing(taskId);
        if (enclaveChallenge == address(0)) revert TaskEnclaveRequired(taskId);
        Deal storage deal = HubStorage.layout().deals[task.dealId];
        _checkOnTime(taskId, deal);
        _checkAuthorization(taskId, deal.workerpoolOwner, enclaveChallenge, authorizationSign);
        bytes32 message = MessageHashUtils.toEthSignedMessageHash(TaskIds.failureHash(msg.sender, taskId, reason));
        address signer = Signatures.recover(message, enclaveSign);
        if (signer != enclaveChallenge) revert TaskEnclaveSignatureInvalid(taskId, signer, enclaveChallenge);

        task.status = TaskStatus.Failed;
        task.resultsTimestamp = uint40(block.timestamp);
        _unlock(sponsorOf(deal), uint256(deal.appPrice) + deal.datasetPrice + deal.workerpoolPrice);
        uint256 stake = uint256(deal.workerpoolPrice) * WORKERPOOL_STAKE_RATIO_PERCENT / 100;
        if (stake > 0) _unlock(deal.workerpoolOwner, stake);
        emit TaskFailed(taskId, msg.sender, reason);
    }

    /// @inheritdoc ITasks
    function claim(bytes32 taskId) public onlyThroughHub nonReentrant {
        _claim(taskId);
    }

    /// @inheritdoc ITasks
    function claimArray(bytes32[] calldata taskIds) external onlyThroughHub nonReentrant returns (bool) {
        for (uint256 i = 0; i < taskIds.length; ++i) {
            _claim(taskIds[i]);
        }
        return true;
    }

    /// @inheritdoc ITasks
    function initializeAndClaimArray(bytes32[] calldata dealIds, uint256[] calldata idxs)
        external
        onlyThroughHub
        nonReentrant
        returns (bool)
    {
        if (dealIds.length != idxs.length) revert TaskArrayLengthMismatch(dealIds.length, idxs.length);
        for (uint256 i = 0; i < dealIds.length; ++i) {
            _claim(initialize(dealIds[i], idxs[i]));
        }
        return true;
    }

    /// @inheritdoc ITasks
    function viewTask(bytes32 taskId) external view returns (TaskInfo memory info) {
        Task storage task = HubStorage.layout().tasks[taskId];
        info.status = task.status;
        info.dealId = task.dealId;
        info.idx = task.idx;
        info.resultDigest = task.resultDigest;
        info.resultsTimestamp = task.resultsTimestamp;
        info.resultsCallback = task.resultsCallback;
        if (task.status != TaskStatus.Unset) {
            Deal storage deal = HubStorage.layout().deals[task.dealId];
            info.timeref = deal.timeref;
            info.contributionDeadline = _deadline(deal, CONTRIBUTION_DEADLINE_RATIO);
            info.finalDeadline = _deadline(deal, FINAL_DEADLINE_RATIO);
        }
    }

    /// @inheritdoc ITasks
    function resultFor(bytes32 taskId) external view returns (bytes memory) {
        Task storage task = HubStorage.layout().tasks[taskId];
        if (task.status != TaskStatus.Completed) revert TaskNotCompleted(taskId, task.status);
        return task.resultsCallback;
    }

    function _existingDeal(bytes32 dealId) private view returns (Deal storage deal) {
        deal = HubStorage.layout().deals[dealId];
        if (deal.workerpool == address(0)) revert DealNotFound(dealId);
    }

    function _checkContribution(bytes32 taskId, Deal storage deal, bytes32 resultDigest, bytes calldata callbackData)
        private
        view
    {
        _checkOnTime(taskId, deal);
        if (deal.callback != address(0)) {
            bytes32 callbackHash = keccak256(callbackData);
            if (callbackHash != resultDigest) revert TaskCallbackDataMismatch(taskId, resultDigest, callbackHash);
        }
    }

    /// @dev The enclave signed keccak256(resultHash ‖ resultSeal) for this worker's result.
    function _checkEnclaveResult(bytes32 taskId, bytes32 resultDigest, address enclave, bytes calldata sign)
        private
        view
    {
        bytes32 hash = TaskIds.resultHash(taskId, resultDigest);
        _checkEnclaveSignature(taskId, hash, TaskIds.resultSeal(msg.sender, taskId, resultDigest), enclave, sign);
    }

    /// @dev Sponsor pays the task price; app and dataset owners (current) get their prices; the worker
    /// and the scheduler share the workerpool price; the scheduler's stake comes back with a kitty bonus.
    function _payCompletedTask(bytes32 taskId, Deal storage deal) private {
        _payAssetOwners(taskId, deal);
        uint256 workerpoolPrice = deal.workerpoolPrice;
        uint256 workerReward = workerpoolPrice * (100 - deal.schedulerRewardRatio) / 100;
        if (workerReward > 0) _reward(msg.sender, workerReward, taskId);
        _payScheduler(taskId, deal, workerpoolPrice - workerReward);
    }

    /// @dev The one-call paths (result or failure) need trust 1 and come before the contribution deadline.
    function _checkOnTime(bytes32 taskId, Deal storage deal) private view {
        _checkContributionDeadline(taskId, deal);
        if (deal.trust != 1) revert TaskTrustNotOne(taskId, deal.trust);
    }

    function _claim(bytes32 taskId) private {
        Task storage task = HubStorage.layout().tasks[taskId];
        TaskStatus status = task.status;
        if (status != TaskStatus.Active && status != TaskStatus.Revealing) revert TaskNotClaimable(taskId, status);
        Deal storage deal = HubStorage.layout().deals[task.dealId];
        uint256 deadline = _deadline(deal, FINAL_DEADLINE_RATIO);
        if (block.timestamp < deadline) revert TaskFinalDeadlineNotReached(taskId, deadline, block.timestamp);

        task.status = TaskStatus.Failed;
        _unlock(sponsorOf(deal), uint256(deal.appPrice) + deal.datasetPrice + deal.workerpoolPrice);
        uint256 stake = uint256(deal.workerpoolPrice) * WORKERPOOL_STAKE_RATIO_PERCENT / 100;
        if (stake > 0) {
            _seize(deal.workerpoolOwner, stake, taskId);
            _reward(KITTY_ADDRESS, stake, taskId);
            _lock(KITTY_ADDRESS, stake);
        }
        // Only replicated deals (trust > 1) have contributors: TEE tasks skip the cold read.
        if (deal.trust > 1) _releaseWorkerStakes(taskId, deal);
        emit TaskClaimed(taskId);
    }

    /// @dev A failed replicated task gives every contributor its stake back, scores untouched (as PoCo).
    function _releaseWorkerStakes(bytes32 taskId, Deal storage deal) private {
        Consensus storage consensus = HubStorage.layout().consensus[taskId];
        uint256 count = consensus.contributors.length;
        if (count == 0) return;
        uint256 stake = uint256(deal.workerpoolPrice) * deal.workerStakeRatio / 100;
        if (stake == 0) return;
        for (uint256 i = 0; i < count; ++i) {
            _unlock(consensus.contributors[i], stake);
        }
    }
}

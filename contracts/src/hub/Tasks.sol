// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {ITasks} from "../interfaces/ITasks.sol";
import {IAssetRegistry} from "../interfaces/IAssetRegistry.sol";
import {IResultReceiver} from "../interfaces/IResultReceiver.sol";
import {EscrowLedger} from "./EscrowLedger.sol";
import {HubStorage} from "../libs/HubStorage.sol";
import {Signatures} from "../libs/Signatures.sol";
import {TaskIds} from "../libs/TaskIds.sol";
import {WORKERPOOL_STAKE_RATIO_PERCENT, TAG_TEE_BIT} from "../libs/Constants.sol";
import {TaskStatus, Task, Deal, sponsorOf} from "../libs/Types.sol";

/// @title Tasks
/// @notice Initialize, the TEE one-call finalize with its payments and callback, and claim. Runs
/// in the hub's context (delegatecall), on the hub's storage; never on its own.
abstract contract Tasks is ITasks, EscrowLedger, ReentrancyGuardTransient {
    /// @notice Contributions close at deal start + 7 × the category's time reference.
    uint256 public constant CONTRIBUTION_DEADLINE_RATIO = 7;
    /// @notice Tasks may be claimed from deal start + 10 × the category's time reference.
    uint256 public constant FINAL_DEADLINE_RATIO = 10;
    /// @notice Share of the kitty a scheduler receives on each completed task, in percent.
    uint256 public constant KITTY_RATIO = 10;
    /// @notice Least kitty bonus (1 token), unless the kitty holds less.
    uint256 public constant KITTY_MIN = 1e9;
    /// @notice Account holding seized scheduler stakes (keccak256("iExecKitty") - 1, as PoCo).
    address public constant KITTY_ADDRESS = 0x99c2268479b93fDe36232351229815DF80837e23;

    IAssetRegistry private immutable _appRegistry;
    IAssetRegistry private immutable _datasetRegistry;
    address private immutable _self;

    constructor(IAssetRegistry apps, IAssetRegistry datasets) {
        _appRegistry = apps;
        _datasetRegistry = datasets;
        _self = address(this);
    }

    /// @dev Called on the module itself the functions would act on empty storage: refuse.
    modifier onlyThroughHub() {
        if (address(this) == _self) revert TaskModuleCalledDirectly();
        _;
    }

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
        if (enclaveChallenge != address(0)) _checkEnclaveSignature(taskId, resultDigest, enclaveChallenge, enclaveSign);

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

    function _dealOf(bytes32 taskId) private view returns (Deal storage) {
        HubStorage.Layout storage state = HubStorage.layout();
        return state.deals[state.tasks[taskId].dealId];
    }

    function _deadline(Deal storage deal, uint256 ratio) private view returns (uint256) {
        return uint256(deal.startTime) + ratio * uint256(deal.timeref);
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

    /// @dev The one-call paths (result or failure) need trust 1 and come before the contribution deadline.
    function _checkOnTime(bytes32 taskId, Deal storage deal) private view {
        uint256 deadline = _deadline(deal, CONTRIBUTION_DEADLINE_RATIO);
        if (block.timestamp >= deadline) revert TaskContributionDeadlinePassed(taskId, deadline, block.timestamp);
        if (deal.trust != 1) revert TaskTrustNotOne(taskId, deal.trust);
    }

    /// @dev The workerpool owner signed keccak256(worker ‖ taskId ‖ enclave) for this worker and task.
    function _checkAuthorization(bytes32 taskId, address scheduler, address enclave, bytes calldata sign)
        private
        view
    {
        if (enclave == address(0) && bytes32(uint256(_dealOf(taskId).tag)) & TAG_TEE_BIT != bytes32(0)) {
            revert TaskEnclaveRequired(taskId);
        }
        bytes32 digest =
            MessageHashUtils.toEthSignedMessageHash(TaskIds.authorizationHash(msg.sender, taskId, enclave));
        if (!Signatures.isSignedBy(scheduler, digest, sign)) {
            revert TaskAuthorizationInvalid(taskId, Signatures.recover(digest, sign), scheduler);
        }
    }

    /// @dev The enclave signed keccak256(resultHash ‖ resultSeal) for this worker's result.
    function _checkEnclaveSignature(bytes32 taskId, bytes32 resultDigest, address enclave, bytes calldata sign)
        private
        view
    {
        bytes32 message = keccak256(
            abi.encodePacked(
                TaskIds.resultHash(taskId, resultDigest), TaskIds.resultSeal(msg.sender, taskId, resultDigest)
            )
        );
        address signer = Signatures.recover(MessageHashUtils.toEthSignedMessageHash(message), sign);
        if (signer != enclave) revert TaskEnclaveSignatureInvalid(taskId, signer, enclave);
    }

    /// @dev Sponsor pays the task price; app and dataset owners (current) get their prices; the worker
    /// and the scheduler share the workerpool price; the scheduler's stake comes back with a kitty bonus.
    function _payCompletedTask(bytes32 taskId, Deal storage deal) private {
        uint256 appPrice = deal.appPrice;
        uint256 datasetPrice = deal.datasetPrice;
        uint256 workerpoolPrice = deal.workerpoolPrice;
        address scheduler = deal.workerpoolOwner;

        _seize(sponsorOf(deal), appPrice + datasetPrice + workerpoolPrice, taskId);
        if (appPrice > 0) _reward(_appRegistry.ownerOfAsset(deal.app), appPrice, taskId);
        if (datasetPrice > 0) _reward(_datasetRegistry.ownerOfAsset(deal.dataset), datasetPrice, taskId);

        uint256 workerReward = workerpoolPrice * (100 - deal.schedulerRewardRatio) / 100;
        if (workerReward > 0) _reward(msg.sender, workerReward, taskId);
        uint256 schedulerReward = workerpoolPrice - workerReward + _takeKittyBonus(taskId);
        if (schedulerReward > 0) _reward(scheduler, schedulerReward, taskId);

        uint256 stake = workerpoolPrice * WORKERPOOL_STAKE_RATIO_PERCENT / 100;
        if (stake > 0) _unlock(scheduler, stake);
    }

    /// @dev Seizes min(max(kitty × 10 %, 1 token), kitty) from the kitty for the scheduler.
    function _takeKittyBonus(bytes32 taskId) private returns (uint256 bonus) {
        uint256 kitty = _frozenOf(KITTY_ADDRESS);
        if (kitty == 0) return 0;
        bonus = kitty * KITTY_RATIO / 100;
        if (bonus < KITTY_MIN) bonus = KITTY_MIN;
        if (bonus > kitty) bonus = kitty;
        _seize(KITTY_ADDRESS, bonus, taskId);
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
        emit TaskClaimed(taskId);
    }

    /// @dev Calls the deal's callback with a fixed gas budget; its failure does not undo the task.
    function _callBack(address callback, bytes32 taskId, bytes calldata data) private {
        uint256 gasBudget = HubStorage.layout().callbackGas;
        // The call forwards at most 63/64 of what is left: demand enough that the callee gets its budget.
        uint256 required = gasBudget * 64 / 63 + 10_000;
        if (gasleft() < required) revert TaskCallbackGasInsufficient(gasleft(), required);
        // slither-disable-next-line unchecked-lowlevel: a failing callback must not block payment.
        (bool ok,) = callback.call{gas: gasBudget}(abi.encodeCall(IResultReceiver.receiveResult, (taskId, data)));
        ok; // The result is deliberately ignored: the receiver's failure is its own.
    }
}

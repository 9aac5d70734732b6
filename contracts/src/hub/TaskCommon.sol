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
import {Deal, sponsorOf} from "../libs/Types.sol";

/// @title TaskCommon
/// @notice What both task modules (the TEE one-call path and the replicated path) share: deadlines,
/// the scheduler's authorization, payment of the asset owners and the scheduler, the callback. Runs
/// in the hub's context (delegatecall), on the hub's storage; never on its own.
abstract contract TaskCommon is EscrowLedger, ReentrancyGuardTransient {
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
    IAssetRegistry internal immutable _datasetRegistry;
    address private immutable _self;

    constructor(IAssetRegistry apps, IAssetRegistry datasets) {
        _appRegistry = apps;
        _datasetRegistry = datasets;
        _self = address(this);
    }

    /// @dev Called on the module itself the functions would act on empty storage: refuse.
    modifier onlyThroughHub() {
        if (address(this) == _self) revert ITasks.TaskModuleCalledDirectly();
        _;
    }

    function _dealOf(bytes32 taskId) internal view returns (Deal storage) {
        HubStorage.Layout storage state = HubStorage.layout();
        return state.deals[state.tasks[taskId].dealId];
    }

    function _deadline(Deal storage deal, uint256 ratio) internal view returns (uint256) {
        return uint256(deal.startTime) + ratio * uint256(deal.timeref);
    }

    /// @dev Refuses once the contribution deadline is reached.
    function _checkContributionDeadline(bytes32 taskId, Deal storage deal) internal view {
        uint256 deadline = _deadline(deal, CONTRIBUTION_DEADLINE_RATIO);
        if (block.timestamp >= deadline) {
            revert ITasks.TaskContributionDeadlinePassed(taskId, deadline, block.timestamp);
        }
    }

    /// @dev The workerpool owner signed keccak256(worker ‖ taskId ‖ enclave) for this worker and task.
    function _checkAuthorization(bytes32 taskId, address scheduler, address enclave, bytes calldata sign)
        internal
        view
    {
        if (enclave == address(0) && bytes32(uint256(_dealOf(taskId).tag)) & TAG_TEE_BIT != bytes32(0)) {
            revert ITasks.TaskEnclaveRequired(taskId);
        }
        bytes32 digest =
            MessageHashUtils.toEthSignedMessageHash(TaskIds.authorizationHash(msg.sender, taskId, enclave));
        if (!Signatures.isSignedBy(scheduler, digest, sign)) {
            revert ITasks.TaskAuthorizationInvalid(taskId, Signatures.recover(digest, sign), scheduler);
        }
    }

    /// @dev The enclave signed (EIP-191) keccak256(resultHash ‖ resultSeal).
    function _checkEnclaveSignature(
        bytes32 taskId,
        bytes32 resultHash,
        bytes32 resultSeal,
        address enclave,
        bytes calldata sign
    ) internal pure {
        bytes32 message = keccak256(abi.encodePacked(resultHash, resultSeal));
        address signer = Signatures.recover(MessageHashUtils.toEthSignedMessageHash(message), sign);
        if (signer != enclave) revert ITasks.TaskEnclaveSignatureInvalid(taskId, signer, enclave);
    }

    /// @dev The sponsor pays the task price; app and dataset owners (current) get their prices.
    /// The workerpool price stays seized: the caller shares it out in the same transaction.
    function _payAssetOwners(bytes32 taskId, Deal storage deal) internal {
        uint256 appPrice = deal.appPrice;
        uint256 datasetPrice = deal.datasetPrice;
        _seize(sponsorOf(deal), appPrice + datasetPrice + deal.workerpoolPrice, taskId);
        if (appPrice > 0) _reward(_appRegistry.ownerOfAsset(deal.app), appPrice, taskId);
        if (datasetPrice > 0) _reward(_datasetRegistry.ownerOfAsset(deal.dataset), datasetPrice, taskId);
    }

    /// @dev The scheduler gets `reward` plus the kitty bonus, and its stake back.
    function _payScheduler(bytes32 taskId, Deal storage deal, uint256 reward) internal {
        address scheduler = deal.workerpoolOwner;
        uint256 total = reward + _takeKittyBonus(taskId);
        if (total > 0) _reward(scheduler, total, taskId);
        uint256 stake = uint256(deal.workerpoolPrice) * WORKERPOOL_STAKE_RATIO_PERCENT / 100;
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

    /// @dev Calls the deal's callback with a fixed gas budget; its failure does not undo the task.
    function _callBack(address callback, bytes32 taskId, bytes calldata data) internal {
        uint256 gasBudget = HubStorage.layout().callbackGas;
        // The call forwards at most 63/64 of what is left: demand enough that the callee gets its budget.
        uint256 required = gasBudget * 64 / 63 + 10_000;
        if (gasleft() < required) revert ITasks.TaskCallbackGasInsufficient(gasleft(), required);
        // slither-disable-next-line unchecked-lowlevel: a failing callback must not block payment.
        (bool ok,) = callback.call{gas: gasBudget}(abi.encodeCall(IResultReceiver.receiveResult, (taskId, data)));
        ok; // The result is deliberately ignored: the receiver's failure is its own.
    }
}

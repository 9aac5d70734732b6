// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {AssetRegistry} from "./AssetRegistry.sol";
import {IWorkerpoolRegistry} from "../interfaces/IWorkerpoolRegistry.sol";

/// @title WorkerpoolRegistry
/// @notice Workerpools as ERC-721 tokens, each with its stake and reward policy.
contract WorkerpoolRegistry is AssetRegistry, IWorkerpoolRegistry {
    uint256 private constant DEFAULT_WORKER_STAKE_RATIO = 30;
    uint256 private constant DEFAULT_SCHEDULER_REWARD_RATIO = 1;

    struct Workerpool {
        string description;
        uint8 workerStakeRatioPolicy;
        uint8 schedulerRewardRatioPolicy;
    }

    mapping(address workerpool => Workerpool) private _workerpools;

    constructor() AssetRegistry("Confide Workerpool Registry", "CFDPOOL") {}

    /// @inheritdoc IWorkerpoolRegistry
    function createWorkerpool(address owner, string calldata description) external returns (address workerpool) {
        if (bytes(description).length == 0) revert RegistryEmptyName();
        workerpool = _register(owner, keccak256(bytes(description)));
        _workerpools[workerpool] = Workerpool(
            description, uint8(DEFAULT_WORKER_STAKE_RATIO), uint8(DEFAULT_SCHEDULER_REWARD_RATIO)
        );
        emit WorkerpoolCreated(workerpool, owner, description);
    }

    /// @inheritdoc IWorkerpoolRegistry
    function predictWorkerpool(address owner, string calldata description) external view returns (address) {
        return _predict(owner, keccak256(bytes(description)));
    }

    /// @inheritdoc IWorkerpoolRegistry
    function viewWorkerpool(address workerpool) external view returns (WorkerpoolInfo memory) {
        Workerpool storage w = _workerpools[workerpool];
        return WorkerpoolInfo(
            _existingOwner(workerpool), w.description, w.workerStakeRatioPolicy, w.schedulerRewardRatioPolicy
        );
    }

    /// @inheritdoc IWorkerpoolRegistry
    function viewWorkerpoolTerms(address workerpool)
        external
        view
        returns (address owner, uint256 workerStakeRatioPolicy, uint256 schedulerRewardRatioPolicy)
    {
        Workerpool storage w = _workerpools[workerpool];
        return (ownerOfAsset(workerpool), w.workerStakeRatioPolicy, w.schedulerRewardRatioPolicy);
    }

    /// @inheritdoc IWorkerpoolRegistry
    function changePolicy(address workerpool, uint256 workerStakeRatio, uint256 schedulerRewardRatio) external {
        _checkAssetOwner(workerpool);
        if (workerStakeRatio > 100 || schedulerRewardRatio > 100) {
            revert WorkerpoolPolicyInvalid(workerStakeRatio, schedulerRewardRatio);
        }
        Workerpool storage w = _workerpools[workerpool];
        emit PolicyUpdated(
            workerpool, w.workerStakeRatioPolicy, workerStakeRatio, w.schedulerRewardRatioPolicy, schedulerRewardRatio
        );
        // Both ratios were checked ≤ 100 just above, so the casts cannot truncate.
        w.workerStakeRatioPolicy = uint8(workerStakeRatio);
        w.schedulerRewardRatioPolicy = uint8(schedulerRewardRatio);
    }
}

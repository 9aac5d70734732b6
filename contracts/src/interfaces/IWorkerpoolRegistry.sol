// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {IAssetRegistry} from "./IAssetRegistry.sol";

/// @title IWorkerpoolRegistry
/// @notice Registry of workerpools: a scheduler and its workers, selling compute.
interface IWorkerpoolRegistry is IAssetRegistry {
    /// @notice Everything known about a workerpool, in one call.
    struct WorkerpoolInfo {
        address owner;
        string description;
        uint256 workerStakeRatioPolicy;
        uint256 schedulerRewardRatioPolicy;
    }

    /// @notice A workerpool was registered.
    event WorkerpoolCreated(address indexed workerpool, address indexed owner, string description);
    /// @notice A workerpool's owner changed its stake or reward policy.
    event PolicyUpdated(
        address indexed workerpool,
        uint256 oldWorkerStakeRatioPolicy,
        uint256 newWorkerStakeRatioPolicy,
        uint256 oldSchedulerRewardRatioPolicy,
        uint256 newSchedulerRewardRatioPolicy
    );

    /// @notice A ratio above 100 %.
    error WorkerpoolPolicyInvalid(uint256 workerStakeRatio, uint256 schedulerRewardRatio);

    /// @notice Registers a workerpool owned by `owner` with the default policy (stake 30 %, scheduler 1 %).
    function createWorkerpool(address owner, string calldata description) external returns (address workerpool);

    /// @notice The identifier `createWorkerpool` would give these arguments.
    function predictWorkerpool(address owner, string calldata description) external view returns (address);

    /// @notice A workerpool's fields and current owner; reverts with `RegistryAssetUnknown` if none.
    function viewWorkerpool(address workerpool) external view returns (WorkerpoolInfo memory);

    /// @notice Owner and policies in one cheap call for the hub; owner is zero if unknown.
    function viewWorkerpoolTerms(address workerpool)
        external
        view
        returns (address owner, uint256 workerStakeRatioPolicy, uint256 schedulerRewardRatioPolicy);

    /// @notice Sets the stake each worker locks (% of the workerpool price) and the scheduler's share
    /// (% of the workerpool price). Owner only; both ≤ 100.
    function changePolicy(address workerpool, uint256 workerStakeRatio, uint256 schedulerRewardRatio) external;
}

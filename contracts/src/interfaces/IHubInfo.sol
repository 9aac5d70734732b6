// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

/// @title IHubInfo
/// @notice Which contracts a hub works with.
interface IHubInfo {
    /// @notice The app registry this hub trusts.
    function appRegistry() external view returns (address);
    /// @notice The dataset registry this hub trusts.
    function datasetRegistry() external view returns (address);
    /// @notice The workerpool registry this hub trusts.
    function workerpoolRegistry() external view returns (address);
    /// @notice The contract holding the task lifecycle code, run in the hub's context.
    function taskModule() external view returns (address);
    /// @notice The contract holding the replicated (Proof-of-Contribution) task code, run in the hub's context.
    function replicatedModule() external view returns (address);
}

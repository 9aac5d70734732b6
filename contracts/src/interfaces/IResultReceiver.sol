// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

/// @title IResultReceiver
/// @notice What a deal's `callback` contract implements to receive results on chain.
interface IResultReceiver {
    /// @notice Called once when a task completes, with the app's `callback-data`.
    function receiveResult(bytes32 taskId, bytes calldata data) external;
}

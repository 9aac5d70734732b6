// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {IResultReceiver} from "../interfaces/IResultReceiver.sol";

/// @notice Test double: records every result it receives.
contract TestResultReceiver is IResultReceiver {
    /// @notice Last task whose result arrived.
    bytes32 public lastTaskId;
    /// @notice Last result data.
    bytes public lastData;
    /// @notice Number of results received.
    uint256 public received;

    /// @inheritdoc IResultReceiver
    function receiveResult(bytes32 taskId, bytes calldata data) external {
        lastTaskId = taskId;
        lastData = data;
        ++received;
    }
}

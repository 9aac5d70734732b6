// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {IResultReceiver} from "../interfaces/IResultReceiver.sol";

/// @notice Test double: a callback that consumes all the gas it is given, then reverts.
contract TestGasBurner is IResultReceiver {
    /// @notice Writes forever; never returns.
    uint256 public counter;

    /// @inheritdoc IResultReceiver
    function receiveResult(bytes32, bytes calldata) external {
        while (true) {
            ++counter;
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {IResultReceiver} from "../interfaces/IResultReceiver.sol";

/// @notice Test double: on receiving a result, calls the hub back with `payload` and records
/// whether that reentrant call succeeded and what it returned.
contract TestReentrantReceiver is IResultReceiver {
    address private immutable _hub;
    bytes private _payload;
    /// @notice Whether the reentrant call succeeded.
    bool public reentered;
    /// @notice What the reentrant call returned (revert data when it failed).
    bytes public reentryResult;
    /// @notice Whether receiveResult ran to its end.
    bool public called;

    constructor(address hub) {
        _hub = hub;
    }

    /// @notice Sets the call made into the hub on the next result.
    function setPayload(bytes calldata payload) external {
        _payload = payload;
    }

    /// @inheritdoc IResultReceiver
    function receiveResult(bytes32, bytes calldata) external {
        (reentered, reentryResult) = _hub.call(_payload);
        called = true;
    }
}

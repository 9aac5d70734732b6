// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice Test double: an ERC-20 that, like ERC-777, calls out during transfers. When armed,
/// its next transfer calls `target` with `payload` and records the outcome.
contract TestHookToken is ERC20 {
    address private _target;
    bytes private _payload;
    bool private _armed;
    /// @notice Whether the hooked call succeeded.
    bool public hookSucceeded;
    /// @notice Whether the hook ran.
    bool public hookRan;
    /// @notice What the hooked call returned (its revert data when it failed).
    bytes public hookResult;

    constructor() ERC20("Hook", "HOOK") {}

    /// @notice Mints freely: a test token.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Arms the hook for the next transfer.
    function arm(address target, bytes calldata payload) external {
        _target = target;
        _payload = payload;
        _armed = true;
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (_armed) {
            _armed = false;
            hookRan = true;
            (hookSucceeded, hookResult) = _target.call(_payload);
        }
    }
}

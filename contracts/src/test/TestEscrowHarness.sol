// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Escrow} from "../hub/Escrow.sol";

/// @notice Test double: the escrow with its internal primitives callable, to prove the checks
/// that the hub's own call sequences can never reach.
contract TestEscrowHarness is Escrow {
    constructor(IERC20 token_) Escrow(token_) {}

    /// @notice Exposes `_lock`.
    function lock(address account, uint256 amount) external {
        _lock(account, amount);
    }

    /// @notice Exposes `_unlock`.
    function unlock(address account, uint256 amount) external {
        _unlock(account, amount);
    }

    /// @notice Exposes `_seize`.
    function seize(address account, uint256 amount, bytes32 ref) external {
        _seize(account, amount, ref);
    }
}

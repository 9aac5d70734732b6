// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {IEscrowLedger} from "../interfaces/IEscrowLedger.sol";
import {HubStorage} from "../libs/HubStorage.sol";
import {EscrowAccount} from "../libs/Types.sol";

/// @title EscrowLedger
/// @notice The primitives that move value between the free and frozen parts of accounts,
/// shared by the hub (matching locks funds) and its task module (payments, refunds).
abstract contract EscrowLedger is IEscrowLedger {
    /// @dev Free balance of `account`.
    function _balanceOf(address account) internal view returns (uint256) {
        return HubStorage.layout().accounts[account].balance;
    }

    /// @dev Frozen part of `account`.
    function _frozenOf(address account) internal view returns (uint256) {
        return HubStorage.layout().accounts[account].frozen;
    }

    /// @dev Adds `amount` to the free balance of `account`, refusing to pass 2^128-1.
    function _credit(address account, uint256 amount) internal {
        EscrowAccount storage a = HubStorage.layout().accounts[account];
        uint256 next = uint256(a.balance) + amount;
        if (next > type(uint128).max) revert EscrowAmountTooLarge(next);
        // next ≤ 2^128-1, checked just above.
        a.balance = uint128(next);
    }

    /// @dev Moves `amount` of `account` from balance to frozen.
    function _lock(address account, uint256 amount) internal {
        EscrowAccount storage a = HubStorage.layout().accounts[account];
        if (a.balance < amount) revert EscrowInsufficientBalance(account, a.balance, amount);
        // amount ≤ balance < 2^128, checked just above; frozen + amount ≤ totalSupply < 2^128 in practice,
        // and the checked addition reverts otherwise.
        a.balance -= uint128(amount);
        a.frozen += uint128(amount);
        emit Locked(account, amount);
    }

    /// @dev Moves `amount` of `account` from frozen back to balance.
    function _unlock(address account, uint256 amount) internal {
        EscrowAccount storage a = HubStorage.layout().accounts[account];
        if (a.frozen < amount) revert EscrowInsufficientFrozen(account, a.frozen, amount);
        a.frozen -= uint128(amount);
        a.balance += uint128(amount);
        emit Unlocked(account, amount);
    }

    /// @dev Takes `amount` from the frozen part of `account`; the caller must reward it to someone
    /// in the same transaction, or the ledger stops adding up.
    function _seize(address account, uint256 amount, bytes32 ref) internal {
        EscrowAccount storage a = HubStorage.layout().accounts[account];
        if (a.frozen < amount) revert EscrowInsufficientFrozen(account, a.frozen, amount);
        a.frozen -= uint128(amount);
        HubStorage.layout().totalSupply -= amount;
        emit Seized(account, amount, ref);
    }

    /// @dev Credits `amount`, previously seized in the same transaction, to `account`.
    function _reward(address account, uint256 amount, bytes32 ref) internal {
        _credit(account, amount);
        HubStorage.layout().totalSupply += amount;
        emit Rewarded(account, amount, ref);
    }
}

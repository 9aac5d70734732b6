// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

/// @title IEscrowLedger
/// @notice Events and errors of the escrow ledger, shared by the hub and its task module.
interface IEscrowLedger {
    /// @notice `amount` tokens from `from` were credited to `account`.
    event Deposited(address indexed from, address indexed account, uint256 amount);
    /// @notice `amount` tokens of `account` were paid out to `to`.
    event Withdrawn(address indexed account, address indexed to, uint256 amount);
    /// @notice `amount` of free balance moved from `from` to `to` inside the escrow.
    event Transferred(address indexed from, address indexed to, uint256 amount);
    /// @notice `spender` may move up to `amount` of `owner`'s free balance.
    event Approved(address indexed owner, address indexed spender, uint256 amount);
    /// @notice `amount` moved from the balance of `account` to its frozen part.
    event Locked(address indexed account, uint256 amount);
    /// @notice `amount` moved from the frozen part of `account` back to its balance.
    event Unlocked(address indexed account, uint256 amount);
    /// @notice `amount` was credited to `account` in payment for `ref` (a task or deal id).
    event Rewarded(address indexed account, uint256 amount, bytes32 indexed ref);
    /// @notice `amount` was taken from the frozen part of `account` for `ref`.
    event Seized(address indexed account, uint256 amount, bytes32 indexed ref);

    /// @notice Zero amounts are refused: they would only cost gas.
    error EscrowZeroAmount();
    /// @notice The zero address cannot hold or receive funds.
    error EscrowZeroAddress();
    /// @notice The free balance of `account` is below what is needed.
    error EscrowInsufficientBalance(address account, uint256 balance, uint256 needed);
    /// @notice The frozen part of `account` is below what is needed.
    error EscrowInsufficientFrozen(address account, uint256 frozen, uint256 needed);
    /// @notice `spender` may move only `allowance` of `owner`'s balance, less than `needed`.
    error EscrowInsufficientAllowance(address owner, address spender, uint256 allowance, uint256 needed);
    /// @notice Amounts above 2^128-1 cannot be held.
    error EscrowAmountTooLarge(uint256 amount);
    /// @notice Two arrays that must pair up have different lengths.
    error EscrowArrayLengthMismatch(uint256 amounts, uint256 targets);
}

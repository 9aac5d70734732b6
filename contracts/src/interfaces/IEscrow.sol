// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

/// @title IEscrow
/// @notice Per-account ledger over one ERC-20 payment token. `balance` is free to withdraw or
/// spend; `frozen` is committed to deals. Invariant: the token balance held by the hub equals
/// the sum of every account's balance and frozen.
interface IEscrow {
    /// @notice `amount` tokens from `from` were credited to `account`.
    event Deposited(address indexed from, address indexed account, uint256 amount);
    /// @notice `amount` tokens of `account` were paid out to `to`.
    event Withdrawn(address indexed account, address indexed to, uint256 amount);
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
    /// @notice Amounts above 2^128-1 cannot be held.
    error EscrowAmountTooLarge(uint256 amount);
    /// @notice Two arrays that must pair up have different lengths.
    error EscrowArrayLengthMismatch(uint256 amounts, uint256 targets);

    /// @notice The payment token.
    function token() external view returns (address);

    /// @notice Pulls `amount` tokens from the caller (approve first) into the caller's account.
    function deposit(uint256 amount) external;

    /// @notice Pulls `amount` tokens from the caller into `target`'s account.
    function depositFor(uint256 amount, address target) external;

    /// @notice Pulls tokens from the caller into several accounts at once.
    function depositForArray(uint256[] calldata amounts, address[] calldata targets) external;

    /// @notice Sends `amount` of the caller's free balance to the caller.
    function withdraw(uint256 amount) external;

    /// @notice Sends `amount` of the caller's free balance to `target`.
    function withdrawTo(uint256 amount, address target) external;

    /// @notice Free balance of `account`.
    function balanceOf(address account) external view returns (uint256);

    /// @notice Frozen part of `account`.
    function frozenOf(address account) external view returns (uint256);

    /// @notice Both parts at once, named as PoCo names them: stake (= balance) and locked (= frozen).
    function viewAccount(address account) external view returns (uint256 stake, uint256 locked);

    /// @notice Sum of every account's balance and frozen part.
    function totalSupply() external view returns (uint256);
}

// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {IEscrowLedger} from "./IEscrowLedger.sol";

/// @title IEscrow
/// @notice Per-account ledger over one ERC-20 payment token. `balance` is free to withdraw or
/// spend; `frozen` is committed to deals. Invariant: the token balance held by the hub equals
/// the sum of every account's balance and frozen.
interface IEscrow is IEscrowLedger {
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

    /// @notice Moves `amount` of the caller's free balance to `to`'s, inside the escrow.
    function transfer(address to, uint256 amount) external returns (bool);

    /// @notice Lets `spender` move up to `amount` of the caller's free balance (replaces any earlier allowance).
    function approve(address spender, uint256 amount) external returns (bool);

    /// @notice Moves `amount` of `from`'s free balance to `to`'s, within the caller's allowance.
    function transferFrom(address from, address to, uint256 amount) external returns (bool);

    /// @notice How much of `owner`'s free balance `spender` may still move.
    function allowance(address owner, address spender) external view returns (uint256);

    /// @notice Free balance of `account`.
    function balanceOf(address account) external view returns (uint256);

    /// @notice Frozen part of `account`.
    function frozenOf(address account) external view returns (uint256);

    /// @notice Both parts at once, named as PoCo names them: stake (= balance) and locked (= frozen).
    function viewAccount(address account) external view returns (uint256 stake, uint256 locked);

    /// @notice Sum of every account's balance and frozen part.
    function totalSupply() external view returns (uint256);
}

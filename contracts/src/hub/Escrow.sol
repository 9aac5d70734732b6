// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IEscrow} from "../interfaces/IEscrow.sol";

/// @title Escrow
/// @notice The ledger: free balance and frozen part of each account, packed in one slot.
/// Internal primitives move value between them; only deposit and withdraw move tokens.
abstract contract Escrow is IEscrow, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    struct Account {
        uint128 balance;
        uint128 frozen;
    }

    IERC20 private immutable _token;
    mapping(address account => Account) private _accounts;
    uint256 private _totalSupply;

    constructor(IERC20 token_) {
        _token = token_;
    }

    /// @inheritdoc IEscrow
    function token() external view returns (address) {
        return address(_token);
    }

    /// @inheritdoc IEscrow
    function deposit(uint256 amount) external nonReentrant {
        _deposit(amount, msg.sender);
    }

    /// @inheritdoc IEscrow
    function depositFor(uint256 amount, address target) external nonReentrant {
        _deposit(amount, target);
    }

    /// @inheritdoc IEscrow
    function depositForArray(uint256[] calldata amounts, address[] calldata targets) external nonReentrant {
        if (amounts.length != targets.length) revert EscrowArrayLengthMismatch(amounts.length, targets.length);
        for (uint256 i = 0; i < amounts.length; ++i) {
            _deposit(amounts[i], targets[i]);
        }
    }

    /// @inheritdoc IEscrow
    function withdraw(uint256 amount) external nonReentrant {
        _withdraw(amount, msg.sender);
    }

    /// @inheritdoc IEscrow
    function withdrawTo(uint256 amount, address target) external nonReentrant {
        _withdraw(amount, target);
    }

    /// @inheritdoc IEscrow
    function balanceOf(address account) public view returns (uint256) {
        return _accounts[account].balance;
    }

    /// @inheritdoc IEscrow
    function frozenOf(address account) public view returns (uint256) {
        return _accounts[account].frozen;
    }

    /// @inheritdoc IEscrow
    function viewAccount(address account) external view returns (uint256 stake, uint256 locked) {
        Account storage a = _accounts[account];
        return (a.balance, a.frozen);
    }

    /// @inheritdoc IEscrow
    function totalSupply() external view returns (uint256) {
        return _totalSupply;
    }

    /// @dev Credits what actually arrived, so a token that takes a fee cannot break conservation.
    function _deposit(uint256 amount, address target) private {
        if (amount == 0) revert EscrowZeroAmount();
        if (target == address(0)) revert EscrowZeroAddress();
        uint256 before = _token.balanceOf(address(this));
        _token.safeTransferFrom(msg.sender, address(this), amount);
        uint256 received = _token.balanceOf(address(this)) - before;
        _credit(target, received);
        _totalSupply += received;
        emit Deposited(msg.sender, target, received);
    }

    function _withdraw(uint256 amount, address target) private {
        if (amount == 0) revert EscrowZeroAmount();
        if (target == address(0)) revert EscrowZeroAddress();
        Account storage a = _accounts[msg.sender];
        if (a.balance < amount) revert EscrowInsufficientBalance(msg.sender, a.balance, amount);
        // amount ≤ a.balance < 2^128, checked just above.
        a.balance -= uint128(amount);
        _totalSupply -= amount;
        emit Withdrawn(msg.sender, target, amount);
        _token.safeTransfer(target, amount);
    }

    function _credit(address account, uint256 amount) private {
        Account storage a = _accounts[account];
        uint256 next = uint256(a.balance) + amount;
        if (next > type(uint128).max) revert EscrowAmountTooLarge(next);
        // next ≤ 2^128-1, checked just above.
        a.balance = uint128(next);
    }

    /// @dev Moves `amount` of `account` from balance to frozen.
    function _lock(address account, uint256 amount) internal {
        Account storage a = _accounts[account];
        if (a.balance < amount) revert EscrowInsufficientBalance(account, a.balance, amount);
        // amount ≤ balance < 2^128 and balance + frozen ≤ totalSupply, which deposits cap at 2^128-1 per account.
        a.balance -= uint128(amount);
        a.frozen += uint128(amount);
        emit Locked(account, amount);
    }

    /// @dev Moves `amount` of `account` from frozen back to balance.
    function _unlock(address account, uint256 amount) internal {
        Account storage a = _accounts[account];
        if (a.frozen < amount) revert EscrowInsufficientFrozen(account, a.frozen, amount);
        a.frozen -= uint128(amount);
        a.balance += uint128(amount);
        emit Unlocked(account, amount);
    }

    /// @dev Takes `amount` from the frozen part of `account`; the caller must reward it to someone
    /// in the same transaction, or the ledger stops adding up.
    function _seize(address account, uint256 amount, bytes32 ref) internal {
        Account storage a = _accounts[account];
        if (a.frozen < amount) revert EscrowInsufficientFrozen(account, a.frozen, amount);
        a.frozen -= uint128(amount);
        _totalSupply -= amount;
        emit Seized(account, amount, ref);
    }

    /// @dev Credits `amount`, previously seized in the same transaction, to `account`.
    function _reward(address account, uint256 amount, bytes32 ref) internal {
        _credit(account, amount);
        _totalSupply += amount;
        emit Rewarded(account, amount, ref);
    }
}

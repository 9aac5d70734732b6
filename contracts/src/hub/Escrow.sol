// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IEscrow} from "../interfaces/IEscrow.sol";
import {EscrowLedger} from "./EscrowLedger.sol";
import {HubStorage} from "../libs/HubStorage.sol";
import {EscrowAccount} from "../libs/Types.sol";

/// @title Escrow
/// @notice Deposits and withdrawals, the only functions that move tokens in or out of the hub, and
/// transfers of free balance between accounts (directly, or by an approved spender such as the
/// sharing contract collecting a rental).
abstract contract Escrow is IEscrow, EscrowLedger, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    IERC20 private immutable _token;

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
    function transfer(address to, uint256 amount) external returns (bool) {
        _transfer(msg.sender, to, amount);
        return true;
    }

    /// @inheritdoc IEscrow
    function approve(address spender, uint256 amount) external returns (bool) {
        if (spender == address(0)) revert EscrowZeroAddress();
        HubStorage.layout().allowances[msg.sender][spender] = amount;
        emit Approved(msg.sender, spender, amount);
        return true;
    }

    /// @inheritdoc IEscrow
    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        mapping(address => uint256) storage allowances = HubStorage.layout().allowances[from];
        uint256 allowed = allowances[msg.sender];
        if (allowed != type(uint256).max) {
            if (allowed < amount) revert EscrowInsufficientAllowance(from, msg.sender, allowed, amount);
            allowances[msg.sender] = allowed - amount;
        }
        _transfer(from, to, amount);
        return true;
    }

    /// @inheritdoc IEscrow
    function allowance(address owner, address spender) external view returns (uint256) {
        return HubStorage.layout().allowances[owner][spender];
    }

    /// @inheritdoc IEscrow
    function balanceOf(address account) external view returns (uint256) {
        return _balanceOf(account);
    }

    /// @inheritdoc IEscrow
    function frozenOf(address account) external view returns (uint256) {
        return _frozenOf(account);
    }

    /// @inheritdoc IEscrow
    function viewAccount(address account) external view returns (uint256 stake, uint256 locked) {
        EscrowAccount storage a = HubStorage.layout().accounts[account];
        return (a.balance, a.frozen);
    }

    /// @inheritdoc IEscrow
    function totalSupply() external view returns (uint256) {
        return HubStorage.layout().totalSupply;
    }

    /// @dev Credits what actually arrived, so a token that takes a fee cannot break conservation.
    function _deposit(uint256 amount, address target) private {
        if (amount == 0) revert EscrowZeroAmount();
        if (target == address(0)) revert EscrowZeroAddress();
        uint256 before = _token.balanceOf(address(this));
        _token.safeTransferFrom(msg.sender, address(this), amount);
        uint256 received = _token.balanceOf(address(this)) - before;
        _credit(target, received);
        HubStorage.layout().totalSupply += received;
        emit Deposited(msg.sender, target, received);
    }

    /// @dev Moves free balance between accounts; the total supply does not change.
    function _transfer(address from, address to, uint256 amount) private {
        if (amount == 0) revert EscrowZeroAmount();
        if (to == address(0)) revert EscrowZeroAddress();
        EscrowAccount storage a = HubStorage.layout().accounts[from];
        if (a.balance < amount) revert EscrowInsufficientBalance(from, a.balance, amount);
        // amount ≤ a.balance < 2^128, checked just above.
        a.balance -= uint128(amount);
        _credit(to, amount);
        emit Transferred(from, to, amount);
    }

    function _withdraw(uint256 amount, address target) private {
        if (amount == 0) revert EscrowZeroAmount();
        if (target == address(0)) revert EscrowZeroAddress();
        EscrowAccount storage a = HubStorage.layout().accounts[msg.sender];
        if (a.balance < amount) revert EscrowInsufficientBalance(msg.sender, a.balance, amount);
        // amount ≤ a.balance < 2^128, checked just above.
        a.balance -= uint128(amount);
        HubStorage.layout().totalSupply -= amount;
        emit Withdrawn(msg.sender, target, amount);
        _token.safeTransfer(target, amount);
    }
}

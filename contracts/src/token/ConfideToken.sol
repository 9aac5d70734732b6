// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title ConfideToken
/// @notice The devnet payment token: 9 decimals like RLC, minted by its owner, and a faucet
/// that gives anyone up to `FAUCET_LIMIT` per call. Never deploy it where tokens have value.
contract ConfideToken is ERC20, Ownable {
    /// @notice Most a single faucet call gives (1,000 tokens).
    uint256 public constant FAUCET_LIMIT = 1000e9;

    /// @notice A faucet request above `FAUCET_LIMIT`.
    error TokenFaucetLimitExceeded(uint256 requested, uint256 limit);

    constructor(address owner) ERC20("Confide Test Token", "CFD") Ownable(owner) {}

    /// @notice Nine decimals, as RLC: prices are counted in nano-tokens.
    function decimals() public pure override returns (uint8) {
        return 9;
    }

    /// @notice Mints `amount` to `to` (owner only).
    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
    }

    /// @notice Gives `amount` (≤ FAUCET_LIMIT) to `to`. Devnet convenience.
    function faucet(address to, uint256 amount) external {
        if (amount > FAUCET_LIMIT) revert TokenFaucetLimitExceeded(amount, FAUCET_LIMIT);
        _mint(to, amount);
    }
}

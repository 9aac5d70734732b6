// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {Category, Consensus, Deal, EscrowAccount, Policy, Task} from "./Types.sol";

/// @title HubStorage
/// @notice All state of the hub in one ERC-7201 namespace, so the hub and the task module it
/// delegates to read and write the same slots whatever their inheritance.
/// @custom:storage-location erc7201:confide.storage.Hub
library HubStorage {
    struct Layout {
        mapping(address account => EscrowAccount) accounts;
        uint256 totalSupply;
        Category[] categories;
        mapping(bytes32 orderHash => uint256 consumed) consumed;
        mapping(bytes32 orderHash => address owner) presigned;
        mapping(bytes32 dealId => Deal) deals;
        mapping(bytes32 taskId => Task) tasks;
        uint256 callbackGas;
        mapping(bytes32 taskId => Consensus) consensus;
        mapping(address worker => uint256 score) scores;
        mapping(address owner => mapping(address spender => uint256 amount)) allowances;
        mapping(address dataset => Policy) policies;
    }

    /// @dev keccak256(abi.encode(uint256(keccak256("confide.storage.Hub")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant LOCATION = 0xc59a6cdc2d056fb0c7712e207b25eb03f10de9330c00013d8dbf62f80d611500;

    /// @dev The hub's state.
    function layout() internal pure returns (Layout storage state) {
        bytes32 location = LOCATION;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            state.slot := location
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

/// @dev Protocol constants shared by the hub and its task module (values as PoCo).

/// @dev Share of the workerpool price its owner stakes per task, in percent.
uint256 constant WORKERPOOL_STAKE_RATIO_PERCENT = 30;
/// @dev Tag bit 0: the deal must run in a TEE.
bytes32 constant TAG_TEE_BIT = bytes32(uint256(1));
/// @dev Gas given to result callbacks until the hub owner changes it.
uint256 constant DEFAULT_CALLBACK_GAS = 200_000;

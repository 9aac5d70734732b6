// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {IAssetRegistry} from "../interfaces/IAssetRegistry.sol";
import {Tasks} from "./Tasks.sol";
import {Policies} from "./Policies.sol";

/// @title ConfideTaskModule
/// @notice The task lifecycle's code, kept out of the hub so both fit the EIP-170 size limit.
/// The hub delegates every selector it does not know to this contract; it must be deployed with
/// the same registries as the hub. Called directly, its state-changing functions refuse. It also
/// manages the owner policies of protected data, which the hub enforces when matching.
contract ConfideTaskModule is Tasks, Policies {
    constructor(IAssetRegistry apps, IAssetRegistry datasets) Tasks(apps, datasets) {}
}

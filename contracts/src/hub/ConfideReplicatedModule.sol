// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {IAssetRegistry} from "../interfaces/IAssetRegistry.sol";
import {ReplicatedTasks} from "./ReplicatedTasks.sol";

/// @title ConfideReplicatedModule
/// @notice The replicated (Proof-of-Contribution) task code, in its own contract so the hub and both
/// modules fit the EIP-170 size limit. The hub delegates the IReplicatedTasks selectors to it; it must
/// be deployed with the same registries as the hub. Called directly, its state-changing functions refuse.
contract ConfideReplicatedModule is ReplicatedTasks {
    constructor(IAssetRegistry apps, IAssetRegistry datasets) ReplicatedTasks(apps, datasets) {}
}

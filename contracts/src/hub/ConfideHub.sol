// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IConfideHub} from "../interfaces/IConfideHub.sol";
import {IAssetRegistry} from "../interfaces/IAssetRegistry.sol";
import {Escrow} from "./Escrow.sol";
import {OrderManagement} from "./OrderManagement.sol";
import {Tasks} from "./Tasks.sol";

/// @title ConfideHub
/// @notice The protocol's entry point. Its owner may only add categories and set callback gas:
/// it can neither move funds nor alter orders, deals or tasks.
contract ConfideHub is IConfideHub, Tasks {
    constructor(
        address owner,
        IERC20 paymentToken,
        IAssetRegistry apps,
        IAssetRegistry datasets,
        IAssetRegistry workerpools
    ) Ownable(owner) Escrow(paymentToken) OrderManagement(apps, datasets, workerpools) {}

    /// @inheritdoc IConfideHub
    function appRegistry() external view returns (address) {
        return address(_appRegistry);
    }

    /// @inheritdoc IConfideHub
    function datasetRegistry() external view returns (address) {
        return address(_datasetRegistry);
    }

    /// @inheritdoc IConfideHub
    function workerpoolRegistry() external view returns (address) {
        return address(_workerpoolRegistry);
    }
}

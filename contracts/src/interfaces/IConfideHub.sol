// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {IEscrow} from "./IEscrow.sol";
import {ICategories} from "./ICategories.sol";
import {IOrderManagement} from "./IOrderManagement.sol";
import {IMatching} from "./IMatching.sol";
import {ITasks} from "./ITasks.sol";

/// @title IConfideHub
/// @notice The protocol's one entry point: escrow, categories, orders, deals and tasks.
interface IConfideHub is IOrderManagement, IEscrow, ICategories, IMatching, ITasks {
    /// @notice The app registry this hub trusts.
    function appRegistry() external view returns (address);
    /// @notice The dataset registry this hub trusts.
    function datasetRegistry() external view returns (address);
    /// @notice The workerpool registry this hub trusts.
    function workerpoolRegistry() external view returns (address);
}

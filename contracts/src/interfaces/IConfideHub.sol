// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IEscrow} from "./IEscrow.sol";
import {ICategories} from "./ICategories.sol";
import {IOrderManagement} from "./IOrderManagement.sol";
import {IMatching} from "./IMatching.sol";
import {ITasks} from "./ITasks.sol";

/// @title IConfideHub
/// @notice The protocol's one entry point: escrow, categories, orders, deals and tasks. It lists the
/// standard ERC-20 errors too, which a deposit bubbles up from the token, so clients can decode them.
interface IConfideHub is IOrderManagement, IEscrow, ICategories, IMatching, ITasks, IERC20Errors {
    /// @notice The app registry this hub trusts.
    function appRegistry() external view returns (address);
    /// @notice The dataset registry this hub trusts.
    function datasetRegistry() external view returns (address);
    /// @notice The workerpool registry this hub trusts.
    function workerpoolRegistry() external view returns (address);
}

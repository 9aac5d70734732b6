// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IEscrow} from "./IEscrow.sol";
import {IConfiguration} from "./IConfiguration.sol";
import {IOrderManagement} from "./IOrderManagement.sol";
import {IMatching} from "./IMatching.sol";
import {ITasks} from "./ITasks.sol";
import {IReplicatedTasks} from "./IReplicatedTasks.sol";
import {IHubInfo} from "./IHubInfo.sol";
import {IDataPolicy} from "./IDataPolicy.sol";

/// @title IConfideHub
/// @notice The protocol's one address, whole: escrow, configuration, orders, deals (ConfideHub),
/// owner policies of protected data and tasks (ConfideTaskModule and ConfideReplicatedModule, reached
/// through the hub). It lists the standard ERC-20 errors too, which a deposit bubbles up from the
/// token, so clients can decode them.
// An aggregate interface: every member is inherited, so its own body is empty by design.
// solhint-disable-next-line no-empty-blocks
interface IConfideHub is
    IOrderManagement,
    IEscrow,
    IConfiguration,
    IMatching,
    ITasks,
    IReplicatedTasks,
    IHubInfo,
    IDataPolicy,
    IERC20Errors
{}

// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IAssetRegistry} from "../interfaces/IAssetRegistry.sol";
import {IHubInfo} from "../interfaces/IHubInfo.sol";
import {Escrow} from "./Escrow.sol";
import {OrderManagement} from "./OrderManagement.sol";
import {Matching} from "./Matching.sol";

/// @title ConfideHub
/// @notice The protocol's one address (IConfideHub is its whole interface): escrow,
/// configuration, orders and matching are here; any other selector runs the task module's code
/// in this contract's context (delegatecall), on the same namespaced storage. Not upgradeable:
/// the module's address is fixed at construction. Lists the ERC-20 errors a deposit can bubble up.
contract ConfideHub is Matching, IHubInfo, IERC20Errors {
    address private immutable _taskModule;

    constructor(
        address owner,
        IERC20 paymentToken,
        IAssetRegistry apps,
        IAssetRegistry datasets,
        IAssetRegistry workerpools,
        address taskModule_
    ) Ownable(owner) Escrow(paymentToken) OrderManagement(apps, datasets, workerpools) {
        _taskModule = taskModule_;
    }

    /// @notice Runs the task module's code for every selector the hub does not implement.
    // A delegating fallback is the point of this design, not an accident: silence the rule.
    // solhint-disable-next-line no-complex-fallback
    fallback() external {
        address module = _taskModule;
        // solhint-disable-next-line no-inline-assembly
        assembly {
            calldatacopy(0, 0, calldatasize())
            let ok := delegatecall(gas(), module, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            switch ok
            case 0 { revert(0, returndatasize()) }
            default { return(0, returndatasize()) }
        }
    }

    /// @inheritdoc IHubInfo
    function appRegistry() external view returns (address) {
        return address(_appRegistry);
    }

    /// @inheritdoc IHubInfo
    function datasetRegistry() external view returns (address) {
        return address(_datasetRegistry);
    }

    /// @inheritdoc IHubInfo
    function workerpoolRegistry() external view returns (address) {
        return address(_workerpoolRegistry);
    }

    /// @inheritdoc IHubInfo
    function taskModule() external view returns (address) {
        return _taskModule;
    }
}

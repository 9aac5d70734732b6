// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IAssetRegistry} from "../interfaces/IAssetRegistry.sol";
import {IHubInfo} from "../interfaces/IHubInfo.sol";
import {IReplicatedTasks} from "../interfaces/IReplicatedTasks.sol";
import {Escrow} from "./Escrow.sol";
import {OrderManagement} from "./OrderManagement.sol";
import {Matching} from "./Matching.sol";

/// @title ConfideHub
/// @notice The protocol's one address (IConfideHub is its whole interface): escrow,
/// configuration, orders and matching are here; the replicated-task selectors (IReplicatedTasks) run
/// the replicated module's code and any other selector the task module's, in this contract's context
/// (delegatecall), on the same namespaced storage. Not upgradeable: the modules' addresses are fixed
/// at construction. Lists the ERC-20 errors a deposit can bubble up.
contract ConfideHub is Matching, IHubInfo, IERC20Errors {
    address private immutable _taskModule;
    address private immutable _replicatedModule;

    constructor(
        address owner,
        IERC20 paymentToken,
        IAssetRegistry apps,
        IAssetRegistry datasets,
        IAssetRegistry workerpools,
        address taskModule_,
        address replicatedModule_
    ) Ownable(owner) Escrow(paymentToken) OrderManagement(apps, datasets, workerpools) {
        _taskModule = taskModule_;
        _replicatedModule = replicatedModule_;
    }

    /// @notice Runs the replicated module's code for its selectors, the task module's for every other
    /// selector the hub does not implement.
    // A delegating fallback is the point of this design, not an accident: silence the rule.
    // solhint-disable-next-line no-complex-fallback
    fallback() external {
        address module = _isReplicatedSelector(msg.sig) ? _replicatedModule : _taskModule;
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

    /// @inheritdoc IHubInfo
    function replicatedModule() external view returns (address) {
        return _replicatedModule;
    }

    /// @dev The selectors of IReplicatedTasks; hub.modules.test.ts checks the list is complete.
    function _isReplicatedSelector(bytes4 selector) private pure returns (bool) {
        return selector == IReplicatedTasks.contribute.selector || selector == IReplicatedTasks.reveal.selector
            || selector == IReplicatedTasks.reopen.selector || selector == IReplicatedTasks.finalize.selector
            || selector == IReplicatedTasks.viewConsensus.selector
            || selector == IReplicatedTasks.viewContribution.selector
            || selector == IReplicatedTasks.viewScore.selector;
    }
}

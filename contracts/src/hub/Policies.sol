// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {IDataPolicy} from "../interfaces/IDataPolicy.sol";
import {TaskCommon} from "./TaskCommon.sol";
import {HubStorage} from "../libs/HubStorage.sol";
import {PolicyRules} from "../libs/PolicyRules.sol";
import {Policy, PolicyTerms} from "../libs/Types.sol";

/// @title Policies
/// @notice Managing and reading the owner policies of protected data. Part of the task module (the
/// hub delegates these selectors to it) so the hub fits the EIP-170 limit; the hub itself enforces
/// the policies when it matches orders, from the same storage.
abstract contract Policies is IDataPolicy, TaskCommon {
    using PolicyRules for Policy;

    /// @inheritdoc IDataPolicy
    function setPolicy(address dataset, PolicyTerms calldata terms) external onlyThroughHub {
        Policy storage p = _ownedPolicy(dataset);
        p.active = true;
        p.restrictApps = terms.restrictApps;
        p.restrictUsers = terms.restrictUsers;
        p.pricePerUse = terms.pricePerUse;
        p.maxUses = terms.maxUses;
        p.expiry = terms.expiry;
        p.maxResultSize = terms.maxResultSize;
        emit PolicySet(dataset, terms);
    }

    /// @inheritdoc IDataPolicy
    function allowApps(address dataset, address[] calldata apps) external onlyThroughHub {
        Policy storage p = _ownedPolicy(dataset);
        for (uint256 i = 0; i < apps.length; ++i) {
            p.apps[apps[i]] = true;
            emit PolicyAppAllowed(dataset, apps[i]);
        }
    }

    /// @inheritdoc IDataPolicy
    function allowUsers(address dataset, address[] calldata users) external onlyThroughHub {
        Policy storage p = _ownedPolicy(dataset);
        for (uint256 i = 0; i < users.length; ++i) {
            p.users[users[i]] = true;
            emit PolicyUserAllowed(dataset, users[i]);
        }
    }

    /// @inheritdoc IDataPolicy
    function revokeUsers(address dataset, address[] calldata users) external onlyThroughHub {
        Policy storage p = _ownedPolicy(dataset);
        for (uint256 i = 0; i < users.length; ++i) {
            p.users[users[i]] = false;
            emit PolicyUserRevoked(dataset, users[i]);
        }
    }

    /// @inheritdoc IDataPolicy
    function viewPolicy(address dataset) external view returns (PolicyInfo memory) {
        Policy storage p = HubStorage.layout().policies[dataset];
        return PolicyInfo(
            p.active, p.restrictApps, p.restrictUsers, p.pricePerUse, p.maxUses, p.uses, p.expiry, p.maxResultSize
        );
    }

    /// @inheritdoc IDataPolicy
    function isAppAllowed(address dataset, address app) external view returns (bool) {
        Policy storage p = HubStorage.layout().policies[dataset];
        return !p.restrictApps || p.apps[app];
    }

    /// @inheritdoc IDataPolicy
    function isUserAllowed(address dataset, address user) external view returns (bool) {
        Policy storage p = HubStorage.layout().policies[dataset];
        return !p.restrictUsers || p.users[user];
    }

    /// @inheritdoc IDataPolicy
    function checkPolicy(
        address dataset,
        address app,
        address requester,
        address beneficiary,
        uint256 price,
        uint256 volume
    ) external view {
        Policy storage p = HubStorage.layout().policies[dataset];
        if (p.active) p.check(dataset, app, requester, beneficiary, price, volume);
    }

    /// @inheritdoc IDataPolicy
    function checkResultSize(address dataset, uint256 size) external view {
        uint256 max = HubStorage.layout().policies[dataset].maxResultSize;
        if (max != 0 && size > max) revert PolicyResultTooLarge(dataset, size, max);
    }

    /// @dev The policy of `dataset`, if the caller owns the dataset.
    function _ownedPolicy(address dataset) private view returns (Policy storage) {
        address owner = _datasetRegistry.ownerOfAsset(dataset);
        if (owner != msg.sender || owner == address(0)) revert PolicyNotDatasetOwner(dataset, msg.sender, owner);
        return HubStorage.layout().policies[dataset];
    }
}

// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {PolicyTerms} from "../libs/Types.sol";

/// @title IDataPolicy
/// @notice One owner policy per protected data: which apps and users may use it, for at least what
/// price per task, how many times, until when, and how large a result may be. The hub checks it on
/// every match that names the data, whoever authorized the dataset order (a grant, a rental, a
/// subscription), so a change takes effect for every later match. Without a policy, anything goes.
interface IDataPolicy {
    /// @notice A policy as `viewPolicy` shows it; `uses` counts the tasks matched since it was first set.
    struct PolicyInfo {
        bool active;
        bool restrictApps;
        bool restrictUsers;
        uint96 pricePerUse;
        uint32 maxUses;
        uint32 uses;
        uint40 expiry;
        uint64 maxResultSize;
    }

    /// @notice The owner of `dataset` set (or changed) its policy.
    event PolicySet(address indexed dataset, PolicyTerms terms);
    /// @notice `app` joined the app allow-list of `dataset`'s policy (for good: that list only grows).
    event PolicyAppAllowed(address indexed dataset, address indexed app);
    /// @notice `user` joined the user allow-list of `dataset`'s policy.
    event PolicyUserAllowed(address indexed dataset, address indexed user);
    /// @notice `user` left the user allow-list of `dataset`'s policy.
    event PolicyUserRevoked(address indexed dataset, address indexed user);

    /// @notice Only the dataset's owner (zero: unregistered) may manage its policy.
    error PolicyNotDatasetOwner(address dataset, address caller, address owner);
    /// @notice The policy admits only allow-listed apps, and `app` is not one.
    error PolicyAppNotAllowed(address dataset, address app);
    /// @notice The policy admits only allow-listed users, and `user` (requester or beneficiary) is not one.
    error PolicyUserNotAllowed(address dataset, address user);
    /// @notice The dataset order's price is below the policy's price per use.
    error PolicyPriceTooLow(address dataset, uint256 price, uint256 pricePerUse);
    /// @notice `volume` more tasks would take the data past its maximum number of uses.
    error PolicyMaxUsesReached(address dataset, uint256 uses, uint256 volume, uint256 maxUses);
    /// @notice The policy expired at `expiry`: no deal may use the data any more.
    error PolicyExpired(address dataset, uint256 expiry);
    /// @notice A result of `size` bytes exceeds the policy's maximum result size.
    error PolicyResultTooLarge(address dataset, uint256 size, uint256 maxResultSize);

    /// @notice Sets the policy of `dataset` (its owner only); uses counted and allow-lists are kept.
    function setPolicy(address dataset, PolicyTerms calldata terms) external;
    /// @notice Adds apps to the app allow-list of `dataset`'s policy (its owner only); none can be removed.
    function allowApps(address dataset, address[] calldata apps) external;
    /// @notice Adds users to the user allow-list of `dataset`'s policy (its owner only).
    function allowUsers(address dataset, address[] calldata users) external;
    /// @notice Removes users from the user allow-list of `dataset`'s policy (its owner only).
    function revokeUsers(address dataset, address[] calldata users) external;

    /// @notice The policy of `dataset`; `active` is false if none was ever set.
    function viewPolicy(address dataset) external view returns (PolicyInfo memory);
    /// @notice Whether `app` may use `dataset` under its policy.
    function isAppAllowed(address dataset, address app) external view returns (bool);
    /// @notice Whether `user` may use `dataset` under its policy.
    function isUserAllowed(address dataset, address user) external view returns (bool);
    /// @notice Reverts with the error a match would raise for these terms, as `matchOrders` checks them.
    function checkPolicy(
        address dataset,
        address app,
        address requester,
        address beneficiary,
        uint256 price,
        uint256 volume
    ) external view;
    /// @notice Reverts with `PolicyResultTooLarge` if a result of `size` bytes exceeds the policy; the
    /// enclave runtime enforces the same limit (a result over it fails the task, which refunds).
    function checkResultSize(address dataset, uint256 size) external view;
}

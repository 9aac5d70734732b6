// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

/// @title IDeals
/// @notice What matching and tasks share about deals.
interface IDeals {
    /// @notice No deal has this id.
    error DealNotFound(bytes32 dealId);
}

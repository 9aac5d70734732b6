// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {Category} from "../libs/Types.sol";

/// @title IConfiguration
/// @notice What the hub owner may set: compute categories, and the gas given to result callbacks.
/// Nothing else: the owner can neither move funds nor alter orders, deals or tasks. A task may
/// run for its category's `workClockTimeRef` seconds; its deal expires after 10 times that.
interface IConfiguration {
    /// @notice A category was added by the hub owner.
    event CategoryCreated(uint256 indexed catid, string name, string description, uint256 workClockTimeRef);

    /// @notice The hub owner changed the gas given to result callbacks.
    event CallbackGasUpdated(uint256 oldGas, uint256 newGas);

    /// @notice No category has this id.
    error CategoryUnknown(uint256 catid, uint256 count);
    /// @notice A time reference of zero, or above 2^24-1 seconds (194 days).
    error CategoryInvalidTimeRef(uint256 workClockTimeRef);

    /// @notice Adds a category (hub owner only).
    /// @return catid the new category's id
    function createCategory(string calldata name, string calldata description, uint256 workClockTimeRef)
        external
        returns (uint256 catid);

    /// @notice A category by id; reverts with `CategoryUnknown` if none.
    function viewCategory(uint256 catid) external view returns (Category memory);

    /// @notice Number of categories.
    function countCategory() external view returns (uint256);

    /// @notice Sets the gas given to result callbacks (hub owner only).
    function setCallbackGas(uint256 gas) external;

    /// @notice Gas given to result callbacks (200,000 by default).
    function callbackGas() external view returns (uint256);
}

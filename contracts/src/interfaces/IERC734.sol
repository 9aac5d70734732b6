// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

/// @title IERC734
/// @notice The one ERC-734 (key manager) call a restriction group must answer. An order whose
/// restriction is such a contract admits any account that holds a key with purpose 4.
interface IERC734 {
    /// @notice Whether `key` (an address left-padded to 32 bytes) has `purpose`.
    function keyHasPurpose(bytes32 key, uint256 purpose) external view returns (bool);
}

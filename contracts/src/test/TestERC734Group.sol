// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {IERC734} from "../interfaces/IERC734.sol";

/// @notice Test double: an ERC-734 group whose members hold purpose 4.
contract TestERC734Group is IERC734 {
    mapping(bytes32 key => mapping(uint256 purpose => bool held)) private _keys;

    /// @notice Gives `account` a key with `purpose`.
    function addKey(address account, uint256 purpose) external {
        _keys[bytes32(uint256(uint160(account)))][purpose] = true;
    }

    /// @inheritdoc IERC734
    function keyHasPurpose(bytes32 key, uint256 purpose) external view returns (bool) {
        return _keys[key][purpose];
    }
}

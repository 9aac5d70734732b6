// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {IAssetRegistry} from "../interfaces/IAssetRegistry.sol";

/// @title AssetRegistry
/// @notice ERC-721 base of the three registries. An asset's identifier is address-shaped and
/// derived from the registry, the owner and a hash of the asset's fields, so it is known
/// before creation and no contract is deployed per asset (PoCo deploys a proxy per asset).
abstract contract AssetRegistry is ERC721, IAssetRegistry {
    constructor(string memory name_, string memory symbol_) ERC721(name_, symbol_) {}

    /// @inheritdoc IAssetRegistry
    function isRegistered(address asset) public view returns (bool) {
        return _ownerOf(uint256(uint160(asset))) != address(0);
    }

    /// @inheritdoc IAssetRegistry
    function ownerOfAsset(address asset) public view returns (address) {
        return _ownerOf(uint256(uint160(asset)));
    }

    /// @dev The owner of `asset`; reverts with `RegistryAssetUnknown` if none.
    function _existingOwner(address asset) internal view returns (address owner) {
        owner = _ownerOf(uint256(uint160(asset)));
        if (owner == address(0)) revert RegistryAssetUnknown(asset);
    }

    /// @dev The identifier of an asset with fields hashing to `fieldsHash`, owned by `owner`.
    function _predict(address owner, bytes32 fieldsHash) internal view returns (address) {
        return address(uint160(uint256(keccak256(abi.encode(address(this), owner, fieldsHash)))));
    }

    /// @dev Mints the asset; a second asset with the same fields and owner is refused.
    function _register(address owner, bytes32 fieldsHash) internal returns (address asset) {
        asset = _predict(owner, fieldsHash);
        if (isRegistered(asset)) revert RegistryAssetExists(asset);
        _mint(owner, uint256(uint160(asset)));
    }

    /// @dev Reverts unless `msg.sender` owns `asset`.
    function _checkAssetOwner(address asset) internal view {
        address owner = _existingOwner(asset);
        if (owner != msg.sender) revert RegistryNotAssetOwner(asset, msg.sender, owner);
    }
}

// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

/// @title IAssetRegistry
/// @notice What the three registries (apps, datasets, workerpools) share. Each asset is an
/// ERC-721 token whose id is its address-shaped identifier: `tokenId == uint160(asset)`.
/// Ownership transfer is an NFT transfer.
interface IAssetRegistry {
    /// @notice An asset with these exact fields and owner already exists.
    error RegistryAssetExists(address asset);
    /// @notice No asset is registered under this identifier.
    error RegistryAssetUnknown(address asset);
    /// @notice Only the asset's owner may do this.
    error RegistryNotAssetOwner(address asset, address caller, address owner);
    /// @notice Assets need a non-empty name (description for workerpools).
    error RegistryEmptyName();

    /// @notice Whether `asset` was created by this registry.
    function isRegistered(address asset) external view returns (bool);

    /// @notice The current owner of `asset`, or the zero address if it is not registered.
    function ownerOfAsset(address asset) external view returns (address);
}

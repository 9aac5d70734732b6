// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {IAssetRegistry} from "./IAssetRegistry.sol";

/// @title IAppRegistry
/// @notice Registry of applications. An app is code (at `multiaddr`, with `checksum`) and,
/// for TEE apps, the enclave measurement (`fingerprint`) the SMS compares quotes against.
interface IAppRegistry is IAssetRegistry {
    /// @notice Everything known about an app, in one call.
    struct AppInfo {
        address owner;
        string name;
        string appType;
        bytes multiaddr;
        bytes32 checksum;
        bytes fingerprint;
    }

    /// @notice An app was registered.
    event AppCreated(address indexed app, address indexed owner, string name, bytes fingerprint);

    /// @notice Registers an app owned by `owner`; its address is `predictApp` of the same arguments.
    /// @param owner who receives the app NFT
    /// @param name human-readable name, non-empty
    /// @param appType runtime kind, e.g. "NODE" or "DOCKER"
    /// @param multiaddr where the bundle lives, e.g. `/ipfs/<cid>` bytes
    /// @param checksum SHA-256 of the bundle bytes
    /// @param fingerprint enclave measurement of the bundle (empty for non-TEE apps)
    /// @return app the new app's identifier
    function createApp(
        address owner,
        string calldata name,
        string calldata appType,
        bytes calldata multiaddr,
        bytes32 checksum,
        bytes calldata fingerprint
    ) external returns (address app);

    /// @notice The identifier `createApp` would give these arguments.
    function predictApp(
        address owner,
        string calldata name,
        string calldata appType,
        bytes calldata multiaddr,
        bytes32 checksum,
        bytes calldata fingerprint
    ) external view returns (address);

    /// @notice An app's fields and current owner; reverts with `RegistryAssetUnknown` if none.
    function viewApp(address app) external view returns (AppInfo memory);
}

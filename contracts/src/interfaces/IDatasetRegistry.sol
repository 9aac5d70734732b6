// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {IAssetRegistry} from "./IAssetRegistry.sol";

/// @title IDatasetRegistry
/// @notice Registry of encrypted datasets. The checksum is the SHA-256 of the ciphertext.
interface IDatasetRegistry is IAssetRegistry {
    /// @notice Everything known about a dataset, in one call.
    struct DatasetInfo {
        address owner;
        string name;
        bytes multiaddr;
        bytes32 checksum;
    }

    /// @notice A dataset was registered.
    event DatasetCreated(address indexed dataset, address indexed owner, string name);

    /// @notice A dataset's ciphertext moved (its key was rotated): tasks now fetch `multiaddr`
    /// and check `checksum`.
    event DatasetUpdated(address indexed dataset, bytes multiaddr, bytes32 checksum);

    /// @notice An update needs a location for the ciphertext.
    error DatasetMultiaddrEmpty(address dataset);
    /// @notice An update must change the ciphertext: the checksum is the one already registered.
    error DatasetChecksumUnchanged(address dataset, bytes32 checksum);

    /// @notice Registers a dataset owned by `owner`.
    /// @param owner who receives the dataset NFT
    /// @param name human-readable name, non-empty
    /// @param multiaddr where the ciphertext lives, e.g. `/ipfs/<cid>` bytes
    /// @param checksum SHA-256 of the ciphertext
    /// @return dataset the new dataset's identifier
    function createDataset(address owner, string calldata name, bytes calldata multiaddr, bytes32 checksum)
        external
        returns (address dataset);

    /// @notice The identifier `createDataset` would give these arguments.
    function predictDataset(address owner, string calldata name, bytes calldata multiaddr, bytes32 checksum)
        external
        view
        returns (address);

    /// @notice Points the dataset at a new ciphertext, e.g. after its key was rotated. Only its
    /// owner may; the identifier and name stay. Tasks read the location and checksum at run time.
    /// @param dataset the dataset to update
    /// @param multiaddr where the new ciphertext lives, non-empty
    /// @param checksum SHA-256 of the new ciphertext, different from the registered one
    function updateDataset(address dataset, bytes calldata multiaddr, bytes32 checksum) external;

    /// @notice A dataset's fields and current owner; reverts with `RegistryAssetUnknown` if none.
    function viewDataset(address dataset) external view returns (DatasetInfo memory);
}

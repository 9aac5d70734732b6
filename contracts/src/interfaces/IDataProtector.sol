// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {IDatasetRegistry} from "./IDatasetRegistry.sol";

/// @title IDataProtector
/// @notice Creates a protected data in one call: a dataset registered for its owner, with the
/// schema of its content (the protected-data zip's keys and types) emitted for indexers.
interface IDataProtector {
    /// @notice `dataset` was created with this schema (JSON: key → type, nested objects allowed).
    event DatasetSchema(address indexed dataset, string schema);

    /// @notice The schema is empty; a protected data always has at least one key.
    error DataProtectorEmptySchema();

    /// @notice The registry this contract creates datasets in.
    function datasetRegistry() external view returns (IDatasetRegistry);

    /// @notice Registers a dataset owned by `owner` and emits its schema, atomically.
    /// @param owner who receives the dataset NFT
    /// @param name human-readable name, non-empty
    /// @param schema JSON of the data's schema (e.g. `{"csv":"application/octet-stream"}`), non-empty
    /// @param multiaddr where the ciphertext lives, e.g. `/ipfs/<cid>` bytes
    /// @param checksum SHA-256 of the ciphertext
    /// @return dataset the new dataset's identifier
    function createDatasetWithSchema(
        address owner,
        string calldata name,
        string calldata schema,
        bytes calldata multiaddr,
        bytes32 checksum
    ) external returns (address dataset);
}

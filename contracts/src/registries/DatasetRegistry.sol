// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {AssetRegistry} from "./AssetRegistry.sol";
import {IDatasetRegistry} from "../interfaces/IDatasetRegistry.sol";

/// @title DatasetRegistry
/// @notice Encrypted datasets as ERC-721 tokens.
contract DatasetRegistry is AssetRegistry, IDatasetRegistry {
    struct Dataset {
        string name;
        bytes multiaddr;
        bytes32 checksum;
    }

    mapping(address dataset => Dataset) private _datasets;

    constructor() AssetRegistry("Confide Dataset Registry", "CFDDATA") {}

    /// @inheritdoc IDatasetRegistry
    function createDataset(address owner, string calldata name, bytes calldata multiaddr, bytes32 checksum)
        external
        returns (address dataset)
    {
        if (bytes(name).length == 0) revert RegistryEmptyName();
        dataset = _register(owner, keccak256(abi.encode(name, multiaddr, checksum)));
        _datasets[dataset] = Dataset(name, multiaddr, checksum);
        emit DatasetCreated(dataset, owner, name);
    }

    /// @inheritdoc IDatasetRegistry
    function predictDataset(address owner, string calldata name, bytes calldata multiaddr, bytes32 checksum)
        external
        view
        returns (address)
    {
        return _predict(owner, keccak256(abi.encode(name, multiaddr, checksum)));
    }

    /// @inheritdoc IDatasetRegistry
    function updateDataset(address dataset, bytes calldata multiaddr, bytes32 checksum) external {
        _checkAssetOwner(dataset);
        if (multiaddr.length == 0) revert DatasetMultiaddrEmpty(dataset);
        Dataset storage d = _datasets[dataset];
        if (d.checksum == checksum) revert DatasetChecksumUnchanged(dataset, checksum);
        d.multiaddr = multiaddr;
        d.checksum = checksum;
        emit DatasetUpdated(dataset, multiaddr, checksum);
    }

    /// @inheritdoc IDatasetRegistry
    function viewDataset(address dataset) external view returns (DatasetInfo memory) {
        Dataset storage d = _datasets[dataset];
        return DatasetInfo(_existingOwner(dataset), d.name, d.multiaddr, d.checksum);
    }
}

// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {IDataProtector} from "../interfaces/IDataProtector.sol";
import {IDatasetRegistry} from "../interfaces/IDatasetRegistry.sol";

/// @title DataProtector
/// @notice Protected data in one transaction: the dataset and its schema, as iExec's
/// DataProtector does. Anyone may call it for any owner, as the registry allows; the schema is
/// bound to the dataset at its creation, so it cannot be attached to someone else's dataset.
contract DataProtector is IDataProtector {
    /// @inheritdoc IDataProtector
    IDatasetRegistry public immutable datasetRegistry;

    constructor(IDatasetRegistry registry) {
        datasetRegistry = registry;
    }

    /// @inheritdoc IDataProtector
    function createDatasetWithSchema(
        address owner,
        string calldata name,
        string calldata schema,
        bytes calldata multiaddr,
        bytes32 checksum
    ) external returns (address dataset) {
        if (bytes(schema).length == 0) revert DataProtectorEmptySchema();
        dataset = datasetRegistry.createDataset(owner, name, multiaddr, checksum);
        emit DatasetSchema(dataset, schema);
    }
}

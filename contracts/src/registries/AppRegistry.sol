// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {AssetRegistry} from "./AssetRegistry.sol";
import {IAppRegistry} from "../interfaces/IAppRegistry.sol";

/// @title AppRegistry
/// @notice Applications as ERC-721 tokens.
contract AppRegistry is AssetRegistry, IAppRegistry {
    struct App {
        string name;
        string appType;
        bytes multiaddr;
        bytes32 checksum;
        bytes fingerprint;
    }

    mapping(address app => App) private _apps;

    constructor() AssetRegistry("Confide App Registry", "CFDAPP") {}

    /// @inheritdoc IAppRegistry
    function createApp(
        address owner,
        string calldata name,
        string calldata appType,
        bytes calldata multiaddr,
        bytes32 checksum,
        bytes calldata fingerprint
    ) external returns (address app) {
        if (bytes(name).length == 0) revert RegistryEmptyName();
        app = _register(owner, _fieldsHash(name, appType, multiaddr, checksum, fingerprint));
        _apps[app] = App(name, appType, multiaddr, checksum, fingerprint);
        emit AppCreated(app, owner, name, fingerprint);
    }

    /// @inheritdoc IAppRegistry
    function predictApp(
        address owner,
        string calldata name,
        string calldata appType,
        bytes calldata multiaddr,
        bytes32 checksum,
        bytes calldata fingerprint
    ) external view returns (address) {
        return _predict(owner, _fieldsHash(name, appType, multiaddr, checksum, fingerprint));
    }

    /// @inheritdoc IAppRegistry
    function viewApp(address app) external view returns (AppInfo memory) {
        App storage a = _apps[app];
        return AppInfo(_existingOwner(app), a.name, a.appType, a.multiaddr, a.checksum, a.fingerprint);
    }

    function _fieldsHash(
        string calldata name,
        string calldata appType,
        bytes calldata multiaddr,
        bytes32 checksum,
        bytes calldata fingerprint
    ) private pure returns (bytes32) {
        return keccak256(abi.encode(name, appType, multiaddr, checksum, fingerprint));
    }
}

// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {IOrderManagement} from "../interfaces/IOrderManagement.sol";
import {IAssetRegistry} from "../interfaces/IAssetRegistry.sol";
import {OrderHashing} from "../libs/OrderHashing.sol";
import {HubStorage} from "../libs/HubStorage.sol";
import {Signatures} from "../libs/Signatures.sol";
import {
    OrderKind,
    OrderOperationKind,
    AppOrder,
    DatasetOrder,
    WorkerpoolOrder,
    RequestOrder,
    AppOrderOperation,
    DatasetOrderOperation,
    WorkerpoolOrderOperation,
    RequestOrderOperation
} from "../libs/Types.sol";

/// @title OrderManagement
/// @notice Order hashes under the hub's EIP-712 domain, signature checks (ECDSA 65/64 bytes,
/// ERC-1271, presign), consumed volumes, and the owner's presign / close operations.
abstract contract OrderManagement is IOrderManagement, EIP712 {
    using OrderHashing for AppOrder;
    using OrderHashing for DatasetOrder;
    using OrderHashing for WorkerpoolOrder;
    using OrderHashing for RequestOrder;

    IAssetRegistry internal immutable _appRegistry;
    IAssetRegistry internal immutable _datasetRegistry;
    IAssetRegistry internal immutable _workerpoolRegistry;

    constructor(IAssetRegistry apps, IAssetRegistry datasets, IAssetRegistry workerpools) EIP712("Confide", "1") {
        _appRegistry = apps;
        _datasetRegistry = datasets;
        _workerpoolRegistry = workerpools;
    }

    /// @inheritdoc IOrderManagement
    function manageAppOrder(AppOrderOperation calldata op) external {
        bytes32 orderHash = _hashTypedDataV4(op.order.hash());
        address owner = _registeredOwner(_appRegistry, OrderKind.App, op.order.app);
        _authorize(OrderKind.App, orderHash, owner, _hashTypedDataV4(op.order.hashOperation(op.operation)), op.sign);
        _apply(OrderKind.App, orderHash, owner, op.operation, op.order.volume);
    }

    /// @inheritdoc IOrderManagement
    function manageDatasetOrder(DatasetOrderOperation calldata op) external {
        bytes32 orderHash = _hashTypedDataV4(op.order.hash());
        address owner = _registeredOwner(_datasetRegistry, OrderKind.Dataset, op.order.dataset);
        _authorize(
            OrderKind.Dataset, orderHash, owner, _hashTypedDataV4(op.order.hashOperation(op.operation)), op.sign
        );
        _apply(OrderKind.Dataset, orderHash, owner, op.operation, op.order.volume);
    }

    /// @inheritdoc IOrderManagement
    function manageWorkerpoolOrder(WorkerpoolOrderOperation calldata op) external {
        bytes32 orderHash = _hashTypedDataV4(op.order.hash());
        address owner = _registeredOwner(_workerpoolRegistry, OrderKind.Workerpool, op.order.workerpool);
        _authorize(
            OrderKind.Workerpool, orderHash, owner, _hashTypedDataV4(op.order.hashOperation(op.operation)), op.sign
        );
        _apply(OrderKind.Workerpool, orderHash, owner, op.operation, op.order.volume);
    }

    /// @inheritdoc IOrderManagement
    function manageRequestOrder(RequestOrderOperation calldata op) external {
        bytes32 orderHash = _hashTypedDataV4(op.order.hash());
        address owner = op.order.requester;
        _authorize(
            OrderKind.Request, orderHash, owner, _hashTypedDataV4(op.order.hashOperation(op.operation)), op.sign
        );
        _apply(OrderKind.Request, orderHash, owner, op.operation, op.order.volume);
    }

    /// @inheritdoc IOrderManagement
    function hashAppOrder(AppOrder calldata order) external view returns (bytes32) {
        return _hashTypedDataV4(order.hash());
    }

    /// @inheritdoc IOrderManagement
    function hashDatasetOrder(DatasetOrder calldata order) external view returns (bytes32) {
        return _hashTypedDataV4(order.hash());
    }

    /// @inheritdoc IOrderManagement
    function hashWorkerpoolOrder(WorkerpoolOrder calldata order) external view returns (bytes32) {
        return _hashTypedDataV4(order.hash());
    }

    /// @inheritdoc IOrderManagement
    function hashRequestOrder(RequestOrder calldata order) external view returns (bytes32) {
        return _hashTypedDataV4(order.hash());
    }

    /// @inheritdoc IOrderManagement
    function viewConsumed(bytes32 orderHash) external view returns (uint256) {
        return HubStorage.layout().consumed[orderHash];
    }

    /// @inheritdoc IOrderManagement
    function viewPresigned(bytes32 orderHash) external view returns (address) {
        return HubStorage.layout().presigned[orderHash];
    }

    /// @inheritdoc IOrderManagement
    function verifySignature(address identity, bytes32 hash, bytes calldata signature) external view returns (bool) {
        return Signatures.isSignedBy(identity, hash, signature);
    }

    /// @inheritdoc IOrderManagement
    function domainSeparator() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    /// @dev Whether the order `orderHash` is presigned by `owner` or carries `owner`'s signature.
    function _isOrderSigned(bytes32 orderHash, address owner, bytes calldata sign) internal view returns (bool) {
        if (owner == address(0)) return false;
        return HubStorage.layout().presigned[orderHash] == owner || Signatures.isSignedBy(owner, orderHash, sign);
    }

    function _registeredOwner(IAssetRegistry registry, OrderKind kind, address asset)
        private
        view
        returns (address owner)
    {
        owner = registry.ownerOfAsset(asset);
        if (owner == address(0)) revert OrderAssetNotRegistered(kind, asset);
    }

    function _authorize(OrderKind kind, bytes32 orderHash, address owner, bytes32 operationHash, bytes calldata sign)
        private
        view
    {
        if (msg.sender != owner && !Signatures.isSignedBy(owner, operationHash, sign)) {
            revert OrderOperationUnauthorized(kind, orderHash, msg.sender, owner);
        }
    }

    function _apply(OrderKind kind, bytes32 orderHash, address owner, uint256 operation, uint256 volume) private {
        if (operation == uint256(OrderOperationKind.Sign)) {
            HubStorage.layout().presigned[orderHash] = owner;
            emit OrderPresigned(kind, orderHash, owner);
        } else if (operation == uint256(OrderOperationKind.Close)) {
            HubStorage.layout().consumed[orderHash] = volume;
            emit OrderClosed(kind, orderHash, volume);
        } else {
            revert OrderOperationInvalid(operation);
        }
    }
}

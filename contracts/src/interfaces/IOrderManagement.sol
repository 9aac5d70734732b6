// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {
    OrderKind,
    AppOrder,
    DatasetOrder,
    WorkerpoolOrder,
    RequestOrder,
    AppOrderOperation,
    DatasetOrderOperation,
    WorkerpoolOrderOperation,
    RequestOrderOperation
} from "../libs/Types.sol";

/// @title IOrderManagement
/// @notice Orders are signed off chain for free. On chain, their owner may presign them (for
/// contract owners that cannot sign) or close them (cancel: the whole volume becomes consumed),
/// either directly or by a signed operation that anyone relays.
interface IOrderManagement {
    /// @notice The order `orderHash` was presigned by `owner`.
    event OrderPresigned(OrderKind indexed kind, bytes32 indexed orderHash, address owner);
    /// @notice The order `orderHash` was closed; its consumed volume is now its whole volume.
    event OrderClosed(OrderKind indexed kind, bytes32 indexed orderHash, uint256 volume);

    /// @notice An operation code other than 0 (sign) or 1 (close).
    error OrderOperationInvalid(uint256 operation);
    /// @notice The caller is not the order's owner and the operation's signature is not the owner's.
    error OrderOperationUnauthorized(OrderKind kind, bytes32 orderHash, address caller, address owner);
    /// @notice The order names an asset its registry does not know.
    error OrderAssetNotRegistered(OrderKind kind, address asset);

    /// @notice Presigns or closes an app order.
    function manageAppOrder(AppOrderOperation calldata operation) external;
    /// @notice Presigns or closes a dataset order.
    function manageDatasetOrder(DatasetOrderOperation calldata operation) external;
    /// @notice Presigns or closes a workerpool order.
    function manageWorkerpoolOrder(WorkerpoolOrderOperation calldata operation) external;
    /// @notice Presigns or closes a request order.
    function manageRequestOrder(RequestOrderOperation calldata operation) external;

    /// @notice EIP-712 hash of an app order under this hub's domain.
    function hashAppOrder(AppOrder calldata order) external view returns (bytes32);
    /// @notice EIP-712 hash of a dataset order under this hub's domain.
    function hashDatasetOrder(DatasetOrder calldata order) external view returns (bytes32);
    /// @notice EIP-712 hash of a workerpool order under this hub's domain.
    function hashWorkerpoolOrder(WorkerpoolOrder calldata order) external view returns (bytes32);
    /// @notice EIP-712 hash of a request order under this hub's domain.
    function hashRequestOrder(RequestOrder calldata order) external view returns (bytes32);

    /// @notice Volume of the order `orderHash` already used by deals (or all of it once closed).
    function viewConsumed(bytes32 orderHash) external view returns (uint256);
    /// @notice Who presigned `orderHash` (zero if nobody).
    function viewPresigned(bytes32 orderHash) external view returns (address);
    /// @notice Whether `signature` over `hash` is valid for `identity`: ECDSA (65 or 64 bytes) for
    /// accounts, ERC-1271 for contracts.
    function verifySignature(address identity, bytes32 hash, bytes calldata signature) external view returns (bool);
    /// @notice The EIP-712 domain separator (name "Confide", version "1").
    function domainSeparator() external view returns (bytes32);
}

// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {AppOrder, DatasetOrder, WorkerpoolOrder, RequestOrder} from "./Types.sol";

/// @title OrderHashing
/// @notice EIP-712 struct hashes of the four orders and their operations. The type strings
/// are byte-identical to PoCo's, so tools that sign PoCo orders sign ours (domain aside).
library OrderHashing {
    // The four type strings are kept on one line each, byte-identical to PoCo's.
    // solhint-disable max-line-length
    bytes internal constant APP_ORDER_TYPE =
        "AppOrder(address app,uint256 appprice,uint256 volume,bytes32 tag,address datasetrestrict,address workerpoolrestrict,address requesterrestrict,bytes32 salt)";
    bytes internal constant DATASET_ORDER_TYPE =
        "DatasetOrder(address dataset,uint256 datasetprice,uint256 volume,bytes32 tag,address apprestrict,address workerpoolrestrict,address requesterrestrict,bytes32 salt)";
    bytes internal constant WORKERPOOL_ORDER_TYPE =
        "WorkerpoolOrder(address workerpool,uint256 workerpoolprice,uint256 volume,bytes32 tag,uint256 category,uint256 trust,address apprestrict,address datasetrestrict,address requesterrestrict,bytes32 salt)";
    bytes internal constant REQUEST_ORDER_TYPE =
        "RequestOrder(address app,uint256 appmaxprice,address dataset,uint256 datasetmaxprice,address workerpool,uint256 workerpoolmaxprice,address requester,uint256 volume,bytes32 tag,uint256 category,uint256 trust,address beneficiary,address callback,string params,bytes32 salt)";

    // solhint-enable max-line-length

    bytes32 internal constant APP_ORDER_TYPEHASH = keccak256(APP_ORDER_TYPE);
    bytes32 internal constant DATASET_ORDER_TYPEHASH = keccak256(DATASET_ORDER_TYPE);
    bytes32 internal constant WORKERPOOL_ORDER_TYPEHASH = keccak256(WORKERPOOL_ORDER_TYPE);
    bytes32 internal constant REQUEST_ORDER_TYPEHASH = keccak256(REQUEST_ORDER_TYPE);

    bytes32 internal constant APP_ORDER_OPERATION_TYPEHASH =
        keccak256(abi.encodePacked("AppOrderOperation(AppOrder order,uint256 operation)", APP_ORDER_TYPE));
    bytes32 internal constant DATASET_ORDER_OPERATION_TYPEHASH =
        keccak256(abi.encodePacked("DatasetOrderOperation(DatasetOrder order,uint256 operation)", DATASET_ORDER_TYPE));
    bytes32 internal constant WORKERPOOL_ORDER_OPERATION_TYPEHASH = keccak256(
        abi.encodePacked("WorkerpoolOrderOperation(WorkerpoolOrder order,uint256 operation)", WORKERPOOL_ORDER_TYPE)
    );
    bytes32 internal constant REQUEST_ORDER_OPERATION_TYPEHASH =
        keccak256(abi.encodePacked("RequestOrderOperation(RequestOrder order,uint256 operation)", REQUEST_ORDER_TYPE));

    /// @notice EIP-712 struct hash of an app order (its `sign` field excluded).
    function hash(AppOrder calldata o) internal pure returns (bytes32) {
        return keccak256(
            abi.encode(
                APP_ORDER_TYPEHASH,
                o.app,
                o.appprice,
                o.volume,
                o.tag,
                o.datasetrestrict,
                o.workerpoolrestrict,
                o.requesterrestrict,
                o.salt
            )
        );
    }

    /// @notice EIP-712 struct hash of a dataset order (its `sign` field excluded).
    function hash(DatasetOrder calldata o) internal pure returns (bytes32) {
        return keccak256(
            abi.encode(
                DATASET_ORDER_TYPEHASH,
                o.dataset,
                o.datasetprice,
                o.volume,
                o.tag,
                o.apprestrict,
                o.workerpoolrestrict,
                o.requesterrestrict,
                o.salt
            )
        );
    }

    /// @notice EIP-712 struct hash of a workerpool order (its `sign` field excluded).
    function hash(WorkerpoolOrder calldata o) internal pure returns (bytes32) {
        return keccak256(
            abi.encode(
                WORKERPOOL_ORDER_TYPEHASH,
                o.workerpool,
                o.workerpoolprice,
                o.volume,
                o.tag,
                o.category,
                o.trust,
                o.apprestrict,
                o.datasetrestrict,
                o.requesterrestrict,
                o.salt
            )
        );
    }

    /// @notice EIP-712 struct hash of a request order; `params` is hashed as EIP-712 `string`.
    function hash(RequestOrder calldata o) internal pure returns (bytes32) {
        // Two halves keep the stack shallow; the concatenation equals one abi.encode.
        bytes memory head = abi.encode(
            REQUEST_ORDER_TYPEHASH,
            o.app,
            o.appmaxprice,
            o.dataset,
            o.datasetmaxprice,
            o.workerpool,
            o.workerpoolmaxprice,
            o.requester
        );
        bytes memory tail = abi.encode(
            o.volume, o.tag, o.category, o.trust, o.beneficiary, o.callback, keccak256(bytes(o.params)), o.salt
        );
        return keccak256(bytes.concat(head, tail));
    }

    /// @notice Struct hash of an operation on an app order.
    function hashOperation(AppOrder calldata o, uint256 operation) internal pure returns (bytes32) {
        return keccak256(abi.encode(APP_ORDER_OPERATION_TYPEHASH, hash(o), operation));
    }

    /// @notice Struct hash of an operation on a dataset order.
    function hashOperation(DatasetOrder calldata o, uint256 operation) internal pure returns (bytes32) {
        return keccak256(abi.encode(DATASET_ORDER_OPERATION_TYPEHASH, hash(o), operation));
    }

    /// @notice Struct hash of an operation on a workerpool order.
    function hashOperation(WorkerpoolOrder calldata o, uint256 operation) internal pure returns (bytes32) {
        return keccak256(abi.encode(WORKERPOOL_ORDER_OPERATION_TYPEHASH, hash(o), operation));
    }

    /// @notice Struct hash of an operation on a request order.
    function hashOperation(RequestOrder calldata o, uint256 operation) internal pure returns (bytes32) {
        return keccak256(abi.encode(REQUEST_ORDER_OPERATION_TYPEHASH, hash(o), operation));
    }
}

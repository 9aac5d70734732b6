// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

/// @title TaskIds
/// @notice Deal and task identifiers, derived exactly as PoCo derives them.
library TaskIds {
    /// @notice dealId = keccak256(requestOrderHash ‖ volume of that request consumed before the deal).
    function dealId(bytes32 requestHash, uint256 consumedBefore) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(requestHash, consumedBefore));
    }

    /// @notice taskId = keccak256(dealId ‖ idx), idx counted across the request order's deals.
    function taskId(bytes32 dealId_, uint256 idx) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(dealId_, idx));
    }

    /// @notice The message the workerpool owner signs to authorise `worker` and `enclave` for a task.
    function authorizationHash(address worker, bytes32 taskId_, address enclave) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(worker, taskId_, enclave));
    }

    /// @notice resultHash = keccak256(taskId ‖ resultDigest): what every contributor agrees on.
    function resultHash(bytes32 taskId_, bytes32 digest) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(taskId_, digest));
    }

    /// @notice resultSeal = keccak256(worker ‖ taskId ‖ resultDigest): binds a result to its worker.
    function resultSeal(address worker, bytes32 taskId_, bytes32 digest) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(worker, taskId_, digest));
    }

    /// @notice Domain tag of failure reports, so a result signature can never pass for one.
    bytes32 internal constant FAILURE_TAG = keccak256("CONFIDE_TASK_FAILURE_V1");

    /// @notice What the enclave signs (EIP-191) to report that a task failed for `reason`.
    function failureHash(address worker, bytes32 taskId_, bytes32 reason) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(FAILURE_TAG, worker, taskId_, reason));
    }
}

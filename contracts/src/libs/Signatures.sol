// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

/// @title Signatures
/// @notice Who signed what: ECDSA (65-byte, or 64-byte EIP-2098) for accounts, ERC-1271 for contracts.
library Signatures {
    /// @dev Whether `signature` over `hash` is valid for `identity`.
    function isSignedBy(address identity, bytes32 hash, bytes calldata signature) internal view returns (bool) {
        if (identity.code.length > 0) {
            return SignatureChecker.isValidERC1271SignatureNowCalldata(identity, hash, signature);
        }
        return identity != address(0) && recover(hash, signature) == identity;
    }

    /// @dev The ECDSA signer of `hash`, or zero when the signature is malformed.
    function recover(bytes32 hash, bytes calldata signature) internal pure returns (address signer) {
        ECDSA.RecoverError err;
        if (signature.length == 65) {
            (signer, err,) = ECDSA.tryRecoverCalldata(hash, signature);
        } else if (signature.length == 64) {
            (signer, err,) = ECDSA.tryRecover(hash, bytes32(signature[0:32]), bytes32(signature[32:64]));
        } else {
            return address(0);
        }
        if (err != ECDSA.RecoverError.NoError) return address(0);
    }
}

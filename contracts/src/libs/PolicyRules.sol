// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {IDataPolicy} from "../interfaces/IDataPolicy.sol";
import {Policy} from "./Types.sol";

/// @title PolicyRules
/// @notice The rules of an owner policy, shared by matching (which enforces them) and `checkPolicy`
/// (which lets clients ask first). Each rule fails with its own error.
library PolicyRules {
    /// @dev Reverts unless a deal of `volume` tasks of `app` for `requester` (results to
    /// `beneficiary`, zero meaning the requester) paying `price` per task may use `dataset` under `p`.
    function check(
        Policy storage p,
        address dataset,
        address app,
        address requester,
        address beneficiary,
        uint256 price,
        uint256 volume
    ) internal view {
        if (p.restrictApps && !p.apps[app]) revert IDataPolicy.PolicyAppNotAllowed(dataset, app);
        if (p.restrictUsers) {
            if (!p.users[requester]) revert IDataPolicy.PolicyUserNotAllowed(dataset, requester);
            // The beneficiary receives the result: it must be allowed too.
            if (beneficiary != address(0) && !p.users[beneficiary]) {
                revert IDataPolicy.PolicyUserNotAllowed(dataset, beneficiary);
            }
        }
        if (price < p.pricePerUse) revert IDataPolicy.PolicyPriceTooLow(dataset, price, p.pricePerUse);
        if (p.expiry != 0 && block.timestamp >= p.expiry) revert IDataPolicy.PolicyExpired(dataset, p.expiry);
        if (p.maxUses != 0 && uint256(p.uses) + volume > p.maxUses) {
            revert IDataPolicy.PolicyMaxUsesReached(dataset, p.uses, volume, p.maxUses);
        }
    }
}

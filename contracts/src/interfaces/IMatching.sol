// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {IDeals} from "./IDeals.sol";
import {OrderKind, AppOrder, DatasetOrder, WorkerpoolOrder, RequestOrder} from "../libs/Types.sol";

/// @title IMatching
/// @notice Matching four compatible orders creates a deal of N tasks, locks the sponsor's
/// payment for all of them and the workerpool owner's stake (30 % of the workerpool price).
interface IMatching is IDeals {
    /// @notice A deal as `viewDeal` shows it: sponsor and beneficiary resolved, worker stake computed.
    struct DealInfo {
        address app;
        uint96 appPrice;
        address dataset;
        uint96 datasetPrice;
        address workerpool;
        uint96 workerpoolPrice;
        address workerpoolOwner;
        uint256 workerStake;
        address requester;
        uint64 botFirst;
        uint32 botSize;
        address sponsor;
        uint40 startTime;
        uint24 timeref;
        uint16 trust;
        uint8 schedulerRewardRatio;
        address beneficiary;
        uint32 category;
        address callback;
        uint88 tag;
    }

    /// @notice A deal was created for `workerpool`: its scheduler should start the tasks.
    event SchedulerNotice(address indexed workerpool, bytes32 dealId);
    /// @notice Four orders were matched into `dealId` for `volume` tasks.
    event OrdersMatched(
        bytes32 dealId,
        bytes32 appHash,
        bytes32 datasetHash,
        bytes32 workerpoolHash,
        bytes32 requestHash,
        uint256 volume
    );
    /// @notice The request's `params`, whose hash the deal stores.
    event DealParams(bytes32 indexed dealId, string params);
    /// @notice `sponsor`, not the requester, pays for `dealId`.
    event DealSponsored(bytes32 dealId, address sponsor);

    /// @notice The request asks for another category than the workerpool offers.
    error MatchCategoryMismatch(uint256 requested, uint256 offered);
    /// @notice The workerpool's trust is below the request's.
    error MatchTrustTooLow(uint256 requested, uint256 offered);
    /// @notice An order's price exceeds the request's maximum for it.
    error MatchPriceTooHigh(OrderKind kind, uint256 maxPrice, uint256 price);
    /// @notice The workerpool lacks a capability the deal's tag requires.
    error MatchTagNotCovered(bytes32 required, bytes32 offered);
    /// @notice The deal requires a TEE but the app order does not say it runs in one.
    error MatchAppNotTee(bytes32 appTag);
    /// @notice The request names another asset than the order offers.
    error MatchAssetMismatch(OrderKind kind, address requested, address offered);
    /// @notice `restricting`'s restriction on its `restricted` party admits not `account`.
    error MatchRestricted(OrderKind restricting, OrderKind restricted, address restriction, address account);
    /// @notice The order's asset is not in its registry.
    error MatchAssetNotRegistered(OrderKind kind, address asset);
    /// @notice The order is neither presigned nor signed by `signer` (its asset's owner, or the requester).
    error MatchInvalidSignature(OrderKind kind, bytes32 orderHash, address signer);
    /// @notice Some order has no volume left (closed, or used up).
    error MatchVolumeExhausted(uint256 app, uint256 dataset, uint256 workerpool, uint256 request);
    /// @notice A price or a volume does not fit the deal's packed storage.
    error MatchValueTooLarge(uint256 value, uint256 max);

    /// @notice Matches the four orders; the requester pays. Pass an all-zero dataset order for none.
    /// @return dealId keccak256(requestHash ‖ request volume consumed before this deal)
    function matchOrders(
        AppOrder calldata appOrder,
        DatasetOrder calldata datasetOrder,
        WorkerpoolOrder calldata workerpoolOrder,
        RequestOrder calldata requestOrder
    ) external returns (bytes32 dealId);

    /// @notice Like `matchOrders`, but the caller pays instead of the requester.
    function sponsorMatchOrders(
        AppOrder calldata appOrder,
        DatasetOrder calldata datasetOrder,
        WorkerpoolOrder calldata workerpoolOrder,
        RequestOrder calldata requestOrder
    ) external returns (bytes32 dealId);

    /// @notice A deal; reverts with `DealNotFound` if none. Its `params` are in `DealParams`.
    function viewDeal(bytes32 dealId) external view returns (DealInfo memory);
}

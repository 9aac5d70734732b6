// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {IConfideHub} from "./IConfideHub.sol";
import {IDatasetRegistry} from "./IDatasetRegistry.sol";
import {AppOrder, PolicyTerms, RequestOrder, TaskStatus, WorkerpoolOrder} from "../libs/Types.sol";

/// @title IDataSharing
/// @notice Monetization of protected data, after iExec's sharing module: an owner groups protected
/// data in a collection (an ERC-721 token of this contract, which then holds the data), rents one
/// out for a time, offers subscriptions to the whole collection, or sells one, ownership passing
/// with the payment. A renter or subscriber consumes the data through `consumeProtectedData`: the
/// contract authorizes the dataset order as the data's holder and matches it in the hub. Payments
/// are hub escrow transfers (approve this contract on the hub first); earnings land in the owner's
/// escrow account, withdrawable there. The hub enforces each data's owner policy on every match.
interface IDataSharing {
    /// @notice How a consumer was entitled to use the data.
    enum Mode {
        Rental,
        Subscription
    }

    /// @notice A collection, as `viewCollection` shows it. A subscription is offered while its
    /// duration is not zero; `subscribedUntil` is the end of the latest subscription.
    struct CollectionInfo {
        address owner;
        uint32 size;
        uint96 subscriptionPrice;
        uint40 subscriptionDuration;
        uint40 subscribedUntil;
    }

    /// @notice A protected data held here, as `viewProtectedData` shows it. It is for rent while its
    /// rental duration is not zero; `rentedUntil` is the end of its latest rental; `pendingConsumptions`
    /// counts paid consumptions whose earnings are not settled yet.
    struct DataInfo {
        uint256 collectionId;
        uint96 rentalPrice;
        uint40 rentalDuration;
        uint40 rentedUntil;
        bool forSale;
        uint96 salePrice;
        uint32 pendingConsumptions;
    }

    /// @notice A consumption whose per-use price the hub pays to this contract when its task completes.
    struct Consumption {
        address dataset;
        uint96 price;
    }

    /// @notice `owner` created collection `collectionId`.
    event CollectionCreated(uint256 indexed collectionId, address indexed owner);
    /// @notice The (empty) collection `collectionId` was removed.
    event CollectionRemoved(uint256 indexed collectionId);
    /// @notice `dataset` entered collection `collectionId`; this contract holds it now.
    event ProtectedDataAddedToCollection(uint256 indexed collectionId, address indexed dataset);
    /// @notice `dataset` left collection `collectionId`, back to the collection's owner.
    event ProtectedDataRemovedFromCollection(uint256 indexed collectionId, address indexed dataset);
    /// @notice `dataset` is for rent: `price` for `duration` seconds.
    event ProtectedDataAddedForRenting(
        uint256 indexed collectionId, address indexed dataset, uint96 price, uint40 duration
    );
    /// @notice `dataset` is no longer for rent (running rentals go on until they end).
    event ProtectedDataRemovedFromRenting(uint256 indexed collectionId, address indexed dataset);
    /// @notice `renter` paid `price` and may use `dataset` until `endDate`.
    event NewRental(
        uint256 indexed collectionId, address indexed dataset, address indexed renter, uint40 endDate, uint96 price
    );
    /// @notice Subscriptions to `collectionId` cost `price` for `duration` seconds (zero: not offered).
    event NewSubscriptionParams(uint256 indexed collectionId, uint96 price, uint40 duration);
    /// @notice `subscriber` paid `price` and may use every data of `collectionId` until `endDate`.
    event NewSubscription(uint256 indexed collectionId, address indexed subscriber, uint40 endDate, uint96 price);
    /// @notice `dataset` is for sale at `price`.
    event ProtectedDataAddedForSale(uint256 indexed collectionId, address indexed dataset, uint96 price);
    /// @notice `dataset` is no longer for sale.
    event ProtectedDataRemovedFromSale(uint256 indexed collectionId, address indexed dataset);
    /// @notice `buyer` paid `seller` `price` and now owns `dataset`.
    event ProtectedDataSold(
        uint256 indexed collectionId, address indexed dataset, address seller, address indexed buyer, uint96 price
    );
    /// @notice `consumer` started deal `dealId` on `dataset` by right of a rental or subscription,
    /// paying `price` per use (the owner's policy price), settled once its task ends.
    event ProtectedDataConsumed(
        bytes32 indexed dealId, address indexed dataset, address indexed consumer, Mode mode, uint256 price
    );
    /// @notice The consumption `dealId` ended; `amount` (zero if its task failed) went to `payee`.
    event ConsumptionSettled(bytes32 indexed dealId, address indexed dataset, address indexed payee, uint256 amount);

    /// @notice No collection has this id.
    error SharingCollectionUnknown(uint256 collectionId);
    /// @notice Only the collection's owner may do this.
    error SharingNotCollectionOwner(uint256 collectionId, address caller, address owner);
    /// @notice A collection must be empty to be removed.
    error SharingCollectionNotEmpty(uint256 collectionId, uint256 size);
    /// @notice Only the data's owner may put it in a collection.
    error SharingNotDataOwner(address dataset, address caller, address owner);
    /// @notice The data is not in any collection of this contract.
    error SharingNotInCollection(address dataset);
    /// @notice Durations are 1 s to 2^40-1 s.
    error SharingInvalidDuration(uint256 duration);
    /// @notice Prices are at most 2^96-1.
    error SharingPriceTooLarge(uint256 price);
    /// @notice The data is not for rent.
    error SharingNotForRent(address dataset);
    /// @notice The collection offers no subscription.
    error SharingNotForSubscription(uint256 collectionId);
    /// @notice The data is not for sale.
    error SharingNotForSale(address dataset);
    /// @notice The terms changed since the caller read them: it offered `price` for `duration`.
    error SharingTermsChanged(uint256 price, uint256 duration, uint256 currentPrice, uint256 currentDuration);
    /// @notice A rental of the data, or a subscription to its collection, runs until `until`.
    error SharingDataInUse(address dataset, uint256 until);
    /// @notice `count` paid consumptions of the data are not settled yet (see `settleConsumption`).
    error SharingPendingConsumptions(address dataset, uint256 count);
    /// @notice `consumer` has neither a running rental of the data nor a subscription to its collection.
    error SharingNoAccess(address dataset, address consumer);
    /// @notice Only the request's requester may consume through it.
    error SharingNotRequester(address requester, address caller);
    /// @notice No unsettled consumption has this deal id.
    error SharingConsumptionUnknown(bytes32 dealId);
    /// @notice The consumption's task is neither completed nor failed yet.
    error SharingTaskNotFinished(bytes32 taskId, TaskStatus status);

    /// @notice The hub this contract matches orders and moves escrow in.
    function hub() external view returns (IConfideHub);
    /// @notice The registry of the protected data it holds.
    function datasetRegistry() external view returns (IDatasetRegistry);

    /// @notice Creates a collection owned by `to`.
    /// @return collectionId the new collection's token id
    function createCollection(address to) external returns (uint256 collectionId);
    /// @notice Burns an empty collection of the caller.
    function removeCollection(uint256 collectionId) external;
    /// @notice Moves the caller's `dataset` into its collection (approve this contract on the registry first).
    function addToCollection(uint256 collectionId, address dataset) external;
    /// @notice Gives `dataset` back to its collection's owner; refused while rented, subscribed or unsettled.
    function removeProtectedDataFromCollection(address dataset) external;
    /// @notice Points held `dataset` at a new ciphertext after its key was rotated (the registry's
    /// `updateDataset`, which only the holder, this contract, may call); its collection's owner only.
    function updateProtectedData(address dataset, bytes calldata multiaddr, bytes32 checksum) external;

    /// @notice Offers `dataset` for rent: `price` for `duration` seconds of use.
    function setProtectedDataToRenting(address dataset, uint256 price, uint256 duration) external;
    /// @notice Withdraws the rental offer of `dataset`.
    function removeProtectedDataFromRenting(address dataset) external;
    /// @notice Rents `dataset` at the offered terms, which the caller repeats; extends a running rental.
    function rentProtectedData(address dataset, uint256 price, uint256 duration) external;

    /// @notice Offers subscriptions to `collectionId`: `price` for `duration` seconds (zero: stop offering).
    function setSubscriptionParams(uint256 collectionId, uint256 price, uint256 duration) external;
    /// @notice Subscribes to `collectionId` at the offered terms, which the caller repeats.
    function subscribeToCollection(uint256 collectionId, uint256 price, uint256 duration) external;

    /// @notice Offers `dataset` for sale at `price`.
    function setProtectedDataForSale(address dataset, uint256 price) external;
    /// @notice Withdraws the sale offer of `dataset`.
    function removeProtectedDataForSale(address dataset) external;
    /// @notice Buys `dataset` at the offered price, which the caller repeats: payment and ownership at once.
    function buyProtectedData(address dataset, uint256 price) external;

    /// @notice Runs `requestOrder` (the caller's, naming `dataset`) on `dataset` by right of the caller's
    /// rental or subscription: builds the dataset order (the owner's policy price per use, volume 1,
    /// restricted to this app, workerpool and requester), authorizes it as the holder, matches.
    /// @return dealId the hub's deal
    function consumeProtectedData(
        address dataset,
        AppOrder calldata appOrder,
        WorkerpoolOrder calldata workerpoolOrder,
        RequestOrder calldata requestOrder
    ) external returns (bytes32 dealId);
    /// @notice Once the task of consumption `dealId` has ended, pays its per-use price (received by
    /// this contract as the data's holder) to the collection's owner, or nothing if it failed. Anyone may call.
    function settleConsumption(bytes32 dealId) external;

    /// @notice Sets the hub policy of `dataset` (its collection's owner only); see IDataPolicy.
    function setPolicy(address dataset, PolicyTerms calldata terms) external;
    /// @notice Adds apps to the app allow-list of `dataset`'s policy (its collection's owner only).
    function allowApps(address dataset, address[] calldata apps) external;
    /// @notice Adds users to the user allow-list of `dataset`'s policy (its collection's owner only).
    function allowUsers(address dataset, address[] calldata users) external;
    /// @notice Removes users from the user allow-list of `dataset`'s policy (its collection's owner only).
    function revokeUsers(address dataset, address[] calldata users) external;

    /// @notice A collection; reverts with `SharingCollectionUnknown` if none.
    function viewCollection(uint256 collectionId) external view returns (CollectionInfo memory);
    /// @notice A protected data held here; `collectionId` is zero if it is not.
    function viewProtectedData(address dataset) external view returns (DataInfo memory);
    /// @notice When `renter`'s rental of `dataset` ends (zero: never rented).
    function rentalEnd(address dataset, address renter) external view returns (uint256);
    /// @notice When `subscriber`'s subscription to `collectionId` ends (zero: never subscribed).
    function subscriptionEnd(uint256 collectionId, address subscriber) external view returns (uint256);
    /// @notice An unsettled consumption (zero dataset: none).
    function viewConsumption(bytes32 dealId) external view returns (Consumption memory);
}

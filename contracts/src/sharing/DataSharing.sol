// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {TransientSlot} from "@openzeppelin/contracts/utils/TransientSlot.sol";
import {IDataSharing} from "../interfaces/IDataSharing.sol";
import {IConfideHub} from "../interfaces/IConfideHub.sol";
import {IDataPolicy} from "../interfaces/IDataPolicy.sol";
import {IDatasetRegistry} from "../interfaces/IDatasetRegistry.sol";
import {TAG_TEE_BIT} from "../libs/Constants.sol";
import {AppOrder, DatasetOrder, PolicyTerms, RequestOrder, TaskStatus, WorkerpoolOrder} from "../libs/Types.sol";

/// @title DataSharing
/// @notice Collections (ERC-721 tokens of this contract) of protected data it holds, with rentals,
/// subscriptions, sales and consumption; see IDataSharing. Holding the data makes this contract the
/// dataset owner the hub sees: it authorizes the dataset order of a consumption by ERC-1271, for
/// that one order hash and only during that call, so no other dataset order on held data is valid.
contract DataSharing is ERC721, IDataSharing, IERC1271 {
    using TransientSlot for *;

    struct Collection {
        uint32 size;
        uint96 subscriptionPrice;
        uint40 subscriptionDuration;
        uint40 subscribedUntil;
    }

    struct Data {
        uint256 collectionId;
        uint96 rentalPrice;
        uint40 rentalDuration;
        uint40 rentedUntil;
        bool forSale;
        uint96 salePrice;
        uint32 pendingConsumptions;
    }

    /// @dev keccak256(abi.encode(uint256(keccak256("confide.sharing.authorizedOrder")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant AUTHORIZED_ORDER = 0xb7532c0816395c416c5c0de05c69222470556bbb4bfaf37d8a98a2071cac7d00;

    /// @inheritdoc IDataSharing
    IConfideHub public immutable hub;
    /// @inheritdoc IDataSharing
    IDatasetRegistry public immutable datasetRegistry;

    uint256 private _lastCollectionId;
    uint256 private _orderNonce;
    mapping(uint256 collectionId => Collection) private _collections;
    mapping(address dataset => Data) private _data;
    mapping(address dataset => mapping(address renter => uint40 end)) private _rentals;
    mapping(uint256 collectionId => mapping(address subscriber => uint40 end)) private _subscriptions;
    mapping(bytes32 dealId => Consumption) private _consumptions;

    constructor(IConfideHub hub_, IDatasetRegistry registry) ERC721("Confide Collections", "CFDCOL") {
        hub = hub_;
        datasetRegistry = registry;
    }

    modifier onlyCollectionOwner(uint256 collectionId) {
        _checkCollectionOwner(collectionId);
        _;
    }

    // ---- collections

    /// @inheritdoc IDataSharing
    function createCollection(address to) external returns (uint256 collectionId) {
        collectionId = ++_lastCollectionId;
        _mint(to, collectionId);
        emit CollectionCreated(collectionId, to);
    }

    /// @inheritdoc IDataSharing
    function removeCollection(uint256 collectionId) external onlyCollectionOwner(collectionId) {
        uint256 size = _collections[collectionId].size;
        if (size != 0) revert SharingCollectionNotEmpty(collectionId, size);
        delete _collections[collectionId];
        _burn(collectionId);
        emit CollectionRemoved(collectionId);
    }

    /// @inheritdoc IDataSharing
    function addToCollection(uint256 collectionId, address dataset) external onlyCollectionOwner(collectionId) {
        address owner = datasetRegistry.ownerOfAsset(dataset);
        if (owner != msg.sender) revert SharingNotDataOwner(dataset, msg.sender, owner);
        _data[dataset].collectionId = collectionId;
        ++_collections[collectionId].size;
        emit ProtectedDataAddedToCollection(collectionId, dataset);
        IERC721(address(datasetRegistry)).transferFrom(msg.sender, address(this), uint256(uint160(dataset)));
    }

    /// @inheritdoc IDataSharing
    function removeProtectedDataFromCollection(address dataset) external {
        uint256 collectionId = _ownedData(dataset);
        _checkReleasable(dataset, collectionId);
        _release(dataset, collectionId);
        emit ProtectedDataRemovedFromCollection(collectionId, dataset);
        IERC721(address(datasetRegistry)).transferFrom(address(this), msg.sender, uint256(uint160(dataset)));
    }

    /// @inheritdoc IDataSharing
    function updateProtectedData(address dataset, bytes calldata multiaddr, bytes32 checksum) external {
        _ownedData(dataset);
        datasetRegistry.updateDataset(dataset, multiaddr, checksum);
    }

    // ---- rentals

    /// @inheritdoc IDataSharing
    function setProtectedDataToRenting(address dataset, uint256 price, uint256 duration) external {
        uint256 collectionId = _ownedData(dataset);
        Data storage data = _data[dataset];
        data.rentalPrice = _price(price);
        data.rentalDuration = _duration(duration);
        emit ProtectedDataAddedForRenting(collectionId, dataset, data.rentalPrice, data.rentalDuration);
    }

    /// @inheritdoc IDataSharing
    function removeProtectedDataFromRenting(address dataset) external {
        uint256 collectionId = _ownedData(dataset);
        Data storage data = _data[dataset];
        data.rentalPrice = 0;
        data.rentalDuration = 0;
        emit ProtectedDataRemovedFromRenting(collectionId, dataset);
    }

    /// @inheritdoc IDataSharing
    function rentProtectedData(address dataset, uint256 price, uint256 duration) external {
        Data storage data = _data[dataset];
        uint256 collectionId = data.collectionId;
        if (data.rentalDuration == 0) revert SharingNotForRent(dataset);
        if (price != data.rentalPrice || duration != data.rentalDuration) {
            revert SharingTermsChanged(price, duration, data.rentalPrice, data.rentalDuration);
        }
        _checkUsable(dataset, msg.sender);
        uint40 end = _extend(_rentals[dataset][msg.sender], data.rentalDuration);
        _rentals[dataset][msg.sender] = end;
        if (end > data.rentedUntil) data.rentedUntil = end;
        emit NewRental(collectionId, dataset, msg.sender, end, data.rentalPrice);
        _pay(msg.sender, ownerOf(collectionId), data.rentalPrice);
    }

    // ---- subscriptions

    /// @inheritdoc IDataSharing
    function setSubscriptionParams(uint256 collectionId, uint256 price, uint256 duration)
        external
        onlyCollectionOwner(collectionId)
    {
        Collection storage c = _collections[collectionId];
        c.subscriptionPrice = _price(price);
        // Zero stops offering subscriptions; running ones go on until they end.
        c.subscriptionDuration = duration == 0 ? 0 : _duration(duration);
        emit NewSubscriptionParams(collectionId, c.subscriptionPrice, c.subscriptionDuration);
    }

    /// @inheritdoc IDataSharing
    function subscribeToCollection(uint256 collectionId, uint256 price, uint256 duration) external {
        Collection storage c = _collections[collectionId];
        if (c.subscriptionDuration == 0) revert SharingNotForSubscription(collectionId);
        if (price != c.subscriptionPrice || duration != c.subscriptionDuration) {
            revert SharingTermsChanged(price, duration, c.subscriptionPrice, c.subscriptionDuration);
        }
        uint40 end = _extend(_subscriptions[collectionId][msg.sender], c.subscriptionDuration);
        _subscriptions[collectionId][msg.sender] = end;
        if (end > c.subscribedUntil) c.subscribedUntil = end;
        emit NewSubscription(collectionId, msg.sender, end, c.subscriptionPrice);
        _pay(msg.sender, ownerOf(collectionId), c.subscriptionPrice);
    }

    // ---- sales

    /// @inheritdoc IDataSharing
    function setProtectedDataForSale(address dataset, uint256 price) external {
        uint256 collectionId = _ownedData(dataset);
        Data storage data = _data[dataset];
        data.forSale = true;
        data.salePrice = _price(price);
        emit ProtectedDataAddedForSale(collectionId, dataset, data.salePrice);
    }

    /// @inheritdoc IDataSharing
    function removeProtectedDataForSale(address dataset) external {
        uint256 collectionId = _ownedData(dataset);
        Data storage data = _data[dataset];
        data.forSale = false;
        data.salePrice = 0;
        emit ProtectedDataRemovedFromSale(collectionId, dataset);
    }

    /// @inheritdoc IDataSharing
    function buyProtectedData(address dataset, uint256 price) external {
        Data storage data = _data[dataset];
        uint256 collectionId = data.collectionId;
        if (!data.forSale) revert SharingNotForSale(dataset);
        uint96 salePrice = data.salePrice;
        if (price != salePrice) revert SharingTermsChanged(price, 0, salePrice, 0);
        _checkReleasable(dataset, collectionId);
        address seller = ownerOf(collectionId);
        _release(dataset, collectionId);
        emit ProtectedDataSold(collectionId, dataset, seller, msg.sender, salePrice);
        // Both or neither: a failed payment reverts the transfer of ownership.
        _pay(msg.sender, seller, salePrice);
        IERC721(address(datasetRegistry)).transferFrom(address(this), msg.sender, uint256(uint160(dataset)));
    }

    // ---- consumption

    /// @inheritdoc IDataSharing
    function consumeProtectedData(
        address dataset,
        AppOrder calldata appOrder,
        WorkerpoolOrder calldata workerpoolOrder,
        RequestOrder calldata requestOrder
    ) external returns (bytes32 dealId) {
        if (requestOrder.requester != msg.sender) revert SharingNotRequester(requestOrder.requester, msg.sender);
        Data storage data = _data[dataset];
        uint256 collectionId = data.collectionId;
        if (collectionId == 0) revert SharingNotInCollection(dataset);
        Mode mode;
        if (_rentals[dataset][msg.sender] > block.timestamp) {
            mode = Mode.Rental;
        } else if (_subscriptions[collectionId][msg.sender] > block.timestamp) {
            mode = Mode.Subscription;
        } else {
            revert SharingNoAccess(dataset, msg.sender);
        }
        uint96 price = hub.viewPolicy(dataset).pricePerUse;
        DatasetOrder memory order = DatasetOrder({
            dataset: dataset,
            datasetprice: price,
            volume: 1,
            tag: TAG_TEE_BIT,
            apprestrict: appOrder.app,
            workerpoolrestrict: workerpoolOrder.workerpool,
            requesterrestrict: msg.sender,
            salt: bytes32(++_orderNonce),
            sign: ""
        });
        AUTHORIZED_ORDER.asBytes32().tstore(hub.hashDatasetOrder(order));
        dealId = hub.matchOrders(appOrder, order, workerpoolOrder, requestOrder);
        AUTHORIZED_ORDER.asBytes32().tstore(bytes32(0));
        if (price > 0) {
            _consumptions[dealId] = Consumption(dataset, price);
            ++data.pendingConsumptions;
        }
        emit ProtectedDataConsumed(dealId, dataset, msg.sender, mode, price);
    }

    /// @inheritdoc IDataSharing
    function settleConsumption(bytes32 dealId) external {
        Consumption memory c = _consumptions[dealId];
        if (c.dataset == address(0)) revert SharingConsumptionUnknown(dealId);
        bytes32 taskId = keccak256(abi.encodePacked(dealId, uint256(hub.viewDeal(dealId).botFirst)));
        TaskStatus status = hub.viewTask(taskId).status;
        if (status != TaskStatus.Completed && status != TaskStatus.Failed) {
            revert SharingTaskNotFinished(taskId, status);
        }
        delete _consumptions[dealId];
        Data storage data = _data[c.dataset];
        --data.pendingConsumptions;
        if (status == TaskStatus.Failed) {
            // The hub refunded the consumer: nothing reached this contract.
            emit ConsumptionSettled(dealId, c.dataset, address(0), 0);
            return;
        }
        // While a consumption is pending its data cannot leave the collection, so the hub paid the
        // price to this contract when the task completed.
        address payee = ownerOf(data.collectionId);
        emit ConsumptionSettled(dealId, c.dataset, payee, c.price);
        hub.transfer(payee, c.price);
    }

    /// @notice ERC-1271: valid only for the dataset order `consumeProtectedData` is matching.
    function isValidSignature(bytes32 hash, bytes calldata) external view returns (bytes4) {
        bytes32 authorized = AUTHORIZED_ORDER.asBytes32().tload();
        return authorized != bytes32(0) && hash == authorized ? IERC1271.isValidSignature.selector : bytes4(0xffffffff);
    }

    // ---- policy of held data

    /// @inheritdoc IDataSharing
    function setPolicy(address dataset, PolicyTerms calldata terms) external {
        _ownedData(dataset);
        hub.setPolicy(dataset, terms);
    }

    /// @inheritdoc IDataSharing
    function allowApps(address dataset, address[] calldata apps) external {
        _ownedData(dataset);
        hub.allowApps(dataset, apps);
    }

    /// @inheritdoc IDataSharing
    function allowUsers(address dataset, address[] calldata users) external {
        _ownedData(dataset);
        hub.allowUsers(dataset, users);
    }

    /// @inheritdoc IDataSharing
    function revokeUsers(address dataset, address[] calldata users) external {
        _ownedData(dataset);
        hub.revokeUsers(dataset, users);
    }

    // ---- reads

    /// @inheritdoc IDataSharing
    function viewCollection(uint256 collectionId) external view returns (CollectionInfo memory) {
        address owner = _ownerOf(collectionId);
        if (owner == address(0)) revert SharingCollectionUnknown(collectionId);
        Collection storage c = _collections[collectionId];
        return CollectionInfo(owner, c.size, c.subscriptionPrice, c.subscriptionDuration, c.subscribedUntil);
    }

    /// @inheritdoc IDataSharing
    function viewProtectedData(address dataset) external view returns (DataInfo memory) {
        Data storage d = _data[dataset];
        return DataInfo(
            d.collectionId,
            d.rentalPrice,
            d.rentalDuration,
            d.rentedUntil,
            d.forSale,
            d.salePrice,
            d.pendingConsumptions
        );
    }

    /// @inheritdoc IDataSharing
    function rentalEnd(address dataset, address renter) external view returns (uint256) {
        return _rentals[dataset][renter];
    }

    /// @inheritdoc IDataSharing
    function subscriptionEnd(uint256 collectionId, address subscriber) external view returns (uint256) {
        return _subscriptions[collectionId][subscriber];
    }

    /// @inheritdoc IDataSharing
    function viewConsumption(bytes32 dealId) external view returns (Consumption memory) {
        return _consumptions[dealId];
    }

    // ---- internals

    function _checkCollectionOwner(uint256 collectionId) private view {
        address owner = _ownerOf(collectionId);
        if (owner == address(0)) revert SharingCollectionUnknown(collectionId);
        if (owner != msg.sender) revert SharingNotCollectionOwner(collectionId, msg.sender, owner);
    }

    /// @dev The collection of `dataset`, if the caller owns it.
    function _ownedData(address dataset) private view returns (uint256 collectionId) {
        collectionId = _data[dataset].collectionId;
        if (collectionId == 0) revert SharingNotInCollection(dataset);
        _checkCollectionOwner(collectionId);
    }

    /// @dev The data may leave: no rental or subscription running, no consumption unsettled.
    function _checkReleasable(address dataset, uint256 collectionId) private view {
        Data storage data = _data[dataset];
        uint256 until = data.rentedUntil;
        uint256 subscribed = _collections[collectionId].subscribedUntil;
        if (subscribed > until) until = subscribed;
        if (until > block.timestamp) revert SharingDataInUse(dataset, until);
        if (data.pendingConsumptions != 0) revert SharingPendingConsumptions(dataset, data.pendingConsumptions);
    }

    function _release(address dataset, uint256 collectionId) private {
        delete _data[dataset];
        --_collections[collectionId].size;
    }

    /// @dev A renter the owner's policy would refuse anyway is refused before paying.
    function _checkUsable(address dataset, address user) private view {
        if (!hub.isUserAllowed(dataset, user)) revert IDataPolicy.PolicyUserNotAllowed(dataset, user);
        uint256 expiry = hub.viewPolicy(dataset).expiry;
        if (expiry != 0 && block.timestamp >= expiry) revert IDataPolicy.PolicyExpired(dataset, expiry);
    }

    /// @dev A running period is extended; an ended one restarts now.
    function _extend(uint40 end, uint40 duration) private view returns (uint40) {
        uint256 from = end > block.timestamp ? end : block.timestamp;
        uint256 next = from + duration;
        if (next > type(uint40).max) revert SharingInvalidDuration(next);
        return uint40(next);
    }

    /// @dev Moves `amount` of `from`'s escrow to `to`'s; this contract must be approved on the hub.
    function _pay(address from, address to, uint256 amount) private {
        if (amount > 0) hub.transferFrom(from, to, amount);
    }

    function _price(uint256 price) private pure returns (uint96) {
        if (price > type(uint96).max) revert SharingPriceTooLarge(price);
        return uint96(price);
    }

    function _duration(uint256 duration) private pure returns (uint40) {
        if (duration == 0 || duration > type(uint40).max) revert SharingInvalidDuration(duration);
        return uint40(duration);
    }
}

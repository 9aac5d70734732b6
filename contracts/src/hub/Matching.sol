// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {IMatching} from "../interfaces/IMatching.sol";
import {IWorkerpoolRegistry} from "../interfaces/IWorkerpoolRegistry.sol";
import {IERC734} from "../interfaces/IERC734.sol";
import {Escrow} from "./Escrow.sol";
import {Configuration} from "./Configuration.sol";
import {OrderManagement} from "./OrderManagement.sol";
import {OrderHashing} from "../libs/OrderHashing.sol";
import {TaskIds} from "../libs/TaskIds.sol";
import {HubStorage} from "../libs/HubStorage.sol";
import {PolicyRules} from "../libs/PolicyRules.sol";
import {WORKERPOOL_STAKE_RATIO_PERCENT, TAG_TEE_BIT} from "../libs/Constants.sol";
import {
    OrderKind,
    AppOrder,
    DatasetOrder,
    WorkerpoolOrder,
    RequestOrder,
    Deal,
    Policy,
    sponsorOf
} from "../libs/Types.sol";

/// @title Matching
/// @notice `matchOrders`: every compatibility check of PoCo, each failing with its own error and
/// values, then the owner policy of the dataset, the deal, the consumed volumes and the locked funds.
abstract contract Matching is OrderManagement, Escrow, Configuration, IMatching {
    using OrderHashing for AppOrder;
    using OrderHashing for DatasetOrder;
    using OrderHashing for WorkerpoolOrder;
    using OrderHashing for RequestOrder;
    using PolicyRules for Policy;

    /// @notice Share of the workerpool price its owner stakes per task, in percent.
    uint256 public constant WORKERPOOL_STAKE_RATIO = WORKERPOOL_STAKE_RATIO_PERCENT;
    /// @notice Tag bits 1-3 (TEE frameworks) of a dataset order are ignored, so data tagged for one
    /// framework still matches pools of another.
    bytes32 internal constant DATASET_FRAMEWORK_MASK = bytes32(uint256(0xE));
    /// @notice ERC-734 purpose that makes a key a member of a restriction group.
    uint256 internal constant GROUP_MEMBER_PURPOSE = 4;

    /// @dev Values gathered while checking, kept in memory to spare the stack.
    struct MatchContext {
        bytes32 appHash;
        bytes32 datasetHash;
        bytes32 workerpoolHash;
        bytes32 requestHash;
        address workerpoolOwner;
        uint256 workerStakeRatio;
        uint256 schedulerRewardRatio;
        bytes32 tag;
        uint256 timeref;
        uint256 volume;
    }

    /// @inheritdoc IMatching
    function matchOrders(
        AppOrder calldata appOrder,
        DatasetOrder calldata datasetOrder,
        WorkerpoolOrder calldata workerpoolOrder,
        RequestOrder calldata requestOrder
    ) external nonReentrant returns (bytes32) {
        return _matchOrders(appOrder, datasetOrder, workerpoolOrder, requestOrder, requestOrder.requester);
    }

    /// @inheritdoc IMatching
    function sponsorMatchOrders(
        AppOrder calldata appOrder,
        DatasetOrder calldata datasetOrder,
        WorkerpoolOrder calldata workerpoolOrder,
        RequestOrder calldata requestOrder
    ) external nonReentrant returns (bytes32 dealId) {
        dealId = _matchOrders(appOrder, datasetOrder, workerpoolOrder, requestOrder, msg.sender);
        emit DealSponsored(dealId, msg.sender);
    }

    /// @inheritdoc IMatching
    function viewDeal(bytes32 dealId) external view returns (DealInfo memory info) {
        Deal storage deal = HubStorage.layout().deals[dealId];
        if (deal.workerpool == address(0)) revert DealNotFound(dealId);
        info.app = deal.app;
        info.appPrice = deal.appPrice;
        info.dataset = deal.dataset;
        info.datasetPrice = deal.datasetPrice;
        info.workerpool = deal.workerpool;
        info.workerpoolPrice = deal.workerpoolPrice;
        info.workerpoolOwner = deal.workerpoolOwner;
        info.workerStake = uint256(deal.workerpoolPrice) * deal.workerStakeRatio / 100;
        info.requester = deal.requester;
        info.botFirst = deal.botFirst;
        info.botSize = deal.botSize;
        info.sponsor = sponsorOf(deal);
        info.startTime = deal.startTime;
        info.timeref = deal.timeref;
        info.trust = deal.trust;
        info.schedulerRewardRatio = deal.schedulerRewardRatio;
        info.beneficiary = deal.beneficiary == address(0) ? deal.requester : deal.beneficiary;
        info.category = deal.category;
        info.callback = deal.callback;
        info.tag = deal.tag;
    }

    function _matchOrders(
        AppOrder calldata a,
        DatasetOrder calldata d,
        WorkerpoolOrder calldata w,
        RequestOrder calldata r,
        address sponsor
    ) private returns (bytes32 dealId) {
        MatchContext memory ctx;
        _checkTerms(a, d, w, r, ctx);
        _checkRestrictions(a, d, w, r);
        _checkSignatures(a, d, w, r, ctx);
        _computeVolume(a, d, w, r, ctx);
        if (d.dataset != address(0)) {
            _usePolicy(a, d, r, ctx.volume);
        }

        uint256 consumedBefore = HubStorage.layout().consumed[ctx.requestHash];
        dealId = TaskIds.dealId(ctx.requestHash, consumedBefore);
        _storeDeal(dealId, a, d, w, r, ctx, consumedBefore, sponsor);
        _consume(ctx, d.dataset != address(0));

        _lock(sponsor, (a.appprice + _datasetPrice(d) + w.workerpoolprice) * ctx.volume);
        _lock(ctx.workerpoolOwner, (w.workerpoolprice * WORKERPOOL_STAKE_RATIO / 100) * ctx.volume);

        emit SchedulerNotice(w.workerpool, dealId);
        emit OrdersMatched(dealId, ctx.appHash, ctx.datasetHash, ctx.workerpoolHash, ctx.requestHash, ctx.volume);
        if (bytes(r.params).length > 0) emit DealParams(dealId, r.params);
    }

    /// @dev Category, trust, prices and tags.
    function _checkTerms(
        AppOrder calldata a,
        DatasetOrder calldata d,
        WorkerpoolOrder calldata w,
        RequestOrder calldata r,
        MatchContext memory ctx
    ) private view {
        if (r.category != w.category) revert MatchCategoryMismatch(r.category, w.category);
        ctx.timeref = _timeref(w.category);
        if (r.trust > w.trust) revert MatchTrustTooLow(r.trust, w.trust);
        if (r.appmaxprice < a.appprice) revert MatchPriceTooHigh(OrderKind.App, r.appmaxprice, a.appprice);
        if (r.datasetmaxprice < d.datasetprice) {
            revert MatchPriceTooHigh(OrderKind.Dataset, r.datasetmaxprice, d.datasetprice);
        }
        if (r.workerpoolmaxprice < w.workerpoolprice) {
            revert MatchPriceTooHigh(OrderKind.Workerpool, r.workerpoolmaxprice, w.workerpoolprice);
        }
        // The null dataset order is signed by nobody: its tag must not shape the deal.
        bytes32 datasetTag = d.dataset == address(0) ? bytes32(0) : d.tag & ~DATASET_FRAMEWORK_MASK;
        bytes32 tag = a.tag | datasetTag | r.tag;
        if (tag & ~w.tag != bytes32(0)) revert MatchTagNotCovered(tag, w.tag);
        if (tag & TAG_TEE_BIT != bytes32(0) && a.tag & TAG_TEE_BIT == bytes32(0)) revert MatchAppNotTee(a.tag);
        ctx.tag = tag;
    }

    /// @dev The request names the offered assets; each order's restrictions admit the others.
    function _checkRestrictions(
        AppOrder calldata a,
        DatasetOrder calldata d,
        WorkerpoolOrder calldata w,
        RequestOrder calldata r
    ) private view {
        if (r.app != a.app) revert MatchAssetMismatch(OrderKind.App, r.app, a.app);
        if (r.dataset != d.dataset) revert MatchAssetMismatch(OrderKind.Dataset, r.dataset, d.dataset);
        _restrict(OrderKind.Request, OrderKind.Workerpool, r.workerpool, w.workerpool);
        _restrict(OrderKind.App, OrderKind.Dataset, a.datasetrestrict, d.dataset);
        _restrict(OrderKind.App, OrderKind.Workerpool, a.workerpoolrestrict, w.workerpool);
        _restrict(OrderKind.App, OrderKind.Request, a.requesterrestrict, r.requester);
        if (d.dataset != address(0)) {
            _restrict(OrderKind.Dataset, OrderKind.App, d.apprestrict, a.app);
            _restrict(OrderKind.Dataset, OrderKind.Workerpool, d.workerpoolrestrict, w.workerpool);
            _restrict(OrderKind.Dataset, OrderKind.Request, d.requesterrestrict, r.requester);
        }
        _restrict(OrderKind.Workerpool, OrderKind.App, w.apprestrict, a.app);
        _restrict(OrderKind.Workerpool, OrderKind.Dataset, w.datasetrestrict, d.dataset);
        _restrict(OrderKind.Workerpool, OrderKind.Request, w.requesterrestrict, r.requester);
    }

    /// @dev Zero admits anyone; an equal address admits itself; a contract admits its ERC-734 members.
    function _restrict(OrderKind restricting, OrderKind restricted, address restriction, address account)
        private
        view
    {
        if (restriction == address(0) || restriction == account) return;
        if (restriction.code.length > 0 && _isGroupMember(restriction, account)) return;
        revert MatchRestricted(restricting, restricted, restriction, account);
    }

    /// @dev A group that reverts or answers garbage admits nobody.
    function _isGroupMember(address group, address account) private view returns (bool) {
        try IERC734(group).keyHasPurpose(bytes32(uint256(uint160(account))), GROUP_MEMBER_PURPOSE) returns (bool m) {
            return m;
        } catch {
            return false;
        }
    }

    /// @dev Each asset is registered and each order presigned or signed by its owner.
    function _checkSignatures(
        AppOrder calldata a,
        DatasetOrder calldata d,
        WorkerpoolOrder calldata w,
        RequestOrder calldata r,
        MatchContext memory ctx
    ) private view {
        ctx.appHash = _hashTypedDataV4(a.hash());
        _checkSigned(OrderKind.App, a.app, _appRegistry.ownerOfAsset(a.app), ctx.appHash, a.sign);

        if (d.dataset != address(0)) {
            ctx.datasetHash = _hashTypedDataV4(d.hash());
            _checkSigned(
                OrderKind.Dataset, d.dataset, _datasetRegistry.ownerOfAsset(d.dataset), ctx.datasetHash, d.sign
            );
        }

        ctx.workerpoolHash = _hashTypedDataV4(w.hash());
        (ctx.workerpoolOwner, ctx.workerStakeRatio, ctx.schedulerRewardRatio) =
            IWorkerpoolRegistry(address(_workerpoolRegistry)).viewWorkerpoolTerms(w.workerpool);
        _checkSigned(OrderKind.Workerpool, w.workerpool, ctx.workerpoolOwner, ctx.workerpoolHash, w.sign);

        ctx.requestHash = _hashTypedDataV4(r.hash());
        if (!_isOrderSigned(ctx.requestHash, r.requester, r.sign)) {
            revert MatchInvalidSignature(OrderKind.Request, ctx.requestHash, r.requester);
        }
    }

    function _checkSigned(OrderKind kind, address asset, address owner, bytes32 orderHash, bytes calldata sign)
        private
        view
    {
        if (owner == address(0)) revert MatchAssetNotRegistered(kind, asset);
        if (!_isOrderSigned(orderHash, owner, sign)) revert MatchInvalidSignature(kind, orderHash, owner);
    }

    /// @dev The deal's volume: the least volume left among the orders.
    function _computeVolume(
        AppOrder calldata a,
        DatasetOrder calldata d,
        WorkerpoolOrder calldata w,
        RequestOrder calldata r,
        MatchContext memory ctx
    ) private view {
        uint256 app = _remaining(a.volume, ctx.appHash);
        uint256 dataset = d.dataset == address(0) ? type(uint256).max : _remaining(d.volume, ctx.datasetHash);
        uint256 workerpool = _remaining(w.volume, ctx.workerpoolHash);
        uint256 request = _remaining(r.volume, ctx.requestHash);
        uint256 volume = _min(_min(app, dataset), _min(workerpool, request));
        if (volume == 0) revert MatchVolumeExhausted(app, dataset, workerpool, request);
        ctx.volume = volume;
    }

    /// @dev Checks the match against the dataset's owner policy, if it has one, and counts the tasks
    /// it serves. One storage read when there is no policy.
    function _usePolicy(AppOrder calldata a, DatasetOrder calldata d, RequestOrder calldata r, uint256 volume)
        private
    {
        Policy storage p = HubStorage.layout().policies[d.dataset];
        if (!p.active) return;
        p.check(d.dataset, a.app, r.requester, r.beneficiary, d.datasetprice, volume);
        uint256 uses = uint256(p.uses) + volume;
        // Saturates: past 2^32-1 tasks the count only matters against a maxUses it already exceeds.
        p.uses = uses > type(uint32).max ? type(uint32).max : uint32(uses);
    }

    function _remaining(uint256 volume, bytes32 orderHash) private view returns (uint256) {
        uint256 consumed = HubStorage.layout().consumed[orderHash];
        return consumed >= volume ? 0 : volume - consumed;
    }

    function _consume(MatchContext memory ctx, bool hasDataset) private {
        mapping(bytes32 => uint256) storage consumed = HubStorage.layout().consumed;
        consumed[ctx.appHash] += ctx.volume;
        if (hasDataset) consumed[ctx.datasetHash] += ctx.volume;
        consumed[ctx.workerpoolHash] += ctx.volume;
        consumed[ctx.requestHash] += ctx.volume;
    }

    function _storeDeal(
        bytes32 dealId,
        AppOrder calldata a,
        DatasetOrder calldata d,
        WorkerpoolOrder calldata w,
        RequestOrder calldata r,
        MatchContext memory ctx,
        uint256 botFirst,
        address sponsor
    ) private {
        Deal storage deal = HubStorage.layout().deals[dealId];
        deal.app = a.app;
        deal.appPrice = _fit96(a.appprice);
        if (d.dataset != address(0)) {
            deal.dataset = d.dataset;
            deal.datasetPrice = _fit96(d.datasetprice);
        }
        deal.workerpool = w.workerpool;
        deal.workerpoolPrice = _fit96(w.workerpoolprice);
        deal.workerpoolOwner = ctx.workerpoolOwner;
        deal.startTime = uint40(block.timestamp);
        // Categories cap their time reference at 2^24 - 1; ratios are ≤ 100 (registry policy).
        deal.timeref = uint24(ctx.timeref);
        deal.trust = uint16(_fit(r.trust == 0 ? 1 : r.trust, type(uint16).max));
        deal.schedulerRewardRatio = uint8(ctx.schedulerRewardRatio);
        deal.workerStakeRatio = uint8(ctx.workerStakeRatio);
        deal.requester = r.requester;
        deal.botFirst = uint64(_fit(botFirst, type(uint64).max));
        deal.botSize = uint32(_fit(ctx.volume, type(uint32).max));
        // Zero-valued fields are left unwritten: their slots stay empty and cost nothing.
        if (sponsor != r.requester) deal.sponsor = sponsor;
        if (r.beneficiary != r.requester) deal.beneficiary = r.beneficiary;
        if (r.category != 0) deal.category = uint32(r.category);
        if (r.callback != address(0)) deal.callback = r.callback;
        deal.tag = uint88(_fit(uint256(ctx.tag), type(uint88).max));
    }

    /// @dev What the deal charges for the dataset: nothing without one, as PoCo. The all-zero dataset
    /// order is unsigned, so its price is whatever the caller put there and must not be charged.
    function _datasetPrice(DatasetOrder calldata d) private pure returns (uint256) {
        return d.dataset == address(0) ? 0 : d.datasetprice;
    }

    /// @dev Reverts with `MatchValueTooLarge` unless `value` ≤ `max`; the caller's cast is then exact.
    function _fit(uint256 value, uint256 max) private pure returns (uint256) {
        if (value > max) revert MatchValueTooLarge(value, max);
        return value;
    }

    function _fit96(uint256 value) private pure returns (uint96) {
        return uint96(_fit(value, type(uint96).max));
    }

    function _min(uint256 x, uint256 y) private pure returns (uint256) {
        return x < y ? x : y;
    }
}

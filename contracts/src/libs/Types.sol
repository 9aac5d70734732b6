// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

/// @notice Which of the four orders a value belongs to; used in errors and events.
enum OrderKind {
    App,
    Dataset,
    Workerpool,
    Request
}

/// @notice On-chain operations on an order: presign it, or close (cancel) it.
enum OrderOperationKind {
    Sign,
    Close
}

/// @notice Life of a task. REVEALING is used by the replicated (non-TEE) path only.
enum TaskStatus {
    Unset,
    Active,
    Revealing,
    Completed,
    Failed
}

/// @notice Life of one worker's contribution to a replicated task (as PoCo): committed, revealed
/// (proved), or rejected when the task was reopened because no winner revealed.
enum ContributionStatus {
    Unset,
    Contributed,
    Proved,
    Rejected
}

/// @notice An app owner's offer to let its app run (field names and order as PoCo).
struct AppOrder {
    address app;
    uint256 appprice;
    uint256 volume;
    bytes32 tag;
    address datasetrestrict;
    address workerpoolrestrict;
    address requesterrestrict;
    bytes32 salt;
    bytes sign;
}

/// @notice A dataset owner's grant of use (field names and order as PoCo).
struct DatasetOrder {
    address dataset;
    uint256 datasetprice;
    uint256 volume;
    bytes32 tag;
    address apprestrict;
    address workerpoolrestrict;
    address requesterrestrict;
    bytes32 salt;
    bytes sign;
}

/// @notice A workerpool owner's offer of compute (field names and order as PoCo).
struct WorkerpoolOrder {
    address workerpool;
    uint256 workerpoolprice;
    uint256 volume;
    bytes32 tag;
    uint256 category;
    uint256 trust;
    address apprestrict;
    address datasetrestrict;
    address requesterrestrict;
    bytes32 salt;
    bytes sign;
}

/// @notice A requester's demand: run this app, on this dataset, at these prices (as PoCo).
struct RequestOrder {
    address app;
    uint256 appmaxprice;
    address dataset;
    uint256 datasetmaxprice;
    address workerpool;
    uint256 workerpoolmaxprice;
    address requester;
    uint256 volume;
    bytes32 tag;
    uint256 category;
    uint256 trust;
    address beneficiary;
    address callback;
    string params;
    bytes32 salt;
    bytes sign;
}

/// @notice An owner-signed instruction to presign or close an app order.
struct AppOrderOperation {
    AppOrder order;
    uint256 operation;
    bytes sign;
}

/// @notice An owner-signed instruction to presign or close a dataset order.
struct DatasetOrderOperation {
    DatasetOrder order;
    uint256 operation;
    bytes sign;
}

/// @notice An owner-signed instruction to presign or close a workerpool order.
struct WorkerpoolOrderOperation {
    WorkerpoolOrder order;
    uint256 operation;
    bytes sign;
}

/// @notice A requester-signed instruction to presign or close a request order.
struct RequestOrderOperation {
    RequestOrder order;
    uint256 operation;
    bytes sign;
}

/// @notice A deal as stored, in eight slots. Prices fit in 96 bits, positions in 64, tags in 88
/// (PoCo defines bits 0 to 8). Sponsor and beneficiary are stored as zero when they are the
/// requester, the common case, so their slots cost nothing; `viewDeal` resolves them.
/// @dev The request's `params` string is not stored: it is emitted in `DealParams` by the hub,
/// which is as authoritative for workers, the SMS and indexers, and saves a slot per 32 bytes.
struct Deal {
    address app;
    uint96 appPrice;
    address dataset;
    uint96 datasetPrice;
    address workerpool;
    uint96 workerpoolPrice;
    address workerpoolOwner;
    uint40 startTime;
    uint24 timeref;
    uint16 trust;
    uint8 schedulerRewardRatio;
    uint8 workerStakeRatio;
    address requester;
    uint64 botFirst;
    uint32 botSize;
    address sponsor;
    address beneficiary;
    uint32 category;
    address callback;
    uint88 tag;
}

/// @notice A task as stored. Deadlines are derived from the deal, and the `results` location is
/// emitted in `TaskFinalized` rather than stored; `resultsCallback` is kept for `resultFor`.
struct Task {
    bytes32 dealId;
    TaskStatus status;
    uint64 idx;
    uint40 resultsTimestamp;
    bytes32 resultDigest;
    bytes resultsCallback;
}

/// @notice One worker's commitment on a replicated task.
struct Contribution {
    ContributionStatus status;
    /// @dev floor(log2(weight)) of the worker when it contributed: its share of the reward.
    uint8 weight;
    address enclaveChallenge;
    bytes32 resultHash;
    bytes32 resultSeal;
}

/// @notice The replicated (Proof-of-Contribution) state of a task. `total` is the sum of the group
/// weights; the consensus rule adds PoCo's prior of 1 to it when it reads it.
struct Consensus {
    bytes32 value;
    uint40 revealDeadline;
    uint16 revealCounter;
    uint16 winnerCounter;
    uint256 total;
    address[] contributors;
    mapping(address worker => Contribution) contributions;
    mapping(bytes32 resultHash => uint256 weight) groups;
}

/// @notice One escrow account: free balance and frozen part share a slot.
struct EscrowAccount {
    uint128 balance;
    uint128 frozen;
}

/// @notice A compute category: the reference work-clock time bounds every deadline.
struct Category {
    string name;
    string description;
    uint256 workClockTimeRef;
}

/// @notice Who pays for a deal: stored as zero when it is the requester, the common case.
function sponsorOf(Deal storage deal) view returns (address sponsor) {
    sponsor = deal.sponsor;
    if (sponsor == address(0)) sponsor = deal.requester;
}

/// @notice An owner's terms of use for one protected data, as `setPolicy` takes them. Zero means
/// "no limit" for `pricePerUse`, `maxUses`, `expiry` and `maxResultSize`; the two flags restrict apps
/// and users to the policy's allow-lists.
struct PolicyTerms {
    /// @dev Only apps on the policy's app allow-list may use the data; that list only grows.
    bool restrictApps;
    /// @dev Only users (requester and beneficiary) on the policy's user allow-list may use the data.
    bool restrictUsers;
    /// @dev The least dataset price a deal may pay per task.
    uint96 pricePerUse;
    /// @dev Tasks the data may serve while the policy is active, all deals together.
    uint32 maxUses;
    /// @dev Unix time from which no deal may use the data.
    uint40 expiry;
    /// @dev Largest result, in bytes, the enclave runtime lets a task on this data produce.
    uint64 maxResultSize;
}

/// @notice A policy as stored: the terms in two slots (the first one is all matching reads),
/// the tasks served so far and the allow-lists.
struct Policy {
    bool active;
    bool restrictApps;
    bool restrictUsers;
    uint96 pricePerUse;
    uint32 maxUses;
    uint32 uses;
    uint40 expiry;
    uint64 maxResultSize;
    mapping(address app => bool) apps;
    mapping(address user => bool) users;
}

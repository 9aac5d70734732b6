import {
  type Account,
  type Address,
  BaseError,
  type Chain,
  ContractFunctionRevertedError,
  type Hex,
  isHex,
  type PublicClient,
  parseEventLogs,
  type TransactionReceipt,
  type Transport,
  type WalletClient,
  zeroAddress,
} from 'viem';
import {
  type AppOrder,
  confideHubAbi,
  type DatasetOrder,
  dataSharingClientAbi,
  datasetRegistryAbi,
  type RequestOrder,
  type Signed,
  TAG_TEE,
  type WorkerpoolOrder,
} from '../../protocol/src/index.js';
import { DataProtectorError } from './errors.js';
import { type OnStatusUpdate, step } from './statusUpdates.js';
import { address, count, invalid, price, service } from './validate.js';

const MAX_UINT32 = 2 ** 32 - 1;
const MAX_UINT40 = 2 ** 40 - 1;
const MAX_UINT64 = 2n ** 64n - 1n;
const MAX_UINT96 = 2n ** 96n - 1n;

/**
 * How processProtectedData reaches its dataset order and match when not through the market and the
 * hub: consumeProtectedData's dataset order is built and authorized by DataSharing, the data's holder.
 */
export type ProcessRoute = {
  /** The dataset order the request is built against, its price at most `maxPrice`. */
  datasetOrder: (maxPrice: bigint) => Promise<Signed<DatasetOrder>>;
  /** Sends the match; returns its transaction. */
  match: (orders: {
    appOrder: Signed<AppOrder>;
    datasetOrder: Signed<DatasetOrder>;
    workerpoolOrder: Signed<WorkerpoolOrder>;
    requestOrder: Signed<RequestOrder>;
  }) => Promise<Hex>;
};

/** What the sharing methods need of their DataProtector. */
type SharingContext<Params, Result> = {
  publicClient: PublicClient<Transport, Chain>;
  wallet: WalletClient<Transport, Chain, Account>;
  hub: Address;
  dataSharing: Address | undefined;
  registry: (name: 'datasetRegistry') => Promise<Address>;
  /** processProtectedData's path, through another route. */
  process: (params: Params, route: ProcessRoute) => Promise<Result>;
};

/** A collection, as `getCollection` returns it. */
export type Collection = {
  collectionId: number;
  owner: Address;
  /** How many protected data it holds. */
  size: number;
  /** Whether it offers subscriptions (`subscriptionParams`), i.e. their duration is not zero. */
  isSubscribable: boolean;
  subscriptionParams: { price: bigint; duration: number };
  /** End (Unix seconds) of the latest subscription to it; 0 if none. */
  subscribedUntil: number;
};

/** A protected data's sharing terms, as `getProtectedDataPricingParams` returns them. */
export type ProtectedDataPricingParams = {
  protectedData: Address;
  /** Whether DataSharing holds it, in collection `collectionId` (0 when not). */
  isInCollection: boolean;
  collectionId: number;
  isRentable: boolean;
  rentingParams: { price: bigint; duration: number };
  /** End (Unix seconds) of its latest rental; 0 if none. */
  rentedUntil: number;
  isForSale: boolean;
  salePrice: bigint;
  /** Paid consumptions whose earnings are not settled yet (`settleConsumption`). */
  pendingConsumptions: number;
};

/** A protected data's owner policy, as `getPolicy` returns it (`active` false: none set, anything goes). */
export type DataPolicy = {
  active: boolean;
  restrictApps: boolean;
  restrictUsers: boolean;
  pricePerUse: bigint;
  /** Tasks it may serve in all (0: unlimited); `uses` counts those served. */
  maxUses: number;
  uses: number;
  /** Unix seconds from which no deal may use the data (0: never). */
  expiry: number;
  /** Largest result in bytes a task on it may produce (0: no limit). */
  maxResultSize: bigint;
};

/** The terms `setPolicy` takes; every one left out is 0 (no limit) or false. */
export type SetPolicyParameters = {
  protectedData: Address;
  restrictApps?: boolean;
  restrictUsers?: boolean;
  pricePerUse?: bigint | number;
  maxUses?: number;
  expiry?: number;
  maxResultSize?: bigint | number;
};

/** The custom error a failed call reverted with, if it is one. */
function revertOf(error: unknown): { name: string; args: readonly unknown[] } | undefined {
  if (!(error instanceof BaseError)) return undefined;
  const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
  if (!(reverted instanceof ContractFunctionRevertedError) || !reverted.data?.errorName) return undefined;
  return { name: reverted.data.errorName, args: reverted.data.args ?? [] };
}

/**
 * A contract's refusal as a named error: Sharing* errors are SHARING_REFUSED, Policy* errors
 * POLICY_REFUSED, any other custom error TRANSACTION_REVERTED (reason: its name; `revert`: name and
 * arguments); anything else (no chain, no custom error) SERVICE_FAILED.
 */
function refusal(what: string, cause: unknown): DataProtectorError {
  if (cause instanceof DataProtectorError) return cause;
  const revert = revertOf(cause);
  if (!revert) {
    return new DataProtectorError('CONFIDE_DATAPROTECTOR_SERVICE_FAILED', {
      details: `${what}: ${cause instanceof Error ? cause.message.split('\n')[0] : String(cause)}`,
      cause,
    });
  }
  const code = revert.name.startsWith('Sharing')
    ? 'CONFIDE_DATAPROTECTOR_SHARING_REFUSED'
    : revert.name.startsWith('Policy')
      ? 'CONFIDE_DATAPROTECTOR_POLICY_REFUSED'
      : 'CONFIDE_DATAPROTECTOR_TRANSACTION_REVERTED';
  return new DataProtectorError(code, {
    reason: revert.name,
    revert,
    details: `${what}: ${revert.name}(${revert.args.map(String).join(', ')})`,
    cause,
  });
}

/** Reads a duration in seconds: 1 s to 2^40 − 1 s. */
function duration(value: unknown, name: string): number {
  const seconds = count(value, name, 1);
  if (seconds > MAX_UINT40) throw invalid(`${name} must be at most ${MAX_UINT40} seconds`);
  return seconds;
}

/** Reads a price the contracts store in 96 bits. */
function price96(value: unknown, name: string): bigint {
  const amount = price(value, name);
  if (amount > MAX_UINT96) throw invalid(`${name} must be at most 2^96 − 1`);
  return amount;
}

/** Reads a collection id: a positive integer. */
const collection = (value: unknown) => count(value, 'collectionId', 1);

/** Reads a non-empty list of addresses. */
function addresses(value: unknown, name: string): Address[] {
  if (!Array.isArray(value) || value.length === 0) throw invalid(`${name} must be a non-empty array of addresses`);
  return value.map((v, i) => address(v, `${name}[${i}]`));
}

/** Reads an optional boolean. */
function flag(value: unknown, name: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw invalid(`${name} must be a boolean`);
  return value;
}

/** Reads the parameters object every method takes. */
function object<T>(params: T): T {
  if (typeof params !== 'object' || params === null) throw invalid('the parameters must be an object');
  return params;
}

/**
 * The sharing methods of a DataProtector (iExec's names): collections, rentals, subscriptions,
 * sales, consumption, and owner policies, on the DataSharing contract and the hub.
 */
export function sharingApi<Params extends { protectedData: Address }, Result>(ctx: SharingContext<Params, Result>) {
  const { publicClient, wallet, hub } = ctx;
  const me = wallet.account.address;
  const sharing = (): Address => {
    if (!ctx.dataSharing) throw new DataProtectorError('CONFIDE_DATAPROTECTOR_SHARING_UNAVAILABLE');
    return ctx.dataSharing;
  };

  /** Sends a transaction and waits for it; refusals are named errors. */
  async function send(what: string, write: () => Promise<Hex>): Promise<TransactionReceipt> {
    let hash: Hex;
    try {
      hash = await write();
    } catch (cause) {
      throw refusal(what, cause);
    }
    const receipt = await service(what, () => publicClient.waitForTransactionReceipt({ hash }));
    if (receipt.status !== 'success') {
      throw new DataProtectorError('CONFIDE_DATAPROTECTOR_TRANSACTION_REVERTED', {
        details: `${what}: transaction ${hash} reverted`,
      });
    }
    return receipt;
  }
  /** Reads a view; refusals are named errors. */
  async function read<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (cause) {
      throw refusal(what, cause);
    }
  }
  /**
   * Calls DataSharing, simulated first: a refusal is then named (its custom error decoded) before
   * anything is sent, whoever signs — a browser wallet may send a call that reverts without saying why.
   */
  const callSharing = (what: string, functionName: string, args: readonly unknown[]) =>
    send(what, async () => {
      const call = { account: wallet.account, address: sharing(), abi: dataSharingClientAbi, functionName, args };
      await publicClient.simulateContract(call as never);
      return wallet.writeContract(call as never);
    });
  const viewData = (dataset: Address) =>
    read('reading the protected data on DataSharing', () =>
      publicClient.readContract({
        address: sharing(),
        abi: dataSharingClientAbi,
        functionName: 'viewProtectedData',
        args: [dataset],
      }),
    );
  const viewCollection = (collectionId: number) =>
    read('reading the collection', () =>
      publicClient.readContract({
        address: sharing(),
        abi: dataSharingClientAbi,
        functionName: 'viewCollection',
        args: [BigInt(collectionId)],
      }),
    );
  const ownerOf = async (dataset: Address) =>
    read('reading the dataset registry', async () =>
      publicClient.readContract({
        address: await ctx.registry('datasetRegistry'),
        abi: datasetRegistryAbi,
        functionName: 'ownerOfAsset',
        args: [dataset],
      }),
    );
  /** Approves DataSharing to take exactly `amount` from the caller's escrow account (none if 0). */
  const approve = async (amount: bigint) => {
    if (amount === 0n) return;
    await send('approving DataSharing on the escrow', () =>
      wallet.writeContract({ address: hub, abi: confideHubAbi, functionName: 'approve', args: [sharing(), amount] }),
    );
  };
  /** The terms the caller expects, refused before paying if they are not the current ones. */
  const expect = (
    offered: { price?: bigint | number; duration?: number },
    current: { price: bigint; duration: number },
  ) => {
    const p = offered.price === undefined ? current.price : price96(offered.price, 'price');
    const d = offered.duration === undefined ? current.duration : duration(offered.duration, 'duration');
    if (p !== current.price || d !== current.duration) {
      const args = [p, BigInt(d), current.price, BigInt(current.duration)] as const;
      throw new DataProtectorError('CONFIDE_DATAPROTECTOR_SHARING_REFUSED', {
        reason: 'SharingTermsChanged',
        revert: { name: 'SharingTermsChanged', args },
        details: `you offered ${p} for ${d} s; the terms are ${current.price} for ${current.duration} s`,
      });
    }
    return { price: p, duration: d };
  };
  /** The latest block's time (the chain's, which may run ahead of the wall clock). */
  const chainNow = async () => Number((await service('reading the chain', () => publicClient.getBlock())).timestamp);

  /**
   * Creates a collection (an ERC-721 token of DataSharing) owned by the caller.
   * @returns its id and the transaction
   * @example const { collectionId } = await dp.createCollection()
   */
  async function createCollection() {
    const receipt = await callSharing('creating the collection', 'createCollection', [me]);
    const [event] = parseEventLogs({ abi: dataSharingClientAbi, logs: receipt.logs, eventName: 'CollectionCreated' });
    if (!event)
      throw new DataProtectorError('CONFIDE_DATAPROTECTOR_SERVICE_FAILED', { details: 'no CollectionCreated' });
    return { collectionId: Number(event.args.collectionId), txHash: receipt.transactionHash };
  }

  /**
   * Removes an empty collection of the caller (burns its token).
   * @example await dp.removeCollection({ collectionId: 1 })
   */
  async function removeCollection(params: { collectionId: number }) {
    const collectionId = collection(object(params).collectionId);
    const receipt = await callSharing('removing the collection', 'removeCollection', [BigInt(collectionId)]);
    return { txHash: receipt.transactionHash };
  }

  /**
   * Moves the caller's protected data into one of its collections: approves DataSharing for this
   * data on the dataset registry, then adds it; DataSharing holds it from then on.
   * @example await dp.addToCollection({ protectedData, collectionId })
   */
  async function addToCollection(params: {
    protectedData: Address;
    collectionId: number;
    onStatusUpdate?: OnStatusUpdate<'APPROVE_COLLECTION_CONTRACT' | 'ADD_PROTECTED_DATA_TO_COLLECTION'>;
  }) {
    const dataset = address(object(params).protectedData, 'protectedData');
    const collectionId = collection(params.collectionId);
    const owner = await ownerOf(dataset);
    if (owner !== me) {
      throw new DataProtectorError('CONFIDE_DATAPROTECTOR_NOT_OWNER', { details: `${me} does not own ${dataset}` });
    }
    const registry = await ctx.registry('datasetRegistry');
    await step(params.onStatusUpdate, 'APPROVE_COLLECTION_CONTRACT', () =>
      send('approving DataSharing on the dataset registry', () =>
        wallet.writeContract({
          address: registry,
          abi: datasetRegistryAbi,
          functionName: 'approve',
          args: [sharing(), BigInt(dataset)],
        }),
      ),
    );
    const receipt = await step(
      params.onStatusUpdate,
      'ADD_PROTECTED_DATA_TO_COLLECTION',
      () => callSharing('adding to the collection', 'addToCollection', [BigInt(collectionId), dataset]),
      (r) => ({ txHash: r.transactionHash }),
    );
    return { txHash: receipt.transactionHash };
  }

  /**
   * Takes a protected data out of its collection, back to the collection's owner; refused while it
   * is rented, its collection subscribed, or consumptions of it are unsettled.
   * @example await dp.removeProtectedDataFromCollection({ protectedData })
   */
  async function removeProtectedDataFromCollection(params: { protectedData: Address }) {
    const dataset = address(object(params).protectedData, 'protectedData');
    const receipt = await callSharing('removing from the collection', 'removeProtectedDataFromCollection', [dataset]);
    return { txHash: receipt.transactionHash };
  }

  /**
   * Offers a protected data of one of the caller's collections for rent: `price` (token units) for
   * `duration` seconds of use.
   * @example await dp.setProtectedDataToRenting({ protectedData, price: 5_000_000_000n, duration: 3600 })
   */
  async function setProtectedDataToRenting(params: {
    protectedData: Address;
    price: bigint | number;
    duration: number;
  }) {
    const dataset = address(object(params).protectedData, 'protectedData');
    const amount = price96(params.price, 'price');
    const seconds = duration(params.duration, 'duration');
    const receipt = await callSharing('offering for rent', 'setProtectedDataToRenting', [
      dataset,
      amount,
      BigInt(seconds),
    ]);
    return { txHash: receipt.transactionHash };
  }

  /**
   * Withdraws the rental offer of a protected data (running rentals go on until they end).
   * @example await dp.removeProtectedDataFromRenting({ protectedData })
   */
  async function removeProtectedDataFromRenting(params: { protectedData: Address }) {
    const dataset = address(object(params).protectedData, 'protectedData');
    const receipt = await callSharing('withdrawing the rental offer', 'removeProtectedDataFromRenting', [dataset]);
    return { txHash: receipt.transactionHash };
  }

  /**
   * Rents a protected data at its current terms: reads them (refused, before paying, if `price` or
   * `duration` are given and differ), approves exactly the price on the escrow for DataSharing,
   * then rents; the owner is paid at once. A running rental of the caller is extended.
   * @returns when the rental ends (Unix seconds), what it cost, and the transaction
   * @example const { endDate } = await dp.rentProtectedData({ protectedData, price: 5_000_000_000n, duration: 3600 })
   */
  async function rentProtectedData(params: { protectedData: Address; price?: bigint | number; duration?: number }) {
    const dataset = address(object(params).protectedData, 'protectedData');
    if (params.price !== undefined) price96(params.price, 'price');
    if (params.duration !== undefined) duration(params.duration, 'duration');
    const data = await viewData(dataset);
    if (data.collectionId === 0n) throw notInCollection(dataset);
    if (data.rentalDuration === 0) throw refused('SharingNotForRent', [dataset], `${dataset} is not for rent`);
    const terms = expect(params, { price: data.rentalPrice, duration: data.rentalDuration });
    await approve(terms.price);
    const receipt = await callSharing('renting', 'rentProtectedData', [dataset, terms.price, BigInt(terms.duration)]);
    const [event] = parseEventLogs({ abi: dataSharingClientAbi, logs: receipt.logs, eventName: 'NewRental' });
    return { endDate: event?.args.endDate ?? 0, price: terms.price, txHash: receipt.transactionHash };
  }

  /**
   * Offers subscriptions to one of the caller's collections: `price` for `duration` seconds of use
   * of every data in it (`duration` 0: stop offering).
   * @example await dp.setSubscriptionParams({ collectionId, price: 20_000_000_000n, duration: 30 * 86400 })
   */
  async function setSubscriptionParams(params: { collectionId: number; price: bigint | number; duration: number }) {
    const collectionId = collection(object(params).collectionId);
    const amount = price96(params.price, 'price');
    const seconds = params.duration === 0 ? 0 : duration(params.duration, 'duration');
    const receipt = await callSharing('setting the subscription terms', 'setSubscriptionParams', [
      BigInt(collectionId),
      amount,
      BigInt(seconds),
    ]);
    return { txHash: receipt.transactionHash };
  }

  /**
   * Subscribes to a collection at its current terms (refused before paying if `price` or
   * `duration` are given and differ): approves exactly the price on the escrow, then subscribes.
   * @returns when the subscription ends (Unix seconds), what it cost, and the transaction
   * @example const { endDate } = await dp.subscribeToCollection({ collectionId, price: 20_000_000_000n })
   */
  async function subscribeToCollection(params: { collectionId: number; price?: bigint | number; duration?: number }) {
    const collectionId = collection(object(params).collectionId);
    if (params.price !== undefined) price96(params.price, 'price');
    if (params.duration !== undefined) duration(params.duration, 'duration');
    const info = await viewCollection(collectionId);
    if (info.subscriptionDuration === 0) {
      throw refused('SharingNotForSubscription', [BigInt(collectionId)], `collection ${collectionId} offers none`);
    }
    const terms = expect(params, { price: info.subscriptionPrice, duration: info.subscriptionDuration });
    await approve(terms.price);
    const receipt = await callSharing('subscribing', 'subscribeToCollection', [
      BigInt(collectionId),
      terms.price,
      BigInt(terms.duration),
    ]);
    const [event] = parseEventLogs({ abi: dataSharingClientAbi, logs: receipt.logs, eventName: 'NewSubscription' });
    return { endDate: event?.args.endDate ?? 0, price: terms.price, txHash: receipt.transactionHash };
  }

  /**
   * Offers a protected data of one of the caller's collections for sale at `price`.
   * @example await dp.setProtectedDataForSale({ protectedData, price: 100_000_000_000n })
   */
  async function setProtectedDataForSale(params: { protectedData: Address; price: bigint | number }) {
    const dataset = address(object(params).protectedData, 'protectedData');
    const amount = price96(params.price, 'price');
    const receipt = await callSharing('offering for sale', 'setProtectedDataForSale', [dataset, amount]);
    return { txHash: receipt.transactionHash };
  }

  /**
   * Withdraws the sale offer of a protected data.
   * @example await dp.removeProtectedDataForSale({ protectedData })
   */
  async function removeProtectedDataForSale(params: { protectedData: Address }) {
    const dataset = address(object(params).protectedData, 'protectedData');
    const receipt = await callSharing('withdrawing the sale offer', 'removeProtectedDataForSale', [dataset]);
    return { txHash: receipt.transactionHash };
  }

  /**
   * Buys a protected data at its sale price (refused before paying if `price` is given and
   * differs): approves exactly the price on the escrow, then buys; the caller owns it at once.
   * @example await dp.buyProtectedData({ protectedData, price: 100_000_000_000n })
   */
  async function buyProtectedData(params: { protectedData: Address; price?: bigint | number }) {
    const dataset = address(object(params).protectedData, 'protectedData');
    if (params.price !== undefined) price96(params.price, 'price');
    const data = await viewData(dataset);
    if (data.collectionId === 0n) throw notInCollection(dataset);
    if (!data.forSale) throw refused('SharingNotForSale', [dataset], `${dataset} is not for sale`);
    const salePrice = params.price === undefined ? data.salePrice : price96(params.price, 'price');
    if (salePrice !== data.salePrice) {
      throw refused(
        'SharingTermsChanged',
        [salePrice, 0n, data.salePrice, 0n],
        `you offered ${salePrice}; the price is ${data.salePrice}`,
      );
    }
    await approve(salePrice);
    const receipt = await callSharing('buying', 'buyProtectedData', [dataset, salePrice]);
    return { price: salePrice, txHash: receipt.transactionHash };
  }

  /**
   * Runs an app on a protected data by right of the caller's rental of it or subscription to its
   * collection, as processProtectedData does (same parameters, steps and result): the app's TEE
   * order and a workerpool order from the market, a request order signed by the caller, matched by
   * DataSharing, which authorizes the dataset order as the data's holder at the owner policy's price
   * per use (`dataMaxPrice` bounds it). Refused before anything is sent or paid if the caller has
   * no running rental or subscription (SHARING_REFUSED, reason `SharingNoAccess`).
   * @example const { result } = await dp.consumeProtectedData({ protectedData, app, appMaxPrice, workerpoolMaxPrice, dataMaxPrice, path: 'result.json' })
   */
  async function consumeProtectedData(params: Params & { dataMaxPrice?: bigint | number }) {
    const dataset = address(object(params).protectedData, 'protectedData');
    address((params as { app?: unknown }).app, 'app');
    price(params.dataMaxPrice ?? 0, 'dataMaxPrice');
    const data = await viewData(dataset);
    if (data.collectionId === 0n) throw notInCollection(dataset);
    const [now, rental, subscription] = await Promise.all([
      chainNow(),
      rentalEnd(dataset, me),
      subscriptionEnd(Number(data.collectionId), me),
    ]);
    if (rental <= now && subscription <= now) {
      throw refused('SharingNoAccess', [dataset, me], `${me} has no running rental of ${dataset} nor subscription`);
    }
    const route: ProcessRoute = {
      async datasetOrder(maxPrice) {
        const { pricePerUse } = await policyOf(dataset);
        if (pricePerUse > maxPrice) {
          throw new DataProtectorError('CONFIDE_DATAPROTECTOR_PRICE_TOO_HIGH', {
            details: `${dataset} costs ${pricePerUse} per use; dataMaxPrice is ${maxPrice}`,
          });
        }
        // What the request is built against; DataSharing makes the real one (same price and tag).
        return {
          dataset,
          datasetprice: pricePerUse,
          volume: 1n,
          tag: TAG_TEE,
          apprestrict: zeroAddress,
          workerpoolrestrict: zeroAddress,
          requesterrestrict: me,
          salt: `0x${'0'.repeat(64)}`,
          sign: '0x',
        };
      },
      match: ({ appOrder, workerpoolOrder, requestOrder }) =>
        callSharing('consuming the protected data', 'consumeProtectedData', [
          dataset,
          appOrder,
          workerpoolOrder,
          requestOrder,
        ]).then((r) => r.transactionHash),
    };
    return ctx.process({ ...params, protectedData: dataset }, route);
  }

  /**
   * Pays the owner of a consumed data's collection its per-use price once the consumption's task has
   * ended (nothing if it failed; the consumer was refunded). Anyone may call it.
   * @example await dp.settleConsumption({ dealId })
   */
  async function settleConsumption(params: { dealId: Hex }) {
    const dealId = object(params).dealId;
    if (!isHex(dealId) || dealId.length !== 66) throw invalid('dealId must be a 32-byte hex string');
    const receipt = await callSharing('settling the consumption', 'settleConsumption', [dealId]);
    const [event] = parseEventLogs({ abi: dataSharingClientAbi, logs: receipt.logs, eventName: 'ConsumptionSettled' });
    return {
      payee: event?.args.payee ?? zeroAddress,
      amount: event?.args.amount ?? 0n,
      txHash: receipt.transactionHash,
    };
  }

  /**
   * Reads a collection.
   * @example const { owner, size, subscriptionParams } = await dp.getCollection({ collectionId })
   */
  async function getCollection(params: { collectionId: number }): Promise<Collection> {
    const collectionId = collection(object(params).collectionId);
    const info = await viewCollection(collectionId);
    return {
      collectionId,
      owner: info.owner,
      size: info.size,
      isSubscribable: info.subscriptionDuration > 0,
      subscriptionParams: { price: info.subscriptionPrice, duration: info.subscriptionDuration },
      subscribedUntil: info.subscribedUntil,
    };
  }

  /**
   * Reads a protected data's sharing terms: its collection, rental and sale offers.
   * @example const { isRentable, rentingParams } = await dp.getProtectedDataPricingParams({ protectedData })
   */
  async function getProtectedDataPricingParams(params: {
    protectedData: Address;
  }): Promise<ProtectedDataPricingParams> {
    const dataset = address(object(params).protectedData, 'protectedData');
    const data = await viewData(dataset);
    return {
      protectedData: dataset,
      isInCollection: data.collectionId !== 0n,
      collectionId: Number(data.collectionId),
      isRentable: data.rentalDuration > 0,
      rentingParams: { price: data.rentalPrice, duration: data.rentalDuration },
      rentedUntil: data.rentedUntil,
      isForSale: data.forSale,
      salePrice: data.salePrice,
      pendingConsumptions: data.pendingConsumptions,
    };
  }

  const rentalEnd = async (dataset: Address, renter: Address) =>
    Number(
      await read('reading the rental', () =>
        publicClient.readContract({
          address: sharing(),
          abi: dataSharingClientAbi,
          functionName: 'rentalEnd',
          args: [dataset, renter],
        }),
      ),
    );
  const subscriptionEnd = async (collectionId: number, subscriber: Address) =>
    Number(
      await read('reading the subscription', () =>
        publicClient.readContract({
          address: sharing(),
          abi: dataSharingClientAbi,
          functionName: 'subscriptionEnd',
          args: [BigInt(collectionId), subscriber],
        }),
      ),
    );

  /**
   * When a rental of a protected data ends (Unix seconds; 0: never rented), the caller's by default.
   * @example const end = await dp.getRentalEnd({ protectedData })
   */
  async function getRentalEnd(params: { protectedData: Address; renter?: Address }) {
    const dataset = address(object(params).protectedData, 'protectedData');
    const renter = params.renter === undefined ? me : address(params.renter, 'renter');
    return rentalEnd(dataset, renter);
  }

  /**
   * When a subscription to a collection ends (Unix seconds; 0: never subscribed), the caller's by default.
   * @example const end = await dp.getSubscriptionEnd({ collectionId })
   */
  async function getSubscriptionEnd(params: { collectionId: number; subscriber?: Address }) {
    const collectionId = collection(object(params).collectionId);
    const subscriber = params.subscriber === undefined ? me : address(params.subscriber, 'subscriber');
    return subscriptionEnd(collectionId, subscriber);
  }

  const policyOf = async (dataset: Address): Promise<DataPolicy> => {
    const p = await read('reading the policy', () =>
      publicClient.readContract({ address: hub, abi: confideHubAbi, functionName: 'viewPolicy', args: [dataset] }),
    );
    return {
      active: p.active,
      restrictApps: p.restrictApps,
      restrictUsers: p.restrictUsers,
      pricePerUse: p.pricePerUse,
      maxUses: p.maxUses,
      uses: p.uses,
      expiry: p.expiry,
      maxResultSize: p.maxResultSize,
    };
  };

  /**
   * Where a policy change for `dataset` goes: DataSharing when it holds the data (its collection's
   * owner only), the hub otherwise (the data's owner only).
   */
  const policyTarget = async (dataset: Address) => {
    const holder = await ownerOf(dataset);
    return ctx.dataSharing !== undefined && holder === ctx.dataSharing
      ? { address: ctx.dataSharing, abi: dataSharingClientAbi }
      : { address: hub, abi: confideHubAbi };
  };
  const callPolicy = async (what: string, functionName: string, dataset: Address, arg: unknown) => {
    const target = await policyTarget(dataset);
    const receipt = await send(what, () =>
      wallet.writeContract({ ...target, functionName, args: [dataset, arg] } as never),
    );
    return { txHash: receipt.transactionHash };
  };

  /**
   * Sets the owner policy of a protected data (which apps and users, price per use, uses, expiry,
   * result size); the hub enforces it on every match. Goes to the hub when the caller owns the data,
   * through DataSharing when it sits in one of the caller's collections.
   * @example await dp.setPolicy({ protectedData, pricePerUse: 1_000_000_000n, maxUses: 100 })
   */
  async function setPolicy(params: SetPolicyParameters) {
    const dataset = address(object(params).protectedData, 'protectedData');
    const maxUses = params.maxUses === undefined ? 0 : count(params.maxUses, 'maxUses', 0);
    if (maxUses > MAX_UINT32) throw invalid(`maxUses must be at most ${MAX_UINT32}`);
    const expiry = params.expiry === undefined ? 0 : count(params.expiry, 'expiry', 0);
    if (expiry > MAX_UINT40) throw invalid('expiry must be Unix seconds, at most 2^40 − 1');
    const maxResultSize = price(params.maxResultSize ?? 0, 'maxResultSize');
    if (maxResultSize > MAX_UINT64) throw invalid('maxResultSize must be at most 2^64 − 1');
    const terms = {
      restrictApps: flag(params.restrictApps, 'restrictApps'),
      restrictUsers: flag(params.restrictUsers, 'restrictUsers'),
      pricePerUse: price96(params.pricePerUse ?? 0, 'pricePerUse'),
      maxUses,
      expiry,
      maxResultSize,
    };
    return callPolicy('setting the policy', 'setPolicy', dataset, terms);
  }

  /**
   * Reads the owner policy of a protected data, from the hub.
   * @example const { pricePerUse, uses, maxUses } = await dp.getPolicy({ protectedData })
   */
  async function getPolicy(params: { protectedData: Address }): Promise<DataPolicy> {
    return policyOf(address(object(params).protectedData, 'protectedData'));
  }

  /**
   * Adds apps to the app allow-list of a protected data's policy (it only grows), through the hub or
   * DataSharing as `setPolicy`.
   * @example await dp.allowApps({ protectedData, apps: [climateStats] })
   */
  async function allowApps(params: { protectedData: Address; apps: Address[] }) {
    const dataset = address(object(params).protectedData, 'protectedData');
    return callPolicy('allowing apps', 'allowApps', dataset, addresses(params.apps, 'apps'));
  }

  /**
   * Adds users to the user allow-list of a protected data's policy, through the hub or DataSharing.
   * @example await dp.allowUsers({ protectedData, users: [lab] })
   */
  async function allowUsers(params: { protectedData: Address; users: Address[] }) {
    const dataset = address(object(params).protectedData, 'protectedData');
    return callPolicy('allowing users', 'allowUsers', dataset, addresses(params.users, 'users'));
  }

  /**
   * Removes users from the user allow-list of a protected data's policy, through the hub or DataSharing.
   * @example await dp.revokeUsers({ protectedData, users: [lab] })
   */
  async function revokeUsers(params: { protectedData: Address; users: Address[] }) {
    const dataset = address(object(params).protectedData, 'protectedData');
    return callPolicy('revoking users', 'revokeUsers', dataset, addresses(params.users, 'users'));
  }

  return {
    createCollection,
    removeCollection,
    addToCollection,
    removeProtectedDataFromCollection,
    setProtectedDataToRenting,
    removeProtectedDataFromRenting,
    rentProtectedData,
    setSubscriptionParams,
    subscribeToCollection,
    setProtectedDataForSale,
    removeProtectedDataForSale,
    buyProtectedData,
    consumeProtectedData,
    settleConsumption,
    getCollection,
    getProtectedDataPricingParams,
    getRentalEnd,
    getSubscriptionEnd,
    setPolicy,
    getPolicy,
    allowApps,
    allowUsers,
    revokeUsers,
  };
}

/** A refusal found before sending, named as the contract would name it. */
function refused(name: string, args: readonly unknown[], details: string) {
  return new DataProtectorError('CONFIDE_DATAPROTECTOR_SHARING_REFUSED', {
    reason: name,
    revert: { name, args },
    details,
  });
}

const notInCollection = (dataset: Address) =>
  refused('SharingNotInCollection', [dataset], `${dataset} is in no collection`);

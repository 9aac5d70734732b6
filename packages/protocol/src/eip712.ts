import type { Address, Hex, TypedDataDomain } from 'viem';

/**
 * EIP-712 struct types of the four orders and their operations: field names, types and order
 * exactly as PoCo's, so an order signed by any PoCo tool differs from ours only by the domain.
 * The contract writes the same type strings out in `OrderHashing.sol`; a test checks both agree.
 */
export const orderTypes = {
  AppOrder: [
    { name: 'app', type: 'address' },
    { name: 'appprice', type: 'uint256' },
    { name: 'volume', type: 'uint256' },
    { name: 'tag', type: 'bytes32' },
    { name: 'datasetrestrict', type: 'address' },
    { name: 'workerpoolrestrict', type: 'address' },
    { name: 'requesterrestrict', type: 'address' },
    { name: 'salt', type: 'bytes32' },
  ],
  DatasetOrder: [
    { name: 'dataset', type: 'address' },
    { name: 'datasetprice', type: 'uint256' },
    { name: 'volume', type: 'uint256' },
    { name: 'tag', type: 'bytes32' },
    { name: 'apprestrict', type: 'address' },
    { name: 'workerpoolrestrict', type: 'address' },
    { name: 'requesterrestrict', type: 'address' },
    { name: 'salt', type: 'bytes32' },
  ],
  WorkerpoolOrder: [
    { name: 'workerpool', type: 'address' },
    { name: 'workerpoolprice', type: 'uint256' },
    { name: 'volume', type: 'uint256' },
    { name: 'tag', type: 'bytes32' },
    { name: 'category', type: 'uint256' },
    { name: 'trust', type: 'uint256' },
    { name: 'apprestrict', type: 'address' },
    { name: 'datasetrestrict', type: 'address' },
    { name: 'requesterrestrict', type: 'address' },
    { name: 'salt', type: 'bytes32' },
  ],
  RequestOrder: [
    { name: 'app', type: 'address' },
    { name: 'appmaxprice', type: 'uint256' },
    { name: 'dataset', type: 'address' },
    { name: 'datasetmaxprice', type: 'uint256' },
    { name: 'workerpool', type: 'address' },
    { name: 'workerpoolmaxprice', type: 'uint256' },
    { name: 'requester', type: 'address' },
    { name: 'volume', type: 'uint256' },
    { name: 'tag', type: 'bytes32' },
    { name: 'category', type: 'uint256' },
    { name: 'trust', type: 'uint256' },
    { name: 'beneficiary', type: 'address' },
    { name: 'callback', type: 'address' },
    { name: 'params', type: 'string' },
    { name: 'salt', type: 'bytes32' },
  ],
} as const;

/** The four order kinds, named as their EIP-712 primary types. */
export type OrderKind = keyof typeof orderTypes;

/** All order kinds, in the contract's `OrderKind` enum order (App 0 … Request 3). */
export const orderKinds = ['AppOrder', 'DatasetOrder', 'WorkerpoolOrder', 'RequestOrder'] as const;

/** An app owner's offer (unsigned). */
export type AppOrder = {
  app: Address;
  appprice: bigint;
  volume: bigint;
  tag: Hex;
  datasetrestrict: Address;
  workerpoolrestrict: Address;
  requesterrestrict: Address;
  salt: Hex;
};

/** A dataset owner's grant (unsigned). */
export type DatasetOrder = {
  dataset: Address;
  datasetprice: bigint;
  volume: bigint;
  tag: Hex;
  apprestrict: Address;
  workerpoolrestrict: Address;
  requesterrestrict: Address;
  salt: Hex;
};

/** A workerpool owner's offer of compute (unsigned). */
export type WorkerpoolOrder = {
  workerpool: Address;
  workerpoolprice: bigint;
  volume: bigint;
  tag: Hex;
  category: bigint;
  trust: bigint;
  apprestrict: Address;
  datasetrestrict: Address;
  requesterrestrict: Address;
  salt: Hex;
};

/** A requester's demand (unsigned). */
export type RequestOrder = {
  app: Address;
  appmaxprice: bigint;
  dataset: Address;
  datasetmaxprice: bigint;
  workerpool: Address;
  workerpoolmaxprice: bigint;
  requester: Address;
  volume: bigint;
  tag: Hex;
  category: bigint;
  trust: bigint;
  beneficiary: Address;
  callback: Address;
  params: string;
  salt: Hex;
};

/** Maps each order kind to its message type. */
export type OrderOf = {
  AppOrder: AppOrder;
  DatasetOrder: DatasetOrder;
  WorkerpoolOrder: WorkerpoolOrder;
  RequestOrder: RequestOrder;
};

/** An order with its signature (`0x` when presigned on chain). */
export type Signed<T> = T & { sign: Hex };

/** On-chain order operations: presign (0) or close (1). */
export const OrderOperation = { Sign: 0n, Close: 1n } as const;

/** Typed-data definition of `<Kind>Operation { <Kind> order; uint256 operation }`. */
export function operationTypes<K extends OrderKind>(kind: K) {
  return {
    [`${kind}Operation`]: [
      { name: 'order', type: kind },
      { name: 'operation', type: 'uint256' },
    ],
    [kind]: orderTypes[kind],
  } as const;
}

/**
 * The hub's EIP-712 domain: name `Confide`, version `1`.
 * @param chainId chain the hub lives on
 * @param verifyingContract the hub's address
 * @example confideDomain(31337, hub)
 */
export function confideDomain(chainId: number, verifyingContract: Address): TypedDataDomain {
  return { name: 'Confide', version: '1', chainId, verifyingContract };
}

/**
 * The EIP-712 `encodeType` string of an order kind, e.g.
 * `AppOrder(address app,uint256 appprice,…)`. Used to compare with PoCo's literal strings.
 */
export function encodeOrderType(kind: OrderKind): string {
  return `${kind}(${orderTypes[kind].map((f) => `${f.type} ${f.name}`).join(',')})`;
}

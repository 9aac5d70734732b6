import {
  bytesToHex,
  type Hex,
  hashTypedData,
  type LocalAccount,
  type TypedDataDomain,
  zeroAddress,
  zeroHash,
} from 'viem';
import {
  type AppOrder,
  type DatasetOrder,
  type OrderKind,
  type OrderOf,
  operationTypes,
  orderTypes,
  type RequestOrder,
  type Signed,
  type WorkerpoolOrder,
} from './eip712.js';

/** Parameters of {@link hashOrder}. */
export type HashOrderParameters<K extends OrderKind> = { domain: TypedDataDomain; kind: K; order: OrderOf[K] };

/**
 * The EIP-712 hash of an order under a hub's domain: the order's identity on chain.
 * @example hashOrder({ domain: confideDomain(31337, hub), kind: 'AppOrder', order })
 */
export function hashOrder<K extends OrderKind>({ domain, kind, order }: HashOrderParameters<K>): Hex {
  return hashTypedData(orderDefinition(domain, kind, order) as Parameters<typeof hashTypedData>[0]);
}

/** Anything that can sign typed data: a local account or a wallet client with an account. */
export type TypedDataSigner = Pick<LocalAccount, 'signTypedData'>;

/** Parameters of {@link signOrder}. */
export type SignOrderParameters<K extends OrderKind> = HashOrderParameters<K> & { signer: TypedDataSigner };

/**
 * Signs an order with EIP-712 and returns it with its `sign` field.
 * @example const signed = await signOrder({ signer: account, domain, kind: 'RequestOrder', order })
 */
export async function signOrder<K extends OrderKind>({
  signer,
  domain,
  kind,
  order,
}: SignOrderParameters<K>): Promise<Signed<OrderOf[K]>> {
  const sign = await signer.signTypedData(orderDefinition(domain, kind, order) as SignTypedDataArgs);
  return { ...order, sign };
}

/** Parameters of {@link signOrderOperation}. */
export type SignOrderOperationParameters<K extends OrderKind> = SignOrderParameters<K> & { operation: bigint };

/**
 * Signs an operation (0 presign, 1 close) on an order, for anyone to relay to `manage<Kind>`.
 * @example await signOrderOperation({ signer, domain, kind: 'AppOrder', order, operation: OrderOperation.Close })
 */
export async function signOrderOperation<K extends OrderKind>({
  signer,
  domain,
  kind,
  order,
  operation,
}: SignOrderOperationParameters<K>): Promise<Hex> {
  return signer.signTypedData({
    domain,
    types: operationTypes(kind),
    primaryType: `${kind}Operation`,
    message: { order: stripSign(order), operation },
  } as unknown as SignTypedDataArgs);
}

/** The all-zero dataset order to pass to `matchOrders` for a deal without a dataset. */
export const NULL_DATASET_ORDER: Signed<DatasetOrder> = {
  dataset: zeroAddress,
  datasetprice: 0n,
  volume: 0n,
  tag: zeroHash,
  apprestrict: zeroAddress,
  workerpoolrestrict: zeroAddress,
  requesterrestrict: zeroAddress,
  salt: zeroHash,
  sign: '0x',
};

/** Tag bit 0: the deal must run in a TEE. */
export const TAG_TEE: Hex = `0x${'0'.repeat(63)}1`;

/** Builds a tag from bit positions, e.g. `tagFromBits([0])` is {@link TAG_TEE}. */
export function tagFromBits(bits: readonly number[]): Hex {
  const value = bits.reduce((acc, bit) => acc | (1n << BigInt(bit)), 0n);
  return `0x${value.toString(16).padStart(64, '0')}`;
}

/** A random 32-byte salt that makes two otherwise equal orders distinct. */
export function randomSalt(): Hex {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return bytesToHex(bytes);
}

type SignTypedDataArgs = Parameters<TypedDataSigner['signTypedData']>[0];

function orderDefinition<K extends OrderKind>(domain: TypedDataDomain, kind: K, order: OrderOf[K]) {
  return { domain, types: { [kind]: orderTypes[kind] }, primaryType: kind, message: stripSign(order) } as unknown;
}

function stripSign<T extends object>(order: T): Omit<T, 'sign'> {
  const { sign: _sign, ...rest } = order as T & { sign?: Hex };
  return rest;
}

/** {@link hashOrder} for an app order, named as in the iExec SDK. */
export const hashAppOrder = (domain: TypedDataDomain, order: AppOrder) =>
  hashOrder({ domain, kind: 'AppOrder', order });
/** {@link hashOrder} for a dataset order. */
export const hashDatasetOrder = (domain: TypedDataDomain, order: DatasetOrder) =>
  hashOrder({ domain, kind: 'DatasetOrder', order });
/** {@link hashOrder} for a workerpool order. */
export const hashWorkerpoolOrder = (domain: TypedDataDomain, order: WorkerpoolOrder) =>
  hashOrder({ domain, kind: 'WorkerpoolOrder', order });
/** {@link hashOrder} for a request order. */
export const hashRequestOrder = (domain: TypedDataDomain, order: RequestOrder) =>
  hashOrder({ domain, kind: 'RequestOrder', order });

/** {@link signOrder} for an app order, named as in the iExec SDK. */
export const signAppOrder = (signer: TypedDataSigner, domain: TypedDataDomain, order: AppOrder) =>
  signOrder({ signer, domain, kind: 'AppOrder', order });
/** {@link signOrder} for a dataset order. */
export const signDatasetOrder = (signer: TypedDataSigner, domain: TypedDataDomain, order: DatasetOrder) =>
  signOrder({ signer, domain, kind: 'DatasetOrder', order });
/** {@link signOrder} for a workerpool order. */
export const signWorkerpoolOrder = (signer: TypedDataSigner, domain: TypedDataDomain, order: WorkerpoolOrder) =>
  signOrder({ signer, domain, kind: 'WorkerpoolOrder', order });
/** {@link signOrder} for a request order. */
export const signRequestOrder = (signer: TypedDataSigner, domain: TypedDataDomain, order: RequestOrder) =>
  signOrder({ signer, domain, kind: 'RequestOrder', order });

import { type Abi, type Address, type Hex, hexToString, stringToHex } from 'viem';
import { z } from 'zod';
import { appRegistryAbi, datasetRegistryAbi, workerpoolRegistryAbi } from '../../../protocol/src/index.js';
import type { ConfideClient } from '../client.js';
import { ConfideSdkError } from '../errors.js';
import { requireWallet, sendContract } from './chain.js';
import { addressSchema, parseParameters } from './validate.js';

/** The three kinds of registered asset. */
type AssetKind = 'app' | 'dataset' | 'workerpool';

const REGISTRIES = {
  app: { abi: appRegistryAbi, key: 'appRegistry', create: 'createApp', predict: 'predictApp', view: 'viewApp' },
  dataset: {
    abi: datasetRegistryAbi,
    key: 'datasetRegistry',
    create: 'createDataset',
    predict: 'predictDataset',
    view: 'viewDataset',
  },
  workerpool: {
    abi: workerpoolRegistryAbi,
    key: 'workerpoolRegistry',
    create: 'createWorkerpool',
    predict: 'predictWorkerpool',
    view: 'viewWorkerpool',
  },
} as const;

type RegistryClient = Pick<ConfideClient, 'publicClient' | 'contracts'>;

async function registry(client: RegistryClient, kind: AssetKind) {
  const r = REGISTRIES[kind];
  return { ...r, address: (await client.contracts())[r.key], abi: r.abi as Abi };
}

async function read<T>(client: RegistryClient, kind: AssetKind, functionName: string, args: readonly unknown[]) {
  const r = await registry(client, kind);
  return (await client.publicClient.readContract({ address: r.address, abi: r.abi, functionName, args })) as T;
}

/** A multiaddr or URL as the registry stores it (its UTF-8 bytes), and back. */
export const multiaddrToBytes = (multiaddr: string): Hex => stringToHex(multiaddr);
/** Reads back a stored multiaddr. */
export const multiaddrFromBytes = (bytes: Hex): string => hexToString(bytes);

/** The address an asset with these creation arguments gets (known before deployment). */
export function predictAsset(client: RegistryClient, kind: AssetKind, args: readonly unknown[]): Promise<Address> {
  return read<Address>(client, kind, REGISTRIES[kind].predict, args);
}

/** Whether an asset is registered at `asset`. */
export function isAssetRegistered(client: RegistryClient, kind: AssetKind, asset: Address): Promise<boolean> {
  return read<boolean>(client, kind, 'isRegistered', [asset]);
}

/**
 * Registers an asset unless the same owner already has one with the same fields.
 * @throws ConfideSdkError `CONFIDE_SDK_ASSET_EXISTS`, `CONFIDE_SDK_ACCOUNT_REQUIRED`, `CONFIDE_SDK_TRANSACTION_REVERTED`
 */
export async function deployAsset(
  client: Pick<ConfideClient, 'publicClient' | 'walletClient' | 'contracts'>,
  kind: AssetKind,
  action: string,
  args: readonly unknown[],
): Promise<{ address: Address; txHash: Hex }> {
  requireWallet(client, action);
  const address = await predictAsset(client, kind, args);
  if (await isAssetRegistered(client, kind, address)) {
    throw new ConfideSdkError({
      code: 'CONFIDE_SDK_ASSET_EXISTS',
      shortMessage: `${action}: this owner already registered ${kind} ${address} with these fields; use it, or change the name.`,
    });
  }
  const r = await registry(client, kind);
  const receipt = await sendContract(client, { action, address: r.address, abi: r.abi, functionName: r.create, args });
  return { address, txHash: receipt.transactionHash };
}

/**
 * The registry's record of an asset.
 * @throws ConfideSdkError `CONFIDE_SDK_ASSET_NOT_FOUND`
 */
export async function viewAsset<T>(client: RegistryClient, kind: AssetKind, action: string, asset: Address) {
  if (!(await isAssetRegistered(client, kind, asset))) {
    throw new ConfideSdkError({
      code: 'CONFIDE_SDK_ASSET_NOT_FOUND',
      shortMessage: `${action}: no ${kind} is registered at ${asset}; check the address and the chain.`,
    });
  }
  return read<T>(client, kind, REGISTRIES[kind].view, [asset]);
}

/** How many assets of a kind `owner` holds (ERC-721 balance). */
export function countAssets(client: RegistryClient, kind: AssetKind, owner: Address): Promise<bigint> {
  return read<bigint>(client, kind, 'balanceOf', [owner]);
}

/**
 * Transfers an asset to a new owner: the registry's ERC-721 `transferFrom`, token id = uint160(asset).
 * @throws ConfideSdkError `CONFIDE_SDK_ASSET_NOT_FOUND`, `CONFIDE_SDK_NOT_OWNER`, `CONFIDE_SDK_ACCOUNT_REQUIRED`
 */
export async function transferAsset(
  client: Pick<ConfideClient, 'publicClient' | 'walletClient' | 'contracts'>,
  kind: AssetKind,
  action: string,
  asset: Address,
  to: Address,
): Promise<{ address: Address; to: Address; txHash: Hex }> {
  const { account } = requireWallet(client, action);
  const owner = await read<Address>(client, kind, 'ownerOfAsset', [asset]);
  if (/^0x0{40}$/.test(owner)) {
    throw new ConfideSdkError({
      code: 'CONFIDE_SDK_ASSET_NOT_FOUND',
      shortMessage: `${action}: no ${kind} is registered at ${asset}; check the address and the chain.`,
    });
  }
  if (owner !== account.address) {
    throw new ConfideSdkError({
      code: 'CONFIDE_SDK_NOT_OWNER',
      shortMessage: `${action}: ${kind} ${asset} belongs to ${owner}, not to ${account.address}; only its owner can transfer it.`,
    });
  }
  const r = await registry(client, kind);
  const receipt = await sendContract(client, {
    action,
    address: r.address,
    abi: r.abi,
    functionName: 'transferFrom',
    args: [owner, to, BigInt(asset)],
  });
  return { address: asset, to, txHash: receipt.transactionHash };
}

/** Parameters schema of the actions that take one asset address. */
export const assetAddressSchema = (field: string) => z.strictObject({ [field]: addressSchema });

/** Parameters schema of `countUser…` actions. */
const ownerSchema = z.strictObject({ owner: addressSchema.optional() });

/** The owner to count for: the given one, or the client's account. */
export function ownerOrAccount(
  client: Pick<ConfideClient, 'walletClient'>,
  action: string,
  parameters: { owner?: Address } | undefined,
): Address {
  const p = parseParameters(action, ownerSchema, parameters);
  return (
    p.owner ?? client.walletClient?.account.address ?? parseParameters(action, ownerSchema.required(), parameters).owner
  );
}

/** Parameters schema of `transfer…` actions. */
export const transferSchema = (field: string) => z.strictObject({ [field]: addressSchema, to: addressSchema });

import type { Address, Hex } from 'viem';
import { z } from 'zod';
import { readBundle } from '../../../../enclave/src/bundle/readBundle.js';
import { BundleInvalidError } from '../../../../enclave/src/errors.js';
import type { ConfideClient } from '../../client.js';
import { ConfideSdkError } from '../../errors.js';
import { appBundleFields } from '../../internal/bundle.js';
import { requireWallet } from '../../internal/chain.js';
import { addressSchema, parseParameters } from '../../internal/validate.js';
import { deployApp } from './deployApp.js';

/** Parameters of {@link deployAppBundle}. */
export type DeployAppBundleParameters = {
  /** The canonical bundle bytes (`packBundle(dir)` of `@confide/enclave` makes them from an app folder). */
  bundle: Uint8Array;
  /** The name on chain; the manifest's (`confide.json` `name`) by default. */
  name?: string;
  /** Who owns it; the client's account by default. */
  owner?: Address;
};

/** The registered app and what was stored and registered for it. */
export type DeployAppBundleReturnType = {
  address: Address;
  txHash: Hex;
  name: string;
  type: string;
  /** CIDv1 of the stored bundle. */
  cid: string;
  /** `/ipfs/<cid>`. */
  multiaddr: string;
  /** SHA-256 of the bundle bytes, as the worker checks what it downloads. */
  checksum: Hex;
  /** The TEE fingerprint: SHA-256 of the canonical bundle, as the enclave measures what it runs. */
  fingerprint: Hex;
};

/** Errors of {@link deployAppBundle} (the storage's `CONFIDE_STORAGE_*` pass through). */
export type DeployAppBundleErrorType = ConfideSdkError<
  | 'CONFIDE_SDK_PARAMETERS_INVALID'
  | 'CONFIDE_SDK_ACCOUNT_REQUIRED'
  | 'CONFIDE_SDK_SERVICE_MISSING'
  | 'CONFIDE_SDK_ASSET_EXISTS'
  | 'CONFIDE_SDK_TRANSACTION_REVERTED'
>;

const schema = z.strictObject({
  bundle: z.instanceof(Uint8Array).refine((bytes) => bytes.length > 0, 'must not be empty'),
  name: z.string().min(1).max(256).optional(),
  owner: addressSchema.optional(),
});

/**
 * Stores an app bundle and registers the app (the convenient path of iExec's `app deploy`): checks
 * the bundle (format, manifest, entrypoint), stores it with `services.storage.put`, and registers
 * `/ipfs/<cid>`, its checksum and its fingerprint, type `NODE`.
 * @param client a Confide client with an account and `services.storage` able to `put`
 * @param parameters `{ bundle, name?, owner? }`
 * @returns the app's address, the transaction and the registered fields
 * @throws ConfideSdkError `CONFIDE_SDK_PARAMETERS_INVALID` (reason: the bundle rule broken, e.g. `ENTRYPOINT_MISSING`),
 * `CONFIDE_SDK_SERVICE_MISSING`, `CONFIDE_SDK_ASSET_EXISTS`
 * @example const { address, multiaddr } = await deployAppBundle(client, { bundle: await packBundle('apps/hello') })
 */
export async function deployAppBundle(
  client: Pick<ConfideClient, 'publicClient' | 'walletClient' | 'contracts' | 'services'>,
  parameters: DeployAppBundleParameters,
): Promise<DeployAppBundleReturnType> {
  const p = parseParameters('deployAppBundle', schema, parameters);
  requireWallet(client, 'deployAppBundle');
  let manifestName: string;
  try {
    manifestName = readBundle(p.bundle).manifest.name;
  } catch (error) {
    if (!(error instanceof BundleInvalidError)) throw error;
    throw new ConfideSdkError({
      code: 'CONFIDE_SDK_PARAMETERS_INVALID',
      shortMessage: `deployAppBundle: the bundle is invalid (${error.reason}); pack the app folder again.`,
      details: error.details,
      reason: error.reason,
      cause: error,
    });
  }
  const put = client.services.storage?.put;
  if (typeof put !== 'function') {
    throw new ConfideSdkError({
      code: 'CONFIDE_SDK_SERVICE_MISSING',
      shortMessage:
        'deployAppBundle stores the bundle; create the client with `services.storage` (a Storage with put).',
    });
  }
  const { cid } = await put.call(client.services.storage, p.bundle);
  const name = p.name ?? manifestName;
  const type = 'NODE';
  const fields = appBundleFields(p.bundle, cid);
  const { address, txHash } = await deployApp(client, {
    ...(p.owner ? { owner: p.owner } : {}),
    name,
    type,
    ...fields,
  });
  return { address, txHash, name, type, cid, ...fields };
}

import { type Address, getAddress, type Hex, hexToString, toHex } from 'viem';
// Modules, not package indexes: this runs in browsers too (see createDataProtector.ts).
import { toHexString } from '../../crypto/src/bytes.js';
import { decryptDatasetChunks } from '../../crypto/src/datasetOpener.js';
import { encryptDatasetChunks } from '../../crypto/src/datasetSealer.js';
import { encodeDatasetKey } from '../../crypto/src/encodeDatasetKey.js';
import { ConfideCryptoError } from '../../crypto/src/errors.js';
import { generateDatasetKey } from '../../crypto/src/generateDatasetKey.js';
import { createSha256 } from '../../crypto/src/sha256.js';
import { confideHubAbi, dataSharingClientAbi, datasetRegistryAbi, walletSigner } from '../../protocol/src/index.js';
import { readDatasetKey, rotateDatasetKey } from '../../sms/src/client/datasetKey.js';
import type { BulkContext } from './bulk/bulkRequest.js';
import { DataProtectorError } from './errors.js';
import { type OnStatusUpdate, step } from './statusUpdates.js';
import { address, invalid, service } from './validate.js';

/** The steps {@link RotateKeyParameters.onStatusUpdate} reports, in order. */
export type RotateKeyStep =
  | 'READ_ENCRYPTION_KEY'
  | 'CREATE_ENCRYPTION_KEY'
  | 'REENCRYPT_FILE'
  | 'PUSH_SECRET_TO_SMS'
  | 'UPDATE_PROTECTED_DATA';

/**
 * Parameters of `rotateKey`, which re-encrypts a protected data under a fresh key: the new
 * ciphertext is stored and registered on chain (`DatasetRegistry.updateDataset`) and the SMS
 * replaces the key, destroying the old one, so nothing it releases decrypts the old ciphertext.
 * `revokeAllAccess({ protectedData, rotateKey: true })` does the same after revoking.
 * Errors: `CONFIDE_DATAPROTECTOR_NOT_OWNER`, `CONFIDE_DATAPROTECTOR_CIPHERTEXT_INVALID` (nothing
 * changed), `CONFIDE_DATAPROTECTOR_ROTATION_INCOMPLETE` (the details name the location to register).
 * @example const { multiaddr, txHash } = await dp.rotateKey({ protectedData, onStatusUpdate: console.log })
 */
export type RotateKeyParameters = {
  /** The protected data; the wallet's account must own it. */
  protectedData: Address;
  onStatusUpdate?: OnStatusUpdate<RotateKeyStep>;
};

/** What `rotateKey` returns: where the new ciphertext is, and the chain transaction that says so. */
export type RotateKeyReturnType = {
  address: Address;
  /** `/ipfs/<cid>` of the new ciphertext. */
  multiaddr: string;
  /** SHA-256 of the new ciphertext, as registered. */
  checksum: Hex;
  txHash: Hex;
};

/** The ciphertext hashed as it passes (for the registered checksum). */
function hashing(source: AsyncIterable<Uint8Array>) {
  const hash = createSha256();
  return {
    chunks: (async function* () {
      for await (const chunk of source) {
        hash.update(chunk);
        yield chunk;
      }
    })(),
    checksum: (): Hex => `0x${toHexString(hash.digest())}`,
  };
}

/** What a rotation needs: the bulk context's clients and services, and DataSharing if deployed. */
type RotationContext = BulkContext & { dataSharing?: Address | undefined };

/** The owner of the collection that holds `dataset` in DataSharing. */
async function collectionOwner(ctx: RotationContext, sharing: Address, dataset: Address): Promise<Address> {
  return service('reading DataSharing', async () => {
    const { collectionId } = await ctx.publicClient.readContract({
      address: sharing,
      abi: dataSharingClientAbi,
      functionName: 'viewProtectedData',
      args: [dataset],
    });
    return ctx.publicClient.readContract({
      address: sharing,
      abi: dataSharingClientAbi,
      functionName: 'ownerOf',
      args: [collectionId],
    });
  });
}

/**
 * Re-encrypts a protected data under a fresh key: reads the current key back from the SMS (as
 * the owner), streams the registered ciphertext through decryption and re-encryption to storage,
 * replaces the key in the SMS (which destroys the old one), then points the dataset at the new
 * ciphertext on chain. Afterwards nothing the SMS releases decrypts the old ciphertext, and tasks
 * (which read the location at run time) use the new one. Memory stays bounded whatever the size.
 *
 * Tasks that start between the key replacement and the chain update fail to decrypt (the window
 * is one transaction). If the chain update fails, the error is
 * `CONFIDE_DATAPROTECTOR_ROTATION_INCOMPLETE` and its details give the new multiaddr and checksum
 * to register with `updateDataset`.
 * @throws DataProtectorError `CONFIDE_DATAPROTECTOR_INVALID_PARAMETER`, `CONFIDE_DATAPROTECTOR_NOT_OWNER`
 * (the data is someone else's, or held by a contract such as DataSharing),
 * `CONFIDE_DATAPROTECTOR_CIPHERTEXT_INVALID` (the registered ciphertext does not match its checksum
 * or the SMS's key; nothing changed), `CONFIDE_DATAPROTECTOR_SERVICE_FAILED`,
 * `CONFIDE_DATAPROTECTOR_ROTATION_INCOMPLETE`
 * @example const { multiaddr, txHash } = await dp.rotateKey({ protectedData, onStatusUpdate: console.log })
 */
export async function rotateKey(ctx: RotationContext, params: RotateKeyParameters): Promise<RotateKeyReturnType> {
  const dataset = address(params?.protectedData, 'protectedData');
  if (params.onStatusUpdate !== undefined && typeof params.onStatusUpdate !== 'function') {
    throw invalid('onStatusUpdate must be a function');
  }
  const { publicClient, wallet, hub, storage, smsUrl } = ctx;
  const account = wallet.account.address;
  const registry = await service('reading the hub', () =>
    publicClient.readContract({ address: hub, abi: confideHubAbi, functionName: 'datasetRegistry' }),
  );
  const owner = await service('reading the dataset registry', () =>
    publicClient.readContract({
      address: registry,
      abi: datasetRegistryAbi,
      functionName: 'ownerOfAsset',
      args: [dataset],
    }),
  );
  // Data held in a collection is its collection owner's, who updates it through DataSharing.
  const sharing = ctx.dataSharing && owner === getAddress(ctx.dataSharing) ? ctx.dataSharing : undefined;
  const effectiveOwner = sharing ? await collectionOwner(ctx, sharing, dataset) : owner;
  if (effectiveOwner !== account) {
    throw new DataProtectorError('CONFIDE_DATAPROTECTOR_NOT_OWNER', {
      details: `${account} does not own ${dataset} (its owner is ${effectiveOwner})`,
    });
  }
  const current = await service('reading the dataset registry', () =>
    publicClient.readContract({
      address: registry,
      abi: datasetRegistryAbi,
      functionName: 'viewDataset',
      args: [dataset],
    }),
  );
  const cid = /^\/ipfs\/([A-Za-z0-9]+)$/.exec(hexToString(current.multiaddr))?.[1];
  if (!cid) {
    throw new DataProtectorError('CONFIDE_DATAPROTECTOR_CIPHERTEXT_INVALID', {
      details: `${dataset} is registered at '${hexToString(current.multiaddr)}', not /ipfs/<cid>`,
    });
  }
  const chainId = await service('reading the chain', () => publicClient.getChainId());
  const signer = walletSigner(wallet);
  const oldKey = await step(params.onStatusUpdate, 'READ_ENCRYPTION_KEY', () =>
    service('reading the key from the SMS', () => readDatasetKey({ smsUrl, chainId, account: signer, dataset })),
  );
  const newKey = await step(params.onStatusUpdate, 'CREATE_ENCRYPTION_KEY', () => generateDatasetKey());

  const { multiaddr, checksum } = await step(
    params.onStatusUpdate,
    'REENCRYPT_FILE',
    async () => {
      // Registered ciphertext → check and decrypt with the current key → encrypt with the new one → storage.
      const downloaded = hashing(storage.get(cid));
      let sourceError: unknown;
      const plaintext = (async function* () {
        try {
          yield* decryptDatasetChunks({ source: downloaded.chunks, key: oldKey });
        } catch (error) {
          sourceError = error;
          throw error;
        }
      })();
      const uploaded = hashing(encryptDatasetChunks({ source: plaintext, key: newKey }));
      let put: { cid: string };
      try {
        put = await storage.put(uploaded.chunks);
      } catch (cause) {
        if (sourceError instanceof ConfideCryptoError) {
          throw new DataProtectorError('CONFIDE_DATAPROTECTOR_CIPHERTEXT_INVALID', {
            details: `the SMS's key does not decrypt the registered ciphertext (${sourceError.code}); nothing changed`,
            cause: sourceError,
          });
        }
        throw new DataProtectorError('CONFIDE_DATAPROTECTOR_SERVICE_FAILED', {
          details: `re-encrypting through storage: ${(sourceError ?? cause) instanceof Error ? ((sourceError ?? cause) as Error).message.split('\n')[0] : 'failed'}`,
          cause: sourceError ?? cause,
        });
      }
      if (downloaded.checksum() !== current.checksum.toLowerCase()) {
        throw new DataProtectorError('CONFIDE_DATAPROTECTOR_CIPHERTEXT_INVALID', {
          details: `the ciphertext at /ipfs/${cid} does not match the registered checksum; nothing changed`,
        });
      }
      return { multiaddr: `/ipfs/${put.cid}`, checksum: uploaded.checksum() };
    },
    (r) => ({ multiaddr: r.multiaddr, checksum: r.checksum }),
  );

  await step(params.onStatusUpdate, 'PUSH_SECRET_TO_SMS', () =>
    service('rotating the key in the SMS', () =>
      rotateDatasetKey({ smsUrl, chainId, account: signer, dataset, value: encodeDatasetKey(newKey) }),
    ),
  );
  newKey.fill(0);

  return step(
    params.onStatusUpdate,
    'UPDATE_PROTECTED_DATA',
    async () => {
      try {
        const txHash = await (sharing
          ? wallet.writeContract({
              address: sharing,
              abi: dataSharingClientAbi,
              functionName: 'updateProtectedData',
              args: [dataset, toHex(multiaddr), checksum],
            })
          : wallet.writeContract({
              address: registry,
              abi: datasetRegistryAbi,
              functionName: 'updateDataset',
              args: [dataset, toHex(multiaddr), checksum],
            }));
        const receipt = await publicClient.waitForTransactionReceipt({ hash: txHash });
        if (receipt.status !== 'success') throw new Error(`transaction ${txHash} reverted`);
        return { address: dataset, multiaddr, checksum, txHash };
      } catch (cause) {
        throw new DataProtectorError('CONFIDE_DATAPROTECTOR_ROTATION_INCOMPLETE', {
          details: `the SMS holds the new key, but ${dataset} still points at the old ciphertext: register multiaddr ${multiaddr} and checksum ${checksum} with the dataset registry's updateDataset (${cause instanceof Error ? cause.message.split('\n')[0] : String(cause)})`,
          cause,
        });
      }
    },
    (r) => ({ txHash: r.txHash }),
  );
}

/** The steps a method's `onStatusUpdate` reports. */
type StepsOf<P> = P extends { onStatusUpdate?: OnStatusUpdate<infer S> } ? S : never;

/**
 * Adds the `rotateKey` option to `revokeAllAccess`: once every access is revoked, the key is
 * rotated (see {@link rotateKey}), so that whoever obtained the old key cannot decrypt the data as
 * it is now stored. The same `onStatusUpdate` then reports the rotation's steps too.
 */
export function withKeyRotation<P extends { protectedData: Address }, R>(
  ctx: RotationContext,
  revokeAllAccess: (params: P) => Promise<R>,
) {
  return async (
    params: Omit<P, 'onStatusUpdate'> & {
      /** Also rotate the data's key once the accesses are revoked (see `rotateKey`). */
      rotateKey?: boolean;
      onStatusUpdate?: OnStatusUpdate<StepsOf<P> | RotateKeyStep>;
    },
  ): Promise<R> => {
    const { rotateKey: rotate = false, ...revoke } = params ?? ({} as typeof params);
    if (typeof rotate !== 'boolean') throw invalid('rotateKey must be a boolean');
    if (rotate) address(params.protectedData, 'protectedData');
    const revoked = await revokeAllAccess(revoke as unknown as P);
    if (rotate) await rotateKey(ctx, { protectedData: params.protectedData, onStatusUpdate: params.onStatusUpdate });
    return revoked;
  };
}

import { CID } from 'multiformats/cid';
import * as raw from 'multiformats/codecs/raw';
import { sha256 } from 'multiformats/hashes/sha2';
import { StorageCidInvalidError } from './errors.js';

/** Multicodec of dag-pb, the codec of UnixFS nodes that link to other blocks. */
const DAG_PB_CODE = 0x70;

/** Errors of {@link parseCid}. */
export type ParseCidErrorType = StorageCidInvalidError;

/**
 * Parses a CID of stored content: CIDv1 (any multibase `CID.parse` knows), raw or dag-pb codec,
 * sha2-256 multihash. `String(cid)` of the result is the canonical base32 form.
 * @param input - e.g. `bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku`.
 * @returns the parsed CID.
 * @throws {StorageCidInvalidError} for anything else, with the reason.
 * @example parseCid('bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku').code // 0x55 (raw)
 */
export function parseCid(input: string): CID {
  if (typeof input !== 'string' || input.length === 0) {
    throw new StorageCidInvalidError(String(input), 'expected a non-empty string');
  }
  let cid: CID;
  try {
    cid = CID.parse(input);
  } catch (cause) {
    throw new StorageCidInvalidError(input, 'it does not decode as a CID', cause);
  }
  if (cid.version !== 1) {
    throw new StorageCidInvalidError(input, 'CIDv0 (Qm…) is not used here; Confide stores CIDv1 with raw leaves');
  }
  if (cid.code !== raw.code && cid.code !== DAG_PB_CODE) {
    throw new StorageCidInvalidError(input, `codec 0x${cid.code.toString(16)} is not raw (0x55) or dag-pb (0x70)`);
  }
  if (cid.multihash.code !== sha256.code || cid.multihash.size !== 32) {
    throw new StorageCidInvalidError(input, `multihash 0x${cid.multihash.code.toString(16)} is not a full sha2-256`);
  }
  return cid;
}

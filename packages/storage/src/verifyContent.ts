import { CID } from 'multiformats/cid';
import * as raw from 'multiformats/codecs/raw';
import { create as createDigest } from 'multiformats/hashes/digest';
import { sha256 } from 'multiformats/hashes/sha2';
import { createSha256 } from '../../crypto/src/sha256.js';
import { type CidDeriver, createCidDeriver } from './deriveCid.js';
import { StorageContentMismatchError } from './errors.js';

/**
 * Passes a stream through while re-deriving its CID, and throws `CONFIDE_STORAGE_CONTENT_MISMATCH`
 * if it is not `expected`. The last chunk is held back until the check passes, so a consumer that
 * reads to the end without an error has verified content. A raw CID is checked by hashing the
 * bytes; a dag-pb CID by re-importing them with `CONFIDE_IMPORT_PARAMETERS` (memory stays bounded).
 * @param source - the untrusted bytes.
 * @param expected - the CID they must give.
 * @param origin - where they came from, for the error.
 * @example for await (const chunk of verifyContent(download, parseCid(cid), 'http://127.0.0.1:5001')) write(chunk)
 */
export async function* verifyContent(
  source: AsyncIterable<Uint8Array>,
  expected: CID,
  origin: string,
): AsyncGenerator<Uint8Array> {
  const check = expected.code === raw.code ? rawBlockDeriver() : createCidDeriver();
  let held: Uint8Array | undefined;
  let ended = false;
  try {
    for await (const chunk of source) {
      await check.write(chunk);
      if (held) yield held;
      held = chunk;
    }
    ended = true;
    const actual = await check.end();
    if (!actual.equals(expected)) {
      throw new StorageContentMismatchError({ expected: String(expected), actual: String(actual), source: origin });
    }
    if (held) yield held;
  } finally {
    if (!ended) check.abort();
  }
}

/** A raw CID names one block of any size: its CID is the sha2-256 of all the bytes. */
function rawBlockDeriver(): CidDeriver {
  const hash = createSha256();
  return {
    async write(chunk) {
      hash.update(chunk);
    },
    async end() {
      return CID.createV1(raw.code, createDigest(sha256.code, hash.digest()));
    },
    abort() {},
  };
}

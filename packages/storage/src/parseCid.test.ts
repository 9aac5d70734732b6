import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { base36 } from 'multiformats/bases/base36';
import { base58btc } from 'multiformats/bases/base58';
import { CID } from 'multiformats/cid';
import * as json from 'multiformats/codecs/json';
import * as raw from 'multiformats/codecs/raw';
import { sha256, sha512 } from 'multiformats/hashes/sha2';
import { parseCid } from './parseCid.js';

const EMPTY_RAW = 'bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku';

describe('parseCid', () => {
  it('parses a raw CIDv1 and prints it back in base32', () => {
    const cid = parseCid(EMPTY_RAW);
    assert.equal(cid.code, raw.code);
    assert.equal(String(cid), EMPTY_RAW);
  });

  it('accepts another multibase and normalises to base32', () => {
    for (const base of [base36, base58btc]) {
      const other = CID.parse(EMPTY_RAW).toString(base);
      assert.notEqual(other, EMPTY_RAW);
      assert.equal(String(parseCid(other)), EMPTY_RAW);
    }
  });

  it('error: rejects what is not a CID of a UnixFS file, with the reason', async () => {
    const jsonCid = CID.createV1(json.code, await sha256.digest(new Uint8Array(1))).toString();
    const sha512Cid = CID.createV1(raw.code, await sha512.digest(new Uint8Array(1))).toString();
    const cases: [string, RegExp][] = [
      ['', /non-empty string/],
      ['hello', /does not decode/],
      [`${EMPTY_RAW}x`, /does not decode/],
      ['QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG', /CIDv0/],
      [jsonCid, /codec 0x200/],
      [sha512Cid, /not a full sha2-256/],
    ];
    for (const [input, reason] of cases) {
      assert.throws(
        () => parseCid(input),
        { name: 'StorageCidInvalidError', code: 'CONFIDE_STORAGE_CID_INVALID', message: reason },
        input,
      );
    }
  });
});

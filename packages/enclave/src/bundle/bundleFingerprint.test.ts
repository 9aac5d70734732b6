import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bundleFingerprint } from './bundleFingerprint.js';
import { encodeBundle } from './bundleFormat.js';

describe('bundleFingerprint', () => {
  it('is the SHA-256 of the bytes, as 0x-hex', () => {
    assert.equal(
      bundleFingerprint(new TextEncoder().encode('hello')),
      '0x2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824',
    );
  });

  it('matches the test vector of the bundle format', () => {
    const text = (s: string) => new TextEncoder().encode(s);
    const manifest = '{"name":"v","version":"1","runtime":"node","entrypoint":"main.mjs"}';
    const bytes = encodeBundle([
      { path: 'confide.json', executable: false, content: text(manifest) },
      { path: 'main.mjs', executable: false, content: text('console.log(1)\n') },
    ]);
    assert.equal(
      Buffer.from(bytes.subarray(0, 16)).toString('hex'),
      // "CFBNDL", version 1, reserved 0, 2 entries, path length 12
      '4346424e444c01000000000200' + '0c' + '636f',
    );
    assert.equal(bytes.length, 12 + (2 + 12 + 1 + 4 + manifest.length) + (2 + 8 + 1 + 4 + 15));
    assert.equal(bundleFingerprint(bytes), FORMAT_VECTOR);
  });
});

// Computed independently of this code, from the layout written out by hand:
// { printf 'CFBNDL\x01\x00\x00\x00\x00\x02\x00\x0cconfide.json\x00\x00\x00\x00\x43'; printf '%s' "$manifest";
//   printf '\x00\x08main.mjs\x00\x00\x00\x00\x0f'; printf 'console.log(1)\n'; } | sha256sum
const FORMAT_VECTOR = '0xd559cb3a98512516d49c4a98d2e9b99322ce1134bba413ee6d2ef2de361f7e29';

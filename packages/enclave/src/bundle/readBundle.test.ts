import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BundleInvalidError } from '../errors.js';
import { type BundleEntry, encodeBundle } from './bundleFormat.js';
import { readBundle } from './readBundle.js';

const text = (s: string) => new TextEncoder().encode(s);
const manifest = (entrypoint = 'main.mjs'): BundleEntry => ({
  path: 'confide.json',
  executable: false,
  content: text(JSON.stringify({ name: 'demo', version: '1', runtime: 'node', entrypoint })),
});
const file = (path: string, content = 'x'): BundleEntry => ({ path, executable: false, content: text(content) });

function refuses(bytes: Uint8Array, reason: BundleInvalidError['reason']) {
  assert.throws(
    () => readBundle(bytes),
    (error) =>
      error instanceof BundleInvalidError && error.reason === reason && error.code === 'CONFIDE_ENCLAVE_BUNDLE_INVALID',
  );
}

describe('readBundle', () => {
  it('reads a canonical bundle', () => {
    const { manifest: m, entries } = readBundle(encodeBundle([manifest(), file('main.mjs', 'code')]));
    assert.equal(m.entrypoint, 'main.mjs');
    assert.equal(entries.length, 2);
  });

  it('error: a ".." segment, an absolute path, an empty segment', () => {
    refuses(encodeBundle([file('../evil.mjs'), manifest(), file('main.mjs')]), 'PATH_INVALID');
    refuses(encodeBundle([file('/etc/passwd'), manifest(), file('main.mjs')]), 'PATH_INVALID');
    refuses(encodeBundle([manifest(), file('lib//a.mjs'), file('main.mjs')]), 'PATH_INVALID');
    refuses(encodeBundle([manifest(), file('lib/./a.mjs'), file('main.mjs')]), 'PATH_INVALID');
  });

  it('error: entries out of order, duplicated, or a file that is also a folder', () => {
    refuses(encodeBundle([file('main.mjs'), manifest()]), 'NOT_CANONICAL');
    refuses(encodeBundle([manifest(), file('main.mjs'), file('main.mjs')]), 'PATH_CONFLICT');
    refuses(encodeBundle([manifest(), file('lib'), file('lib/a.mjs'), file('main.mjs')]), 'PATH_CONFLICT');
  });

  it('error: wrong magic, version, reserved byte or flags', () => {
    const good = encodeBundle([manifest(), file('main.mjs')]);
    const withByte = (index: number, value: number) => {
      const copy = good.slice();
      copy[index] = value;
      return copy;
    };
    refuses(withByte(0, 0x58), 'MALFORMED');
    refuses(withByte(6, 2), 'MALFORMED');
    refuses(withByte(7, 1), 'NOT_CANONICAL');
    // flags byte of the first entry: 12 (header) + 2 (length) + 12 ("confide.json")
    refuses(withByte(26, 2), 'NOT_CANONICAL');
  });

  it('error: truncated, trailing bytes, no entries, invalid UTF-8', () => {
    const good = encodeBundle([manifest(), file('main.mjs')]);
    refuses(good.subarray(0, good.length - 1), 'MALFORMED');
    refuses(new Uint8Array([...good, 0]), 'MALFORMED');
    refuses(encodeBundle([]), 'MALFORMED');
    const badUtf8 = encodeBundle([manifest(), file('main.mjs'), file('zz')]);
    badUtf8.set([0xff, 0xfe], badUtf8.length - 1 - 5 - 2);
    refuses(badUtf8, 'MALFORMED');
  });

  it('error: no manifest, or an entrypoint that is not in the bundle', () => {
    refuses(encodeBundle([file('main.mjs')]), 'MANIFEST_MISSING');
    refuses(encodeBundle([manifest('lib/main.mjs'), file('main.mjs')]), 'ENTRYPOINT_MISSING');
  });
});

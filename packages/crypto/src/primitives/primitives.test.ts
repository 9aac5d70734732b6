import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { concatBytes } from '../bytes.js';
import { primitives as noble } from './browser.js';
import { primitives as node } from './node.js';
import type { CryptoPrimitives } from './types.js';

// The browser primitives (@noble, pure JS) against node:crypto, in both directions: what one seals
// the other opens, and every deterministic function gives the same bytes. The formats on top are
// checked against the committed vectors in testVectors.test.ts.

const both: [string, CryptoPrimitives, CryptoPrimitives][] = [
  ['node → noble', node, noble],
  ['noble → node', noble, node],
];
/** One plain Uint8Array (node:crypto hands out Buffers, which deepEqual tells apart). */
const whole = (pieces: Uint8Array[]) => Uint8Array.from(concatBytes(pieces));
const bytes = (length: number, seed: number) => Uint8Array.from({ length }, (_, i) => (i * 131 + seed) & 0xff);
// A low-order X25519 point (RFC 7748 §6.1 requires refusing the all-zero secret it yields).
const LOW_ORDER = Uint8Array.from(
  Buffer.from('e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800', 'hex'),
);

describe('browser primitives (@noble) agree with node:crypto', () => {
  for (const [direction, from, to] of both) {
    for (const aead of ['aes256Gcm', 'chacha20Poly1305'] as const) {
      it(`${aead}: ${direction} seals and opens, pieces or whole, with and without AAD`, () => {
        const key = bytes(32, 1);
        const nonce = bytes(12, 2);
        const aad = bytes(16, 3);
        for (const length of [0, 1, 15, 16, 17, 1000, 70_000]) {
          const plaintext = bytes(length, length);
          const pieces = [plaintext.subarray(0, length >> 1), plaintext.subarray(length >> 1)];
          for (const data of [aad, undefined]) {
            const sealed = from[aead](key).seal(nonce, data, pieces);
            const output = whole(sealed);
            assert.equal(output.length, length + 16);
            assert.deepEqual(output, whole(to[aead](key).seal(nonce, data, [plaintext])), 'same ciphertext');
            const ciphertext = output.subarray(0, length);
            const tag = output.subarray(length);
            assert.deepEqual(whole(to[aead](key).open(nonce, data, [ciphertext], tag)), plaintext);
            const tampered = Uint8Array.from(tag);
            tampered[0] = (tampered[0] as number) ^ 1;
            assert.throws(() => to[aead](key).open(nonce, data, [ciphertext], tampered));
          }
        }
      });
    }

    it(`x25519: ${direction} agree on public keys and shared secrets; low-order points give undefined`, () => {
      const alice = from.x25519.generateKeyPair();
      const bob = to.x25519.generateKeyPair();
      assert.deepEqual(to.x25519.publicKey(alice.privateKey), alice.publicKey);
      assert.deepEqual(
        from.x25519.sharedSecret(alice.privateKey, bob.publicKey),
        to.x25519.sharedSecret(bob.privateKey, alice.publicKey),
      );
      assert.equal(from.x25519.sharedSecret(alice.privateKey, LOW_ORDER), undefined);
    });
  }

  it('hkdf, hmac, sha256 (incremental) and crc32 give the same bytes', () => {
    const ikm = bytes(32, 7);
    const salt = bytes(16, 8);
    const info = new TextEncoder().encode('payload');
    assert.deepEqual(noble.hkdfSha256(ikm, salt, info, 32), node.hkdfSha256(ikm, salt, info, 32));
    assert.deepEqual(
      noble.hkdfSha256(ikm, new Uint8Array(0), info, 32),
      node.hkdfSha256(ikm, new Uint8Array(0), info, 32),
    );
    assert.deepEqual(noble.hmacSha256(ikm, salt), node.hmacSha256(ikm, salt));
    const data = bytes(100_000, 9);
    const a = noble.createSha256().update(data.subarray(0, 10)).update(data.subarray(10)).digest();
    assert.deepEqual(a, node.createSha256().update(data).digest());
    assert.equal(noble.crc32(data), node.crc32(data));
    assert.equal(noble.crc32(data.subarray(500), noble.crc32(data.subarray(0, 500))), node.crc32(data));
    assert.equal(noble.crc32(new Uint8Array(0)), 0);
  });

  it('randomBytes gives the length asked for, and different bytes each time', () => {
    for (const p of [node, noble]) {
      const a = p.randomBytes(32);
      assert.equal(a.length, 32);
      assert.notDeepEqual(a, p.randomBytes(32));
      assert.equal(p.randomBytes(100_000).length, 100_000);
    }
  });
});

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { keccak256, toHex } from 'viem';
import { expectCryptoError } from './expectCryptoError.js';
import { generateSealingKeyPair } from './generateSealingKeyPair.js';
import { openSealedSecret } from './openSealedSecret.js';
import { sealSecret } from './sealSecret.js';
import { x25519PublicKey } from './x25519.js';

const taskId = keccak256(toHex('task 1'));
const otherTaskId = keccak256(toHex('task 2'));
const sealedInvalid = (run: () => unknown) =>
  expectCryptoError(run, 'SealedSecretInvalidError', 'CONFIDE_CRYPTO_SEALED_SECRET_INVALID');

describe('sealSecret / openSealedSecret', () => {
  it('round-trips bytes and strings; output is enc (32) ‖ ciphertext ‖ tag (16)', async () => {
    const { privateKey, publicKey } = await generateSealingKeyPair();
    const secret = Uint8Array.from({ length: 100 }, (_, i) => i);
    const sealed = await sealSecret({ recipientPublicKey: publicKey, plaintext: secret, taskId });
    assert.equal(sealed.length, 32 + 100 + 16);
    assert.deepEqual(await openSealedSecret({ privateKey, sealed, taskId }), secret);
    const text = await sealSecret({ recipientPublicKey: toHex(publicKey), plaintext: 'pässword', taskId });
    assert.equal(
      Buffer.from(await openSealedSecret({ privateKey: toHex(privateKey), sealed: text, taskId })).toString(),
      'pässword',
    );
  });

  it('opens the committed vector, sealed by the former hand-written HPKE (wire compatibility)', async () => {
    const vector = JSON.parse(await readFile(new URL('../test-vectors/sealed-secret.json', import.meta.url), 'utf8'));
    const opened = await openSealedSecret({
      privateKey: Buffer.from(vector.recipientPrivateKeyHex, 'hex'),
      sealed: Buffer.from(vector.sealedHex, 'hex'),
      taskId: vector.taskId,
    });
    assert.equal(Buffer.from(opened).toString('hex'), vector.plaintextHex);
  });

  it('generates 32-byte keys whose public half node:crypto derives alike', async () => {
    const { privateKey, publicKey } = await generateSealingKeyPair();
    assert.equal(privateKey.length, 32);
    assert.deepEqual(x25519PublicKey(privateKey), publicKey);
    assert.notDeepEqual((await generateSealingKeyPair()).privateKey, privateKey);
  });

  it('uses a fresh ephemeral key each time', async () => {
    const { publicKey } = await generateSealingKeyPair();
    const a = await sealSecret({ recipientPublicKey: publicKey, plaintext: 'x', taskId });
    const b = await sealSecret({ recipientPublicKey: publicKey, plaintext: 'x', taskId });
    assert.notDeepEqual(a.subarray(0, 32), b.subarray(0, 32));
  });

  it('error: replayed to another task (the task id is bound through HPKE info)', async () => {
    const { privateKey, publicKey } = await generateSealingKeyPair();
    const sealed = await sealSecret({ recipientPublicKey: publicKey, plaintext: 'dataset key', taskId });
    await sealedInvalid(() => openSealedSecret({ privateKey, sealed, taskId: otherTaskId }));
  });

  it('error: opened with another enclave key', async () => {
    const { publicKey } = await generateSealingKeyPair();
    const { privateKey } = await generateSealingKeyPair();
    const sealed = await sealSecret({ recipientPublicKey: publicKey, plaintext: 'k', taskId });
    await sealedInvalid(() => openSealedSecret({ privateKey, sealed, taskId }));
  });

  it('error: any flipped byte, truncation or extension', async () => {
    const { privateKey, publicKey } = await generateSealingKeyPair();
    const sealed = await sealSecret({ recipientPublicKey: publicKey, plaintext: 'secret value', taskId });
    for (const at of [0, 31, 32, 40, sealed.length - 1]) {
      const copy = new Uint8Array(sealed);
      copy[at] = (copy[at] as number) ^ 0x80;
      await sealedInvalid(() => openSealedSecret({ privateKey, sealed: copy, taskId }));
    }
    await sealedInvalid(() => openSealedSecret({ privateKey, sealed: sealed.subarray(0, 47), taskId }));
    await sealedInvalid(() => openSealedSecret({ privateKey, sealed: sealed.subarray(0, sealed.length - 1), taskId }));
    await sealedInvalid(() =>
      openSealedSecret({ privateKey, sealed: Buffer.concat([sealed, Uint8Array.of(0)]), taskId }),
    );
    // An all-zero enc is a low-order point: the recipient's X25519 would give an all-zero secret.
    await sealedInvalid(() =>
      openSealedSecret({ privateKey, sealed: Buffer.concat([new Uint8Array(32), sealed.subarray(32)]), taskId }),
    );
  });

  it('error: malformed keys and task ids', async () => {
    const { privateKey, publicKey } = await generateSealingKeyPair();
    await expectCryptoError(
      () => sealSecret({ recipientPublicKey: publicKey.subarray(1), plaintext: 'x', taskId }),
      'SealingKeyInvalidError',
      'CONFIDE_CRYPTO_SEALING_KEY_INVALID',
    );
    // An all-zero public key is a low-order point: X25519 would give an all-zero shared secret.
    await expectCryptoError(
      () => sealSecret({ recipientPublicKey: new Uint8Array(32), plaintext: 'x', taskId }),
      'SealingKeyInvalidError',
      'CONFIDE_CRYPTO_SEALING_KEY_INVALID',
    );
    await expectCryptoError(
      () => openSealedSecret({ privateKey: privateKey.subarray(1), sealed: new Uint8Array(64), taskId }),
      'SealingKeyInvalidError',
      'CONFIDE_CRYPTO_SEALING_KEY_INVALID',
    );
    await expectCryptoError(
      () => sealSecret({ recipientPublicKey: publicKey, plaintext: 'x', taskId: '0x1234' }),
      'CryptoInputInvalidError',
      'CONFIDE_CRYPTO_INPUT_INVALID',
    );
  });
});

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decryptResult } from './decryptResult.js';
import { encryptResult } from './encryptResult.js';
import { expectCryptoError } from './expectCryptoError.js';
import { formatIdentityFile } from './formatIdentityFile.js';
import { generateResultKeyPair } from './generateResultKeyPair.js';
import { parseIdentityFile } from './parseIdentityFile.js';

/** Runs the real `age` / `age-keygen` CLI and returns stdout; fails the test on a non-zero exit. */
function cli(command: string, args: string[], input?: Uint8Array): Buffer {
  const run = spawnSync(command, args, { input, maxBuffer: 64 * 1024 * 1024 });
  assert.equal(run.status, 0, `${command} ${args.join(' ')} failed: ${run.stderr?.toString()}`);
  return run.stdout;
}

const sample = (length: number) => Uint8Array.from({ length }, (_, i) => (i * 7 + 3) & 0xff);
const SIZES = [0, 1, 65_536, 65_537, 200_000];

describe('encryptResult / decryptResult (age format)', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'confide-age-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips results of several sizes, to one or several recipients', () => {
    const alice = generateResultKeyPair();
    const bob = generateResultKeyPair();
    assert.match(alice.identity, /^AGE-SECRET-KEY-1[0-9A-Z]{58}$/);
    assert.match(alice.recipient, /^age1[0-9a-z]{58}$/);
    for (const size of SIZES) {
      const encrypted = encryptResult(sample(size), [alice.recipient, bob.recipient]);
      assert.deepEqual(decryptResult(encrypted, alice.identity), sample(size));
      assert.deepEqual(decryptResult(encrypted, [generateResultKeyPair().identity, bob.identity]), sample(size));
    }
  });

  it('is decrypted by the age CLI (`age -d -i keyfile`), binary and armored', async () => {
    const { identity, recipient } = generateResultKeyPair();
    const keyFile = path.join(dir, 'ours.key');
    await writeFile(keyFile, formatIdentityFile({ identity }), { mode: 0o600 });
    for (const size of SIZES) {
      for (const armor of [false, true]) {
        const file = path.join(dir, `ours-${size}-${armor}.age`);
        await writeFile(file, encryptResult(sample(size), recipient, { armor }));
        assert.deepEqual(new Uint8Array(cli('age', ['-d', '-i', keyFile, file])), sample(size), `size ${size}`);
      }
    }
  });

  it('decrypts what the age CLI encrypts (`age -r recipient`), binary and armored', async () => {
    const { identity, recipient } = generateResultKeyPair();
    for (const size of SIZES) {
      const file = path.join(dir, `theirs-${size}.bin`);
      await writeFile(file, sample(size));
      assert.deepEqual(decryptResult(cli('age', ['-r', recipient, file]), identity), sample(size));
      assert.deepEqual(decryptResult(cli('age', ['-a', '-r', recipient, file]), identity), sample(size));
    }
  });

  it('reads identity files written by age-keygen, and age-keygen -y agrees on the recipient', async () => {
    const keyFile = path.join(dir, 'keygen.key');
    cli('age-keygen', ['-o', keyFile]);
    const text = (await import('node:fs')).readFileSync(keyFile, 'utf8');
    const { identities, recipients } = parseIdentityFile(text);
    assert.equal(identities.length, 1);
    assert.equal(recipients[0], cli('age-keygen', ['-y', keyFile]).toString().trim());
    const encrypted = encryptResult(sample(1000), recipients[0] as string);
    assert.deepEqual(new Uint8Array(cli('age', ['-d', '-i', keyFile], encrypted)), sample(1000));
  });

  it('writes identity files in the age-keygen layout', () => {
    const { identity, recipient } = generateResultKeyPair();
    const text = formatIdentityFile({ identity, createdAt: new Date('2025-01-02T03:04:05.678Z') });
    assert.equal(text, `# created: 2025-01-02T03:04:05Z\n# public key: ${recipient}\n${identity}\n`);
    assert.deepEqual(parseIdentityFile(text), { identities: [identity], recipients: [recipient] });
  });

  const decryptFails = (run: () => unknown) =>
    expectCryptoError(run, 'ResultDecryptError', 'CONFIDE_CRYPTO_RESULT_DECRYPT_FAILED');

  it('error: a modified payload, header, MAC, or a truncated or extended file', async () => {
    const { identity, recipient } = generateResultKeyPair();
    const encrypted = encryptResult(sample(70_000), recipient);
    const headerEnd = Buffer.from(encrypted).indexOf('\n---') + 1;
    const flip = (at: number) => {
      const copy = new Uint8Array(encrypted);
      copy[at] = (copy[at] as number) ^ 0x01;
      return copy;
    };
    await decryptFails(() => decryptResult(flip(encrypted.length - 100), identity));
    await decryptFails(() => decryptResult(flip(100), identity));
    await decryptFails(() => decryptResult(flip(headerEnd + 10), identity));
    await decryptFails(() => decryptResult(encrypted.subarray(0, encrypted.length - 1), identity));
    await decryptFails(() => decryptResult(encrypted.subarray(0, headerEnd + 4 + 44 + 16 + 65_536 + 16), identity));
    await decryptFails(() => decryptResult(Buffer.concat([encrypted, Uint8Array.of(0)]), identity));
    await decryptFails(() => decryptResult(Buffer.from('hello'), identity));
  });

  it('error: the wrong identity, and a passphrase-encrypted file', async () => {
    const { recipient } = generateResultKeyPair();
    const error = await decryptFails(() =>
      decryptResult(encryptResult(sample(10), recipient), generateResultKeyPair().identity),
    );
    assert.match(error.message, /none of the 1 identity/);
    const scrypt = Buffer.from('age-encryption.org/v1\n-> scrypt c2FsdA 18\nAAAA\n--- AAAA\n');
    await decryptFails(() => decryptResult(scrypt, generateResultKeyPair().identity));
  });

  it('error: malformed recipients and identities, without echoing the identity', async () => {
    const { identity, recipient } = generateResultKeyPair();
    const invalidKey = (run: () => unknown) =>
      expectCryptoError(run, 'ResultKeyInvalidError', 'CONFIDE_CRYPTO_RESULT_KEY_INVALID');
    await invalidKey(() => encryptResult(sample(1), 'age1notarecipient'));
    await invalidKey(() => encryptResult(sample(1), recipient.toUpperCase()));
    await invalidKey(() => encryptResult(sample(1), `${recipient.slice(0, -1)}${recipient.endsWith('q') ? 'p' : 'q'}`));
    const broken = `${identity.slice(0, -1)}${identity.endsWith('Q') ? 'P' : 'Q'}`;
    const error = await invalidKey(() => decryptResult(sample(1), broken));
    assert.ok(!error.message.includes(broken.slice(16)));
    await invalidKey(() => parseIdentityFile('# nothing here\n'));
    await invalidKey(() => parseIdentityFile(`# public key: ${generateResultKeyPair().recipient}\n${identity}\n`));
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { openSecretStore } from './openSecretStore.js';

const MASTER_KEY = `0x${'11'.repeat(32)}` as const;
const SECRET = 'correct horse battery staple 7f3a';

function freshStore() {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'sms-store-')), 'sms.db');
  return { file, store: openSecretStore({ path: file, masterKey: MASTER_KEY }) };
}

describe('openSecretStore', () => {
  it('keeps values encrypted at rest and returns them decrypted', () => {
    const { file, store } = freshStore();
    const ref = { kind: 'dataset-key', owner: '0xAbC0000000000000000000000000000000000001', name: '' } as const;
    store.putSecret(ref, Buffer.from(SECRET));
    assert.equal(Buffer.from(store.getSecret(ref) ?? []).toString(), SECRET);
    store.close();
    const raw = Buffer.concat([readFileSync(file), readFileSync(`${file}-wal`, { flag: 'a+' })]);
    assert.equal(raw.includes(Buffer.from(SECRET)), false, 'the plaintext is nowhere in the database files');
  });

  it('error: a row copied under another identity does not decrypt', () => {
    const { file, store } = freshStore();
    store.putSecret({ kind: 'requester-secret', owner: '0x01', name: 'a' }, Buffer.from(SECRET));
    store.close();
    const db = new Database(file);
    db.prepare("UPDATE secrets SET name = 'b'").run();
    db.close();
    const reopened = openSecretStore({ path: file, masterKey: MASTER_KEY });
    assert.throws(() => reopened.getSecret({ kind: 'requester-secret', owner: '0x01', name: 'b' }), /authenticate/);
    reopened.close();
  });

  it('error: a secret is never replaced, and is at most 4096 bytes', () => {
    const { store } = freshStore();
    const ref = { kind: 'app-secret', owner: '0x02', name: '' } as const;
    store.putSecret(ref, Buffer.from('first'));
    assert.throws(() => store.putSecret(ref, Buffer.from('second')), { code: 'SMS_SECRET_EXISTS' });
    assert.equal(Buffer.from(store.getSecret(ref) ?? []).toString(), 'first');
    assert.throws(() => store.putSecret({ ...ref, owner: '0x03' }, new Uint8Array(4097)), {
      code: 'SMS_SECRET_TOO_LARGE',
    });
    store.putSecret({ ...ref, owner: '0x04' }, new Uint8Array(4096));
    store.close();
  });

  it('replaceSecret (key rotation) leaves no copy of the old sealed value in the database or its WAL', () => {
    const { file, store } = freshStore();
    const ref = { kind: 'dataset-key', owner: '0xAbC0000000000000000000000000000000000005', name: '' } as const;
    store.putSecret(ref, Buffer.from(SECRET));
    const reader = new Database(file, { readonly: true });
    const sealedRow = () =>
      reader.prepare('SELECT ciphertext FROM secrets WHERE owner = ?').get(ref.owner.toLowerCase()) as {
        ciphertext: Buffer;
      };
    const old = sealedRow().ciphertext;
    reader.close();
    const raw = () => Buffer.concat([readFileSync(file), readFileSync(`${file}-wal`, { flag: 'a+' })]);
    assert.equal(raw().includes(old), true, 'the old sealed value is on disk before the rotation');
    assert.deepEqual(store.replaceSecret(ref, Buffer.from('the rotated key')), { purged: true });
    assert.equal(Buffer.from(store.getSecret(ref) ?? []).toString(), 'the rotated key');
    assert.equal(raw().includes(old), false, 'the old sealed value is gone from the database and its WAL');
    store.close();
  });

  it('error: replaceSecret of a missing secret, or with the same value', () => {
    const { store } = freshStore();
    const ref = { kind: 'dataset-key', owner: '0x06', name: '' } as const;
    assert.throws(() => store.replaceSecret(ref, Buffer.from('x')), { code: 'SMS_SECRET_NOT_FOUND' });
    store.putSecret(ref, Buffer.from('same'));
    assert.throws(() => store.replaceSecret(ref, Buffer.from('same')), { code: 'SMS_INVALID_INPUT' });
    assert.throws(() => store.replaceSecret(ref, new Uint8Array(4097)), { code: 'SMS_SECRET_TOO_LARGE' });
    assert.equal(Buffer.from(store.getSecret(ref) ?? []).toString(), 'same');
    store.close();
  });

  it('challenges are single-use, expiring and bound to their address', () => {
    const { store } = freshStore();
    const id = store.createChallenge('0xAA', 1_000);
    assert.throws(() => store.consumeChallenge(id, '0xbb', 999), { code: 'SMS_CHALLENGE_UNKNOWN' });
    assert.throws(() => store.consumeChallenge(id, '0xaa', 1_001), { code: 'SMS_CHALLENGE_EXPIRED' });
    store.consumeChallenge(id, '0xaa', 1_000);
    assert.throws(() => store.consumeChallenge(id, '0xaa', 1_000), { code: 'SMS_CHALLENGE_USED' });
    assert.throws(() => store.consumeChallenge(`0x${'00'.repeat(32)}`, '0xaa', 0), { code: 'SMS_CHALLENGE_UNKNOWN' });
    store.close();
  });
});

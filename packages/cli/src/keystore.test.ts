import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generatePrivateKey, privateKeyToAddress } from 'viem/accounts';
import { decryptKeystore, encryptKeystore } from './keystore.js';

// The test vectors of the Web3 Secret Storage Definition (password "testpassword").
const KEY = '0x7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d';
const PBKDF2 = {
  crypto: {
    cipher: 'aes-128-ctr',
    cipherparams: { iv: '6087dab2f9fdbbfaddc31a909735c1e6' },
    ciphertext: '5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46',
    kdf: 'pbkdf2',
    kdfparams: {
      c: 262144,
      dklen: 32,
      prf: 'hmac-sha256',
      salt: 'ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd',
    },
    mac: '517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2',
  },
  id: '3198bc9c-6672-5ab3-d995-4942343ae5b6',
  version: 3,
};
const SCRYPT = {
  crypto: {
    cipher: 'aes-128-ctr',
    cipherparams: { iv: '83dbcc02d8ccb40e466191a123791e0e' },
    ciphertext: 'd172bf743a674da9cdad04534d56926ef8358534d458fffccd4e6ad2fbde479c',
    kdf: 'scrypt',
    kdfparams: {
      dklen: 32,
      n: 262144,
      r: 1,
      p: 8,
      salt: 'ab0c7876052600dd703518d6fc3fe8984592145b591fc8fb5c6d43190334ba19',
    },
    mac: '2103ac29920d71da29f15d75b4a16dbe95cfd7ff8faea1056c33131d846e3097',
  },
  id: '3198bc9c-6672-5ab3-d995-4942343ae5b6',
  version: 3,
};

describe('V3 keystore', () => {
  it('opens the standard pbkdf2 and scrypt test vectors', () => {
    assert.equal(decryptKeystore(PBKDF2, 'testpassword').privateKey, KEY);
    assert.equal(decryptKeystore(SCRYPT, 'testpassword').privateKey, KEY);
  });

  it('writes scrypt + aes-128-ctr keystores that open with their password only', () => {
    const privateKey = generatePrivateKey();
    const keystore = encryptKeystore(privateKey, 'correct horse');
    assert.equal(keystore.crypto.kdf, 'scrypt');
    assert.equal(keystore.crypto.cipher, 'aes-128-ctr');
    assert.equal(keystore.address, privateKeyToAddress(privateKey).slice(2).toLowerCase());
    assert.doesNotMatch(JSON.stringify(keystore), new RegExp(privateKey.slice(2)));
    const opened = decryptKeystore(JSON.parse(JSON.stringify(keystore)), 'correct horse');
    assert.equal(opened.privateKey, privateKey);
    assert.equal(opened.address, privateKeyToAddress(privateKey));
  });

  it('error: a wrong password is CONFIDE_KEYSTORE_WRONG_PASSWORD, without the password in the message', () => {
    assert.throws(
      () => decryptKeystore(PBKDF2, 'hunter2-guess'),
      (error: Error & { code?: string }) => {
        assert.equal(error.name, 'KeystoreError');
        assert.equal(error.code, 'CONFIDE_KEYSTORE_WRONG_PASSWORD');
        assert.doesNotMatch(error.message, /hunter2/);
        return true;
      },
    );
  });

  it('error: malformed files and hostile costs are CONFIDE_KEYSTORE_INVALID', () => {
    const invalid = { name: 'KeystoreError', code: 'CONFIDE_KEYSTORE_INVALID' };
    assert.throws(() => decryptKeystore({ version: 2 }, 'x'), invalid);
    assert.throws(
      () => decryptKeystore({ ...PBKDF2, crypto: { ...PBKDF2.crypto, cipher: 'aes-256-gcm' } }, 'x'),
      invalid,
    );
    assert.throws(
      () =>
        decryptKeystore(
          { ...SCRYPT, crypto: { ...SCRYPT.crypto, kdfparams: { ...SCRYPT.crypto.kdfparams, n: 2 ** 24, r: 8 } } },
          'x',
        ),
      invalid,
    );
    assert.throws(() => encryptKeystore('0x1234', 'x'), invalid);
  });
});

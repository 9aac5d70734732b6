import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { pbkdf2 } from '@noble/hashes/pbkdf2';
import { scrypt } from '@noble/hashes/scrypt';
import { sha256 } from '@noble/hashes/sha2';
import { type Address, bytesToHex, type Hex, hexToBytes, isHex, keccak256 } from 'viem';
import { privateKeyToAddress } from 'viem/accounts';
import { ConfideError } from '../../errors/src/index.js';

/** Why a keystore could not be written or opened. */
const KeystoreErrorCodes = {
  /** The MAC does not match: the password is wrong (or the file was altered). */
  CONFIDE_KEYSTORE_WRONG_PASSWORD: 'The password does not open this keystore; give the one it was created with.',
  /** The file is not a version 3 keystore this tool can read. */
  CONFIDE_KEYSTORE_INVALID: 'The file is not a valid Ethereum V3 keystore (scrypt or pbkdf2, aes-128-ctr).',
} as const;

/** One of the keystore error codes. */
type KeystoreErrorCode = keyof typeof KeystoreErrorCodes;

/**
 * What {@link encryptKeystore} and {@link decryptKeystore} throw; the password never appears in it.
 * @example try { decryptKeystore(json, password) } catch (e) { if (e instanceof KeystoreError && e.code === 'CONFIDE_KEYSTORE_WRONG_PASSWORD') retry() }
 */
class KeystoreError extends ConfideError<KeystoreErrorCode> {
  override name = 'KeystoreError' as const;
  constructor(code: KeystoreErrorCode, options: { details?: string } = {}) {
    super({ code, shortMessage: KeystoreErrorCodes[code], ...options });
  }
}

/** An Ethereum V3 keystore ("Web3 Secret Storage"), as geth, ethers and MetaMask write it. */
type Keystore = {
  version: 3;
  id: string;
  /** Lower-case hex, no `0x` (as geth writes it). */
  address: string;
  crypto: {
    cipher: 'aes-128-ctr';
    cipherparams: { iv: string };
    ciphertext: string;
    kdf: 'scrypt' | 'pbkdf2';
    kdfparams: Record<string, number | string>;
    mac: string;
  };
};

/** scrypt cost of new keystores: 2^17 as ethers writes them (128 MiB, under a second). */
const SCRYPT_N = 131_072;
/** Larger costs are refused when reading: a hostile file must not exhaust memory. */
const MAX_SCRYPT_MEMORY = 1024 * 1024 * 1024;

const unhex = (value: unknown, name: string): Buffer => {
  const hex = typeof value === 'string' ? value.replace(/^0x/, '') : '';
  if (!/^([0-9a-fA-F]{2})+$/.test(hex)) throw new KeystoreError('CONFIDE_KEYSTORE_INVALID', { details: `${name}` });
  return Buffer.from(hex, 'hex');
};

const positive = (value: unknown, name: string): number => {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new KeystoreError('CONFIDE_KEYSTORE_INVALID', { details: `kdfparams.${name} must be a positive integer` });
  }
  return value;
};

function deriveKey(password: string, kdf: string, params: Record<string, unknown>): Buffer {
  const salt = unhex(params.salt, 'kdfparams.salt');
  const dklen = positive(params.dklen, 'dklen');
  if (dklen < 32) throw new KeystoreError('CONFIDE_KEYSTORE_INVALID', { details: 'kdfparams.dklen must be ≥ 32' });
  if (kdf === 'scrypt') {
    const N = positive(params.n, 'n');
    const r = positive(params.r, 'r');
    const p = positive(params.p, 'p');
    const memory = 128 * N * r + 128 * r * p;
    if (memory > MAX_SCRYPT_MEMORY) {
      throw new KeystoreError('CONFIDE_KEYSTORE_INVALID', { details: `scrypt needs ${memory} bytes: too costly` });
    }
    // noble's scrypt, not OpenSSL's: OpenSSL refuses N ≥ 2^(16r), which real keystores (and the spec's vector) use.
    return Buffer.from(scrypt(password.normalize('NFKC'), salt, { N, r, p, dkLen: dklen, maxmem: memory + 1024 }));
  }
  if (kdf === 'pbkdf2') {
    if (params.prf !== 'hmac-sha256') {
      throw new KeystoreError('CONFIDE_KEYSTORE_INVALID', { details: 'pbkdf2 prf must be hmac-sha256' });
    }
    return Buffer.from(pbkdf2(sha256, password.normalize('NFKC'), salt, { c: positive(params.c, 'c'), dkLen: dklen }));
  }
  throw new KeystoreError('CONFIDE_KEYSTORE_INVALID', { details: `unknown kdf '${kdf}'` });
}

const macOf = (derived: Buffer, ciphertext: Buffer): Hex =>
  keccak256(Buffer.concat([derived.subarray(16, 32), ciphertext]));

/**
 * Encrypts a private key into a V3 keystore: scrypt (N = 2^17, r = 8, p = 1) derives the key,
 * AES-128-CTR encrypts, keccak-256 MACs — readable by geth, ethers, MetaMask.
 * @param privateKey the key, 32 bytes hex
 * @param password the password (NFKC-normalised)
 * @returns the keystore object (write it as JSON)
 * @example const keystore = encryptKeystore(generatePrivateKey(), 'correct horse battery staple')
 */
export function encryptKeystore(privateKey: Hex, password: string): Keystore {
  if (!isHex(privateKey) || hexToBytes(privateKey).length !== 32) {
    throw new KeystoreError('CONFIDE_KEYSTORE_INVALID', { details: 'the private key must be 32 bytes of hex' });
  }
  const salt = randomBytes(32);
  const iv = randomBytes(16);
  const kdfparams = { dklen: 32, n: SCRYPT_N, r: 8, p: 1, salt: salt.toString('hex') };
  const derived = deriveKey(password, 'scrypt', kdfparams);
  const cipher = createCipheriv('aes-128-ctr', derived.subarray(0, 16), iv);
  const ciphertext = Buffer.concat([cipher.update(hexToBytes(privateKey)), cipher.final()]);
  return {
    version: 3,
    id: randomUUID(),
    address: privateKeyToAddress(privateKey).slice(2).toLowerCase(),
    crypto: {
      cipher: 'aes-128-ctr',
      cipherparams: { iv: iv.toString('hex') },
      ciphertext: ciphertext.toString('hex'),
      kdf: 'scrypt',
      kdfparams,
      mac: macOf(derived, ciphertext).slice(2),
    },
  };
}

/**
 * Opens a V3 keystore (scrypt or pbkdf2-hmac-sha256, aes-128-ctr) with its password.
 * @param keystore the parsed JSON
 * @param password the password
 * @returns the private key and its address
 * @throws KeystoreError `CONFIDE_KEYSTORE_WRONG_PASSWORD` when the MAC does not match,
 * `CONFIDE_KEYSTORE_INVALID` when the file is malformed
 * @example const { privateKey } = decryptKeystore(JSON.parse(text), process.env.CONFIDE_PASSWORD)
 */
export function decryptKeystore(keystore: unknown, password: string): { privateKey: Hex; address: Address } {
  const k = keystore as Partial<Keystore> | null;
  if (!k || typeof k !== 'object' || k.version !== 3 || !k.crypto || typeof k.crypto !== 'object') {
    throw new KeystoreError('CONFIDE_KEYSTORE_INVALID', { details: 'not a version 3 keystore' });
  }
  const { crypto } = k;
  if (crypto.cipher !== 'aes-128-ctr') {
    throw new KeystoreError('CONFIDE_KEYSTORE_INVALID', { details: `unsupported cipher '${crypto.cipher}'` });
  }
  if (!crypto.kdfparams || typeof crypto.kdfparams !== 'object') {
    throw new KeystoreError('CONFIDE_KEYSTORE_INVALID', { details: 'no kdfparams' });
  }
  const derived = deriveKey(password, String(crypto.kdf), crypto.kdfparams);
  const ciphertext = unhex(crypto.ciphertext, 'ciphertext');
  const mac = unhex(crypto.mac, 'mac');
  if (!Buffer.from(hexToBytes(macOf(derived, ciphertext))).equals(mac)) {
    throw new KeystoreError('CONFIDE_KEYSTORE_WRONG_PASSWORD');
  }
  const iv = unhex(crypto.cipherparams?.iv, 'cipherparams.iv');
  const decipher = createDecipheriv('aes-128-ctr', derived.subarray(0, 16), iv);
  const privateKey = bytesToHex(Buffer.concat([decipher.update(ciphertext), decipher.final()]));
  const address = privateKeyToAddress(privateKey);
  if (
    k.address !== undefined &&
    String(k.address).replace(/^0x/, '').toLowerCase() !== address.slice(2).toLowerCase()
  ) {
    throw new KeystoreError('CONFIDE_KEYSTORE_INVALID', { details: 'the key does not match the address field' });
  }
  return { privateKey, address };
}

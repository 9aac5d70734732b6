import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { concat, type Hex, keccak256, recoverMessageAddress, toHex } from 'viem';
import { primitives } from '#primitives';
import { enclaveMessageHash, resultHash, resultSeal } from '../../protocol/src/ids.js';
import { decryptDatasetBytes } from './datasetOpener.js';
import { encryptDatasetBytes } from './datasetSealer.js';
import { decryptResult } from './decryptResult.js';
import { deserializeProtectedData } from './deserializeProtectedData.js';
import { generateResultKeyPair } from './generateResultKeyPair.js';
import { generateSealingKeyPair } from './generateSealingKeyPair.js';
import { openSealedSecret } from './openSealedSecret.js';
import { SEALED_SECRET_INFO_PREFIX, sealSecret } from './sealSecret.js';
import { type ProtectedData, type ProtectedDataSchema, serializeProtectedData } from './serializeProtectedData.js';
import { signResult } from './signResult.js';

// The committed test vectors of docs/formats.md (packages/crypto/test-vectors/), and the code that
// writes and checks them. `node --import tsx packages/crypto/src/testVectors.ts write [file.json…]`
// regenerates the named files, or every file (the HPKE and age vectors are random, so name only
// the files whose format changed on purpose); `… testVectors.ts check` decrypts the committed files
// and prints what it found as JSON; `… testVectors.ts build` prints what the fixed inputs give now.
// Run with `node --conditions=browser …` they use the browser primitives (@noble) instead of node:crypto.

export const VECTORS_DIR = fileURLToPath(new URL('../test-vectors/', import.meta.url));

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const readJson = (name: string) => JSON.parse(readFileSync(`${VECTORS_DIR}${name}`, 'utf8'));

/** Byte i of the pattern plaintext is (i * 31 + 7) mod 256. */
export const patternBytes = (length: number) => Uint8Array.from({ length }, (_, i) => (i * 31 + 7) & 0xff);

const KEY = Uint8Array.from({ length: 32 }, (_, i) => i);
const NONCE_PREFIX = Uint8Array.of(0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6);
const PATTERN_LENGTH = 150 * 1024;
export const PATTERN_FILE = 'dataset-150KiB.cfds';

const PNG = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52);
const PROTECTED_OBJECT: ProtectedData = {
  email: 'alice@example.com',
  age: 42,
  score: -0.5,
  verified: true,
  balance: -(2n ** 127n),
  nested: { deep: { note: 'héllo ✓' } },
  avatar: PNG,
  blob: Uint8Array.from({ length: 16 }, (_, i) => i),
};

/** JSON form of a protected value: bigint as decimal text, bytes as hex. */
export function protectedToJson(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return hex(value);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, protectedToJson(child)]));
  }
  return value;
}

const SIGNATURE_INPUT = {
  enclavePrivateKey: '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d' as Hex,
  worker: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8' as Hex,
  taskId: keccak256(toHex('confide test vector task')),
  resultDigest: `0x${sha256(Buffer.from('{"answer":42}'))}` as Hex,
};

/** The vectors that follow from fixed inputs; a test checks the committed files still match them. */
export async function buildDeterministicVectors() {
  const dataset = (name: string, plaintext: Uint8Array, chunkSize: number) => {
    const ciphertext = encryptDatasetBytes({ plaintext, key: KEY, chunkSize, noncePrefix: NONCE_PREFIX });
    return { name, chunkSize, plaintext, ciphertext };
  };
  const small = [
    dataset('empty', new Uint8Array(0), 1024),
    dataset('small', Buffer.from('Confide: data sold for use, not for copying.'), 1024),
    dataset('three-chunks', patternBytes(2500), 1024),
  ];
  const pattern = dataset('pattern-150KiB', patternBytes(PATTERN_LENGTH), 64 * 1024);
  const { zip, schema } = serializeProtectedData(PROTECTED_OBJECT);
  const { enclavePrivateKey, worker, taskId, resultDigest } = SIGNATURE_INPUT;
  return {
    dataset: {
      format: 'CFDS v1 — see docs/formats.md#dataset-encryption',
      keyHex: hex(KEY),
      keyBase64: Buffer.from(KEY).toString('base64'),
      noncePrefixHex: hex(NONCE_PREFIX),
      vectors: [
        ...small.map((v) => ({
          name: v.name,
          chunkSize: v.chunkSize,
          plaintextHex: hex(v.plaintext),
          ciphertextHex: hex(v.ciphertext),
          ciphertextSha256: sha256(v.ciphertext),
        })),
        {
          name: pattern.name,
          chunkSize: pattern.chunkSize,
          plaintextPattern: 'byte i = (i * 31 + 7) mod 256',
          plaintextLength: PATTERN_LENGTH,
          plaintextSha256: sha256(pattern.plaintext),
          headerHex: hex(pattern.ciphertext.subarray(0, 16)),
          ciphertextLength: pattern.ciphertext.length,
          ciphertextSha256: sha256(pattern.ciphertext),
          ciphertextFile: PATTERN_FILE,
        },
      ],
    },
    patternCiphertext: pattern.ciphertext,
    protectedData: {
      format: 'Borsh leaves in a STORE zip — see docs/formats.md#protected-data',
      object: protectedToJson(PROTECTED_OBJECT),
      schema,
      zipHex: hex(zip),
      zipSha256: sha256(zip),
    },
    enclaveSignature: {
      format: 'EIP-191 over keccak256(resultHash ‖ resultSeal) — see docs/formats.md#enclave-signature',
      ...SIGNATURE_INPUT,
      resultHash: resultHash(taskId, resultDigest),
      resultSeal: resultSeal(worker, taskId, resultDigest),
      message: enclaveMessageHash(worker, taskId, resultDigest),
      signature: await signResult({ enclavePrivateKey, worker, taskId, resultDigest }),
    },
    resultDigestOfFolder: {
      files: { 'a.txt': 'ay', 'b.txt': 'bee' },
      digest: keccak256(concat([`0x${sha256(Buffer.from('ay'))}`, `0x${sha256(Buffer.from('bee'))}`])),
    },
  };
}

/** The vector files {@link writeVectors} can write. */
const VECTOR_FILES = [
  'dataset.json',
  'protected-data.json',
  'enclave-signature.json',
  'sealed-secret.json',
  'age-result.json',
] as const;

/**
 * Writes the named vector files (all of them by default; `dataset.json` brings its `.cfds` file).
 * The sealed-secret and age vectors are drawn afresh, so name only the files whose format changed.
 */
async function writeVectors(names: readonly string[]): Promise<void> {
  const unknown = names.filter((name) => !(VECTOR_FILES as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`unknown vector file(s) ${unknown.join(', ')}; one of ${VECTOR_FILES}`);
  const selected: readonly string[] = names.length > 0 ? names : VECTOR_FILES;
  const { patternCiphertext, ...vectors } = await buildDeterministicVectors();
  const write = (name: (typeof VECTOR_FILES)[number], value: unknown) => {
    if (selected.includes(name)) writeFileSync(`${VECTORS_DIR}${name}`, `${JSON.stringify(value, null, 2)}\n`);
  };
  write('dataset.json', vectors.dataset);
  if (selected.includes('dataset.json')) writeFileSync(`${VECTORS_DIR}${PATTERN_FILE}`, patternCiphertext);
  write('protected-data.json', vectors.protectedData);
  write('enclave-signature.json', { ...vectors.enclaveSignature, resultDigestOfFolder: vectors.resultDigestOfFolder });
  if (selected.includes('sealed-secret.json')) {
    const sealing = await generateSealingKeyPair();
    const taskId = SIGNATURE_INPUT.taskId;
    const secret = Buffer.from('dataset key: AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=');
    write('sealed-secret.json', {
      format:
        'HPKE base, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM; sealed = enc ‖ ct — see docs/formats.md#sealed-secrets',
      info: `"${SEALED_SECRET_INFO_PREFIX}" ‖ taskId`,
      infoHex: hex(Buffer.concat([Buffer.from(SEALED_SECRET_INFO_PREFIX), Buffer.from(taskId.slice(2), 'hex')])),
      taskId,
      recipientPrivateKeyHex: hex(sealing.privateKey),
      recipientPublicKeyHex: hex(sealing.publicKey),
      plaintextHex: hex(secret),
      sealedHex: hex(await sealSecret({ recipientPublicKey: sealing.publicKey, plaintext: secret, taskId })),
    });
  }
  if (selected.includes('age-result.json')) {
    const { identity, recipient } = generateResultKeyPair();
    const plaintext = Buffer.from('{"result":"encrypted by the age CLI for Confide test vectors"}\n');
    const age = spawnSync('age', ['-r', recipient], { input: plaintext });
    if (age.status !== 0) throw new Error(`age CLI failed: ${age.stderr}`);
    write('age-result.json', {
      format: 'age v1 (age-encryption.org/v1), X25519 recipient — made by the age CLI (`age -r`)',
      identity,
      recipient,
      plaintextHex: hex(plaintext),
      ciphertextBase64: age.stdout.toString('base64'),
    });
  }
}

/** Decrypts every committed vector with this library and reports what came out. */
export async function checkVectors() {
  const dataset = readJson('dataset.json');
  const datasets = Object.fromEntries(
    dataset.vectors.map((v: { name: string; ciphertextHex?: string; ciphertextFile?: string }) => {
      const ciphertext = v.ciphertextFile
        ? readFileSync(`${VECTORS_DIR}${v.ciphertextFile}`)
        : Buffer.from(v.ciphertextHex ?? '', 'hex');
      const plaintext = decryptDatasetBytes({ ciphertext, key: dataset.keyBase64 });
      return [
        v.name,
        {
          ciphertextSha256: sha256(ciphertext),
          plaintextSha256: sha256(plaintext),
          plaintextHex: hex(plaintext).slice(0, 200),
        },
      ];
    }),
  );
  const pd = readJson('protected-data.json');
  const zip = Buffer.from(pd.zipHex, 'hex');
  const sealed = readJson('sealed-secret.json');
  const age = readJson('age-result.json');
  const signature = readJson('enclave-signature.json');
  return {
    datasets,
    protectedData: {
      zipSha256: sha256(zip),
      object: protectedToJson(deserializeProtectedData(zip, pd.schema as ProtectedDataSchema)),
    },
    sealedSecret: {
      plaintextHex: hex(
        await openSealedSecret({
          privateKey: Buffer.from(sealed.recipientPrivateKeyHex, 'hex'),
          sealed: Buffer.from(sealed.sealedHex, 'hex'),
          taskId: sealed.taskId,
        }),
      ),
    },
    ageResult: { plaintextHex: hex(decryptResult(Buffer.from(age.ciphertextBase64, 'base64'), age.identity)) },
    enclaveSignature: {
      signer: await recoverMessageAddress({ message: { raw: signature.message }, signature: signature.signature }),
    },
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const command = process.argv[2];
  if (command === 'write') await writeVectors(process.argv.slice(3));
  else if (command === 'build') {
    // What this runtime's primitives build from the fixed inputs (`--conditions=browser` selects @noble's).
    const { patternCiphertext, ...built } = await buildDeterministicVectors();
    console.log(
      JSON.stringify({
        implementation: primitives.implementation,
        ...built,
        patternCiphertextSha256: sha256(patternCiphertext),
      }),
    );
  } else console.log(JSON.stringify({ implementation: primitives.implementation, ...(await checkVectors()) }));
}

// Prints the throughput of Confide's dataset encryption (streaming AES-256-GCM, CFDS v1) beside
// Node's one-shot AES-256-GCM on the same bytes, measured in the same run, and of age result
// encryption. Runs are interleaved (baseline, ours, baseline, ours…) so that load from other
// processes hits both alike; the ratio is the median of the per-round ratios.
// Run: npm run bench:crypto  (CONFIDE_BENCH_MB=64 for a quicker run)
import { createCipheriv, randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  decryptDataset,
  decryptResult,
  encryptDataset,
  encryptResult,
  generateDatasetKey,
  generateResultKeyPair,
} from '../packages/crypto/src/index.js';

const MB = 1e6;
const size = Number(process.env.CONFIDE_BENCH_MB ?? 256) * 1024 * 1024;
const rounds = 5;
const data = randomBytes(size);
const key = generateDatasetKey();
const { identity, recipient } = generateResultKeyPair();

/** The input as a stream of 64 KiB writes, as a file read stream delivers it. */
const source = (bytes: Uint8Array) =>
  Readable.from(
    (function* () {
      for (let at = 0; at < bytes.length; at += 64 * 1024) yield bytes.subarray(at, at + 64 * 1024);
    })(),
  );
const drain = (collect?: Buffer[]) =>
  new Writable({
    write(chunk: Buffer, _encoding, callback) {
      collect?.push(chunk);
      callback();
    },
  });

const ciphertextParts: Buffer[] = [];
await pipeline(source(data), encryptDataset({ key }), drain(ciphertextParts));
const ciphertext = Buffer.concat(ciphertextParts);
ciphertextParts.length = 0;
const ageFile = encryptResult(data, recipient);

const runs: Record<string, () => unknown> = {
  oneShot: () => {
    const cipher = createCipheriv('aes-256-gcm', key, randomBytes(12));
    cipher.update(data);
    cipher.final();
    cipher.getAuthTag();
  },
  chunkedUpdates: () => {
    const cipher = createCipheriv('aes-256-gcm', key, randomBytes(12));
    for (let at = 0; at < size; at += 64 * 1024) cipher.update(data.subarray(at, at + 64 * 1024));
    cipher.final();
    cipher.getAuthTag();
  },
  streamEncrypt: () => pipeline(source(data), encryptDataset({ key }), drain()),
  streamDecrypt: () => pipeline(source(ciphertext), decryptDataset({ key }), drain()),
  ageEncrypt: () => encryptResult(data, recipient),
  ageDecrypt: () => decryptResult(ageFile, identity),
};

const samples: Record<string, number[]> = Object.fromEntries(Object.keys(runs).map((name) => [name, []]));
for (let round = 0; round < rounds; round++) {
  for (const [name, run] of Object.entries(runs)) {
    const started = performance.now();
    await run();
    samples[name]?.push(size / MB / ((performance.now() - started) / 1000));
  }
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const mbps = (name: string) => median(samples[name] ?? []);
const ratio = (name: string) => median((samples[name] ?? []).map((value, i) => value / (samples.oneShot?.[i] ?? 1)));

const row = (label: string, name: string, note = '') =>
  console.log(`  ${label.padEnd(46)} ${mbps(name).toFixed(0).padStart(6)} MB/s${note}`);
console.log(
  `Confide crypto throughput: ${size / 2 ** 20} MiB of random data (MB/s = 10^6 bytes/s), median of ${rounds} interleaved rounds, node ${process.version}`,
);
row('Node one-shot AES-256-GCM (one update/final)', 'oneShot', '  baseline');
row(
  'Node AES-256-GCM, one cipher, 64 KiB updates',
  'chunkedUpdates',
  `  ${ratio('chunkedUpdates').toFixed(2)}x baseline`,
);
row(
  'CFDS v1 streaming encrypt, 64 KiB chunks',
  'streamEncrypt',
  `  ${ratio('streamEncrypt').toFixed(2)}x baseline (target >= 0.70x)`,
);
row('CFDS v1 streaming decrypt, 64 KiB chunks', 'streamDecrypt', `  ${ratio('streamDecrypt').toFixed(2)}x baseline`);
row('age encrypt (ChaCha20-Poly1305, in memory)', 'ageEncrypt');
row('age decrypt (ChaCha20-Poly1305, in memory)', 'ageDecrypt');

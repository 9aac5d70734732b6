// Helpers shared by this package's tests only; not exported from the package.
import { createCipheriv, createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const MIB = 1024 * 1024;

/**
 * Deterministic incompressible bytes (an AES-128-CTR keystream, ~1 GB/s), streamed in `chunkSize` chunks.
 * @example const digest = await sha256Hex(pseudoRandomStream(100 * MIB, 'big'))
 */
export async function* pseudoRandomStream(size: number, seed: string, chunkSize = MIB): AsyncGenerator<Uint8Array> {
  const key = createHash('sha256').update(seed).digest();
  const cipher = createCipheriv('aes-128-ctr', key.subarray(0, 16), key.subarray(16, 32));
  const zeros = new Uint8Array(chunkSize);
  for (let left = size; left > 0; left -= chunkSize) {
    yield cipher.update(zeros.subarray(0, Math.min(chunkSize, left)));
  }
}

/**
 * The same bytes as {@link pseudoRandomStream}, in one buffer (for small sizes).
 * @example const bytes = await pseudoRandomBytes(1024, 'small')
 */
export async function pseudoRandomBytes(size: number, seed: string): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of pseudoRandomStream(size, seed)) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/**
 * Hex SHA-256 of a stream, reading it once.
 * @example await sha256Hex(storage.get(cid))
 */
export async function sha256Hex(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of source) hash.update(chunk);
  return hash.digest('hex');
}

/**
 * Collects a stream into one buffer.
 * @example const bytes = await collect(storage.get(cid))
 */
export async function collect(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of source) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/**
 * Iterates a web `ReadableStream` (a `fetch` body), which TypeScript's DOM types do not mark iterable.
 * @example await sha256Hex(webChunks(response.body))
 */
export async function* webChunks(body: ReadableStream<Uint8Array> | null): AsyncGenerator<Uint8Array> {
  if (!body) return;
  const reader = body.getReader();
  try {
    for (let next = await reader.read(); !next.done; next = await reader.read()) yield next.value;
  } finally {
    reader.releaseLock();
  }
}

/**
 * A fresh temporary directory and a function that removes it.
 * @example const { directory, remove } = await temporaryDirectory(); after(remove)
 */
export async function temporaryDirectory(): Promise<{ directory: string; remove: () => Promise<void> }> {
  const directory = await mkdtemp(path.join(tmpdir(), 'confide-storage-'));
  return { directory, remove: () => rm(directory, { recursive: true, force: true }) };
}

/**
 * A loopback port that was free a moment ago (nothing listens on it after this returns).
 * @example const url = `http://127.0.0.1:${await freePort()}`
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address !== 'object') throw new Error('no port');
  return address.port;
}

export { MIB };

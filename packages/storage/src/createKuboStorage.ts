import { CID } from 'multiformats/cid';
import { createKuboRpc } from '#kuboRpc';
import { createCidDeriver } from './deriveCid.js';
import {
  StorageClosedError,
  StorageConfigInvalidError,
  StorageContentMismatchError,
  StorageNotFoundError,
  StorageRequestFailedError,
} from './errors.js';
import { CONFIDE_IMPORT_PARAMETERS } from './importParameters.js';
import { readText } from './kuboAnswer.js';
import { parseCid } from './parseCid.js';
import { readSource } from './readSource.js';
import type { Storage } from './storage.js';
import { verifyContent } from './verifyContent.js';

/** Parameters of {@link createKuboStorage}. */
export type CreateKuboStorageParameters = {
  /** Base URL of the Kubo RPC API, e.g. `http://127.0.0.1:5001` (`/api/v0/…` is appended). */
  url: string;
  /** Sent with every call, e.g. `{ authorization: 'Bearer …' }` for a node behind an authenticating proxy. */
  headers?: Record<string, string>;
};

/** What {@link createKuboStorage} returns. */
export type CreateKuboStorageReturnType = Storage;

/** Errors of {@link createKuboStorage}. */
export type CreateKuboStorageErrorType = StorageConfigInvalidError;

/**
 * Every import parameter that shapes a CID, pinned explicitly so the node's own `Import.*`
 * configuration cannot change it (`max-file-links` needs Kubo ≥ 0.35; older nodes use 174 anyway).
 */
const ADD_QUERY = {
  'cid-version': String(CONFIDE_IMPORT_PARAMETERS.cidVersion),
  'raw-leaves': String(CONFIDE_IMPORT_PARAMETERS.rawLeaves),
  chunker: `size-${CONFIDE_IMPORT_PARAMETERS.chunkSize}`,
  'max-file-links': String(CONFIDE_IMPORT_PARAMETERS.maxLinks),
  trickle: 'false',
  hash: CONFIDE_IMPORT_PARAMETERS.hash,
  pin: 'true',
  progress: 'false',
};

/**
 * A client for any IPFS node that speaks the Kubo RPC API (Kubo itself, or a pinning service
 * exposing it). Nothing is trusted: `put` derives the CID locally while uploading and rejects a
 * node that announces another; `get` re-derives the CID of what `cat` streams (holding back the
 * last chunk until it matches). `has` asks `block/stat` offline, so it answers for the root
 * block on that node and never searches the network; `cat` and `pin/add` may fetch from the
 * network, so pass a `signal` to bound them.
 * @param parameters - `{ url, headers }`.
 * @returns a {@link Storage}; `close()` releases its pooled connections.
 * @example
 * const storage = createKuboStorage({ url: 'http://127.0.0.1:5001' })
 * const { cid } = await storage.put(createReadStream('result.zip.enc'))
 */
export function createKuboStorage({ url, headers = {} }: CreateKuboStorageParameters): CreateKuboStorageReturnType {
  const base = parseBaseUrl(url);
  const rpc = createKuboRpc(base, headers);
  const origin = `the IPFS node at ${base.origin}`;
  let closed = false;
  const assertOpen = () => {
    if (closed) throw new StorageClosedError();
  };

  return {
    async put(source, { signal } = {}) {
      assertOpen();
      const counter = { bytes: 0 };
      const deriver = createCidDeriver();
      const boundary = `confide-${randomHex(16)}`;
      async function* multipart() {
        yield utf8.encode(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="content"\r\n` +
            'Content-Type: application/octet-stream\r\n\r\n',
        );
        for await (const chunk of readSource(source, counter)) {
          await deriver.write(chunk);
          yield chunk;
        }
        yield utf8.encode(`\r\n--${boundary}--\r\n`);
      }
      try {
        const answer = await rpc.call('add', {
          query: ADD_QUERY,
          body: { stream: multipart(), contentType: `multipart/form-data; boundary=${boundary}` },
          signal,
        });
        const text = readText(answer.body);
        text.catch(() => {}); // awaited below, after the upload's own outcome
        await answer.sent;
        const expected = await deriver.end();
        const announced = lastHash(await text, answer.url);
        if (!announced.equals(expected)) {
          throw new StorageContentMismatchError(
            { expected: String(expected), actual: String(announced), source: answer.url },
            `${origin} announced CID ${announced} for content whose CID is ${expected}: it altered the content or ignored the import parameters, so do not use that CID.`,
          );
        }
        return { cid: String(expected), size: counter.bytes };
      } finally {
        deriver.abort();
      }
    },

    async *get(cid, { signal } = {}) {
      assertOpen();
      const parsed = parseCid(cid);
      const answer = await rpc.call('cat', { query: { arg: String(parsed) }, signal });
      yield* verifyContent(answer.body, parsed, answer.url);
    },

    async has(cid, { signal } = {}) {
      assertOpen();
      const parsed = parseCid(cid);
      try {
        await readText(
          (await rpc.call('block/stat', { query: { arg: String(parsed), offline: 'true' }, signal })).body,
        );
        return true;
      } catch (error) {
        if (error instanceof StorageNotFoundError) return false;
        throw error;
      }
    },

    async pin(cid, { signal } = {}) {
      assertOpen();
      const parsed = parseCid(cid);
      await readText((await rpc.call('pin/add', { query: { arg: String(parsed) }, signal })).body);
    },

    async close() {
      closed = true;
      rpc.close();
    },
  };
}

const utf8 = new TextEncoder();

/** `length` random bytes as hex, from Web Crypto (Node and browsers alike). */
function randomHex(length: number): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function parseBaseUrl(url: string): URL {
  let base: URL;
  try {
    base = new URL(url);
  } catch (cause) {
    throw new StorageConfigInvalidError(
      `url must be an http(s) URL such as http://127.0.0.1:5001, got ${JSON.stringify(url)}`,
      cause,
    );
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new StorageConfigInvalidError(`url must use http or https, got ${base.protocol.slice(0, -1)}`);
  }
  if (base.search || base.hash) {
    throw new StorageConfigInvalidError('url must not carry a query or fragment; give the base of the RPC API');
  }
  return base;
}

/** `add` answers one JSON object per line; with one file and no progress, the last one is the file. */
function lastHash(text: string, url: string): CID {
  const last = text.trim().split('\n').at(-1) ?? '';
  let hash: unknown;
  try {
    hash = (JSON.parse(last) as { Hash?: unknown } | null)?.Hash;
    if (typeof hash === 'string') return CID.parse(hash).toV1();
  } catch {
    // Falls through to the error below.
  }
  throw new StorageRequestFailedError({
    url,
    status: 200,
    serverMessage: `no CID in the add answer: ${last.slice(0, 200)}`,
  });
}

// Test support only: the production Kubo RPC handler (createKuboRpcHandler) over a real embedded
// storage, with a switch that makes it misbehave so tests can prove the client catches it. No
// Kubo binary installs on this machine; the handler speaks the subset createKuboStorage uses.
import { createServer } from 'node:http';
import type { EmbeddedStorage } from './createEmbeddedStorage.js';
import { createKuboRpcHandler, type KuboRpcStorage } from './createKuboRpcHandler.js';
import { ConfideStorageError } from './errors.js';
import { listen } from './listen.js';

/** How the server misbehaves, if at all. */
export type KuboMisbehaviour =
  | { kind: 'honest' }
  /** `cat` flips one bit of the content. */
  | { kind: 'flip-a-bit' }
  /** `add` stores the content but announces the CID of other bytes. */
  | { kind: 'announce-other-cid'; cid: string }
  /** Every call answers this status and body. */
  | { kind: 'fail'; status: number; body: string }
  /** `cat` sends some bytes, then reports an error in the `X-Stream-Error` trailer. */
  | { kind: 'stream-error'; message: string };

/** A running fake Kubo. */
export type KuboTestServer = {
  url: string;
  /** `pathname?query` of every request, in order. */
  requests: string[];
  misbehave(how: KuboMisbehaviour): void;
  close(): Promise<void>;
};

/**
 * Starts the server on 127.0.0.1 with a free port.
 * @example const kubo = await startKuboTestServer(embedded); createKuboStorage({ url: kubo.url })
 */
export async function startKuboTestServer(storage: EmbeddedStorage): Promise<KuboTestServer> {
  const requests: string[] = [];
  let how: KuboMisbehaviour = { kind: 'honest' };
  const misbehaving: KuboRpcStorage = {
    async put(source, options) {
      const stored = await storage.put(source, options);
      return how.kind === 'announce-other-cid' ? { ...stored, cid: how.cid } : stored;
    },
    async *get(cid, options) {
      let first = true;
      for await (const chunk of storage.get(cid, options)) {
        if (how.kind === 'stream-error') {
          yield chunk.subarray(0, 10);
          throw new ConfideStorageError('CONFIDE_STORAGE_REQUEST_FAILED', how.message);
        }
        if (how.kind === 'flip-a-bit' && first) {
          const flipped = Buffer.from(chunk);
          flipped[flipped.length >> 1] = (flipped[flipped.length >> 1] ?? 0) ^ 1;
          yield flipped;
        } else {
          yield chunk;
        }
        first = false;
      }
    },
    pin: (cid, options) => storage.pin(cid, options),
    blockSize: (cid, options) => storage.blockSize(cid, options),
  };
  const handle = createKuboRpcHandler({ storage: misbehaving });
  const server = createServer((request, response) => {
    requests.push(request.url ?? '');
    if (how.kind === 'fail') return response.writeHead(how.status).end(how.body);
    handle(request, response);
  });
  const { url, close } = await listen(server, { host: '127.0.0.1', port: 0 });
  return {
    url,
    requests,
    misbehave(next) {
      how = next;
    },
    close,
  };
}

// Test support only: a loopback server speaking the subset of the Kubo RPC API that
// createKuboStorage uses, backed by a real embedded storage so CIDs are real. It is the only
// fake allowed here, because no Kubo binary installs on this machine.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StorageNotFoundError } from './errors.js';
import type { Storage } from './storage.js';

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
 * Starts the fake on 127.0.0.1 with a free port.
 * @example const kubo = await startKuboTestServer(embedded); createKuboStorage({ url: kubo.url })
 */
export async function startKuboTestServer(storage: Storage): Promise<KuboTestServer> {
  const requests: string[] = [];
  let how: KuboMisbehaviour = { kind: 'honest' };
  const server = createServer((request, response) => {
    requests.push(request.url ?? '');
    handle(storage, how, request, response).catch((error: unknown) => {
      if (response.headersSent) return response.destroy();
      if (error instanceof StorageNotFoundError) {
        return kuboError(
          response,
          500,
          `block was not found locally (offline): ipld: could not find ${error.details.cid}`,
        );
      }
      kuboError(response, 500, String((error as Error).message));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    misbehave(next) {
      how = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(storage: Storage, how: KuboMisbehaviour, request: IncomingMessage, response: ServerResponse) {
  const { pathname, searchParams } = new URL(request.url ?? '/', 'http://kubo');
  if (request.method !== 'POST') return kuboError(response, 405, `method ${request.method} not allowed`);
  if (how.kind === 'fail') return response.writeHead(how.status).end(how.body);
  const arg = searchParams.get('arg') ?? '';
  switch (pathname) {
    case '/api/v0/add': {
      const file = await readMultipartFile(request);
      const { cid, size } = await storage.put(file);
      const hash = how.kind === 'announce-other-cid' ? how.cid : cid;
      response.writeHead(200, { 'content-type': 'application/json' });
      return response.end(`${JSON.stringify({ Name: 'content', Hash: hash, Size: String(size) })}\n`);
    }
    case '/api/v0/cat': {
      const chunks = storage.get(arg)[Symbol.asyncIterator]();
      let next = await chunks.next(); // a missing CID still gets its 500
      response.writeHead(200, { 'content-type': 'text/plain', trailer: 'X-Stream-Error' });
      for (let index = 0; !next.done; next = await chunks.next(), index++) {
        const chunk = Buffer.from(next.value);
        if (how.kind === 'flip-a-bit' && index === 0) chunk[chunk.length >> 1] = (chunk[chunk.length >> 1] ?? 0) ^ 1;
        if (how.kind === 'stream-error') {
          response.addTrailers({ 'X-Stream-Error': how.message });
          return response.end(chunk.subarray(0, 10));
        }
        if (!response.write(chunk)) await new Promise((resolve) => response.once('drain', resolve));
      }
      return response.end();
    }
    case '/api/v0/block/stat': {
      if (searchParams.get('offline') !== 'true') return kuboError(response, 400, 'this fake only answers offline');
      if (!(await storage.has(arg))) throw new StorageNotFoundError(arg);
      return response.writeHead(200).end(JSON.stringify({ Key: arg, Size: 1 }));
    }
    case '/api/v0/pin/add': {
      await storage.pin(arg);
      return response.writeHead(200).end(JSON.stringify({ Pins: [arg] }));
    }
    default:
      return response.writeHead(404).end('404 page not found');
  }
}

function kuboError(response: ServerResponse, status: number, message: string): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ Message: message, Code: 0, Type: 'error' }));
}

/** The single file of a `multipart/form-data` body (buffered: this fake only sees test-sized uploads). */
async function readMultipartFile(request: IncomingMessage): Promise<Uint8Array> {
  const boundary = /boundary=([^;]+)/.exec(request.headers['content-type'] ?? '')?.[1];
  if (!boundary) throw new Error('expected multipart/form-data with a boundary');
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
  const body = Buffer.concat(chunks);
  const start = body.indexOf('\r\n\r\n') + 4;
  const end = body.lastIndexOf(`\r\n--${boundary}--`);
  if (start < 4 || end < start || !body.subarray(0, start).includes('name="file"')) throw new Error('no file part');
  return body.subarray(start, end);
}

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  ConfideStorageError,
  type ConfideStorageErrorCode,
  type StorageConfigInvalidError,
  StorageNotFoundError,
} from './errors.js';
import { listen } from './listen.js';
import { parseCid } from './parseCid.js';
import type { Storage } from './storage.js';

/** Parameters of {@link createGateway}. */
export type CreateGatewayParameters = {
  /** Where content is read from; only `get` and `has` are used. */
  storage: Pick<Storage, 'get' | 'has'>;
  /** Interface to listen on; loopback unless you mean to expose it. */
  host?: string;
  /** TCP port; 0 (the default) picks a free one, see `url`. */
  port?: number;
  /** Told of failures that are not the client's fault (5xx, streams cut short); for logs. */
  onError?: (error: unknown) => void;
};

/** A running gateway. */
export type Gateway = {
  /** Base URL, e.g. `http://127.0.0.1:8080`; content is at `${url}/ipfs/<cid>`. */
  url: string;
  /** Stops listening and cuts open connections; idempotent. */
  close: () => Promise<void>;
};

/** What {@link createGateway} resolves to. */
export type CreateGatewayReturnType = Gateway;

/** Errors of {@link createGateway}. */
export type CreateGatewayErrorType = StorageConfigInvalidError;

/**
 * Codes in the gateway's JSON error bodies `{ error: { code, message } }`.
 * @example const { error } = (await response.json()) as { error: { code: GatewayErrorCode; message: string } }
 */
export type GatewayErrorCode =
  | ConfideStorageErrorCode
  | 'CONFIDE_STORAGE_METHOD_NOT_ALLOWED'
  | 'CONFIDE_STORAGE_ROUTE_NOT_FOUND'
  | 'CONFIDE_STORAGE_INTERNAL';

const ROUTE = /^\/ipfs\/([^/]*)\/?$/;
const STATUS: Partial<Record<ConfideStorageErrorCode, number>> = {
  CONFIDE_STORAGE_CID_INVALID: 400,
  CONFIDE_STORAGE_NOT_FOUND: 404,
  CONFIDE_STORAGE_CLOSED: 503,
};

/**
 * Serves stored content read-only over HTTP: `GET` and `HEAD /ipfs/<cid>`, streamed as
 * `application/octet-stream` with the CID as strong `etag` and an immutable cache policy
 * (content under a CID never changes). Errors are JSON `{ error: { code, message } }`: 400 for
 * an invalid CID, 404 for unknown content or paths, 405 for other methods, 502/500 when the
 * storage fails; never a stack trace. Bytes are those `storage.get` verified.
 * @param parameters - `{ storage, host = '127.0.0.1', port = 0, onError }`.
 * @returns the gateway's `url` and `close`.
 * @example
 * const gateway = await createGateway({ storage, port: 8080 })
 * const response = await fetch(`${gateway.url}/ipfs/${cid}`)
 * await gateway.close()
 */
export async function createGateway({
  storage,
  host = '127.0.0.1',
  port = 0,
  onError = () => {},
}: CreateGatewayParameters): Promise<CreateGatewayReturnType> {
  const server = createServer((request, response) => {
    serve(storage, request, response).catch((error: unknown) => {
      if (response.headersSent) {
        // The status is gone; cutting the connection is the only way to tell the client.
        if (!request.destroyed) onError(error);
        response.destroy();
      } else {
        sendError(response, error, onError);
      }
    });
  });
  return listen(server, { host, port });
}

async function serve(storage: CreateGatewayParameters['storage'], request: IncomingMessage, response: ServerResponse) {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('allow', 'GET, HEAD');
    return sendJson(
      response,
      405,
      'CONFIDE_STORAGE_METHOD_NOT_ALLOWED',
      `${request.method} is not allowed; use GET or HEAD`,
    );
  }
  const match = ROUTE.exec(new URL(request.url ?? '/', 'http://gateway').pathname);
  if (!match) return sendJson(response, 404, 'CONFIDE_STORAGE_ROUTE_NOT_FOUND', 'Only /ipfs/<cid> is served here.');
  let segment = match[1] ?? '';
  try {
    segment = decodeURIComponent(segment);
  } catch {
    // Left encoded: parseCid says what is wrong with it.
  }
  const cid = String(parseCid(segment));
  const headers = {
    'content-type': 'application/octet-stream',
    etag: `"${cid}"`,
    'cache-control': 'public, max-age=31536000, immutable',
    'x-ipfs-path': `/ipfs/${cid}`,
    'x-content-type-options': 'nosniff',
  };
  if (request.method === 'HEAD' || matches(request.headers['if-none-match'], headers.etag)) {
    if (!(await storage.has(cid))) throw new StorageNotFoundError(cid);
    response.writeHead(request.method === 'HEAD' ? 200 : 304, headers).end();
    return;
  }
  const controller = new AbortController();
  response.once('close', () => controller.abort());
  const chunks = storage.get(cid, { signal: controller.signal })[Symbol.asyncIterator]();
  // Read the first chunk before the status: a missing or invalid CID still gets its 4xx.
  const first = await chunks.next();
  response.writeHead(200, headers);
  await pipeline(Readable.from(resume(first, chunks), { objectMode: false }), response);
}

/** Whether an `If-None-Match` list names this etag (weak or strong, or `*`). */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const trimmed = tag.trim();
    return trimmed === '*' || trimmed.replace(/^W\//, '') === etag;
  });
}

async function* resume(first: IteratorResult<Uint8Array>, rest: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  try {
    for (let next = first; !next.done; next = await rest.next()) yield next.value;
  } finally {
    await rest.return?.();
  }
}

function sendError(response: ServerResponse, error: unknown, onError: (error: unknown) => void): void {
  const status = error instanceof ConfideStorageError ? (STATUS[error.code] ?? 502) : 500;
  if (status >= 500) onError(error);
  if (error instanceof ConfideStorageError && status < 500) {
    sendJson(response, status, error.code, error.shortMessage);
    return;
  }
  // Server-side failures: the code tells what kind, the message gives nothing of the inside away.
  const code: GatewayErrorCode = error instanceof ConfideStorageError ? error.code : 'CONFIDE_STORAGE_INTERNAL';
  sendJson(response, status, code, 'The storage behind this gateway failed; try again later.');
}

function sendJson(response: ServerResponse, status: number, code: GatewayErrorCode, message: string): void {
  const body = JSON.stringify({ error: { code, message } });
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  response.end(response.req.method === 'HEAD' ? undefined : body);
}

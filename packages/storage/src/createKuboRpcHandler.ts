import { createHash, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmbeddedStorage } from './createEmbeddedStorage.js';
import {
  ConfideStorageError,
  StorageCidInvalidError,
  StorageClosedError,
  StorageConfigInvalidError,
  StorageNotFoundError,
} from './errors.js';
import { CONFIDE_IMPORT_PARAMETERS } from './importParameters.js';
import { parseCid } from './parseCid.js';
import { MultipartInvalidError, type MultipartPart, readMultipart } from './readMultipart.js';
import type { Storage } from './storage.js';

/**
 * What the Kubo RPC handler needs of a storage: the embedded one gives all of it.
 * @example const storage: KuboRpcStorage = await createEmbeddedStorage({ directory })
 */
export type KuboRpcStorage = Pick<Storage, 'put' | 'get' | 'pin'> & Pick<EmbeddedStorage, 'blockSize'>;

/** Parameters of {@link createKuboRpcHandler}. */
export type CreateKuboRpcHandlerParameters = {
  /** Where `add` stores and pins, and `cat`, `block/stat` and `pin/add` read. */
  storage: KuboRpcStorage;
  /**
   * When set, `add` and `pin/add` need `Authorization: Bearer <token>` (16 characters or more,
   * e.g. `openssl rand -hex 32`); `cat` and `block/stat` stay open, like a gateway.
   */
  token?: string | undefined;
  /** Largest request body `add` accepts, in bytes; 16 GiB by default. Larger ones get a 413. */
  maxBodyBytes?: number | undefined;
  /** Told of failures that are not the client's fault (5xx, streams cut short); for logs. */
  onError?: ((error: unknown) => void) | undefined;
  /**
   * Web page origins (`http://127.0.0.1:5173`) whose scripts may call this node (CORS), or `['*']`
   * for any; none by default, like Kubo, since a node without a token lets any caller write.
   * Requests from other origins (they carry an `Origin` header) get a 403.
   */
  corsOrigins?: readonly string[] | undefined;
};

/**
 * A node:http request listener: `createServer(handler)`.
 * @example createServer(createKuboRpcHandler({ storage }))
 */
export type KuboRpcHandler = (request: IncomingMessage, response: ServerResponse) => void;

/** What {@link createKuboRpcHandler} returns. */
export type CreateKuboRpcHandlerReturnType = KuboRpcHandler;

/** Errors of {@link createKuboRpcHandler}. */
export type CreateKuboRpcHandlerErrorType = StorageConfigInvalidError;

const DEFAULT_MAX_BODY_BYTES = 16 * 1024 ** 3;
const TOKEN = /^[A-Za-z0-9\-._~+/]{16,}=*$/;
const STREAM_ERROR = 'X-Stream-Error';
/** How much of a refused upload is read and dropped before the connection is cut. */
const MAX_DISCARDED_BYTES = 32 * 1024 * 1024;

/** Kubo's `add` options that shape a CID (long and short names), and the one value this node imports with. */
const ADD_OPTIONS: Record<string, [name: string, accepts: (value: string) => boolean, expected: string]> = {
  'cid-version': ['cid-version', (v) => v === String(CONFIDE_IMPORT_PARAMETERS.cidVersion), '1'],
  'raw-leaves': ['raw-leaves', (v) => parseBool(v) === true, 'true'],
  chunker: ['chunker', (v) => v === `size-${CONFIDE_IMPORT_PARAMETERS.chunkSize}`, 'size-262144'],
  s: ['chunker', (v) => v === `size-${CONFIDE_IMPORT_PARAMETERS.chunkSize}`, 'size-262144'],
  'max-file-links': ['max-file-links', (v) => v === String(CONFIDE_IMPORT_PARAMETERS.maxLinks), '174'],
  trickle: ['trickle', (v) => parseBool(v) === false, 'false'],
  t: ['trickle', (v) => parseBool(v) === false, 'false'],
  hash: ['hash', (v) => v === CONFIDE_IMPORT_PARAMETERS.hash, 'sha2-256'],
  inline: ['inline', (v) => parseBool(v) === false, 'false'],
  'wrap-with-directory': ['wrap-with-directory', (v) => parseBool(v) === false, 'false'],
  w: ['wrap-with-directory', (v) => parseBool(v) === false, 'false'],
  'only-hash': ['only-hash', (v) => parseBool(v) === false, 'false'],
  n: ['only-hash', (v) => parseBool(v) === false, 'false'],
  nocopy: ['nocopy', (v) => parseBool(v) === false, 'false'],
};

/** A request this node refuses, with the status and message to answer. */
class KuboRpcRefusal extends Error {
  override name = 'KuboRpcRefusal' as const;
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Call = {
  storage: KuboRpcStorage;
  request: IncomingMessage;
  response: ServerResponse;
  query: URLSearchParams;
  signal: AbortSignal;
  maxBodyBytes: number;
};

const COMMANDS: Record<string, { writes: boolean; run: (call: Call) => Promise<void> }> = {
  add: { writes: true, run: add },
  cat: { writes: false, run: cat },
  'block/stat': { writes: false, run: blockStat },
  'pin/add': { writes: true, run: pinAdd },
};

/**
 * Serves the subset of the Kubo RPC API that `createKuboStorage` uses, so processes on other
 * machines or in other languages share one node: `POST /api/v0/add` (multipart, streamed: memory
 * stays bounded whatever the size; one `{"Name","Hash","Size"}` line per file, pinned),
 * `/api/v0/cat?arg=<cid>` (streamed; a failure after the first byte is in the `X-Stream-Error`
 * trailer), `/api/v0/block/stat?arg=<cid>` and `/api/v0/pin/add?arg=<cid>`. Errors are Kubo's
 * `{"Message","Code","Type":"error"}`: 400 for a bad argument or CID, 401 without the token,
 * 403 for a request from a web page (it has an `Origin`) whose origin is not in `corsOrigins`
 * (those are answered with CORS headers, preflights included), 404 for other paths, 405 for other
 * methods, 413 past `maxBodyBytes`, 500 for content this node does not hold (Kubo's
 * `block was not found locally (offline)` message). Differences from Kubo: CIDs are always
 * CIDv1 with raw leaves (an `add` asking for other import parameters gets a 400, not another
 * CID); `add` always pins; `Size` in an `add` answer is the file's byte count.
 * @param parameters - `{ storage, token, maxBodyBytes = 16 GiB, onError, corsOrigins = [] }`.
 * @returns a node:http request listener.
 * @throws {StorageConfigInvalidError} for a short or malformed token or a wrong limit.
 * @example
 * const storage = await createEmbeddedStorage({ directory: '.confide/ipfs' })
 * createServer(createKuboRpcHandler({ storage, token: process.env.STORAGE_RPC_TOKEN })).listen(5001, '127.0.0.1')
 */
export function createKuboRpcHandler({
  storage,
  token,
  maxBodyBytes = DEFAULT_MAX_BODY_BYTES,
  onError = () => {},
  corsOrigins = [],
}: CreateKuboRpcHandlerParameters): CreateKuboRpcHandlerReturnType {
  const badOrigin = corsOrigins.find((origin) => !isCorsOrigin(origin));
  if (badOrigin !== undefined) {
    throw new StorageConfigInvalidError(
      `corsOrigins: ${JSON.stringify(badOrigin.slice(0, 100))} is not * nor an origin such as http://127.0.0.1:5173`,
    );
  }
  const allowsOrigin = (origin: string) => corsOrigins.includes('*') || corsOrigins.includes(origin);
  if (token !== undefined && !isValidRpcToken(token)) {
    throw new StorageConfigInvalidError(
      'token must be 16 characters or more of A-Z a-z 0-9 - . _ ~ + / (make one with openssl rand -hex 32)',
    );
  }
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes <= 0) {
    throw new StorageConfigInvalidError(`maxBodyBytes must be a positive integer, got ${maxBodyBytes}`);
  }
  const expectedToken = token === undefined ? undefined : digest(token);

  return (request, response) => {
    const origin = request.headers.origin;
    if (origin !== undefined && allowsOrigin(origin)) {
      response.setHeader('access-control-allow-origin', corsOrigins.includes('*') ? '*' : origin);
      response.setHeader('vary', 'Origin');
      if (request.method === 'OPTIONS') {
        response.writeHead(204, {
          'access-control-allow-methods': 'POST',
          'access-control-allow-headers': 'authorization, content-type',
          'access-control-max-age': '600',
        });
        response.end();
        return;
      }
    }
    const controller = new AbortController();
    response.once('close', () => controller.abort());
    const call: Call = {
      storage,
      request,
      response,
      query: new URLSearchParams(),
      signal: controller.signal,
      maxBodyBytes,
    };
    const run = async () => {
      // Parsed here, not before: a request target that is no URL must get a 400, not crash the server.
      let url: URL;
      try {
        url = new URL(request.url ?? '/', 'http://node');
      } catch {
        throw new KuboRpcRefusal(400, 'the request target is not a valid URL');
      }
      call.query = url.searchParams;
      const command = url.pathname.startsWith('/api/v0/') ? COMMANDS[url.pathname.slice('/api/v0/'.length)] : undefined;
      if (!command) {
        throw new KuboRpcRefusal(
          404,
          `unknown command ${JSON.stringify(url.pathname.slice(0, 100))}: this node serves /api/v0/add, /api/v0/cat, /api/v0/block/stat and /api/v0/pin/add`,
        );
      }
      if (request.method !== 'POST') {
        response.setHeader('allow', 'POST');
        throw new KuboRpcRefusal(405, `${request.method} is not allowed; the RPC API takes POST`);
      }
      if (origin !== undefined && !allowsOrigin(origin)) {
        throw new KuboRpcRefusal(
          403,
          'requests from web pages (with an Origin header) are refused unless their origin is allowed (STORAGE_CORS_ORIGINS): this API can write',
        );
      }
      if (command.writes && expectedToken && !hasToken(request.headers.authorization, expectedToken)) {
        response.setHeader('www-authenticate', 'Bearer realm="confide-storage"');
        throw new KuboRpcRefusal(401, 'this command writes and needs the header Authorization: Bearer <node token>');
      }
      await command.run(call);
    };
    run().catch((error: unknown) => answerError(call, error, onError));
  };
}

async function add({ storage, request, response, query, signal, maxBodyBytes }: Call): Promise<void> {
  for (const [key, value] of query) {
    const option = ADD_OPTIONS[key];
    if (option && !option[1](value)) {
      throw new KuboRpcRefusal(
        400,
        `this node imports with cid-version=1, raw-leaves=true, chunker=size-262144, max-file-links=174, trickle=false, hash=sha2-256 and no wrapping, inlining, only-hash or nocopy; got ${option[0]}=${value.slice(0, 40)}`,
      );
    }
  }
  const contentType = request.headers['content-type'] ?? '';
  const boundary = /^multipart\/form-data\s*;.*?\bboundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!boundary) throw new KuboRpcRefusal(400, 'add takes a multipart/form-data body with a boundary');
  if (Number(request.headers['content-length'] ?? 0) > maxBodyBytes) throw tooLarge(maxBodyBytes);
  let added = 0;
  // Kept open when parsing stops early, so that the answer reaches the client (see answerError).
  const body = limited(request.iterator({ destroyOnReturn: false }), maxBodyBytes);
  for await (const part of readMultipart(body, boundary[1] ?? boundary[2] ?? '')) {
    const name = fileName(part);
    const { cid, size } = await storage.put(part.body, { signal });
    if (!response.headersSent) {
      response.writeHead(200, { 'content-type': 'application/json', 'x-chunked-output': '1', trailer: STREAM_ERROR });
    }
    response.write(`${JSON.stringify({ Name: name ?? cid, Hash: cid, Size: String(size) })}\n`);
    added++;
  }
  if (added === 0) throw new KuboRpcRefusal(400, "file argument 'path' is required");
  response.end();
}

async function cat({ storage, response, query, signal }: Call): Promise<void> {
  const cid = argument(query, 'ipfs-path');
  if (Number(query.get('offset') ?? 0) !== 0 || query.has('length')) {
    throw new KuboRpcRefusal(400, 'offset and length are not supported by this node; cat the whole content');
  }
  const chunks = storage.get(cid, { signal })[Symbol.asyncIterator]();
  try {
    let next = await chunks.next(); // before the status: a missing CID still gets its error status
    response.writeHead(200, { 'content-type': 'text/plain', 'x-stream-output': '1', trailer: STREAM_ERROR });
    for (; !next.done; next = await chunks.next()) {
      if (!response.write(next.value)) await once(response, 'drain', { signal });
    }
    response.end();
  } finally {
    await chunks.return?.();
  }
}

async function blockStat({ storage, response, query, signal }: Call): Promise<void> {
  const cid = argument(query, 'cid');
  const size = await storage.blockSize(cid, { signal });
  response.writeHead(200, { 'content-type': 'application/json', trailer: STREAM_ERROR });
  response.end(`${JSON.stringify({ Key: cid, Size: size })}\n`);
}

async function pinAdd({ storage, response, query, signal }: Call): Promise<void> {
  const cid = argument(query, 'ipfs-path');
  await storage.pin(cid, { signal });
  response.writeHead(200, { 'content-type': 'application/json', trailer: STREAM_ERROR });
  response.end(`${JSON.stringify({ Pins: [cid] })}\n`);
}

/** The one `arg` of a call, as a canonical CIDv1 string (`/ipfs/<cid>` is accepted too). */
function argument(query: URLSearchParams, name: string): string {
  const args = query.getAll('arg');
  if (args.length === 0) throw new KuboRpcRefusal(400, `argument "${name}" is required`);
  if (args.length > 1) throw new KuboRpcRefusal(400, `this node takes one "${name}" per call, got ${args.length}`);
  const arg = (args[0] ?? '').replace(/^\/ipfs\//, '');
  return String(parseCid(arg));
}

/** The name to answer for a part; refuses directories and nested paths, which this node does not build. */
function fileName(part: MultipartPart): string | undefined {
  const type = (part.headers['content-type'] ?? '').toLowerCase();
  let name = part.filename;
  try {
    // Kubo clients URL-encode file names (Go's url.QueryEscape: spaces as +).
    name = name === undefined ? undefined : decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    // Kept as sent.
  }
  if (type.startsWith('application/x-directory') || type.startsWith('application/symlink') || name?.includes('/')) {
    throw new KuboRpcRefusal(400, 'this node adds files only, not directories or symlinks; add each file on its own');
  }
  return name || undefined;
}

async function* limited(source: AsyncIterable<Uint8Array>, max: number): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of source) {
    total += chunk.byteLength;
    if (total > max) throw tooLarge(max);
    yield chunk;
  }
}

function tooLarge(max: number): KuboRpcRefusal {
  return new KuboRpcRefusal(413, `the request body is larger than this node's limit of ${max} bytes`);
}

/**
 * Kubo's answer to an error: a status and a message safe to show (never a stack trace or a
 * path), and whether it is a failure of this node worth reporting.
 */
function describeError(error: unknown): { status: number; message: string; report: boolean } {
  if (error instanceof KuboRpcRefusal) return { status: error.status, message: error.message, report: false };
  if (error instanceof MultipartInvalidError) {
    return { status: 400, message: `malformed multipart body: ${error.message}`, report: false };
  }
  if (error instanceof StorageCidInvalidError) return { status: 400, message: error.shortMessage, report: false };
  if (error instanceof StorageNotFoundError) {
    // Kubo's words, which clients (createKuboStorage among them) recognise; an answer, not a failure.
    const message = `block was not found locally (offline): ipld: could not find ${error.details.cid}`;
    return { status: 500, message, report: false };
  }
  if (error instanceof StorageClosedError) return { status: 503, message: 'this node is shutting down', report: true };
  if (error instanceof ConfideStorageError) return { status: 500, message: error.shortMessage, report: true };
  return { status: 500, message: 'internal error of the storage node; see its log', report: true };
}

function answerError(call: Call, error: unknown, onError: (error: unknown) => void): void {
  const { request, response, signal } = call;
  // The client went away: nobody to answer, nothing to report.
  if (signal.aborted) return;
  const { status, message, report } = describeError(error);
  if (report || response.headersSent) onError(error);
  if (response.writableEnded) return;
  if (response.headersSent) {
    // Kubo's way to say that a stream that started with 200 failed.
    response.addTrailers({ [STREAM_ERROR]: message.replace(/[\r\n]+/g, ' ').slice(0, 500) });
    response.end();
    return;
  }
  if (!request.complete) discardRest(request);
  const body = `${JSON.stringify({ Message: message, Code: status < 500 ? 1 : 0, Type: 'error' })}\n`;
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

/**
 * Reads and drops the rest of a refused upload, so that the client, still sending, gets the
 * answer rather than a broken pipe; past {@link MAX_DISCARDED_BYTES} the connection is cut.
 */
function discardRest(request: IncomingMessage): void {
  let discarded = 0;
  request.on('error', () => {});
  request.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > MAX_DISCARDED_BYTES) request.socket.destroy();
  });
  request.resume();
}

/**
 * Whether a string can be the RPC token: 16 characters or more of the bearer-token alphabet.
 * @example isValidRpcToken(randomBytes(32).toString('hex')) // true
 */
export function isValidRpcToken(token: string): boolean {
  return typeof token === 'string' && TOKEN.test(token);
}

function hasToken(authorization: string | undefined, expected: Buffer): boolean {
  const given = /^Bearer +(\S+) *$/i.exec(authorization ?? '')?.[1];
  return given !== undefined && timingSafeEqual(digest(given), expected);
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Go's `strconv.ParseBool`, as Kubo reads boolean options (an empty value means true). */
function parseBool(value: string): boolean | undefined {
  if (['', '1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return undefined;
}

/**
 * Whether `origin` is `*` or an http(s) origin (scheme, host and port only), as `corsOrigins` takes.
 * @example isCorsOrigin('http://127.0.0.1:5173') // true
 */
export function isCorsOrigin(origin: string): boolean {
  if (origin === '*') return true;
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === origin;
  } catch {
    return false;
  }
}

import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StorageNotFoundError, StorageRequestFailedError, StorageUnreachableError } from './errors.js';

/** One call of the Kubo RPC API: `POST /api/v0/<command>?<query>`, optionally with a streamed body. */
type KuboCall = {
  query?: Record<string, string>;
  body?: { stream: AsyncIterable<Uint8Array>; contentType: string };
  signal?: AbortSignal | undefined;
};

/** The answer to a {@link KuboCall} that succeeded (status 200). */
type KuboAnswer = {
  /** The response body, streamed; failures while reading map to storage errors. */
  body: AsyncIterable<Uint8Array>;
  /** Settles when the request body was sent (at once without a body); rejects with the body's own error. */
  sent: Promise<void>;
  /** The command's URL without credentials or query, for errors. */
  url: string;
};

/** A Kubo RPC endpoint with its connection pool. */
type KuboRpc = {
  call(command: string, call?: KuboCall): Promise<KuboAnswer>;
  /** Closes pooled connections. */
  close(): void;
};

const MAX_ERROR_BODY = 64 * 1024;

/**
 * Talks to `base` (e.g. `http://127.0.0.1:5001`) over node:http(s), streaming both ways. A node
 * that cannot be reached gives `CONFIDE_STORAGE_UNREACHABLE`; an answer other than 200 gives
 * `CONFIDE_STORAGE_REQUEST_FAILED` with Kubo's `Message`, or `CONFIDE_STORAGE_NOT_FOUND` when
 * that message says a block was not found. A caller's abort rejects with the signal's reason.
 * @example const { body } = await createKuboRpc(new URL('http://127.0.0.1:5001'), {}).call('cat', { query: { arg: cid } })
 */
export function createKuboRpc(base: URL, headers: Record<string, string>): KuboRpc {
  const client = base.protocol === 'https:' ? https : http;
  const agent = new client.Agent({ keepAlive: true });
  const prefix = base.pathname.replace(/\/+$/, '');
  return {
    call(command, { query = {}, body, signal } = {}) {
      const target = new URL(`${prefix}/api/v0/${command}`, base);
      for (const [key, value] of Object.entries(query)) target.searchParams.set(key, value);
      const url = `${target.origin}${target.pathname}`;
      signal?.throwIfAborted();
      return new Promise<KuboAnswer>((resolve, reject) => {
        let bodyError: { error: unknown } | undefined;
        const failed = (error: unknown) => {
          if (bodyError) return bodyError.error;
          if (signal?.aborted) return signal.reason;
          return new StorageUnreachableError(url, error);
        };
        const request = client.request(target, {
          method: 'POST',
          agent,
          signal,
          headers: { ...headers, ...(body ? { 'content-type': body.contentType } : {}) },
        });
        request.once('error', (error) => reject(failed(error)));
        let sent: Promise<void> = Promise.resolve();
        if (body) {
          async function* guarded() {
            try {
              yield* body?.stream ?? [];
            } catch (error) {
              bodyError = { error };
              throw error;
            }
          }
          sent = pipeline(Readable.from(guarded(), { objectMode: false }), request).catch((error: unknown) => {
            throw failed(error);
          });
          // Observed by whoever awaits `sent`; an early error answer may leave it unawaited.
          sent.catch(() => {});
        } else {
          request.end();
        }
        request.once('response', (response) => {
          if (response.statusCode === 200) {
            resolve({ body: responseBody(response, url, failed), sent, url });
          } else {
            errorFromAnswer(response, url, query.arg).then(reject, (error: unknown) => reject(failed(error)));
          }
        });
      });
    },
    close() {
      agent.destroy();
    },
  };
}

/**
 * Drains an answer, returning its text (for small JSON answers).
 * @example const json = JSON.parse(await readText(answer.body))
 */
export async function readText(body: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

async function* responseBody(
  response: IncomingMessage,
  url: string,
  failed: (error: unknown) => unknown,
): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of response) yield chunk as Buffer;
  } catch (error) {
    throw failed(error);
  }
  // Kubo reports an error met after it started streaming in this trailer.
  const streamError = response.trailers['x-stream-error'];
  if (streamError) throw new StorageRequestFailedError({ url, status: 200, serverMessage: streamError.slice(0, 500) });
}

async function errorFromAnswer(response: IncomingMessage, url: string, cid: string | undefined): Promise<Error> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    if (length < MAX_ERROR_BODY) chunks.push(chunk);
    length += chunk.length;
  }
  const text = Buffer.concat(chunks).toString('utf8').slice(0, MAX_ERROR_BODY);
  let serverMessage = text.trim();
  try {
    const json: unknown = JSON.parse(text);
    const message = (json as { Message?: unknown } | null)?.Message;
    if (typeof message === 'string') serverMessage = message;
  } catch {
    // Not JSON: keep the text as it is.
  }
  serverMessage = serverMessage.slice(0, 500) || `HTTP ${response.statusCode}`;
  const status = response.statusCode ?? 0;
  if (status === 500 && cid && /not found|could not find/i.test(serverMessage)) {
    return new StorageNotFoundError(cid, new StorageRequestFailedError({ url, status, serverMessage }));
  }
  return new StorageRequestFailedError({ url, status, serverMessage });
}

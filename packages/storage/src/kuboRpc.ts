import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StorageRequestFailedError, StorageUnreachableError } from './errors.js';
import { type KuboAnswer, type KuboRpc, kuboError, MAX_ERROR_BODY } from './kuboAnswer.js';

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
  return kuboError(response.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'), url, cid);
}

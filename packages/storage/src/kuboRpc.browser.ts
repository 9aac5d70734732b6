import { StorageUnreachableError } from './errors.js';
import { type KuboAnswer, type KuboRpc, kuboError, MAX_ERROR_BODY } from './kuboAnswer.js';

/**
 * Talks to `base` over `fetch`, for browsers (package.json `imports` maps `#kuboRpc` here under the
 * "browser" condition); the same calls and errors as the node:http transport. Differences: a request
 * body is gathered into a `Blob` before it is sent (browsers stream uploads only over HTTP/2, and a
 * Kubo node speaks HTTP/1.1), and Kubo's `X-Stream-Error` trailer is not visible to `fetch` (the
 * content check against the CID still catches a cut stream). The node must answer CORS for the page's
 * origin (`confide-storage` does).
 * @example const { body } = await createKuboRpc(new URL('http://127.0.0.1:5001'), {}).call('cat', { query: { arg: cid } })
 */
export function createKuboRpc(base: URL, headers: Record<string, string>): KuboRpc {
  const prefix = base.pathname.replace(/\/+$/, '');
  return {
    async call(command, { query = {}, body, signal } = {}) {
      const target = new URL(`${prefix}/api/v0/${command}`, base);
      for (const [key, value] of Object.entries(query)) target.searchParams.set(key, value);
      const url = `${target.origin}${target.pathname}`;
      signal?.throwIfAborted();
      let payload: Blob | undefined;
      if (body) {
        const parts: BlobPart[] = [];
        for await (const chunk of body.stream) parts.push(chunk as Uint8Array<ArrayBuffer>);
        payload = new Blob(parts, { type: body.contentType });
      }
      let response: Response;
      try {
        response = await fetch(target, {
          method: 'POST',
          headers: { ...headers, ...(body ? { 'content-type': body.contentType } : {}) },
          ...(payload ? { body: payload } : {}),
          ...(signal ? { signal } : {}),
        });
      } catch (error) {
        throw signal?.aborted ? signal.reason : new StorageUnreachableError(url, error);
      }
      if (response.status !== 200) {
        const text = await response.text().catch(() => '');
        throw kuboError(response.status, text.slice(0, MAX_ERROR_BODY), url, query.arg);
      }
      const answer: KuboAnswer = { body: responseBody(response, url, signal), sent: Promise.resolve(), url };
      return answer;
    },
    close() {
      // fetch keeps no pool of its own to release.
    },
  };
}

async function* responseBody(response: Response, url: string, signal: AbortSignal | undefined) {
  if (!response.body) return;
  const reader = response.body.getReader();
  let finished = false;
  try {
    for (;;) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch (error) {
        throw signal?.aborted ? signal.reason : new StorageUnreachableError(url, error);
      }
      if (next.done) {
        finished = true;
        return;
      }
      yield next.value;
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

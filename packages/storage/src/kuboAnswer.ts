import { StorageNotFoundError, StorageRequestFailedError } from './errors.js';

// Internal: what the Kubo RPC transports share — node:http in Node (kuboRpc.ts), fetch in browsers
// (kuboRpc.browser.ts); package.json `imports` picks one as `#kuboRpc`.

/** One call of the Kubo RPC API: `POST /api/v0/<command>?<query>`, optionally with a streamed body. */
export type KuboCall = {
  query?: Record<string, string>;
  body?: { stream: AsyncIterable<Uint8Array>; contentType: string };
  signal?: AbortSignal | undefined;
};

/** The answer to a {@link KuboCall} that succeeded (status 200). */
export type KuboAnswer = {
  /** The response body, streamed; failures while reading map to storage errors. */
  body: AsyncIterable<Uint8Array>;
  /** Settles when the request body was sent (at once without a body); rejects with the body's own error. */
  sent: Promise<void>;
  /** The command's URL without credentials or query, for errors. */
  url: string;
};

/** A Kubo RPC endpoint with its connection pool. */
export type KuboRpc = {
  call(command: string, call?: KuboCall): Promise<KuboAnswer>;
  /** Closes pooled connections. */
  close(): void;
};

/** How much of an error answer is read. */
export const MAX_ERROR_BODY = 64 * 1024;

/**
 * Drains an answer, returning its text (for small JSON answers).
 * @example const json = JSON.parse(await readText(answer.body))
 */
export async function readText(body: AsyncIterable<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of body) text += decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}

/**
 * The error for an answer other than 200, from its status and (the start of) its body: Kubo's
 * `Message` when it is JSON, `CONFIDE_STORAGE_NOT_FOUND` when that message says a block was not found.
 * @example throw kuboError(500, '{"Message":"block was not found locally"}', url, cid)
 */
export function kuboError(status: number, text: string, url: string, cid: string | undefined): Error {
  const body = text.slice(0, MAX_ERROR_BODY);
  let serverMessage = body.trim();
  try {
    const json: unknown = JSON.parse(body);
    const message = (json as { Message?: unknown } | null)?.Message;
    if (typeof message === 'string') serverMessage = message;
  } catch {
    // Not JSON: keep the text as it is.
  }
  serverMessage = serverMessage.slice(0, 500) || `HTTP ${status}`;
  if (status === 500 && cid && /not found|could not find/i.test(serverMessage)) {
    return new StorageNotFoundError(cid, new StorageRequestFailedError({ url, status, serverMessage }));
  }
  return new StorageRequestFailedError({ url, status, serverMessage });
}

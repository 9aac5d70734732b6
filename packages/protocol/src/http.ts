/**
 * `fetch` that sends a request once more when the connection it reused was already closed by
 * the server. Node's HTTP servers close an idle keep-alive connection after 5 s; a client whose
 * event loop was busy may pick that connection just as it closes, and the request fails with
 * "other side closed" before the server saw it. Retrying then is safe for the requests of our
 * clients (reads, and publications that are idempotent by content). Timeouts and refused
 * connections are not retried: those are answers.
 * @param doFetch the `fetch` to use
 * @param input what `fetch` takes
 * @param init what `fetch` takes; its body must be replayable (a string, not a stream)
 * @example const response = await fetchRetryingClosedSocket(fetch, url, { signal: AbortSignal.timeout(10_000) })
 */
export async function fetchRetryingClosedSocket(
  doFetch: typeof fetch,
  input: string | URL,
  init?: RequestInit,
): Promise<Response> {
  try {
    return await doFetch(input, init);
  } catch (error) {
    if (!closedBeforeAnswer(error) || init?.signal?.aborted) throw error;
    return doFetch(input, init);
  }
}

const CLOSED_SOCKET_CODES = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']);

function closedBeforeAnswer(error: unknown): boolean {
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  return typeof cause?.code === 'string' && CLOSED_SOCKET_CODES.has(cause.code);
}

import { createServer } from 'node:http';
import { type CreateKuboRpcHandlerParameters, createKuboRpcHandler } from './createKuboRpcHandler.js';
import type { StorageConfigInvalidError } from './errors.js';
import { type Listening, listen } from './listen.js';

/** Parameters of {@link createKuboRpcServer}. */
export type CreateKuboRpcServerParameters = CreateKuboRpcHandlerParameters & {
  /** Interface to listen on; loopback unless you mean to expose it (then set a `token`). */
  host?: string;
  /** TCP port; 0 (the default) picks a free one, see `url`. Kubo's own is 5001. */
  port?: number;
};

/** A running Kubo RPC server. */
export type KuboRpcServer = Listening;

/** What {@link createKuboRpcServer} resolves to. */
export type CreateKuboRpcServerReturnType = KuboRpcServer;

/** Errors of {@link createKuboRpcServer}. */
export type CreateKuboRpcServerErrorType = StorageConfigInvalidError;

/**
 * Listens with {@link createKuboRpcHandler}: other processes then use this node with
 * `createKuboStorage({ url })`. Uploads may take as long as they need (no request timeout);
 * headers must still arrive within node's default 60 s.
 * @param parameters - `{ storage, host = '127.0.0.1', port = 0, token, maxBodyBytes, onError }`.
 * @returns the server's `url` (e.g. `http://127.0.0.1:5001`) and `close`.
 * @throws {StorageConfigInvalidError} for a port in use or out of range, or a wrong token or limit.
 * @example
 * const storage = await createEmbeddedStorage({ directory: '.confide/ipfs' })
 * const rpc = await createKuboRpcServer({ storage, port: 5001 })
 * const remote = createKuboStorage({ url: rpc.url })
 */
export async function createKuboRpcServer({
  host = '127.0.0.1',
  port = 0,
  ...handler
}: CreateKuboRpcServerParameters): Promise<CreateKuboRpcServerReturnType> {
  const server = createServer({ requestTimeout: 0 }, createKuboRpcHandler(handler));
  return listen(server, { host, port });
}

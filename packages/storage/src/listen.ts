import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StorageConfigInvalidError } from './errors.js';

/** A server that listens, as {@link listen} gives it. */
export type Listening = {
  /** Base URL with the port actually bound, e.g. `http://127.0.0.1:8080`. */
  url: string;
  /** Stops listening and cuts open connections; idempotent. */
  close: () => Promise<void>;
};

/**
 * Checks `host` and `port`, then listens: a port in use or out of range, or a host that cannot
 * be bound, gives `CONFIDE_STORAGE_CONFIG_INVALID` naming the value.
 * @param server - an `http.Server` with its request handler.
 * @param address - `{ host, port }`; port 0 picks a free port, see `url`.
 * @returns the `url` actually bound and `close`.
 * @example const { url, close } = await listen(createServer(handler), { host: '127.0.0.1', port: 0 })
 */
export async function listen(server: Server, { host, port }: { host: string; port: number }): Promise<Listening> {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new StorageConfigInvalidError(`port must be an integer in 0..65535, got ${port}`);
  }
  if (typeof host !== 'string' || host === '') {
    throw new StorageConfigInvalidError(`host must be a non-empty string, got ${JSON.stringify(host)}`);
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', (cause: NodeJS.ErrnoException) =>
      reject(new StorageConfigInvalidError(`cannot listen on ${host}:${port} (${cause.code ?? cause.message})`, cause)),
    );
    server.listen(port, host, resolve);
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${address.port}`,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

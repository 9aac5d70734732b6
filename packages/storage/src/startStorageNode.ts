import { createEmbeddedStorage } from './createEmbeddedStorage.js';
import { createGateway, type Gateway } from './createGateway.js';
import { createKuboRpcServer, type KuboRpcServer } from './createKuboRpcServer.js';
import type { StorageConfigInvalidError } from './errors.js';
import type { StorageNodeConfig } from './parseStorageNodeConfig.js';

/** Parameters of {@link startStorageNode}. */
export type StartStorageNodeParameters = StorageNodeConfig & {
  /** Told of failures of either server that are not the client's fault; for logs. */
  onError?: (error: unknown) => void;
};

/** A running storage node. */
export type StorageNode = {
  /** Base URL of the Kubo RPC API, for `createKuboStorage({ url })`. */
  rpcUrl: string;
  /** Base URL of the gateway; content is at `${gatewayUrl}/ipfs/<cid>`. */
  gatewayUrl: string;
  /** Stops both servers (cutting open connections), then closes the storage; idempotent. */
  close: () => Promise<void>;
};

/** What {@link startStorageNode} resolves to. */
export type StartStorageNodeReturnType = StorageNode;

/** Errors of {@link startStorageNode}. */
export type StartStorageNodeErrorType = StorageConfigInvalidError;

/**
 * Opens the embedded node on `directory` and serves it to other processes: the Kubo RPC API
 * (read and write) and the gateway (read-only). What `confide-storage` runs. If one part fails
 * to start, those already started are stopped.
 * @param parameters - a {@link StorageNodeConfig} and `onError`.
 * @returns both URLs (with the ports actually bound) and `close`.
 * @throws {StorageConfigInvalidError} for a directory that cannot be opened or a port that cannot be bound.
 * @example
 * const node = await startStorageNode({ ...parseStorageNodeConfig([], process.env), rpcPort: 0, gatewayPort: 0 })
 * const storage = createKuboStorage({ url: node.rpcUrl })
 */
export async function startStorageNode({
  directory,
  host,
  rpcPort,
  gatewayPort,
  token,
  maxBodyBytes,
  onError,
  corsOrigins,
}: StartStorageNodeParameters): Promise<StartStorageNodeReturnType> {
  const storage = await createEmbeddedStorage({ directory });
  const started: { close: () => Promise<void> }[] = [];
  const stop = async () => {
    await Promise.allSettled(started.map((part) => part.close()));
    await storage.close();
  };
  let rpc: KuboRpcServer;
  let gateway: Gateway;
  try {
    rpc = await createKuboRpcServer({ storage, host, port: rpcPort, token, maxBodyBytes, onError, corsOrigins });
    started.push(rpc);
    gateway = await createGateway({ storage, host, port: gatewayPort, onError });
    started.push(gateway);
  } catch (error) {
    await stop();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    rpcUrl: rpc.url,
    gatewayUrl: gateway.url,
    close() {
      closing ??= stop();
      return closing;
    },
  };
}

// A market on a real in-process chain (Hardhat's EDR with the Confide contracts), for tests.
import { type Account, type Address, type Hex, sha256, toHex } from 'viem';
import { deployWorld, type World } from '../../../../contracts/test/helpers/world.js';
import type { OrderKind, OrderOf, Signed } from '../../../protocol/src/index.js';
import { createMarketServer } from '../createMarketServer.js';
import { openMarketDatabase } from '../db/openMarketDatabase.js';
import { createChainFollower } from '../follower/createChainFollower.js';
import { BOOK_OF, orderToJson } from '../orders/orderSchemas.js';

/** An answer of the market: status and parsed JSON body, of whatever shape the server sent. */
// biome-ignore lint/suspicious/noExplicitAny: a test reads any JSON the server answered and asserts on it
export type Answer = { status: number; body: any };

/**
 * Deploys the contracts, opens a book (in memory unless `database` names a SQLite file or a
 * PostgreSQL URL), and wires a server and a follower to them; `close` releases the database.
 */
export async function marketFixture(options: { world?: World; now?: () => number; database?: string } = {}) {
  const world = options.world ?? (await deployWorld());
  const db = await openMarketDatabase(options.database ?? ':memory:');
  const logs: string[] = [];
  const chain = { publicClient: world.publicClient, hub: world.addresses.hub, chainId: 31337 };
  const logDestination = { write: (line: string) => logs.push(line) };
  const server = createMarketServer({ db, chain, logDestination, now: options.now });
  const follower = createChainFollower({ market: server.market });
  await follower.sync();

  const request = async (method: string, path: string, body?: unknown): Promise<Answer> => {
    const init: RequestInit = { method };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      init.headers = { 'content-type': 'application/json' };
    }
    const response = await server.app.request(path, init);
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const publish = <K extends OrderKind>(kind: K, order: Signed<OrderOf[K]>) =>
    request('POST', `/${BOOK_OF[kind]}`, { order: orderToJson(order) });

  return { world, db, chain, logs, ...server, follower, request, publish, close: () => db.destroy() };
}

/** A market fixture. */
export type MarketFixture = Awaited<ReturnType<typeof marketFixture>>;

/** Registers one more dataset owned by `owner`. */
export async function registerDataset(world: World, owner: Account, name: string): Promise<Address> {
  const args = [owner.address, name, toHex('/ipfs/bafydata'), sha256(toHex(name))] as const;
  const dataset = await world.as(owner).datasets.read.predictDataset(args);
  await world.mined(world.as(owner).datasets.write.createDataset(args));
  return dataset;
}

/** Transfers an asset's NFT (tokenId = uint160(asset)) from its owner to `to`. */
export async function transferDataset(world: World, owner: Account, dataset: Address, to: Address): Promise<Hex> {
  const receipt = await world.mined(world.as(owner).datasets.write.transferFrom([owner.address, to, BigInt(dataset)]));
  return receipt.transactionHash;
}

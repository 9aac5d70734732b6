import { createHash } from 'node:crypto';
import type { unixfs } from '@helia/unixfs';
import type { GraphNode, GraphWalkerFactory, Helia } from 'helia';
import { createUnsafe } from 'multiformats/block';
import type { CID } from 'multiformats/cid';
import { identity } from 'multiformats/hashes/identity';
import { sha256 } from 'multiformats/hashes/sha2';
import { StorageContentMismatchError, StorageNotFoundError } from './errors.js';

type Blocks = Parameters<typeof unixfs>[0]['blockstore'];
type BlockReadOptions = { signal?: AbortSignal };

/**
 * Reads one block from the node's own store (never from a network) and checks that its bytes
 * hash to its CID: Helia only checks blocks that come from the network, not from disk.
 * @throws {StorageNotFoundError} when the block is not stored.
 * @throws {StorageContentMismatchError} when the stored bytes were altered.
 * @example const bytes = await readVerifiedBlock(helia.blockstore, cid, 'embedded node at /data')
 */
export async function readVerifiedBlock(
  blockstore: Helia['blockstore'],
  cid: CID,
  origin: string,
  options: BlockReadOptions = {},
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  try {
    for await (const chunk of blockstore.get(cid, { signal: options.signal, offline: true })) chunks.push(chunk);
  } catch (error) {
    const name = (error as Error | undefined)?.name;
    if (name === 'BlockNotFoundWhileOfflineError' || name === 'NotFoundError') {
      throw new StorageNotFoundError(String(cid), error);
    }
    throw error;
  }
  const bytes = chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks);
  const digest =
    cid.multihash.code === sha256.code
      ? createHash('sha256').update(bytes).digest()
      : cid.multihash.code === identity.code
        ? bytes
        : undefined;
  if (!digest || Buffer.compare(digest, cid.multihash.digest) !== 0) {
    const actual = digest
      ? Buffer.from(digest).toString('hex')
      : `unsupported hash 0x${cid.multihash.code.toString(16)}`;
    throw new StorageContentMismatchError({ expected: String(cid), actual: `digest ${actual}`, source: origin });
  }
  return bytes;
}

/**
 * A view of the node's blockstore for `@helia/unixfs` whose reads are local and verified.
 * @example const fs = unixfs({ blockstore: verifiedBlockstore(helia.blockstore, origin) })
 */
export function verifiedBlockstore(blockstore: Helia['blockstore'], origin: string): Blocks {
  return {
    put: (cid, bytes, options) => blockstore.put(cid, bytes, options),
    has: (cid, options) => blockstore.has(cid, options),
    async *get(cid, options) {
      yield await readVerifiedBlock(blockstore, cid, origin, options);
    },
  };
}

/**
 * A depth-first DAG walker for `helia.pins.add` that reads local, verified blocks and fails
 * with `CONFIDE_STORAGE_NOT_FOUND` on a missing block. Helia's own walker would ask a network
 * the light node does not have, and its failure escapes as an unhandled rejection.
 * @example for await (const _ of helia.pins.add(cid, { walker: verifiedWalker(helia.blockstore, origin) }));
 */
export function verifiedWalker(blockstore: Helia['blockstore'], origin: string): GraphWalkerFactory {
  return ({ getCodec }) => ({
    async *walk<T>(root: CID, options: { depth?: number; signal?: AbortSignal } = {}) {
      const maxDepth = options.depth ?? Number.POSITIVE_INFINITY;
      const stack: { cid: CID; depth: number; path: CID[] }[] = [{ cid: root, depth: 0, path: [root] }];
      for (let next = stack.pop(); next; next = stack.pop()) {
        const bytes = await readVerifiedBlock(blockstore, next.cid, origin, options);
        const block = createUnsafe({ cid: next.cid, bytes, codec: await getCodec<T>(next.cid.code) });
        const node: GraphNode<T> = { block, depth: next.depth, path: next.path };
        yield node;
        if (next.depth >= maxDepth) continue;
        const children = [...block.links()].map(([, child]) => child);
        for (const child of children.reverse()) {
          stack.push({ cid: child, depth: next.depth + 1, path: [...next.path, child] });
        }
      }
    },
  });
}

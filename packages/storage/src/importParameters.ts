import type { AddFileOptions } from '@helia/unixfs';

/**
 * How bytes become a CID, identical on every backend, so the same bytes give the same CID
 * wherever they are stored. These are what `ipfs add --cid-version=1 --raw-leaves` uses on a
 * default Kubo (chunker `size-262144`, balanced DAG of at most 174 links per node): content of
 * one chunk or less is a single raw block (`bafk…`), larger content a dag-pb root (`bafy…`).
 * @example const chunker = `size-${CONFIDE_IMPORT_PARAMETERS.chunkSize}` // Kubo's `--chunker` value
 */
export const CONFIDE_IMPORT_PARAMETERS = {
  cidVersion: 1,
  rawLeaves: true,
  hash: 'sha2-256',
  chunkSize: 262_144,
  layout: 'balanced',
  maxLinks: 174,
} as const;

type Chunker = NonNullable<AddFileOptions['chunker']>;
type Layout = NonNullable<AddFileOptions['layout']>;

/**
 * Splits a byte stream into chunks of exactly `chunkSize` bytes (the last one shorter), copying
 * into fresh buffers so memory stays bounded and callers' buffers are never retained.
 * An empty stream gives one empty chunk, like Kubo.
 * @example for await (const chunk of fixedSizeChunker(262_144)(source)) hash(chunk)
 */
export function fixedSizeChunker(chunkSize: number): Chunker {
  return async function* chunk(source) {
    let buffer = new Uint8Array(chunkSize);
    let filled = 0;
    let emitted = false;
    for await (const bytes of source) {
      let offset = 0;
      while (offset < bytes.byteLength) {
        const take = Math.min(chunkSize - filled, bytes.byteLength - offset);
        buffer.set(bytes.subarray(offset, offset + take), filled);
        filled += take;
        offset += take;
        if (filled === chunkSize) {
          yield buffer;
          emitted = true;
          buffer = new Uint8Array(chunkSize);
          filled = 0;
        }
      }
    }
    if (filled > 0 || !emitted) yield buffer.subarray(0, filled);
  };
}

/**
 * Kubo's balanced layout: groups of `maxLinks` nodes become parents, level by level, until
 * one root remains (a single leaf is its own root).
 * @example balancedLayout(174)
 */
function balancedLayout(maxLinks: number): Layout {
  const layout: Layout = async (source, reduce) => {
    const parents: Awaited<ReturnType<typeof reduce>>[] = [];
    let group: Parameters<typeof reduce>[0] = [];
    for await (const node of source) {
      group.push(node);
      if (group.length === maxLinks) {
        parents.push(await reduce(group));
        group = [];
      }
    }
    if (group.length > 0) parents.push(await reduce(group));
    if (parents.length > 1) return layout(parents, reduce);
    const [root] = parents;
    if (!root) throw new Error('balancedLayout: the chunker gave no chunk');
    return root;
  };
  return layout;
}

/** `@helia/unixfs` add options that implement {@link CONFIDE_IMPORT_PARAMETERS}. */
export const unixfsAddOptions: AddFileOptions = {
  cidVersion: CONFIDE_IMPORT_PARAMETERS.cidVersion,
  rawLeaves: CONFIDE_IMPORT_PARAMETERS.rawLeaves,
  reduceSingleLeafToSelf: true,
  chunker: fixedSizeChunker(CONFIDE_IMPORT_PARAMETERS.chunkSize),
  layout: balancedLayout(CONFIDE_IMPORT_PARAMETERS.maxLinks),
};

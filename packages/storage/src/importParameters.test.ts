import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { unixfs } from '@helia/unixfs';
import { CONFIDE_IMPORT_PARAMETERS, fixedSizeChunker, unixfsAddOptions } from './importParameters.js';
import { collect, MIB, pseudoRandomBytes, pseudoRandomStream } from './testing.js';

const { chunkSize, maxLinks } = CONFIDE_IMPORT_PARAMETERS;
const hashOnly = unixfs({
  blockstore: {
    put: (cid) => cid,
    has: () => false,
    get: () => {
      throw new Error('unused');
    },
  },
});

describe('CONFIDE_IMPORT_PARAMETERS', () => {
  it("builds the same DAG as the importer's own Kubo profile, over two levels", async () => {
    // 174 leaves fill one parent; 6 more and a short tail force a second level (47 MB, only hashed).
    const size = (maxLinks + 6) * chunkSize + 1234;
    const ours = await hashOnly.addByteStream(pseudoRandomStream(size, 'deep', 4 * MIB), unixfsAddOptions);
    // `unixfs-v0-2015` is Kubo's chunker and layout (IPIP-499); undefined chunker/layout let it apply.
    const reference = await hashOnly.addByteStream(pseudoRandomStream(size, 'deep', 4 * MIB), {
      profile: 'unixfs-v0-2015',
      cidVersion: 1,
      rawLeaves: true,
      chunker: undefined,
      layout: undefined,
    });
    assert.equal(ours.toString(), reference.toString());
    assert.match(ours.toString(), /^bafybei/);
  });
});

describe('fixedSizeChunker', () => {
  it('cuts any input into full chunks and a shorter last one', async () => {
    const bytes = await pseudoRandomBytes(2 * 1000 + 7, 'cut');
    async function* pieces() {
      yield bytes.subarray(0, 3);
      yield bytes.subarray(3, 1500);
      yield new Uint8Array(0);
      yield bytes.subarray(1500);
    }
    const chunks = [];
    for await (const chunk of fixedSizeChunker(1000)(pieces())) chunks.push(chunk);
    assert.deepEqual(
      chunks.map((c) => c.length),
      [1000, 1000, 7],
    );
    assert.ok((await collect(fixedSizeChunker(1000)(pieces()))).equals(bytes));
  });

  it('gives one empty chunk for empty input, as Kubo does', async () => {
    const chunks = [];
    for await (const chunk of fixedSizeChunker(1000)((async function* () {})())) chunks.push(chunk);
    assert.deepEqual(
      chunks.map((c) => c.length),
      [0],
    );
  });
});

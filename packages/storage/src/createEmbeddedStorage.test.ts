import assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { unixfs } from '@helia/unixfs';
import { FsBlockstore } from 'blockstore-fs';
import { FsDatastore } from 'datastore-fs';
import { createHeliaLight } from 'helia';
import { base32upper } from 'multiformats/bases/base32';
import { CID } from 'multiformats/cid';
import * as raw from 'multiformats/codecs/raw';
import { sha256 } from 'multiformats/hashes/sha2';
import { createEmbeddedStorage } from './createEmbeddedStorage.js';
import { deriveCid } from './deriveCid.js';
import { CONFIDE_IMPORT_PARAMETERS } from './importParameters.js';
import type { Storage } from './storage.js';
import { collect, MIB, pseudoRandomBytes, pseudoRandomStream, sha256Hex, temporaryDirectory } from './testing.js';

const CHUNK = CONFIDE_IMPORT_PARAMETERS.chunkSize;

/** CIDv1, raw codec, sha2-256 of the bytes: what Kubo gives for content of one chunk with raw leaves. */
async function rawLeafCid(bytes: Uint8Array): Promise<string> {
  return CID.createV1(raw.code, await sha256.digest(bytes)).toString();
}

/** Where blockstore-fs keeps a block (NextToLast sharding of the base32upper multihash). */
function blockFile(directory: string, cid: CID): string {
  const name = base32upper.encode(cid.multihash.bytes);
  return path.join(directory, 'blocks', name.slice(-2), `${name}.data`);
}

async function withStorage(run: (storage: Storage, directory: string) => Promise<void>): Promise<void> {
  const { directory, remove } = await temporaryDirectory();
  const storage = await createEmbeddedStorage({ directory });
  try {
    await run(storage, directory);
  } finally {
    await storage.close();
    await remove();
  }
}

describe('createEmbeddedStorage', () => {
  let storage: Storage;
  let remove: () => Promise<void>;
  before(async () => {
    const temporary = await temporaryDirectory();
    remove = temporary.remove;
    storage = await createEmbeddedStorage({ directory: temporary.directory });
  });
  after(async () => {
    await storage.close();
    await remove();
  });

  it('stores 1 MiB and gives back the same bytes under a bafy CID', async () => {
    const bytes = await pseudoRandomBytes(MIB, '1mib');
    const { cid, size } = await storage.put(bytes);
    assert.equal(size, MIB);
    assert.match(cid, /^bafy/);
    assert.equal((await deriveCid(bytes)).cid, cid);
    assert.ok((await collect(storage.get(cid))).equals(bytes));
  });

  it('streams 100 MiB in and out with the same SHA-256', { timeout: 60_000 }, async (t) => {
    const size = 100 * MIB;
    const expected = await sha256Hex(pseudoRandomStream(size, '100mib'));
    let started = performance.now();
    const { cid, size: stored } = await storage.put(pseudoRandomStream(size, '100mib'));
    t.diagnostic(`put 100 MiB: ${Math.round(performance.now() - started)} ms`);
    assert.equal(stored, size);
    started = performance.now();
    assert.equal(await sha256Hex(storage.get(cid)), expected);
    t.diagnostic(`get 100 MiB (verified): ${Math.round(performance.now() - started)} ms`);
  });

  it('gives the CID of `ipfs add --cid-version=1 --raw-leaves` for content of one chunk', async () => {
    const hello = new TextEncoder().encode('hello confide\n');
    const full = await pseudoRandomBytes(CHUNK, 'one chunk');
    assert.equal((await storage.put(hello)).cid, await rawLeafCid(hello));
    assert.equal((await storage.put(full)).cid, await rawLeafCid(full));
    // Kubo's CID of an empty file with raw leaves: the sha2-256 of nothing.
    assert.equal(
      (await storage.put(new Uint8Array(0))).cid,
      'bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku',
    );
    const oneByteMore = await pseudoRandomBytes(CHUNK + 1, 'one chunk');
    const { cid } = await storage.put(oneByteMore);
    assert.match(cid, /^bafy/, 'content over one chunk gets a dag-pb root');
  });

  it('gives the same CID for bytes and for a stream of odd-sized chunks', async () => {
    const bytes = await pseudoRandomBytes(3 * CHUNK + 12_345, 'odd');
    async function* odd() {
      for (let offset = 0, step = 1; offset < bytes.length; offset += step, step = step * 3 + 7) {
        yield bytes.subarray(offset, offset + step);
      }
    }
    assert.equal((await storage.put(odd())).cid, (await storage.put(bytes)).cid);
  });

  it('says which content it has and pins idempotently', async () => {
    const { cid } = await storage.put(new TextEncoder().encode('pin me'));
    assert.equal(await storage.has(cid), true);
    await storage.pin(cid);
    await storage.pin(cid);
    assert.equal(await storage.has(await rawLeafCid(new TextEncoder().encode('not stored'))), false);
  });

  it('error: a missing CID fails with NOT_FOUND at once instead of searching a network', async () => {
    const missing = await rawLeafCid(new TextEncoder().encode('never stored'));
    // The timeout is only a safety net: a hang fails the test with a TimeoutError, not NOT_FOUND.
    const signal = AbortSignal.timeout(5000);
    await assert.rejects(collect(storage.get(missing, { signal })), {
      name: 'StorageNotFoundError',
      code: 'CONFIDE_STORAGE_NOT_FOUND',
      details: { cid: missing },
    });
    await assert.rejects(storage.pin(missing, { signal }), { code: 'CONFIDE_STORAGE_NOT_FOUND' });
    assert.equal(await storage.has(missing, { signal }), false);
  });

  it('error: a malformed CID gives CID_INVALID on every call', async () => {
    for (const bad of ['', 'not-a-cid', 'QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG']) {
      await assert.rejects(collect(storage.get(bad)), { code: 'CONFIDE_STORAGE_CID_INVALID' }, bad);
      await assert.rejects(storage.has(bad), { code: 'CONFIDE_STORAGE_CID_INVALID' }, bad);
      await assert.rejects(storage.pin(bad), { code: 'CONFIDE_STORAGE_CID_INVALID' }, bad);
    }
  });

  it('error: content that is not bytes gives SOURCE_INVALID', async () => {
    async function* strings() {
      yield 'text' as unknown as Uint8Array;
    }
    await assert.rejects(storage.put(strings()), { code: 'CONFIDE_STORAGE_SOURCE_INVALID' });
    await assert.rejects(storage.put(42 as unknown as Uint8Array), { code: 'CONFIDE_STORAGE_SOURCE_INVALID' });
  });
});

describe('createEmbeddedStorage on disk', () => {
  it('keeps content across a restart on the same directory', async () => {
    const { directory, remove } = await temporaryDirectory();
    try {
      const bytes = await pseudoRandomBytes(2 * MIB, 'restart');
      const first = await createEmbeddedStorage({ directory });
      const { cid } = await first.put(bytes);
      await first.close();
      const second = await createEmbeddedStorage({ directory });
      try {
        assert.equal(await second.has(cid), true);
        assert.ok((await collect(second.get(cid))).equals(bytes));
        await second.pin(cid);
      } finally {
        await second.close();
      }
    } finally {
      await remove();
    }
  });

  it('error: a block altered on disk gives CONTENT_MISMATCH, not the altered bytes', async () => {
    await withStorage(async (storage, directory) => {
      const { cid } = await storage.put(new TextEncoder().encode('the original'));
      await writeFile(blockFile(directory, CID.parse(cid)), 'the tampered');
      await assert.rejects(collect(storage.get(cid)), {
        name: 'StorageContentMismatchError',
        code: 'CONFIDE_STORAGE_CONTENT_MISMATCH',
      });
    });
  });

  it('error: a DAG missing a leaf gives NOT_FOUND for the root, naming the leaf in the cause', async () => {
    await withStorage(async (storage, directory) => {
      const bytes = await pseudoRandomBytes(3 * CHUNK, 'partial');
      const { cid } = await storage.put(bytes);
      const secondLeaf = CID.parse(await rawLeafCid(bytes.subarray(CHUNK, 2 * CHUNK)));
      assert.ok((await readFile(blockFile(directory, secondLeaf))).length === CHUNK);
      await rm(blockFile(directory, secondLeaf));
      const signal = AbortSignal.timeout(5000);
      const error = await collect(storage.get(cid, { signal })).then(
        () => assert.fail('expected NOT_FOUND'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof Error && 'code' in error && error.code === 'CONFIDE_STORAGE_NOT_FOUND');
      assert.deepEqual((error as { details?: unknown }).details, { cid });
      assert.deepEqual((error.cause as { details?: unknown }).details, { cid: String(secondLeaf) });
    });
  });

  it('error: a CID naming a directory gives CID_INVALID, not a listing', async () => {
    const { directory, remove } = await temporaryDirectory();
    try {
      // Written by a bare Helia node on the same directory: Confide's put only makes files.
      const blockstore = new FsBlockstore(path.join(directory, 'blocks'));
      const datastore = new FsDatastore(path.join(directory, 'datastore'));
      await blockstore.open();
      await datastore.open();
      const helia = createHeliaLight({ blockstore, datastore });
      const folder = String(await unixfs(helia).addDirectory());
      await helia.stop();
      const storage = await createEmbeddedStorage({ directory });
      try {
        assert.equal(await storage.has(folder), true);
        await assert.rejects(collect(storage.get(folder)), {
          code: 'CONFIDE_STORAGE_CID_INVALID',
          message: /not a UnixFS file/,
        });
      } finally {
        await storage.close();
      }
    } finally {
      await remove();
    }
  });

  it('error: every call after close gives CLOSED', async () => {
    const { directory, remove } = await temporaryDirectory();
    const storage = await createEmbeddedStorage({ directory });
    await storage.close();
    await storage.close();
    try {
      await assert.rejects(storage.put(new Uint8Array(1)), { code: 'CONFIDE_STORAGE_CLOSED' });
      await assert.rejects(collect(storage.get('bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku')), {
        code: 'CONFIDE_STORAGE_CLOSED',
      });
      await assert.rejects(storage.has('x'), { code: 'CONFIDE_STORAGE_CLOSED' });
    } finally {
      await remove();
    }
  });

  it('error: a directory that cannot be created gives CONFIG_INVALID', async () => {
    const { directory, remove } = await temporaryDirectory();
    try {
      const file = path.join(directory, 'a-file');
      await writeFile(file, '');
      await assert.rejects(createEmbeddedStorage({ directory: file }), { code: 'CONFIDE_STORAGE_CONFIG_INVALID' });
      await assert.rejects(createEmbeddedStorage({ directory: ' ' }), { code: 'CONFIDE_STORAGE_CONFIG_INVALID' });
    } finally {
      await remove();
    }
  });
});

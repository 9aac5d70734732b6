import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createEmbeddedStorage, type EmbeddedStorage } from './createEmbeddedStorage.js';
import { createKuboStorage } from './createKuboStorage.js';
import { deriveCid } from './deriveCid.js';
import { CONFIDE_IMPORT_PARAMETERS } from './importParameters.js';
import { type KuboTestServer, startKuboTestServer } from './kuboTestServer.js';
import type { Storage } from './storage.js';
import { collect, freePort, MIB, pseudoRandomBytes, pseudoRandomStream, temporaryDirectory } from './testing.js';

const CHUNK = CONFIDE_IMPORT_PARAMETERS.chunkSize;

describe('createKuboStorage against a Kubo RPC server', () => {
  let embedded: EmbeddedStorage;
  let kubo: KuboTestServer;
  let storage: Storage;
  let remove: () => Promise<void>;
  before(async () => {
    const temporary = await temporaryDirectory();
    remove = temporary.remove;
    embedded = await createEmbeddedStorage({ directory: temporary.directory });
    kubo = await startKuboTestServer(embedded);
    storage = createKuboStorage({ url: kubo.url });
  });
  beforeEach(() => {
    kubo.misbehave({ kind: 'honest' });
    kubo.requests.length = 0;
  });
  after(async () => {
    await storage.close();
    await kubo.close();
    await embedded.close();
    await remove();
  });

  it('adds with every CID-shaping parameter pinned, and reads back verified', async () => {
    for (const size of [0, 100, CHUNK, 10 * MIB + 17]) {
      const bytes = await pseudoRandomBytes(size, `kubo ${size}`);
      const { cid, size: stored } = await storage.put(bytes);
      assert.equal(stored, size);
      assert.equal(cid, (await deriveCid(bytes)).cid, 'the CID is the one derived locally');
      assert.ok((await collect(storage.get(cid))).equals(bytes), `size ${size}`);
    }
    const add = new URL(kubo.requests[0] ?? '', 'http://x');
    assert.equal(add.pathname, '/api/v0/add');
    assert.deepEqual(Object.fromEntries(add.searchParams), {
      'cid-version': '1',
      'raw-leaves': 'true',
      chunker: 'size-262144',
      'max-file-links': '174',
      trickle: 'false',
      hash: 'sha2-256',
      pin: 'true',
      progress: 'false',
    });
    assert.match(kubo.requests[1] ?? '', /^\/api\/v0\/cat\?arg=bafk/);
  });

  it('says which content the node holds, asking offline, and pins', async () => {
    const { cid } = await storage.put(new TextEncoder().encode('held by kubo'));
    assert.equal(await storage.has(cid), true);
    await storage.pin(cid);
    const { cid: absent } = await deriveCid(new TextEncoder().encode('absent'));
    assert.equal(await storage.has(absent), false);
    assert.match(kubo.requests.find((r) => r.startsWith('/api/v0/block/stat')) ?? '', /offline=true/);
  });

  it('error: wrong bytes from cat give CONTENT_MISMATCH, for one block and for a DAG', async () => {
    for (const size of [1000, 3 * CHUNK + 5]) {
      const bytes = await pseudoRandomBytes(size, `tamper ${size}`);
      const { cid } = await storage.put(bytes);
      kubo.misbehave({ kind: 'flip-a-bit' });
      await assert.rejects(collect(storage.get(cid)), {
        name: 'StorageContentMismatchError',
        code: 'CONFIDE_STORAGE_CONTENT_MISMATCH',
        details: {
          expected: cid,
          actual: (await deriveCid(flipMiddleBit(bytes, size))).cid,
          source: `${kubo.url}/api/v0/cat`,
        },
      });
      kubo.misbehave({ kind: 'honest' });
    }
  });

  it('error: a node announcing another CID on add gives CONTENT_MISMATCH', async () => {
    const { cid: other } = await deriveCid(new TextEncoder().encode('something else'));
    kubo.misbehave({ kind: 'announce-other-cid', cid: other });
    const bytes = new TextEncoder().encode('the real content');
    await assert.rejects(storage.put(bytes), {
      code: 'CONFIDE_STORAGE_CONTENT_MISMATCH',
      details: { expected: (await deriveCid(bytes)).cid, actual: other, source: `${kubo.url}/api/v0/add` },
    });
  });

  it('error: a CID the node does not have gives NOT_FOUND for get and pin', async () => {
    const { cid } = await deriveCid(new TextEncoder().encode('nowhere'));
    const signal = AbortSignal.timeout(5000);
    await assert.rejects(collect(storage.get(cid, { signal })), { name: 'StorageNotFoundError', details: { cid } });
    await assert.rejects(storage.pin(cid, { signal }), { code: 'CONFIDE_STORAGE_NOT_FOUND' });
  });

  it("error: a 500 gives REQUEST_FAILED carrying the node's message, on every call", async () => {
    const { cid } = await storage.put(new TextEncoder().encode('before the failure'));
    kubo.misbehave({ kind: 'fail', status: 500, body: JSON.stringify({ Message: 'repo is locked', Code: 0 }) });
    const calls: [string, Promise<unknown>][] = [
      ['add', storage.put(new Uint8Array(10))],
      // Refused before the upload is over: the answer still wins over the broken pipe.
      ['add', storage.put(pseudoRandomStream(32 * MIB, 'refused upload'))],
      ['cat', collect(storage.get(cid))],
      ['block/stat', storage.has(cid)],
      ['pin/add', storage.pin(cid)],
    ];
    for (const [command, call] of calls) {
      await assert.rejects(call, {
        name: 'StorageRequestFailedError',
        code: 'CONFIDE_STORAGE_REQUEST_FAILED',
        details: { url: `${kubo.url}/api/v0/${command}`, status: 500, serverMessage: 'repo is locked' },
      });
    }
    kubo.misbehave({ kind: 'fail', status: 403, body: 'forbidden by proxy' });
    await assert.rejects(storage.has(cid), {
      details: { url: `${kubo.url}/api/v0/block/stat`, status: 403, serverMessage: 'forbidden by proxy' },
    });
  });

  it('error: an error reported in the stream trailer gives REQUEST_FAILED', async () => {
    const { cid } = await storage.put(await pseudoRandomBytes(1000, 'trailer'));
    kubo.misbehave({ kind: 'stream-error', message: 'datastore closed' });
    await assert.rejects(collect(storage.get(cid)), {
      code: 'CONFIDE_STORAGE_REQUEST_FAILED',
      details: { url: `${kubo.url}/api/v0/cat`, status: 200, serverMessage: 'datastore closed' },
    });
  });

  it('error: a malformed CID gives CID_INVALID without calling the node', async () => {
    await assert.rejects(collect(storage.get('nope')), { code: 'CONFIDE_STORAGE_CID_INVALID' });
    await assert.rejects(storage.has('nope'), { code: 'CONFIDE_STORAGE_CID_INVALID' });
    await assert.rejects(storage.pin('nope'), { code: 'CONFIDE_STORAGE_CID_INVALID' });
    assert.deepEqual(kubo.requests, []);
  });

  it("error: a failing source gives the source's own error, not a network one", async () => {
    const broken = new Error('disk read failed');
    async function* source() {
      yield new Uint8Array(CHUNK);
      throw broken;
    }
    await assert.rejects(storage.put(source()), (error) => error === broken);
  });

  it("error: an abort rejects with the signal's reason", async () => {
    const { cid } = await storage.put(await pseudoRandomBytes(2 * MIB, 'abort'));
    const controller = new AbortController();
    const reason = new Error('user cancelled');
    await assert.rejects(
      (async () => {
        for await (const _ of storage.get(cid, { signal: controller.signal })) controller.abort(reason);
      })(),
      (error) => error === reason,
    );
    controller.abort();
    await assert.rejects(storage.has(cid, { signal: controller.signal }), (error) => error === reason);
  });
});

describe('createKuboStorage without a node', () => {
  it('error: an unreachable node gives UNREACHABLE with the URL, on every call', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const storage = createKuboStorage({ url });
    const { cid } = await deriveCid(new Uint8Array(1));
    const calls: [string, Promise<unknown>][] = [
      ['add', storage.put(new Uint8Array(10))],
      ['cat', collect(storage.get(cid))],
      ['block/stat', storage.has(cid)],
      ['pin/add', storage.pin(cid)],
    ];
    for (const [command, call] of calls) {
      await assert.rejects(call, {
        name: 'StorageUnreachableError',
        code: 'CONFIDE_STORAGE_UNREACHABLE',
        details: { url: `${url}/api/v0/${command}`, reason: 'ECONNREFUSED' },
      });
    }
    await storage.close();
    await assert.rejects(storage.has(cid), { code: 'CONFIDE_STORAGE_CLOSED' });
  });

  it('error: a URL that is not http(s) gives CONFIG_INVALID, and credentials never reach errors', async () => {
    for (const url of ['', 'localhost:5001', 'ftp://127.0.0.1:5001', 'http://127.0.0.1:5001/?x=1']) {
      assert.throws(() => createKuboStorage({ url }), { code: 'CONFIDE_STORAGE_CONFIG_INVALID' }, url);
    }
    const port = await freePort();
    const storage = createKuboStorage({ url: `http://user:secret@127.0.0.1:${port}/prefix/` });
    const { cid } = await deriveCid(new Uint8Array(1));
    await assert.rejects(storage.has(cid), (error: Error) => {
      assert.match(error.message, new RegExp(`http://127\\.0\\.0\\.1:${port}/prefix/api/v0/block/stat`));
      assert.doesNotMatch(error.message, /secret/);
      return true;
    });
    await storage.close();
  });
});

function flipMiddleBit(bytes: Uint8Array, size: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  const firstChunk = Math.min(size, CHUNK);
  copy[firstChunk >> 1] = (copy[firstChunk >> 1] ?? 0) ^ 1;
  return copy;
}

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createEmbeddedStorage, type EmbeddedStorage } from './createEmbeddedStorage.js';
import type { KuboRpcStorage } from './createKuboRpcHandler.js';
import { createKuboRpcServer, type KuboRpcServer } from './createKuboRpcServer.js';
import { createKuboStorage } from './createKuboStorage.js';
import { deriveCid } from './deriveCid.js';
import type { StorageRequestFailedError } from './errors.js';
import type { Storage } from './storage.js';
import { collect, MIB, pseudoRandomBytes, pseudoRandomStream, sha256Hex, temporaryDirectory } from './testing.js';

const TOKEN = 'test-token-0123456789abcdef';

/** Checks a Kubo-shaped error answer and returns its message. */
async function expectKuboError(response: Response, status: number, message: RegExp): Promise<void> {
  assert.equal(response.status, status);
  assert.equal(response.headers.get('content-type'), 'application/json');
  const body = await response.json();
  assert.deepEqual(Object.keys(body), ['Message', 'Code', 'Type']);
  assert.equal(body.Type, 'error');
  assert.equal(body.Code, status < 500 ? 1 : 0);
  assert.match(body.Message, message);
  assert.doesNotMatch(body.Message, /\n\s+at |\.ts:|node_modules/, 'no stack trace');
}

/** Checks that a client call was refused by the node with this status. */
async function expectRefused(call: Promise<unknown>, status: number, message: RegExp): Promise<void> {
  await assert.rejects(call, (error: StorageRequestFailedError) => {
    assert.equal(error.name, 'StorageRequestFailedError');
    assert.equal(error.details.status, status);
    assert.match(String(error.details.serverMessage), message);
    return true;
  });
}

function form(...files: [name: string, bytes: string][]): FormData {
  const data = new FormData();
  for (const [name, bytes] of files) data.append('file', new Blob([bytes]), name);
  return data;
}

/** Bytes that went through the storage behind the server: consumed by `put`, produced by `get`. */
type Through = { stored: number; served: number };

/** The embedded storage, counting the bytes that reach it and leave it. */
function counting(storage: EmbeddedStorage, through: Through): KuboRpcStorage {
  async function* count(source: AsyncIterable<Uint8Array>, add: (bytes: number) => void) {
    for await (const chunk of source) {
      add(chunk.byteLength);
      yield chunk;
    }
  }
  return {
    put: (source, options) =>
      storage.put(source instanceof Uint8Array ? source : count(source, (n) => (through.stored += n)), options),
    get: (cid, options) => count(storage.get(cid, options), (n) => (through.served += n)),
    pin: (cid, options) => storage.pin(cid, options),
    blockSize: (cid, options) => storage.blockSize(cid, options),
  };
}

describe('createKuboStorage against createKuboRpcServer', () => {
  let embedded: EmbeddedStorage;
  let server: KuboRpcServer;
  let storage: Storage;
  let remove: () => Promise<void>;
  const rpc = (path: string, init: RequestInit = {}) =>
    fetch(`${server.url}/api/v0/${path}`, { method: 'POST', ...init });
  before(async () => {
    const temporary = await temporaryDirectory();
    remove = temporary.remove;
    embedded = await createEmbeddedStorage({ directory: temporary.directory });
    server = await createKuboRpcServer({ storage: embedded });
    storage = createKuboStorage({ url: server.url });
  });
  after(async () => {
    await storage.close();
    await server.close();
    await embedded.close();
    await remove();
  });

  it('listens on loopback and round-trips 1 MiB under the CID the embedded node gives', async () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const bytes = await pseudoRandomBytes(MIB, 'rpc 1mib');
    const { cid, size } = await storage.put(bytes);
    assert.equal(size, MIB);
    assert.equal(cid, (await deriveCid(bytes)).cid);
    assert.equal(await embedded.has(cid), true, 'stored in the embedded node behind the server');
    assert.ok((await collect(storage.get(cid))).equals(bytes));
    assert.ok((await collect(embedded.get(cid))).equals(bytes));
  });

  it('streams 100 MiB up and down, never holding more than a few MiB in flight', { timeout: 120_000 }, async (t) => {
    const size = 100 * MIB;
    const through: Through = { stored: 0, served: 0 };
    const spied = await createKuboRpcServer({ storage: counting(embedded, through) });
    const client = createKuboStorage({ url: spied.url });
    try {
      const expected = await deriveCid(pseudoRandomStream(size, 'rpc 100mib'));
      const digest = await sha256Hex(pseudoRandomStream(size, 'rpc 100mib'));
      let sent = 0;
      let aheadUp = 0;
      async function* upload() {
        for await (const chunk of pseudoRandomStream(size, 'rpc 100mib')) {
          sent += chunk.byteLength;
          aheadUp = Math.max(aheadUp, sent - through.stored);
          yield chunk;
        }
      }
      const { cid } = await client.put(upload());
      assert.equal(cid, expected.cid);
      assert.equal(through.stored, size);
      let received = 0;
      let aheadDown = 0;
      async function* download() {
        for await (const chunk of client.get(cid)) {
          received += chunk.byteLength;
          aheadDown = Math.max(aheadDown, through.served - received);
          yield chunk;
        }
      }
      assert.equal(await sha256Hex(download()), digest);
      assert.equal(received, size);
      const mib = (bytes: number) => `${Math.round(bytes / MIB)} MiB`;
      t.diagnostic(`in flight at most: up ${mib(aheadUp)}, down ${mib(aheadDown)}`);
      // Bytes between the client and the storage: socket buffers, a chunk here and there. A buffering
      // server would let the client send everything before storing anything (or the reverse).
      assert.ok(aheadUp < 24 * MIB, `upload: ${mib(aheadUp)} in flight`);
      assert.ok(aheadDown < 24 * MIB, `download: ${mib(aheadDown)} in flight`);
    } finally {
      await client.close();
      await spied.close();
    }
  });

  it('says which content the node holds, and pins it', async () => {
    const { cid } = await storage.put(new TextEncoder().encode('held by the rpc node'));
    assert.equal(await storage.has(cid), true);
    await storage.pin(cid);
    await storage.pin(cid);
    const { cid: absent } = await deriveCid(new TextEncoder().encode('never put on the rpc node'));
    assert.equal(await storage.has(absent), false);
  });

  it('error: content the node does not hold gives NOT_FOUND for get and pin', async () => {
    const { cid } = await deriveCid(new TextEncoder().encode('not on the rpc node'));
    await assert.rejects(collect(storage.get(cid)), { name: 'StorageNotFoundError', details: { cid } });
    await assert.rejects(storage.pin(cid), { name: 'StorageNotFoundError', details: { cid } });
    await expectKuboError(
      await rpc(`block/stat?arg=${cid}`),
      500,
      new RegExp(`^block was not found locally \\(offline\\): ipld: could not find ${cid}$`),
    );
  });

  it('error: a malformed CID gives StorageCidInvalidError, and a 400 from the server', async () => {
    await assert.rejects(collect(storage.get('bafy-not-a-cid')), { name: 'StorageCidInvalidError' });
    for (const command of ['cat', 'block/stat', 'pin/add']) {
      for (const bad of ['nope', 'QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG']) {
        await expectKuboError(await rpc(`${command}?arg=${bad}`), 400, /is not a usable CID/);
      }
    }
  });

  it('answers add with one {Name, Hash, Size} line per file, as Kubo does', async () => {
    const response = await rpc('add?cid-version=1&progress=false', {
      body: form(['a b.txt', 'first'], ['c', 'second']),
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/json');
    assert.equal(response.headers.get('x-chunked-output'), '1');
    const lines = (await response.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const first = await deriveCid(new TextEncoder().encode('first'));
    const second = await deriveCid(new TextEncoder().encode('second'));
    assert.deepEqual(lines, [
      { Name: 'a b.txt', Hash: first.cid, Size: '5' },
      { Name: 'c', Hash: second.cid, Size: '6' },
    ]);
    const stat = await rpc(`block/stat?arg=/ipfs/${first.cid}`);
    assert.deepEqual(await stat.json(), { Key: first.cid, Size: 5 });
    assert.deepEqual(await (await rpc(`pin/add?arg=${second.cid}`)).json(), { Pins: [second.cid] });
    const cat = await rpc(`cat?arg=${second.cid}`);
    assert.equal(cat.headers.get('x-stream-output'), '1');
    assert.equal(await cat.text(), 'second');
  });

  it('answers block/stat with the size of the root block, not of the content', async () => {
    const { cid } = await storage.put(await pseudoRandomBytes(MIB, 'rpc stat'));
    const { Key, Size } = await (await rpc(`block/stat?arg=${cid}`)).json();
    assert.equal(Key, cid);
    assert.equal(Size, await embedded.blockSize(cid));
    assert.ok(Size > 0 && Size < 1000, `a root of 4 links is small, got ${Size}`);
  });

  it("error: 404 in Kubo's error shape for any other path", async () => {
    for (const path of ['/api/v0/version', '/api/v0/', '/', '/ipfs/bafy', '/api/v0/cat/extra']) {
      await expectKuboError(await fetch(`${server.url}${path}`, { method: 'POST' }), 404, /unknown command/);
    }
  });

  it('error: 400 for a request target that is no URL, and the server keeps serving', async () => {
    const { port } = new URL(server.url);
    const socket = connect(Number(port), '127.0.0.1');
    socket.end('POST http://[ HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n');
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk;
    });
    await once(socket, 'close');
    assert.match(answer, /^HTTP\/1\.1 400 /);
    assert.match(answer, /"Message":"the request target is not a valid URL","Code":1,"Type":"error"/);
    await expectKuboError(await rpc('cat'), 400, /argument "ipfs-path" is required/);
  });

  it('error: 405 with an Allow header for other methods', async () => {
    const response = await fetch(`${server.url}/api/v0/cat?arg=x`);
    assert.equal(response.headers.get('allow'), 'POST');
    await expectKuboError(response, 405, /GET is not allowed/);
  });

  it('error: 403 for a request from a web page', async () => {
    const response = await rpc('add', {
      body: form(['x', 'from a page']),
      headers: { origin: 'https://evil.example' },
    });
    await expectKuboError(response, 403, /Origin/);
  });

  it('error: 400 for an add asking for import parameters that give other CIDs', async () => {
    for (const query of [
      'cid-version=0',
      'chunker=size-1024',
      'raw-leaves=false',
      'trickle=true',
      'hash=blake3',
      'w=true',
    ]) {
      await expectKuboError(await rpc(`add?${query}`, { body: form(['x', 'x']) }), 400, /this node imports with/);
    }
  });

  it('error: 400 for a body that is not one or more multipart files', async () => {
    const cases: [RequestInit, RegExp][] = [
      [{ body: 'plain' }, /multipart\/form-data body with a boundary/],
      [{ body: new FormData() }, /file argument 'path' is required/],
      [
        { body: '--b\r\n\r\ncut', headers: { 'content-type': 'multipart/form-data; boundary=b' } },
        /malformed multipart body/,
      ],
      [{ body: form(['dir/file', 'nested']) }, /files only/],
      [
        {
          body: '--b\r\nContent-Type: application/x-directory\r\nContent-Disposition: form-data; name="file"; filename="d"\r\n\r\n\r\n--b--\r\n',
          headers: { 'content-type': 'multipart/form-data; boundary=b' },
        },
        /files only/,
      ],
    ];
    for (const [init, message] of cases) await expectKuboError(await rpc('add', init), 400, message);
  });

  it('error: 400 for a missing or repeated arg', async () => {
    await expectKuboError(await rpc('cat'), 400, /argument "ipfs-path" is required/);
    await expectKuboError(await rpc('block/stat'), 400, /argument "cid" is required/);
    const { cid } = await deriveCid(new Uint8Array(1));
    await expectKuboError(await rpc(`pin/add?arg=${cid}&arg=${cid}`), 400, /one "ipfs-path" per call/);
  });
});

describe('createKuboRpcServer with a token and a body limit', () => {
  let embedded: EmbeddedStorage;
  let server: KuboRpcServer;
  let remove: () => Promise<void>;
  const reported: unknown[] = [];
  before(async () => {
    const temporary = await temporaryDirectory();
    remove = temporary.remove;
    embedded = await createEmbeddedStorage({ directory: temporary.directory });
    server = await createKuboRpcServer({
      storage: embedded,
      token: TOKEN,
      maxBodyBytes: 4 * MIB,
      onError: (error) => reported.push(error),
    });
  });
  after(async () => {
    await server.close();
    await embedded.close();
    await remove();
  });

  it('needs the bearer token to add and pin; cat and block/stat stay open', async () => {
    const bytes = new TextEncoder().encode('written with the token');
    for (const headers of [undefined, { authorization: 'Bearer wrong-token-0123456789' }, { authorization: TOKEN }]) {
      const anonymous = createKuboStorage({ url: server.url, ...(headers ? { headers } : {}) });
      await expectRefused(anonymous.put(bytes), 401, /Authorization: Bearer/);
      await expectRefused(anonymous.pin((await deriveCid(bytes)).cid), 401, /Authorization: Bearer/);
      await anonymous.close();
    }
    const writer = createKuboStorage({ url: server.url, headers: { authorization: `Bearer ${TOKEN}` } });
    const { cid } = await writer.put(bytes);
    await writer.pin(cid);
    await writer.close();
    const reader = createKuboStorage({ url: server.url });
    assert.equal(await reader.has(cid), true);
    assert.deepEqual(await collect(reader.get(cid)), Buffer.from(bytes));
    assert.equal(await reader.has((await deriveCid(new Uint8Array(3))).cid), false);
    await reader.close();
    assert.deepEqual(reported, [], 'refusals and absent content are not failures of the node');
  });

  it('error: an add over the body limit gets a 413, declared or streamed, and the node keeps working', async () => {
    const writer = createKuboStorage({ url: server.url, headers: { authorization: `Bearer ${TOKEN}` } });
    const declared = await fetch(`${server.url}/api/v0/add`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
      body: form(['big', 'x'.repeat(5 * MIB)]),
    });
    await expectKuboError(declared, 413, /larger than this node's limit of 4194304 bytes/);
    // createKuboStorage streams without a length: the limit is met mid-upload.
    await expectRefused(writer.put(pseudoRandomStream(32 * MIB, 'over the limit')), 413, /limit of 4194304 bytes/);
    const { cid } = await writer.put(await pseudoRandomBytes(MIB, 'under the limit'));
    assert.equal(await writer.has(cid), true);
    await writer.close();
  });

  it('error: a short or malformed token, or a wrong limit, is refused at creation', async () => {
    for (const parameters of [
      { token: 'short' },
      { token: `${TOKEN} space` },
      { maxBodyBytes: 0 },
      { maxBodyBytes: 1.5 },
    ]) {
      await assert.rejects(createKuboRpcServer({ storage: embedded, ...parameters }), {
        name: 'StorageConfigInvalidError',
        code: 'CONFIDE_STORAGE_CONFIG_INVALID',
      });
    }
  });
});

describe('createKuboRpcServer with CORS origins', () => {
  const PAGE = 'http://127.0.0.1:5173';
  let embedded: EmbeddedStorage;
  let server: KuboRpcServer;
  let remove: () => Promise<void>;
  before(async () => {
    const temporary = await temporaryDirectory();
    remove = temporary.remove;
    embedded = await createEmbeddedStorage({ directory: temporary.directory });
    server = await createKuboRpcServer({ storage: embedded, corsOrigins: [PAGE] });
  });
  after(async () => {
    await server.close();
    await embedded.close();
    await remove();
  });

  it('answers the preflight of an allowed page, then its add and cat, with CORS headers', async () => {
    const preflight = await fetch(`${server.url}/api/v0/add`, {
      method: 'OPTIONS',
      headers: { origin: PAGE, 'access-control-request-method': 'POST' },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), PAGE);
    assert.equal(preflight.headers.get('access-control-allow-methods'), 'POST');
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /content-type/);
    const added = await fetch(`${server.url}/api/v0/add?cid-version=1&raw-leaves=true`, {
      method: 'POST',
      headers: { origin: PAGE },
      body: form(['x', 'from an allowed page']),
    });
    assert.equal(added.status, 200);
    assert.equal(added.headers.get('access-control-allow-origin'), PAGE);
    assert.equal(added.headers.get('vary'), 'Origin');
    const { Hash } = JSON.parse((await added.text()).trim());
    const cat = await fetch(`${server.url}/api/v0/cat?arg=${Hash}`, { method: 'POST', headers: { origin: PAGE } });
    assert.equal(await cat.text(), 'from an allowed page');
    assert.equal(cat.headers.get('access-control-allow-origin'), PAGE);
  });

  it('error: 403 without CORS headers for a page of another origin, preflight included', async () => {
    const other = 'http://127.0.0.1:9999';
    const preflight = await fetch(`${server.url}/api/v0/add`, { method: 'OPTIONS', headers: { origin: other } });
    assert.equal(preflight.headers.get('access-control-allow-origin'), null);
    const response = await fetch(`${server.url}/api/v0/add`, {
      method: 'POST',
      headers: { origin: other },
      body: form(['x', 'from another page']),
    });
    assert.equal(response.headers.get('access-control-allow-origin'), null);
    await expectKuboError(response, 403, /STORAGE_CORS_ORIGINS/);
  });

  it('error: an origin that is not * nor scheme://host[:port] is refused at creation', async () => {
    for (const origin of ['127.0.0.1:5173', 'http://127.0.0.1:5173/', 'ftp://x.example', '']) {
      await assert.rejects(createKuboRpcServer({ storage: embedded, corsOrigins: [origin] }), {
        name: 'StorageConfigInvalidError',
        code: 'CONFIDE_STORAGE_CONFIG_INVALID',
      });
    }
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createEmbeddedStorage } from './createEmbeddedStorage.js';
import { createGateway, type Gateway } from './createGateway.js';
import { deriveCid } from './deriveCid.js';
import { StorageContentMismatchError } from './errors.js';
import type { Storage } from './storage.js';
import { MIB, pseudoRandomBytes, pseudoRandomStream, sha256Hex, temporaryDirectory, webChunks } from './testing.js';

const IMMUTABLE = 'public, max-age=31536000, immutable';

async function expectJsonError(response: Response, status: number, code: string): Promise<string> {
  assert.equal(response.status, status);
  assert.equal(response.headers.get('content-type'), 'application/json');
  const body = await response.json();
  assert.deepEqual(Object.keys(body), ['error']);
  assert.deepEqual(Object.keys(body.error), ['code', 'message']);
  assert.equal(body.error.code, code);
  assert.doesNotMatch(body.error.message, /\n\s+at |\.ts:|node_modules/, 'no stack trace');
  return body.error.message;
}

describe('createGateway over the embedded storage', () => {
  let storage: Storage;
  let gateway: Gateway;
  let remove: () => Promise<void>;
  let cid: string;
  let bytes: Uint8Array;
  before(async () => {
    const temporary = await temporaryDirectory();
    remove = temporary.remove;
    storage = await createEmbeddedStorage({ directory: temporary.directory });
    gateway = await createGateway({ storage });
    bytes = await pseudoRandomBytes(MIB, 'gateway 1mib');
    ({ cid } = await storage.put(bytes));
  });
  after(async () => {
    await gateway.close();
    await storage.close();
    await remove();
  });

  it('serves 1 MiB on loopback with type, etag and an immutable cache policy', async () => {
    assert.match(gateway.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(`${gateway.url}/ipfs/${cid}`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/octet-stream');
    assert.equal(response.headers.get('etag'), `"${cid}"`);
    assert.equal(response.headers.get('cache-control'), IMMUTABLE);
    assert.ok(Buffer.from(await response.arrayBuffer()).equals(bytes));
  });

  it('streams 100 MiB with the same SHA-256', { timeout: 60_000 }, async (t) => {
    const expected = await sha256Hex(pseudoRandomStream(100 * MIB, 'gateway 100mib'));
    let started = performance.now();
    const { cid: big } = await storage.put(pseudoRandomStream(100 * MIB, 'gateway 100mib'));
    t.diagnostic(`put 100 MiB: ${Math.round(performance.now() - started)} ms`);
    started = performance.now();
    const response = await fetch(`${gateway.url}/ipfs/${big}`);
    assert.equal(response.status, 200);
    assert.equal(await sha256Hex(webChunks(response.body)), expected);
    t.diagnostic(`GET 100 MiB through the gateway: ${Math.round(performance.now() - started)} ms`);
  });

  it('answers HEAD with the headers and no body, and 304 to a matching If-None-Match', async () => {
    const head = await fetch(`${gateway.url}/ipfs/${cid}`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('etag'), `"${cid}"`);
    assert.equal(head.headers.get('cache-control'), IMMUTABLE);
    assert.equal((await head.arrayBuffer()).byteLength, 0);
    const revalidated = await fetch(`${gateway.url}/ipfs/${cid}/`, { headers: { 'if-none-match': `"x", W/"${cid}"` } });
    assert.equal(revalidated.status, 304);
    assert.equal(revalidated.headers.get('etag'), `"${cid}"`);
    const other = await fetch(`${gateway.url}/ipfs/${cid}`, { headers: { 'if-none-match': '"bafyother"' } });
    assert.equal(other.status, 200);
    await other.arrayBuffer();
  });

  it('error: 400 with CID_INVALID for a malformed or CIDv0 CID', async () => {
    for (const bad of ['not-a-cid', 'QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG', '%E0%A4%A', '']) {
      const message = await expectJsonError(
        await fetch(`${gateway.url}/ipfs/${bad}`),
        400,
        'CONFIDE_STORAGE_CID_INVALID',
      );
      assert.match(message, /is not a usable CID/);
    }
  });

  it('error: 404 with NOT_FOUND for unknown content, for GET and HEAD', async () => {
    const { cid: unknown } = await deriveCid(new TextEncoder().encode('never put'));
    await expectJsonError(await fetch(`${gateway.url}/ipfs/${unknown}`), 404, 'CONFIDE_STORAGE_NOT_FOUND');
    const head = await fetch(`${gateway.url}/ipfs/${unknown}`, { method: 'HEAD' });
    assert.equal(head.status, 404);
    assert.equal((await head.arrayBuffer()).byteLength, 0);
  });

  it('error: 404 with ROUTE_NOT_FOUND for paths other than /ipfs/<cid>', async () => {
    for (const path of ['/', '/ipns/x', `/ipfs/${cid}/inner/file`, '/api/v0/cat']) {
      await expectJsonError(await fetch(`${gateway.url}${path}`), 404, 'CONFIDE_STORAGE_ROUTE_NOT_FOUND');
    }
  });

  it('error: 405 with an Allow header for every method but GET and HEAD', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const response = await fetch(`${gateway.url}/ipfs/${cid}`, { method, body: method === 'POST' ? 'x' : null });
      assert.equal(response.headers.get('allow'), 'GET, HEAD');
      await expectJsonError(response, 405, 'CONFIDE_STORAGE_METHOD_NOT_ALLOWED');
    }
  });
});

describe('createGateway failures', () => {
  const some = 'bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku';

  /** A storage double whose `get` yields `chunks` then throws `failure`. */
  function failing(failure: unknown, chunks: Uint8Array[] = []): Pick<Storage, 'get' | 'has'> {
    return {
      async *get() {
        yield* chunks;
        throw failure;
      },
      has: async () => true,
    };
  }

  it('error: 502 with the code, and nothing of the inside, when content fails verification', async () => {
    const reported: unknown[] = [];
    const mismatch = new StorageContentMismatchError({ expected: some, actual: 'x', source: 'http://10.0.0.7:5001' });
    const gateway = await createGateway({ storage: failing(mismatch), onError: (e) => reported.push(e) });
    try {
      const message = await expectJsonError(
        await fetch(`${gateway.url}/ipfs/${some}`),
        502,
        'CONFIDE_STORAGE_CONTENT_MISMATCH',
      );
      assert.doesNotMatch(message, /10\.0\.0\.7/);
      assert.deepEqual(reported, [mismatch]);
    } finally {
      await gateway.close();
    }
  });

  it('error: 500 INTERNAL with a generic message for an unexpected failure', async () => {
    const gateway = await createGateway({ storage: failing(new Error('secret /var/lib/path')) });
    try {
      const message = await expectJsonError(
        await fetch(`${gateway.url}/ipfs/${some}`),
        500,
        'CONFIDE_STORAGE_INTERNAL',
      );
      assert.doesNotMatch(message, /secret/);
    } finally {
      await gateway.close();
    }
  });

  it('error: cuts the connection when content fails after the status was sent', async () => {
    const reported: unknown[] = [];
    const late = new Error('disk failed mid-way');
    const gateway = await createGateway({
      storage: failing(late, [new Uint8Array(1000)]),
      onError: (e) => reported.push(e),
    });
    try {
      const response = await fetch(`${gateway.url}/ipfs/${some}`);
      assert.equal(response.status, 200);
      await assert.rejects(response.arrayBuffer());
      assert.deepEqual(reported, [late]);
    } finally {
      await gateway.close();
    }
  });

  it('closes promptly while a download is open, and refuses connections after', async () => {
    let release = () => {};
    const stalled: Pick<Storage, 'get' | 'has'> = {
      async *get() {
        yield new Uint8Array(10);
        await new Promise<void>((resolve) => {
          release = resolve;
        });
      },
      has: async () => true,
    };
    const gateway = await createGateway({ storage: stalled });
    const response = await fetch(`${gateway.url}/ipfs/${some}`);
    const reader = response.body?.getReader();
    assert.equal((await reader?.read())?.value?.length, 10);
    await gateway.close();
    await gateway.close();
    release();
    await assert.rejects(fetch(`${gateway.url}/ipfs/${some}`), (error: Error) => {
      assert.equal((error.cause as NodeJS.ErrnoException | undefined)?.code, 'ECONNREFUSED');
      return true;
    });
  });

  it('error: a port in use or out of range gives CONFIG_INVALID', async () => {
    const first = await createGateway({ storage: failing(null) });
    try {
      const port = Number(new URL(first.url).port);
      await assert.rejects(createGateway({ storage: failing(null), port }), {
        code: 'CONFIDE_STORAGE_CONFIG_INVALID',
        message: /EADDRINUSE/,
      });
      await assert.rejects(createGateway({ storage: failing(null), port: 70_000 }), {
        code: 'CONFIDE_STORAGE_CONFIG_INVALID',
      });
    } finally {
      await first.close();
    }
  });
});

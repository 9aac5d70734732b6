import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { fetchRetryingClosedSocket } from './http.js';

describe('fetchRetryingClosedSocket', () => {
  let server: Server;
  let url: string;
  let received = 0;
  before(async () => {
    server = createServer((request, response) => {
      received++;
      // The first request of each test finds its connection closed without an answer.
      if (request.url === '/drop-first' && received === 1) {
        request.socket.destroy();
        return;
      }
      response.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends the request once more when the connection closed before any answer', async () => {
    received = 0;
    const response = await fetchRetryingClosedSocket(fetch, `${url}/drop-first`);
    assert.equal(await response.text(), 'ok');
    assert.equal(received, 2);
  });

  it('does not retry a refused connection: the error is the answer', async () => {
    let calls = 0;
    const counting: typeof fetch = (input, init) => {
      calls++;
      return fetch(input, init);
    };
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await assert.rejects(fetchRetryingClosedSocket(counting, `http://127.0.0.1:${port}/`), (error: Error) => {
      assert.equal(error.name, 'TypeError');
      assert.equal((error.cause as { code?: string }).code, 'ECONNREFUSED');
      return true;
    });
    assert.equal(calls, 1);
  });

  it('does not retry an HTTP error: it is an answer too', async () => {
    received = 0;
    let calls = 0;
    const failing: typeof fetch = async () => {
      calls++;
      return new Response('no', { status: 503 });
    };
    const response = await fetchRetryingClosedSocket(failing, `${url}/x`);
    assert.equal(response.status, 503);
    assert.equal(calls, 1);
  });
});

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type DashboardConfig, serveDashboard } from './serveDashboard.js';

describe('serveDashboard', () => {
  let root: string;
  let dist: string;
  let marketUrl: string;
  let dashboard: Awaited<ReturnType<typeof serveDashboard>>;
  const config = (market: string): DashboardConfig => ({
    chainId: 31337,
    hub: '0x0000000000000000000000000000000000000001',
    dataProtector: '0x0000000000000000000000000000000000000002',
    workerpool: '0x0000000000000000000000000000000000000003',
    apps: { hello: '0x0000000000000000000000000000000000000004' },
    demoAccounts: [],
    services: {
      rpc: 'http://127.0.0.1:1',
      storage: 'http://127.0.0.1:1',
      gateway: 'http://127.0.0.1:1',
      sms: 'http://127.0.0.1:1',
      market,
      indexer: 'http://127.0.0.1:1',
      scheduler: 'http://127.0.0.1:1',
    },
  });

  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'confide-web-'));
    dist = path.join(root, 'dist');
    await mkdir(path.join(dist, 'assets'), { recursive: true });
    await writeFile(path.join(dist, 'index.html'), '<!doctype html><title>dashboard</title>');
    await writeFile(path.join(dist, 'assets', 'app.js'), 'console.log(1)');
    await writeFile(path.join(root, 'secret.txt'), 'outside the build');
    marketUrl = 'http://127.0.0.1:8550';
    dashboard = await serveDashboard({ config: config(marketUrl), port: 0, distDir: dist });
  });
  after(async () => {
    await dashboard?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('serves the build, its assets with their type, and any page path as index.html', async () => {
    const index = await fetch(dashboard.url);
    assert.equal(index.status, 200);
    assert.match(index.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(await index.text(), /<title>dashboard/);
    const asset = await fetch(`${dashboard.url}/assets/app.js`);
    assert.match(asset.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.match(asset.headers.get('cache-control') ?? '', /immutable/);
    assert.match(await (await fetch(`${dashboard.url}/run`)).text(), /<title>dashboard/);
  });

  it('never serves a file outside the build', async () => {
    for (const attempt of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const body = await (await fetch(`${dashboard.url}${attempt}`)).text();
      assert.doesNotMatch(body, /outside the build/, attempt);
    }
  });

  it('answers /config.json with the network', async () => {
    const response = await fetch(`${dashboard.url}/config.json`);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.deepEqual(await response.json(), config(marketUrl));
  });

  it('refuses to start without a build, saying how to make one', async () => {
    await assert.rejects(serveDashboard({ config: config(marketUrl), port: 0, distDir: path.join(dist, 'none') }), {
      name: 'DashboardNotBuiltError',
      code: 'CONFIDE_WEB_NOT_BUILT',
    });
  });
});

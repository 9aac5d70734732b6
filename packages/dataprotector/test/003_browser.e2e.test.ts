import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { computeClimateStats } from '../../../apps/climate-stats-data/reference.mjs';
import { bundleForBrowser, launchChromium, testResultsDir } from '../../../scripts/testing/browser.js';
import { offerApp } from '../../cli/src/stack/publishApp.js';
import { type Network, startNetwork } from '../../workerpool/test/network.js';
import type { StoryConfig } from './browser/page.js';

// The DataProtector and the SDK in a real browser: bundled by esbuild for the browser (any import
// of a Node builtin fails the build), served from loopback, and run in headless Chromium against
// the whole local stack, which answers the page's cross-origin calls (CORS).

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const PAGE = fileURLToPath(new URL('./browser/page.ts', import.meta.url));
/** Serves the page and its bundle on a free loopback port. */
async function servePage(bundle: string): Promise<{ server: Server; url: string }> {
  const html =
    '<!doctype html><meta charset="utf-8"><title>Confide in the browser</title><script type="module" src="/page.js"></script>';
  const server = createServer((request, response) => {
    if (request.url === '/page.js') response.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
    else if (request.url === '/') response.writeHead(200, { 'content-type': 'text/html' }).end(html);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

describe('003 DataProtector and SDK in a browser (headless Chromium), on the whole local stack', () => {
  let net: Network;
  let browser: Browser | undefined;
  let page: { server: Server; url: string } | undefined;

  before(async () => {
    const [bundle, network] = await Promise.all([
      bundleForBrowser({ entry: PAGE }),
      startNetwork({ workers: 1, workerpoolPrice: 0n }),
    ]);
    net = network;
    page = await servePage(bundle.script);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await new Promise((resolve) => page?.server.close(resolve));
    await net?.stop();
  });

  it('protects a File, grants it, processes it and decrypts the result, all in the page', async () => {
    const { dataOwner, requester } = net.roles;
    const { app } = await offerApp(net, {
      folder: path.join(ROOT, 'apps/climate-stats'),
      name: 'climate-stats',
      price: 0n,
      volume: 10n,
    });

    const keyOf = (address: string) => net.devnet.accounts.find((a) => a.address === address)?.privateKey;
    const ownerKey = keyOf(dataOwner.address);
    const requesterKey = keyOf(requester.address);
    assert.ok(ownerKey && requesterKey);
    const csv = await readFile(path.join(ROOT, 'apps/climate-stats-data/air-quality.csv'), 'utf8');
    const config: StoryConfig = {
      rpcUrl: net.devnet.rpcUrl,
      chainId: net.devnet.chainId,
      hub: net.hub,
      dataProtector: net.devnet.addresses.dataProtector,
      dataSharing: net.devnet.addresses.dataSharing,
      services: {
        storageUrl: net.storageNode.url,
        smsUrl: net.sms.url,
        marketUrl: net.market.url,
        indexerUrl: net.indexer.url,
      },
      ownerKey,
      requesterKey,
      app,
      workerpoolMaxPrice: '0',
      csv,
    };

    const tab = await (browser as Browser).newPage();
    const errors: string[] = [];
    tab.on('pageerror', (error) => errors.push(error.message));
    await tab.goto((page as { url: string }).url);
    await tab.waitForFunction(() => typeof (globalThis as { runStory?: unknown }).runStory === 'function');
    const story = await tab.evaluate(
      (c) => (globalThis as unknown as { runStory: (c: StoryConfig) => Promise<unknown> }).runStory(c),
      config,
    );
    await tab.screenshot({ path: path.join(testResultsDir('dataprotector'), 'browser-story.png') });
    assert.deepEqual(errors, []);

    const expected = `${JSON.stringify(computeClimateStats(csv), null, 2)}\n`;
    assert.deepEqual(story, {
      nodeGlobals: { Buffer: 'undefined', process: 'undefined' },
      steps: [
        'EXTRACT_DATA_SCHEMA',
        'CREATE_ZIP_FILE',
        'CREATE_ENCRYPTION_KEY',
        'ENCRYPT_FILE',
        'UPLOAD_ENCRYPTED_FILE',
        'DEPLOY_PROTECTED_DATA',
        'PUSH_SECRET_TO_SMS',
      ],
      protectedData: (story as { protectedData: unknown }).protectedData,
      remainingAccess: 1,
      taskId: (story as { taskId: unknown }).taskId,
      completion: 'COMPLETED',
      taskStatus: 'COMPLETED',
      resultText: expected,
    });
    // The dataset the page uploaded is on the node, under the CID the page announced on chain.
    const { multiaddr } = (story as { protectedData: { multiaddr: string } }).protectedData;
    assert.equal(await net.storage.has(multiaddr.replace('/ipfs/', '')), true);
  });
});

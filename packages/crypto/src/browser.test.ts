import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { bundleForBrowser } from '../../../scripts/testing/browser.js';
import * as forBrowsers from './browser.js';
import * as forNode from './index.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

describe('@confide/crypto in browsers', () => {
  it('bundles for the browser without any Node builtin, with the @noble primitives', async () => {
    const { inputs } = await bundleForBrowser({
      contents: "export * from '@confide/crypto';",
      resolveDir: ROOT,
    });
    assert.ok(inputs.includes('packages/crypto/src/primitives/browser.ts'), 'the "browser" import condition applied');
    assert.ok(!inputs.includes('packages/crypto/src/primitives/node.ts'));
    assert.ok(inputs.some((file) => file.includes('node_modules/@noble/ciphers')));
  });

  it('the Node entry exports everything the browser entry does', () => {
    const missing = Object.keys(forBrowsers).filter((name) => !(name in forNode));
    assert.deepEqual(missing, []);
  });

  it('error: a bundle importing a Node builtin fails, naming it', async () => {
    await assert.rejects(
      bundleForBrowser({ contents: "export * from './packages/crypto/src/index.ts';", resolveDir: ROOT }),
      /imports the Node builtin "node:(crypto|fs|stream|fs\/promises|path)"/,
    );
  });
});

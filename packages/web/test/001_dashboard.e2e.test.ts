import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium, testResultsDir } from '../../../scripts/testing/browser.js';
import { startLocalNetwork } from '../../cli/src/start.js';
import { serializeProtectedData } from '../../crypto/src/index.js';

const SHOTS = testResultsDir('dashboard');
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

/** Waits for `target`, failing at once with the page's message when it shows an error instead. */
async function shown(page: Page, target: Locator, timeout: number): Promise<void> {
  const alert = page.getByRole('alert');
  await target.or(alert).first().waitFor({ timeout });
  if (await alert.count()) assert.fail(`the page says: ${(await alert.allTextContents()).join(' | ')}`);
}

describe('001 dashboard: the whole data path in a real browser against `confide start`', () => {
  it('protects a dropped file, grants it, runs hello on it as the requester, decrypts the result, revokes', {
    timeout: 115_000,
  }, async (t) => {
    const begun = performance.now();
    const mark = (what: string) => t.diagnostic(`${what} at ${((performance.now() - begun) / 1000).toFixed(1)} s`);
    const dir = await mkdtemp(path.join(tmpdir(), 'confide-web-'));
    let started: Awaited<ReturnType<typeof startLocalNetwork>> | undefined;
    let browser: Browser | undefined;
    try {
      started = await startLocalNetwork({ stateDir: dir, ports: 'auto', workers: 1 }, () => undefined);
      mark('network up');
      browser = await launchChromium();
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const pageErrors: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));
      const { dataOwner, requester } = started.stack.roles;
      // The requester acts through a browser wallet: an EIP-1193 provider on window.ethereum whose
      // account is held by the chain node (anvil's unlocked development account), so every
      // signature (eth_signTypedData_v4, personal_sign) and transaction (eth_sendTransaction) of
      // that session is made by the wallet, not by a key in the page — as with an extension.
      const walletRequests: string[] = [];
      await page.exposeFunction('recordWalletRequest', (method: string) => walletRequests.push(method));
      // A string, not a function: the test runner's transpiler would add helpers the page lacks.
      await page.addInitScript(`{
        const rpc = ${JSON.stringify(started.stack.devnet.rpcUrl)};
        const account = ${JSON.stringify(requester.address)};
        let id = 0;
        const request = async ({ method, params }) => {
          window.recordWalletRequest(method);
          if (method === 'eth_requestAccounts' || method === 'eth_accounts') return [account];
          const response = await fetch(rpc, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params: params ?? [] }),
          });
          const body = await response.json();
          if (body.error) throw Object.assign(new Error(body.error.message), { code: body.error.code });
          return body.result;
        };
        window.ethereum = { request, on: () => undefined, removeListener: () => undefined };
      }`);
      await page.goto(started.dashboard.url);

      // Protect: the data owner drops a file on the page; every step of protectData reports done.
      await page.getByRole('heading', { name: 'Protect', level: 1 }).waitFor();
      assert.equal(await page.getByLabel('Account').inputValue(), 'data owner');
      const content = Buffer.concat([Buffer.from('station,pm2_5\nparis-01,12.5\n'), randomBytes(2048)]);
      // What the enclave will read: the protected-data zip of { file } (the same bytes, streamed or whole).
      const zip = (await serializeProtectedData({ file: content })).zip as Uint8Array;
      const sha256 = createHash('sha256').update(zip).digest('hex');
      const dataTransfer = await page.evaluateHandle(
        (bytes) => {
          const transfer = new DataTransfer();
          transfer.items.add(new File([new Uint8Array(bytes)], 'readings.bin'));
          return transfer;
        },
        [...content],
      );
      await page.getByTestId('dropzone').dispatchEvent('drop', { dataTransfer });
      await page.getByText('Selected: readings.bin').waitFor();
      await page.getByLabel('Name', { exact: true }).fill('dashboard readings');
      await shot(page, '1-protect-ready');
      await page.getByRole('button', { name: 'Protect' }).click();
      const protectedAs = page.getByRole('status').filter({ hasText: 'Protected as' });
      await shown(page, protectedAs, 30_000);
      const steps = page.getByRole('list', { name: 'Protection progress' }).getByRole('listitem');
      assert.equal(await steps.count(), 7);
      for (const text of await steps.allTextContents()) assert.match(text, /: done$/, text);
      assert.match((await protectedAs.textContent()) ?? '', /protected data 0x[0-9a-fA-F]{40}/);
      await shot(page, '2-protect-done');
      mark('protected');

      // My data: the indexer lists it; grant hello to the requester for 3 uses, for free.
      await page.getByRole('link', { name: 'My data' }).click();
      const mine = page.getByRole('region', { name: 'Protected data dashboard readings' });
      await shown(page, mine.getByText('No access granted.'), 15_000);
      await page.getByLabel('App', { exact: true }).selectOption({ label: 'hello' });
      assert.equal(await page.getByLabel(/^Authorized user/).inputValue(), requester.address);
      await page.getByLabel('Number of uses').fill('3');
      await page.getByRole('button', { name: 'Grant access' }).click();
      await shown(page, page.getByRole('status').filter({ hasText: 'Access granted.' }), 15_000);
      const grants = page.getByRole('table', { name: 'Accesses to dashboard readings' });
      await shown(page, grants.getByRole('row').filter({ hasText: 'hello' }), 15_000);
      assert.match((await grants.getByRole('row').nth(1).textContent()) ?? '', /hello.*0 CFD\s*3/);
      await shot(page, '3-my-data-granted');
      mark('granted');

      // Run: the requester, through the browser wallet, runs hello on it; the task goes ACTIVE then COMPLETED.
      await page.getByLabel('Account').selectOption('browser wallet');
      await page.getByRole('link', { name: 'Run' }).click();
      await shown(page, page.getByLabel('Access', { exact: true }), 15_000);
      assert.match((await page.getByLabel('Access', { exact: true }).textContent()) ?? '', /hello on 0x/);
      await page.getByLabel('Arguments').fill('dashboard');
      await page.getByRole('button', { name: 'Run' }).click();
      await shown(page, page.getByRole('status').filter({ hasText: 'Task COMPLETED' }), 45_000);
      const phases = page.getByRole('list', { name: 'Task phases' }).getByRole('listitem');
      for (const text of await phases.allTextContents()) assert.match(text, /: done$/, text);
      await shot(page, '4-run-completed');
      // The wallet, not the page, signed the request order and sent the match.
      assert.ok(walletRequests.includes('eth_signTypedData_v4'), walletRequests.join());
      assert.ok(walletRequests.includes('eth_sendTransaction'), walletRequests.join());
      mark('task completed');

      // Download and decrypt in the browser: the app saw exactly the file that was dropped, zipped.
      await page.getByRole('button', { name: 'Download and decrypt the result' }).click();
      const result = page.getByRole('figure', { name: 'Content of result.txt' });
      await shown(page, result, 15_000);
      const text = (await result.textContent()) ?? '';
      assert.match(text, /^Hello, dashboard!/);
      assert.match(text, new RegExp(`: ${zip.length} bytes, sha256 ${sha256}`));
      await shot(page, '5-result-decrypted');
      mark('result decrypted');

      // Tasks (indexer) and market pages show the task and the books.
      await page.getByRole('link', { name: 'Tasks' }).click();
      await shown(page, page.getByRole('table', { name: 'Tasks' }).getByText('COMPLETED'), 15_000);
      await shot(page, '6-tasks');
      await page.getByRole('link', { name: 'Market' }).click();
      const appOrders = page.getByRole('table', { name: /^App orders/ });
      await shown(page, appOrders, 15_000);
      assert.equal(await appOrders.getByRole('row').count(), 1 + Object.keys(started.apps).length);
      await shot(page, '7-market');
      mark('tasks and market shown');

      // Revoke: the data owner closes the access on chain; the market drops it.
      await page.getByLabel('Account').selectOption('data owner');
      await page.getByRole('link', { name: 'My data' }).click();
      await page.getByRole('button', { name: `Revoke hello for ${requester.address}` }).click();
      await shown(page, mine.getByText('No access granted.'), 15_000);
      await shot(page, '8-revoked');
      mark('revoked');
      assert.deepEqual(pageErrors, []);
      assert.notEqual(dataOwner.address, requester.address);
    } finally {
      await browser?.close();
      await started?.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium, testResultsDir } from '../../../scripts/testing/browser.js';
import { startLocalNetwork } from '../../cli/src/start.js';
import { createDataProtector } from '../../dataprotector/src/index.js';

const SHOTS = testResultsDir('dashboard');
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

/** Waits for `target`, failing at once with the page's message when it shows an error instead. */
async function shown(page: Page, target: Locator, timeout: number): Promise<void> {
  const alert = page.getByRole('alert');
  await target.or(alert).first().waitFor({ timeout });
  if (await alert.count()) assert.fail(`the page says: ${(await alert.allTextContents()).join(' | ')}`);
}

describe('001 dashboard: the pages in a real browser against `confide start`', () => {
  it('shows protected data, its grants, the access, the task and the books as they are on the network', {
    timeout: 115_000,
  }, async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'confide-web-'));
    let started: Awaited<ReturnType<typeof startLocalNetwork>> | undefined;
    let browser: Browser | undefined;
    try {
      started = await startLocalNetwork({ stateDir: dir, ports: 'auto', workers: 1 }, () => undefined);
      const { stack, apps } = started;
      const { dataOwner, requester } = stack.roles;
      const hello = apps.hello as `0x${string}`;
      const as = (account: typeof dataOwner) =>
        createDataProtector({
          ...stack.clients(account),
          hub: stack.hub,
          dataProtector: stack.devnet.addresses.dataProtector,
          services: {
            storageUrl: stack.storageNode.url,
            smsUrl: stack.sms.url,
            marketUrl: stack.market.url,
            indexerUrl: stack.indexer.url,
          },
        });
      // The data path through the DataProtector API (Node), as the dashboard will show it.
      const owner = as(dataOwner);
      const lab = as(requester);
      try {
        const data = await owner.protectData({ data: { file: randomBytes(2048) }, name: 'dashboard readings' });
        await owner.grantAccess({
          protectedData: data.address,
          authorizedApp: hello,
          authorizedUser: requester.address,
          numberOfAccess: 3,
        });
        const run = await lab.processProtectedData({
          protectedData: data.address,
          app: hello,
          appMaxPrice: 2_000_000_000n,
          workerpoolMaxPrice: 3_000_000_000n,
          args: 'dashboard',
        });
        assert.ok(run.files);
      } finally {
        await owner.close();
        await lab.close();
      }

      browser = await launchChromium();
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const pageErrors: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));
      await page.goto(started.dashboard.url);

      // Protect: the form takes a dropped file (DataProtector in the browser is not wired yet).
      await page.getByRole('heading', { name: 'Protect', level: 1 }).waitFor();
      assert.equal(await page.getByLabel('Account').inputValue(), 'data owner');
      const dataTransfer = await page.evaluateHandle(() => {
        const transfer = new DataTransfer();
        transfer.items.add(new File(['station,pm2_5\n'], 'readings.csv'));
        return transfer;
      });
      await page.getByTestId('dropzone').dispatchEvent('drop', { dataTransfer });
      await page.getByText('Selected: readings.csv').waitFor();
      assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), 'readings.csv');
      const steps = page.getByRole('list', { name: 'Protection progress' }).getByRole('listitem');
      assert.equal(await steps.count(), 7);
      await shot(page, '1-protect');

      // My data: the indexer's protected data and the market's access, 2 uses left after the run.
      await page.getByRole('link', { name: 'My data' }).click();
      const grants = page.getByRole('table', { name: 'Accesses to dashboard readings' });
      await shown(page, grants.getByRole('row').filter({ hasText: 'hello' }), 15_000);
      assert.match((await grants.getByRole('row').nth(1).textContent()) ?? '', /hello.*0 CFD\s*2/);
      assert.ok(await page.getByRole('button', { name: `Revoke hello for ${requester.address}` }).isEnabled());
      await shot(page, '2-my-data');

      // Run: as the requester, the access is offered.
      await page.getByLabel('Account').selectOption('requester');
      await page.getByRole('link', { name: 'Run' }).click();
      await shown(page, page.getByLabel('Access', { exact: true }), 15_000);
      assert.match((await page.getByLabel('Access', { exact: true }).textContent()) ?? '', /hello on 0x.*2 left/);
      await shot(page, '3-run');

      // Tasks (indexer) and the market's books.
      await page.getByRole('link', { name: 'Tasks' }).click();
      const tasks = page.getByRole('table', { name: 'Tasks' });
      await shown(page, tasks.getByText('COMPLETED'), 15_000);
      assert.match(
        (await tasks.getByRole('row').nth(1).textContent()) ?? '',
        /COMPLETED.*hello.*ACTIVE .* → COMPLETED/,
      );
      await shot(page, '4-tasks');
      await page.getByRole('link', { name: 'Market' }).click();
      const appOrders = page.getByRole('table', { name: /^App orders/ });
      await shown(page, appOrders, 15_000);
      assert.equal(await appOrders.getByRole('row').count(), 1 + Object.keys(apps).length);
      assert.equal(
        await page
          .getByRole('table', { name: /^Dataset orders/ })
          .getByRole('row')
          .count(),
        2,
      );
      await shot(page, '5-market');
      assert.deepEqual(pageErrors, []);
    } finally {
      await browser?.close();
      await started?.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

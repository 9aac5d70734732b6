import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { parseUnits } from 'viem';
import { computeClimateStats } from '../../../apps/climate-stats-data/reference.mjs';
import { launchChromium, testResultsDir } from '../../../scripts/testing/browser.js';
import { startLocalNetwork } from '../../cli/src/start.js';
import { serializeProtectedData } from '../../crypto/src/index.js';
import { confideHubAbi, datasetRegistryAbi } from '../../protocol/src/index.js';
import { formatToken } from '../src/app/api.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const CFD = parseUnits('1', 9);

const SHOTS = testResultsDir('dashboard');
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

/** Waits for `target`, failing at once with the page's message when it shows an error instead. */
async function shown(page: Page, target: Locator, timeout: number): Promise<void> {
  const alert = page.getByRole('alert');
  await target.or(alert).first().waitFor({ timeout });
  if (await alert.count()) assert.fail(`the page says: ${(await alert.allTextContents()).join(' | ')}`);
}

/** Drops `bytes` as a file named `name` on the Protect page and protects it under `label`. */
async function protect(page: Page, name: string, bytes: Buffer, label: string): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    ([data, fileName]) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(data)], fileName));
      return transfer;
    },
    [[...bytes], name] as const,
  );
  await page.getByTestId('dropzone').dispatchEvent('drop', { dataTransfer });
  await page.getByText(`Selected: ${name}`).waitFor();
  await page.getByLabel('Name', { exact: true }).fill(label);
}

describe('001 dashboard: the whole data path in a real browser against `confide start`', () => {
  it('protects a dropped file, grants it, runs hello on it as the requester, decrypts the result, revokes; offers it with a price per use, rents it, subscribes and runs climate-stats on it in the shop; buys a second data set; settles the use', {
    timeout: 170_000,
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
      // A sample of the climate readings: hello reads it now, climate-stats by right of a rental later.
      const csv = (await readFile(path.join(ROOT, 'apps/climate-stats-data/air-quality.csv'), 'utf8'))
        .split('\n')
        .slice(0, 400)
        .join('\n');
      const content = Buffer.from(`${csv}\n`);
      // What the enclave will read: the protected-data zip of { file } (the same bytes, streamed or whole).
      const zip = (await serializeProtectedData({ file: content })).zip as Uint8Array;
      const sha256 = createHash('sha256').update(zip).digest('hex');
      await protect(page, 'readings.csv', content, 'dashboard readings');
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

      // Meanwhile, in a second tab, the data owner protects a small second data set and offers it
      // for sale alone in its own collection: never rented nor subscribed, it can be sold. A price
      // typed wrong is refused with a code, before anything is sent.
      const ownerTab = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      ownerTab.on('pageerror', (error) => pageErrors.push(error.message));
      const offerSample = async () => {
        await ownerTab.goto(started?.dashboard.url ?? '');
        await ownerTab.getByRole('heading', { name: 'Protect', level: 1 }).waitFor();
        assert.equal(await ownerTab.getByLabel('Account').inputValue(), 'data owner');
        await protect(
          ownerTab,
          'sample.csv',
          Buffer.from(`${csv.split('\n').slice(0, 20).join('\n')}\n`),
          'dashboard sample',
        );
        await ownerTab.getByRole('button', { name: 'Protect' }).click();
        const sampleProtected = ownerTab.getByRole('status').filter({ hasText: 'Protected as' });
        await shown(ownerTab, sampleProtected, 30_000);
        const address = /protected data (0x[0-9a-fA-F]{40})/.exec((await sampleProtected.textContent()) ?? '')?.[1];
        assert.ok(address, 'the page names the new protected data');
        await ownerTab.getByRole('link', { name: 'My data' }).click();
        const sample = ownerTab.getByRole('region', { name: 'Protected data dashboard sample' });
        await shown(ownerTab, sample.getByLabel('Collection'), 15_000);
        await sample.getByLabel('Collection').selectOption('new');
        await sample.getByRole('button', { name: 'Add to the collection' }).click();
        const sampleTerms = sample.getByRole('list', { name: 'Terms of dashboard sample' });
        await shown(ownerTab, sampleTerms, 15_000);
        const collection = /#(\d+)/.exec((await sampleTerms.getByRole('listitem').first().textContent()) ?? '')?.[1];
        assert.ok(collection, 'the terms name the collection');
        await sample.getByLabel('Sale price (CFD)').fill('two');
        await sample.getByRole('button', { name: 'Offer for sale' }).click();
        const typo = sample.getByRole('alert');
        await typo.waitFor({ timeout: 15_000 });
        assert.match(
          (await typo.textContent()) ?? '',
          /The sale price must be an amount in CFD.*\(CONFIDE_WEB_INVALID_INPUT\)/,
        );
        await sample.getByLabel('Sale price (CFD)').fill('2');
        await sample.getByRole('button', { name: 'Offer for sale' }).click();
        await shown(ownerTab, sample.getByRole('status').filter({ hasText: 'For sale: 2 CFD.' }), 15_000);
        await shot(ownerTab, '8b-second-data-for-sale');
        await ownerTab.close();
        mark('second data set offered for sale (second tab)');
        return { sampleAddress: address as `0x${string}`, shopCollectionId: collection };
      };
      // Awaited before this tab acts as the data owner again (one account, one transaction at a time).
      const sampleOffered = offerSample();
      sampleOffered.catch(() => undefined);

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
      const { sampleAddress, shopCollectionId } = await sampleOffered;
      await page.getByLabel('Account').selectOption('data owner');
      await page.getByRole('link', { name: 'My data' }).click();
      await page.getByRole('button', { name: `Revoke hello for ${requester.address}` }).click();
      await shown(page, mine.getByText('No access granted.'), 15_000);
      await shot(page, '8-revoked');
      mark('revoked');

      // Offer: the data owner puts the data set in a new collection, offers it for rent (5 CFD an
      // hour) and for sale (10 CFD), the collection by subscription (20 CFD for 30 days), and sets
      // its price per use (its owner policy): 1 CFD each run of a renter or subscriber pays.
      await shown(page, mine.getByLabel('Collection'), 15_000);
      assert.deepEqual(
        await mine.getByLabel('Collection').getByRole('option').allTextContents(),
        [`#${shopCollectionId}`, 'a new collection'],
        "the owner has the second data set's collection only",
      );
      await mine.getByLabel('Collection').selectOption('new');
      await mine.getByRole('button', { name: 'Add to the collection' }).click();
      const terms = mine.getByRole('list', { name: 'Terms of dashboard readings' });
      await shown(page, terms, 15_000);
      const collectionId = /#(\d+)/.exec((await terms.getByRole('listitem').first().textContent()) ?? '')?.[1];
      assert.ok(collectionId && collectionId !== shopCollectionId, `a collection of its own: #${collectionId}`);
      const offered = (text: string) => shown(page, mine.getByRole('status').filter({ hasText: text }), 15_000);
      await mine.getByLabel('Rental price (CFD)').fill('5');
      await mine.getByLabel('Rental duration (hours)').fill('1');
      await mine.getByRole('button', { name: 'Offer for rent' }).click();
      await offered('For rent: 5 CFD for 1 h.');
      await mine.getByLabel('Sale price (CFD)').fill('10');
      await mine.getByRole('button', { name: 'Offer for sale' }).click();
      await offered('For sale: 10 CFD.');
      await mine.getByLabel('Subscription price (CFD)').fill('20');
      await mine.getByLabel('Subscription duration (days)').fill('30');
      await mine.getByRole('button', { name: 'Offer subscriptions' }).click();
      await offered(`collection #${collectionId}: 20 CFD for 30 d.`);
      await mine.getByLabel('Price per use (CFD)').fill('1');
      await mine.getByRole('button', { name: 'Set the price per use' }).click();
      await offered('Price per use: 1 CFD.');
      // The terms shown are the indexer's: it follows the chain a little behind.
      await shown(page, terms.getByText('Price per use: 1 CFD'), 15_000);
      assert.deepEqual(await terms.getByRole('listitem').allTextContents(), [
        `Collection: #${collectionId}`,
        'Rental: 5 CFD for 1 h',
        'Sale: 10 CFD',
        'Price per use: 1 CFD',
        'Subscription to the collection: 20 CFD for 30 d',
      ]);
      await shot(page, '9-offered');
      mark('offered');

      // Shop: the requester (browser wallet) sees the offers, rents the data set and subscribes to
      // the collection: its escrow drops by exactly each price, the ends are shown, the indexer agrees.
      await page.getByLabel('Account').selectOption('browser wallet');
      await page.getByRole('link', { name: 'Shop' }).click();
      const offers = page.getByRole('table', { name: 'For rent or sale' });
      const row = offers.getByRole('row').filter({ hasText: 'dashboard readings' });
      await shown(page, row, 15_000);
      assert.match((await row.textContent()) ?? '', /5 CFD for 1 h\s*10 CFD\s*1 CFD/);
      const sampleRow = offers.getByRole('row').filter({ hasText: 'dashboard sample' });
      await shown(page, sampleRow, 15_000);
      assert.match((await sampleRow.textContent()) ?? '', /—\s*2 CFD\s*0 CFD/);
      const collection = page
        .getByRole('table', { name: 'Collections by subscription' })
        .getByRole('row')
        .filter({ hasText: `#${collectionId}` });
      assert.match((await collection.textContent()) ?? '', /dashboard readings\s*20 CFD for 30 d/);
      const escrow = page.getByText(/^Your escrow: /);
      const escrowBefore = parseUnits(/([\d.]+) CFD/.exec((await escrow.textContent()) ?? '')?.[1] ?? 'none', 9);
      const escrowIs = (units: bigint) =>
        shown(page, page.getByText(`Your escrow: ${formatToken(units)}`, { exact: true }), 15_000);
      await shot(page, '10-shop');
      await row.getByRole('button', { name: 'Rent dashboard readings' }).click();
      const rented = page.getByRole('status').filter({ hasText: 'Rented dashboard readings for 5 CFD' });
      await shown(page, rented, 15_000);
      const rentalEnd = (await rented.locator('time').getAttribute('datetime')) ?? '';
      const endSeconds = Date.parse(rentalEnd) / 1000;
      assert.ok(Math.abs(endSeconds - (Date.now() / 1000 + 3600)) < 300, `the rental ends in an hour: ${rentalEnd}`);
      await escrowIs(escrowBefore - 5n * CFD);
      await collection.getByRole('button', { name: `Subscribe to collection #${collectionId}` }).click();
      const subscribed = page.getByRole('status').filter({ hasText: `Subscribed to collection #${collectionId}` });
      await shown(page, subscribed, 15_000);
      const subscriptionEnd = (await subscribed.locator('time').getAttribute('datetime')) ?? '';
      await escrowIs(escrowBefore - 25n * CFD);
      // The data set is usable until the later of the two ends; the subscription's own end is listed.
      await shown(page, row.locator(`time[datetime="${subscriptionEnd}"]`), 15_000);
      await shown(page, collection.locator(`time[datetime="${subscriptionEnd}"]`), 15_000);
      const indexed = await fetch(`${started.stack.indexer.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: `query Mine($me: String!) {
            rentals(where: { renter: $me }) { renter endDate price }
            subscriptions(where: { subscriber: $me }) { endDate price }
          }`,
          variables: { me: requester.address },
        }),
      });
      const { data } = (await indexed.json()) as {
        data: {
          rentals: { renter: string; endDate: string; price: string }[];
          subscriptions: { endDate: string; price: string }[];
        };
      };
      assert.deepEqual(
        data.rentals.map((r) => [r.renter.toLowerCase(), Number(r.endDate), BigInt(r.price)]),
        [[requester.address.toLowerCase(), endSeconds, 5n * CFD]],
      );
      assert.deepEqual(
        data.subscriptions.map((r) => [Number(r.endDate), BigInt(r.price)]),
        [[Date.parse(subscriptionEnd) / 1000, 20n * CFD]],
      );
      mark('rented and subscribed');

      // Run climate-stats on it by right of the rental (consumeProtectedData), paying the price per
      // use shown (the max price left empty); decrypt the result here.
      const consume = page.getByRole('form', { name: 'Run an app on rented data' });
      await shown(page, consume, 15_000);
      await consume.getByLabel('App to run').selectOption({ label: 'climate-stats' });
      await consume.getByLabel('Max price per use (CFD)').fill('-1');
      await consume.getByRole('button', { name: 'Run the app' }).click();
      const badBound = page.getByRole('alert');
      await badBound.waitFor({ timeout: 15_000 });
      assert.match(
        (await badBound.textContent()) ?? '',
        /The max price per use must be an amount in CFD.*\(CONFIDE_WEB_INVALID_INPUT\)/,
      );
      await consume.getByLabel('Max price per use (CFD)').fill('');
      await consume.getByRole('button', { name: 'Run the app' }).click();
      await shown(page, page.getByRole('status').filter({ hasText: 'Task COMPLETED' }), 45_000);
      await page.getByRole('button', { name: 'Download and decrypt the result' }).click();
      const stats = page.getByRole('figure', { name: 'Content of result.json' });
      await shown(page, stats, 15_000);
      assert.equal(await stats.textContent(), `${JSON.stringify(computeClimateStats(`${csv}\n`), null, 2)}\n`);
      await shot(page, '11-shop-run');
      mark('consumed');

      // Buying it while rented is refused by the contract; the page says so with the error's code.
      await row.getByRole('button', { name: 'Buy dashboard readings' }).click();
      const refused = page.getByRole('alert');
      await refused.waitFor({ timeout: 15_000 });
      assert.match((await refused.textContent()) ?? '', /SharingDataInUse.*\(CONFIDE_DATAPROTECTOR_SHARING_REFUSED\)/);
      await shot(page, '12-shop-refused');

      // Buying the second data set succeeds: the escrow drops by exactly its price, and it is the
      // buyer's on chain (the registry), in the indexer and in the buyer's My data.
      const { publicClient } = started.stack.clients(requester);
      const { hub } = started.stack;
      const onChainEscrow = () =>
        publicClient.readContract({
          address: hub,
          abi: confideHubAbi,
          functionName: 'balanceOf',
          args: [requester.address],
        });
      const beforeBuy = await onChainEscrow();
      await sampleRow.getByRole('button', { name: 'Buy dashboard sample' }).click();
      await shown(page, page.getByRole('status').filter({ hasText: 'Bought dashboard sample for 2 CFD' }), 15_000);
      await escrowIs(beforeBuy - 2n * CFD);
      assert.equal(await onChainEscrow(), beforeBuy - 2n * CFD);
      const registryOwner = await publicClient.readContract({
        address: started.stack.devnet.addresses.datasetRegistry,
        abi: datasetRegistryAbi,
        functionName: 'ownerOfAsset',
        args: [sampleAddress as `0x${string}`],
      });
      assert.equal(registryOwner, requester.address);
      await shot(page, '13-shop-bought');
      await page.getByRole('link', { name: 'My data' }).click();
      const bought = page.getByRole('region', { name: 'Protected data dashboard sample' });
      await shown(page, bought.getByText('No access granted.'), 15_000);
      await shot(page, '14-bought-in-my-data');
      const sold = await fetch(`${started.stack.indexer.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: `query Sold($me: String!, $data: ID!) {
            sales(where: { buyer: $me }) { dataset seller price }
            protectedDatas(where: { id: $data }) { owner effectiveOwner collection { id } }
          }`,
          variables: { me: requester.address, data: sampleAddress },
        }),
      });
      const { data: soldData } = (await sold.json()) as {
        data: {
          sales: { dataset: string; seller: string; price: string }[];
          protectedDatas: { owner: string; effectiveOwner: string; collection: { id: string } | null }[];
        };
      };
      assert.deepEqual(
        soldData.sales.map((s) => [s.dataset.toLowerCase(), s.seller.toLowerCase(), BigInt(s.price)]),
        [[sampleAddress.toLowerCase(), dataOwner.address.toLowerCase(), 2n * CFD]],
      );
      assert.deepEqual(
        soldData.protectedDatas.map((d) => [d.owner.toLowerCase(), d.effectiveOwner.toLowerCase(), d.collection]),
        [[requester.address.toLowerCase(), requester.address.toLowerCase(), null]],
      );
      mark('bought');

      // The owner settles the run's use (DataSharing pays it the price per use it held); its
      // earnings, from the indexer: the rent, the subscription, the sale and the use. The data sold
      // is no longer listed as the seller's.
      await page.getByLabel('Account').selectOption('data owner');
      await page.getByRole('link', { name: 'My data' }).click();
      await mine.getByRole('button', { name: 'Settle the uses of dashboard readings' }).click();
      await shown(page, mine.getByRole('status').filter({ hasText: 'Settled 1 use: 1 CFD paid to you.' }), 15_000);
      const earnings = page.getByRole('list', { name: 'Earnings by kind' });
      await shown(page, earnings.getByText('Total: 28 CFD'), 15_000);
      assert.deepEqual(await earnings.getByRole('listitem').allTextContents(), [
        'Rentals: 5 CFD',
        'Subscriptions: 20 CFD',
        'Sales: 2 CFD',
        'Uses (settled): 1 CFD',
        'Total: 28 CFD',
      ]);
      await shown(page, mine.getByText('Runs by renters and subscribers: 1.'), 15_000);
      const stillListed = page.getByRole('region', { name: 'Protected data dashboard sample' });
      assert.equal(await stillListed.count(), 0, 'the seller no longer lists the data sold');
      await shot(page, '15-earnings');
      mark('earnings shown');
      assert.deepEqual(pageErrors, []);
      assert.notEqual(dataOwner.address, requester.address);
    } finally {
      await browser?.close();
      await started?.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

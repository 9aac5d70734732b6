import type { Command } from 'commander';
import { type Address, formatUnits } from 'viem';
import {
  type CommonOptions,
  parseAddress,
  parseApp,
  parseId,
  parseTag,
  parseUser,
  sdkFor,
  withNetwork,
  withOutput,
  withWallet,
} from '../context.js';
import { CliError } from '../errors.js';
import { loadNetwork } from '../network.js';
import { printResult } from '../output.js';
import { findWallet, unlockWallet } from '../wallets.js';
import { registerAssetDeployCommand } from './deployAsset.js';

/** `key: value` lines of a flat result, for the human output. */
const lines = (value: Record<string, unknown>): string[] =>
  Object.entries(value).map(([k, v]) => `${k}: ${typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`);

/** An orderbook filter: `any`, an address, or (for `--requester`) a wallet name. */
async function parseFilter(value: string | undefined, flag: string): Promise<Address | 'any' | undefined> {
  if (value === undefined || value === 'any') return value;
  return flag === '--requester' ? parseUser(value, flag) : parseAddress(value, flag);
}

/** A non-negative integer flag. @throws CliError `CONFIDE_CLI_INVALID_INPUT` */
function parseIndex(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new CliError('CONFIDE_CLI_INVALID_INPUT', { details: `${flag} must be a non-negative integer` });
  }
  return Number(value);
}

type Kind = 'app' | 'dataset' | 'workerpool';

/** `app|dataset|workerpool show <address>` and `count [--owner]`. */
function registerAssetCommands(program: Command, kind: Kind): void {
  const group = program.command(kind).description(`The ${kind} registry: show one, count an owner's, deploy one`);
  withOutput(
    withNetwork(
      group
        .command('show <address>')
        .description(
          `An ${kind}'s fields on chain${kind === 'app' ? ' (an address, or the name of an example app)' : ''}`,
        ),
    ),
  ).action(async (value: string, o: CommonOptions) => {
    const network = await loadNetwork(o);
    const address = kind === 'app' ? parseApp(network, value) : parseAddress(value, kind);
    const client = await sdkFor(network);
    const shown =
      kind === 'app'
        ? await client.showApp({ app: address })
        : kind === 'dataset'
          ? await client.showDataset({ dataset: address })
          : await client.showWorkerpool({ workerpool: address });
    printResult(o, shown, lines(shown));
  });
  withOutput(
    withNetwork(
      group
        .command('count')
        .description(`How many ${kind}s an owner has registered (default: the wallet's)`)
        .option('--owner <address|wallet>', 'the owner')
        .option('--wallet <name|address>', 'wallet whose assets to count')
        .option('--keystore <file>', 'a keystore file anywhere'),
    ),
  ).action(async (o: CommonOptions & { owner?: string }) => {
    const owner = o.owner ? await parseUser(o.owner, '--owner') : (await findWallet(o)).address;
    const client = await sdkFor(await loadNetwork(o));
    const count =
      kind === 'app'
        ? await client.countUserApps({ owner })
        : kind === 'dataset'
          ? await client.countUserDatasets({ owner })
          : await client.countUserWorkerpools({ owner });
    printResult(o, { owner, count }, [`${owner} owns ${count} ${kind}(s)`]);
  });
  registerAssetDeployCommand(group, kind);
}

type BookOptions = CommonOptions & {
  app?: string;
  dataset?: string;
  workerpool?: string;
  requester?: string;
  category?: string;
  tag?: string;
  minVolume?: string;
  page?: string;
  pageSize?: string;
};

const PRICE = { app: 'appprice', dataset: 'datasetprice', workerpool: 'workerpoolprice', requester: 'appmaxprice' };

/** `orderbook app|dataset|workerpool|requester`: one page of the market's open orders, filtered as iExec's. */
function registerOrderbookCommands(program: Command): void {
  const orderbook = program.command('orderbook').description("The market's open orders, filtered, one page at a time");
  const books = [
    { book: 'app', arg: '<app>', filters: ['dataset', 'workerpool', 'requester'] },
    { book: 'dataset', arg: '<dataset>', filters: ['app', 'workerpool', 'requester'] },
    { book: 'workerpool', arg: '[workerpool]', filters: ['app', 'dataset', 'requester', 'category'] },
    { book: 'requester', arg: '[requester]', filters: ['app', 'dataset', 'workerpool', 'category'] },
  ] as const;
  for (const { book, arg, filters } of books) {
    let cmd = orderbook.command(`${book} ${arg}`).description(`Open ${book} orders`);
    for (const filter of filters) {
      cmd =
        filter === 'category'
          ? cmd.option('--category <id>', 'only this category')
          : cmd.option(`--${filter} <address|any>`, `orders that admit this ${filter}`);
    }
    cmd = cmd
      .option('--tag <tee|bytes32>', 'orders whose tag has at least these bits')
      .option('--min-volume <n>', 'at least this remaining volume')
      .option('--page <n>', 'page number from 0', '0')
      .option('--page-size <n>', 'orders per page (1–1000)', '20');
    withOutput(withNetwork(cmd)).action(async (value: string | undefined, o: BookOptions) => {
      const network = await loadNetwork(o);
      const main =
        value === undefined
          ? undefined
          : book === 'app'
            ? parseApp(network, value)
            : book === 'requester'
              ? await parseUser(value, book)
              : parseAddress(value, book);
      const common = {
        ...(o.tag !== undefined ? { minTag: parseTag(o.tag) } : {}),
        ...(o.minVolume !== undefined ? { minVolume: parseIndex(o.minVolume, '--min-volume') } : {}),
        page: parseIndex(o.page, '--page'),
        pageSize: parseIndex(o.pageSize, '--page-size'),
      };
      const f = {
        app: await parseFilter(o.app, '--app'),
        dataset: await parseFilter(o.dataset, '--dataset'),
        workerpool: await parseFilter(o.workerpool, '--workerpool'),
        requester: await parseFilter(o.requester, '--requester'),
        category: parseIndex(o.category, '--category'),
      };
      const defined = <T extends Record<string, unknown>>(x: T) =>
        Object.fromEntries(Object.entries(x).filter(([, v]) => v !== undefined)) as T;
      const client = await sdkFor(network);
      const page =
        book === 'app'
          ? await client.fetchAppOrderbook(defined({ ...f, ...common, app: main as Address }))
          : book === 'dataset'
            ? await client.fetchDatasetOrderbook(defined({ ...f, ...common, dataset: main as Address }))
            : book === 'workerpool'
              ? await client.fetchWorkerpoolOrderbook(defined({ ...f, ...common, workerpool: main }))
              : await client.fetchRequestOrderbook(defined({ ...f, ...common, requester: main }));
      const price = PRICE[book];
      printResult(o, page, [
        `${page.count} open ${book} order(s)${page.nextPage !== undefined ? ` (next: --page ${page.nextPage})` : ''}`,
        ...page.orders.map((entry) => {
          const amount = (entry.order as unknown as Record<string, bigint>)[price] ?? 0n;
          return `${entry.orderHash}  ${formatUnits(amount, 9)} CFD  remaining ${entry.remaining}`;
        }),
      ]);
    });
  }
}

/** `deal show|claim`, `task show|claim`. */
function registerDealCommands(program: Command): void {
  const deal = program.command('deal').description('Deals: the matched orders and their tasks');
  withOutput(withNetwork(deal.command('show <dealId>').description('A deal, its tasks and deadline'))).action(
    async (value: string, o: CommonOptions) => {
      const dealId = parseId(value, 'dealId');
      const shown = await (await sdkFor(await loadNetwork(o))).showDeal({ dealId });
      printResult(o, shown, lines(shown));
    },
  );
  withOutput(
    withWallet(
      withNetwork(
        deal
          .command('claim <dealId>')
          .description(
            'Refund every task of a deal that missed its final deadline (initialized or not): the requester gets the deal price back',
          ),
      ),
    ),
  ).action(async (value: string, o: CommonOptions) => {
    const dealId = parseId(value, 'dealId');
    const network = await loadNetwork(o);
    const { account } = await unlockWallet(o);
    const { claimed, txHashes } = await (await sdkFor(network, account)).claimDeal({ dealId });
    printResult(o, { dealId, claimed, txHashes }, [
      `claimed ${claimed.length} task(s) of deal ${dealId}`,
      ...claimed.map((taskId) => `  ${taskId}`),
      `tx ${txHashes.join(', ')}`,
    ]);
  });
  const task = program.command('task').description('Tasks: their status, and claims of the failed ones');
  withOutput(
    withNetwork(task.command('show <taskId>').description('A task: status name, deadlines, results location')),
  ).action(async (value: string, o: CommonOptions) => {
    const taskId = parseId(value, 'taskId');
    const shown = await (await sdkFor(await loadNetwork(o))).showTask({ taskId });
    printResult(o, shown, lines(shown));
  });
  withOutput(
    withWallet(
      withNetwork(
        task
          .command('claim <taskId>')
          .description('Refund a task that missed its final deadline (its deal price goes back to the requester)'),
      ),
    ),
  ).action(async (value: string, o: CommonOptions) => {
    const taskId = parseId(value, 'taskId');
    const network = await loadNetwork(o);
    const { account } = await unlockWallet(o);
    const { txHash } = await (await sdkFor(network, account)).claimTask({ taskId });
    printResult(o, { taskId, txHash }, [`claimed ${taskId} (${txHash})`]);
  });
}

/** A category as printed: the SDK's, its id as `id` too (the name iExec's CLI prints). */
const categoryView = (c: { catid: bigint; name: string; description: string; workClockTimeRef: bigint }) => ({
  id: Number(c.catid),
  name: c.name,
  description: c.description,
  workClockTimeRef: c.workClockTimeRef,
});

/**
 * `category list|show|count|create`: the hub's compute categories (the SDK's `countCategory`,
 * `showCategory`, `createCategory`); creating one is the hub owner's.
 */
function registerCategoryCommands(program: Command): void {
  const category = program.command('category').description('Compute categories: the work-clock time of a task');
  withOutput(withNetwork(category.command('list').description('Every category of the hub'))).action(
    async (o: CommonOptions) => {
      const client = await sdkFor(await loadNetwork(o));
      const count = await client.countCategory();
      const all = (
        await Promise.all(Array.from({ length: Number(count) }, (_, catid) => client.showCategory({ catid })))
      ).map(categoryView);
      printResult(
        o,
        all,
        all.map((c) => `${c.id}  ${c.name}  ${c.workClockTimeRef} s  ${c.description}`),
      );
    },
  );
  withOutput(withNetwork(category.command('show <id>').description('One category'))).action(
    async (value: string, o: CommonOptions) => {
      const catid = parseIndex(value, 'id') as number;
      const client = await sdkFor(await loadNetwork(o));
      const count = await client.countCategory();
      if (BigInt(catid) >= count) {
        // This command's code since it exists (the SDK says CONFIDE_SDK_CATEGORY_NOT_FOUND).
        throw new CliError('CONFIDE_CLI_UNKNOWN_ADDRESS', {
          details: `category ${catid} does not exist (the hub has ${count})`,
        });
      }
      const shown = categoryView(await client.showCategory({ catid }));
      printResult(o, shown, lines(shown));
    },
  );
  withOutput(
    withNetwork(category.command('count').description('How many categories the hub has (ids 0 to count − 1)')),
  ).action(async (o: CommonOptions) => {
    const count = await (await sdkFor(await loadNetwork(o))).countCategory();
    printResult(o, { count }, [`${count} categories`]);
  });
  withOutput(
    withWallet(
      withNetwork(
        category
          .command('create')
          .description("Add a category (the hub owner's wallet only; iExec: `iexec category create`)")
          .requiredOption('--name <name>', 'the name, e.g. GPU-S')
          .option('--description <text>', 'what a task of it may use', '')
          .requiredOption('--duration <seconds>', "a task's work-clock time; the deal's final deadline is 10 times it"),
      ),
    ),
  ).action(async (o: CommonOptions & { name: string; description: string; duration: string }) => {
    const workClockTimeRef = parseIndex(o.duration, '--duration') as number;
    if (workClockTimeRef < 1 || workClockTimeRef > 2 ** 24 - 1) {
      throw new CliError('CONFIDE_CLI_INVALID_INPUT', { details: '--duration must be 1 to 16777215 seconds' });
    }
    if (!o.name || o.name.length > 256 || o.description.length > 4096) {
      throw new CliError('CONFIDE_CLI_INVALID_INPUT', {
        details: '--name must be 1 to 256 characters, --description at most 4096',
      });
    }
    const network = await loadNetwork(o);
    const { account } = await unlockWallet(o);
    const { catid, txHash } = await (await sdkFor(network, account)).createCategory({
      name: o.name,
      description: o.description,
      workClockTimeRef,
    });
    printResult(
      o,
      {
        id: Number(catid),
        name: o.name,
        description: o.description,
        workClockTimeRef: BigInt(workClockTimeRef),
        txHash,
      },
      [`category ${catid} ${o.name} created (${workClockTimeRef} s per task, tx ${txHash})`],
    );
  });
}

/** `worker show <address>`: a worker's score and stake on the replicated (Proof of Contribution) path. */
function registerWorkerCommands(program: Command): void {
  const worker = program.command('worker').description('Workers of replicated tasks: their score and stake');
  withOutput(
    withNetwork(
      worker
        .command('show <address>')
        .description('Score (consensus weight), free escrow to stake and stakes locked in pending contributions'),
    ),
  ).action(async (value: string, o: CommonOptions) => {
    const address = parseAddress(value, 'worker');
    const shown = await (await sdkFor(await loadNetwork(o))).showWorker({ worker: address });
    const view = {
      worker: shown.worker,
      score: shown.score,
      stake: formatUnits(shown.stake, 9),
      locked: formatUnits(shown.locked, 9),
    };
    printResult(o, view, [
      `worker ${view.worker}`,
      `score: ${view.score}`,
      `stake: ${view.stake} CFD free, ${view.locked} CFD locked in contributions`,
    ]);
  });
}

/** The iExec CLI's read-mostly commands, on `packages/sdk`. */
export function registerMarketCommands(program: Command): void {
  for (const kind of ['app', 'dataset', 'workerpool'] as const) registerAssetCommands(program, kind);
  registerOrderbookCommands(program);
  registerDealCommands(program);
  registerCategoryCommands(program);
  registerWorkerCommands(program);
}

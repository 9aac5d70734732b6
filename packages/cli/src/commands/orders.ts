import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { type Address, type Hex, isHex, toHex, zeroAddress } from 'viem';
import type { OrderKind } from '../../../protocol/src/index.js';
import {
  type CommonOptions,
  parseAddress,
  parseAmount,
  parseApp,
  parseCount,
  parseTag,
  parseUser,
  sdkFor,
  withNetwork,
  withOutput,
  withWallet,
} from '../context.js';
import { CliError } from '../errors.js';
import { loadNetwork, type Network, need } from '../network.js';
import { note, printResult } from '../output.js';
import { ensureResultKey, findWallet, unlockWallet } from '../wallets.js';

/** The flags that make an order (iExec reads them from iexec.json; Confide from the command line). */
type OrderFlags = {
  app?: string;
  dataset?: string;
  workerpool?: string;
  request?: boolean;
  price?: string;
  volume?: string;
  tag?: string;
  category?: string;
  trust?: string;
  appRestrict?: string;
  datasetRestrict?: string;
  workerpoolRestrict?: string;
  requesterRestrict?: string;
  appMaxPrice?: string;
  datasetMaxPrice?: string;
  workerpoolMaxPrice?: string;
  beneficiary?: string;
  callback?: string;
  args?: string;
  secret?: string[];
};

type OrderOptions = CommonOptions & OrderFlags & { out?: string; kind?: string };

/** An order as the CLI writes and reads it: JSON, numbers as decimal strings. */
type OrderDocument = { kind: OrderKind; chainId: number; hub: Address; orderHash: Hex; order: Record<string, unknown> };

const KINDS = {
  app: 'AppOrder',
  dataset: 'DatasetOrder',
  workerpool: 'WorkerpoolOrder',
  request: 'RequestOrder',
} as const;
const NAMES: Record<OrderKind, string> = {
  AppOrder: 'app order',
  DatasetOrder: 'dataset order',
  WorkerpoolOrder: 'workerpool order',
  RequestOrder: 'request order',
};

/** The flags each kind of order takes (besides the one that names the kind). */
const FIELDS: Record<OrderKind, (keyof OrderFlags)[]> = {
  AppOrder: ['app', 'price', 'volume', 'tag', 'datasetRestrict', 'workerpoolRestrict', 'requesterRestrict'],
  DatasetOrder: ['dataset', 'price', 'volume', 'tag', 'appRestrict', 'workerpoolRestrict', 'requesterRestrict'],
  WorkerpoolOrder: [
    'workerpool',
    'price',
    'volume',
    'tag',
    'category',
    'trust',
    'appRestrict',
    'datasetRestrict',
    'requesterRestrict',
  ],
  RequestOrder: [
    'request',
    'app',
    'dataset',
    'workerpool',
    'appMaxPrice',
    'datasetMaxPrice',
    'workerpoolMaxPrice',
    'volume',
    'tag',
    'category',
    'trust',
    'beneficiary',
    'callback',
    'args',
    'secret',
  ],
};
const ALL_FIELDS = [...new Set(Object.values(FIELDS).flat())];
const flagOf = (field: string) => `--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

const json = (value: unknown) =>
  `${JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`;

/** A non-negative integer flag. @throws CliError `CONFIDE_CLI_INVALID_INPUT` */
function parseUint(value: string | undefined, flag: string): bigint | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,18}$/.test(value)) {
    throw new CliError('CONFIDE_CLI_INVALID_INPUT', { details: `${flag} must be a non-negative integer` });
  }
  return BigInt(value);
}

/** `--secret 1=name` (repeatable) → iExec's `iexec_secrets`. @throws CliError `CONFIDE_CLI_INVALID_INPUT` */
function parseSecretNames(values: string[]): Record<string, string> | undefined {
  if (values.length === 0) return undefined;
  const secrets: Record<string, string> = {};
  for (const value of values) {
    const match = /^([1-9]\d{0,2})=([A-Za-z0-9_-]{1,64})$/.exec(value);
    if (!match) {
      throw new CliError('CONFIDE_CLI_INVALID_INPUT', { details: '--secret must be <index 1-999>=<secret name>' });
    }
    secrets[match[1] as string] = match[2] as string;
  }
  return secrets;
}

/** Which order the flags describe: `--request`, else the one of `--app`, `--dataset`, `--workerpool`. */
function kindOf(o: OrderFlags): OrderKind {
  if (o.request) return 'RequestOrder';
  const named = (['app', 'dataset', 'workerpool'] as const).filter((k) => o[k] !== undefined);
  if (named.length !== 1) {
    throw new CliError('CONFIDE_CLI_INVALID_INPUT', {
      details: 'say which order: one of --app <address>, --dataset <address>, --workerpool <address>, or --request',
    });
  }
  return KINDS[named[0] as 'app' | 'dataset' | 'workerpool'];
}

/** `--kind app|dataset|workerpool|request`. @throws CliError `CONFIDE_CLI_INVALID_INPUT` */
function parseKind(value: string | undefined): OrderKind | undefined {
  if (value === undefined) return undefined;
  const kind = KINDS[value as keyof typeof KINDS];
  if (!kind)
    throw new CliError('CONFIDE_CLI_INVALID_INPUT', { details: '--kind must be app, dataset, workerpool or request' });
  return kind;
}

/** The restriction flags: addresses, a wallet name for the requester, an app name for the app. */
async function restrictions(network: Network, o: OrderFlags) {
  return {
    ...(o.appRestrict ? { apprestrict: parseApp(network, o.appRestrict) } : {}),
    ...(o.datasetRestrict ? { datasetrestrict: parseAddress(o.datasetRestrict, '--dataset-restrict') } : {}),
    ...(o.workerpoolRestrict
      ? { workerpoolrestrict: parseAddress(o.workerpoolRestrict, '--workerpool-restrict') }
      : {}),
    ...(o.requesterRestrict ? { requesterrestrict: await parseUser(o.requesterRestrict, '--requester-restrict') } : {}),
  };
}

const defined = <T extends Record<string, unknown>>(x: T) =>
  Object.fromEntries(Object.entries(x).filter(([, v]) => v !== undefined)) as T;

/**
 * The unsigned order the flags describe, built by the SDK with iExec's defaults; a request is the
 * `requester`'s, its result encrypted to the requester's result key.
 * @throws CliError `CONFIDE_CLI_INVALID_INPUT` for a flag the kind does not take or a malformed value
 */
async function buildOrder(network: Network, o: OrderFlags, requester: () => Promise<Address>) {
  const kind = kindOf(o);
  const wrong = ALL_FIELDS.filter((f) => o[f] !== undefined && !(f === 'secret' && o.secret?.length === 0));
  const refused = wrong.filter((f) => !FIELDS[kind].includes(f));
  if (refused.length > 0) {
    throw new CliError('CONFIDE_CLI_INVALID_INPUT', {
      details: `${refused.map(flagOf).join(', ')}: not a field of a ${NAMES[kind]}`,
    });
  }
  const client = await sdkFor(network);
  const common = defined({
    volume: o.volume !== undefined ? BigInt(parseCount(o.volume, '--volume')) : undefined,
    tag: parseTag(o.tag),
  });
  const price = o.price !== undefined ? parseAmount(o.price, '--price') : undefined;
  const restrict = await restrictions(network, o);
  if (kind === 'AppOrder') {
    return {
      kind,
      order: client.createAppOrder({
        app: parseApp(network, String(o.app)),
        ...common,
        ...restrict,
        ...defined({ appprice: price }),
      }),
    };
  }
  if (kind === 'DatasetOrder') {
    const dataset = parseAddress(String(o.dataset), '--dataset');
    return {
      kind,
      order: client.createDatasetOrder({ dataset, ...common, ...restrict, ...defined({ datasetprice: price }) }),
    };
  }
  const category = parseUint(o.category, '--category') ?? 0n;
  const trust = parseUint(o.trust, '--trust');
  if (kind === 'WorkerpoolOrder') {
    const workerpool = parseAddress(String(o.workerpool), '--workerpool');
    return {
      kind,
      order: client.createWorkerpoolOrder({
        workerpool,
        category,
        ...common,
        ...restrict,
        ...defined({ workerpoolprice: price, trust }),
      }),
    };
  }
  if (!o.app) throw new CliError('CONFIDE_CLI_INVALID_INPUT', { details: '--request needs --app <address>' });
  const app = parseApp(network, o.app);
  const who = await requester();
  const { recipient } = await ensureResultKey(who);
  const secrets = parseSecretNames(o.secret ?? []);
  const order = client.createRequestOrder({
    app,
    requester: who,
    category,
    ...common,
    ...defined({
      trust,
      appmaxprice: o.appMaxPrice !== undefined ? parseAmount(o.appMaxPrice, '--app-max-price') : undefined,
      dataset: o.dataset ? parseAddress(o.dataset, '--dataset') : undefined,
      datasetmaxprice:
        o.datasetMaxPrice !== undefined ? parseAmount(o.datasetMaxPrice, '--dataset-max-price') : undefined,
      workerpool: o.workerpool ? parseAddress(o.workerpool, '--workerpool') : undefined,
      workerpoolmaxprice:
        o.workerpoolMaxPrice !== undefined ? parseAmount(o.workerpoolMaxPrice, '--workerpool-max-price') : undefined,
      beneficiary: o.beneficiary ? await parseUser(o.beneficiary, '--beneficiary') : undefined,
      callback: o.callback ? parseAddress(o.callback, '--callback') : undefined,
    }),
    params: defined({ iexec_args: o.args, iexec_secrets: secrets, confide_result_recipient: recipient }),
  });
  return { kind, order };
}

/** An order with the network's domain and its hash, as the CLI prints and writes it. */
async function documentOf(network: Network, kind: OrderKind, order: Record<string, unknown>): Promise<OrderDocument> {
  const orderHash = (await sdkFor(network)).hashOrder({ kind, order } as never);
  return { kind, chainId: network.chainId, hub: network.hub, orderHash, order };
}

/** Signs `order` with the wallet. */
async function sign(network: Network, o: OrderOptions, kind: OrderKind, order: Record<string, unknown>) {
  const { account } = await unlockWallet(o);
  const signed = await (await sdkFor(network, account)).signOrder({ kind, order } as never);
  return signed as unknown as Record<string, unknown>;
}

const HASH = /^0x[0-9a-fA-F]{64}$/;

/**
 * An order named on the command line: a file written by `confide order init|sign` (`-` for
 * stdin), or the hash of an order in the market (looked up in the `kind` book, else in all four).
 * @throws CliError `CONFIDE_CLI_ORDER_INVALID`, `CONFIDE_CLI_UNKNOWN_ADDRESS`
 */
async function loadOrder(network: Network, ref: string, kind?: OrderKind): Promise<OrderDocument> {
  const client = await sdkFor(network);
  if (HASH.test(ref)) {
    need(network, 'marketUrl');
    const orderHash = ref.toLowerCase() as Hex;
    for (const k of kind ? [kind] : (Object.values(KINDS) as OrderKind[])) {
      try {
        const entry = await client.fetchOrder({ kind: k, orderHash });
        return { kind: k, chainId: network.chainId, hub: network.hub, orderHash, order: entry.order as never };
      } catch (error) {
        if ((error as { code?: string }).code !== 'CONFIDE_MARKET_ORDER_NOT_FOUND') throw error;
      }
    }
    throw new CliError('CONFIDE_CLI_UNKNOWN_ADDRESS', {
      details: `the market holds no ${kind ? NAMES[kind] : 'order'} ${orderHash}`,
    });
  }
  const text = await (ref === '-' ? readStdin() : readFile(ref, 'utf8')).catch((cause: unknown) => {
    throw new CliError('CONFIDE_CLI_INVALID_INPUT', {
      details: `cannot read ${ref} (a file, - for stdin, or an order hash)`,
      cause,
    });
  });
  const invalid = (details: string, cause?: unknown) =>
    new CliError('CONFIDE_CLI_ORDER_INVALID', { details: `${ref}: ${details}`, cause });
  let doc: Partial<OrderDocument>;
  try {
    doc = JSON.parse(text) as Partial<OrderDocument>;
  } catch (cause) {
    throw invalid('not JSON', cause);
  }
  if (typeof doc !== 'object' || doc === null || !Object.values(KINDS).includes(doc.kind as never)) {
    throw invalid(`"kind" must be one of ${Object.values(KINDS).join(', ')}`);
  }
  if (kind && doc.kind !== kind) throw invalid(`a ${NAMES[doc.kind as OrderKind]}, not a ${NAMES[kind]}`);
  if (typeof doc.order !== 'object' || doc.order === null) throw invalid('no "order" object');
  if (
    (doc.chainId !== undefined && doc.chainId !== network.chainId) ||
    (doc.hub !== undefined && String(doc.hub).toLowerCase() !== network.hub.toLowerCase())
  ) {
    throw invalid(
      `made for chain ${doc.chainId} hub ${doc.hub}, not this network (chain ${network.chainId} hub ${network.hub})`,
    );
  }
  let orderHash: Hex;
  try {
    orderHash = client.hashOrder({ kind: doc.kind, order: doc.order } as never);
  } catch (error) {
    throw invalid((error as { details?: string }).details ?? 'not an order', error);
  }
  return { kind: doc.kind as OrderKind, chainId: network.chainId, hub: network.hub, orderHash, order: doc.order };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const isSigned = (order: Record<string, unknown>) =>
  typeof order.sign === 'string' && isHex(order.sign) && order.sign !== '0x';

/** Prints an order document: on stdout (it is the output, `--json` or not), or into `--out`. */
async function emit(o: OrderOptions, doc: OrderDocument, what: string): Promise<void> {
  if (!o.out) {
    process.stdout.write(json(doc));
    return;
  }
  await writeFile(o.out, json(doc));
  printResult(o, { ...doc, file: o.out }, [`${what} ${NAMES[doc.kind]} ${doc.orderHash} written to ${o.out}`]);
}

/** Adds the flags that describe an order. */
function withOrderFlags(cmd: Command): Command {
  return cmd
    .option('--app <address|name>', 'an app order of this app; for --request, the app to run')
    .option('--dataset <address>', 'a dataset order of this dataset; for --request, the dataset to run on')
    .option('--workerpool <address>', 'a workerpool order of this pool; for --request, the pool to insist on')
    .option('--request', 'a request order (with --app, and --dataset, --workerpool…)')
    .option('--price <cfd>', 'app, dataset or workerpool order: price per task (default 0)')
    .option('--volume <n>', 'how many tasks (default 1)')
    .option('--tag <tee|bytes32>', 'required tag bits (default none)')
    .option('--category <id>', 'workerpool and request orders: the category (default 0)')
    .option('--trust <n>', 'workerpool and request orders: replication level (default 0)')
    .option('--app-restrict <address|name>', 'dataset and workerpool orders: only this app')
    .option('--dataset-restrict <address>', 'app and workerpool orders: only this dataset')
    .option('--workerpool-restrict <address>', 'app and dataset orders: only this workerpool')
    .option('--requester-restrict <address|wallet>', 'app, dataset and workerpool orders: only this requester')
    .option('--app-max-price <cfd>', 'request: most paid to the app per task (default 0)')
    .option('--dataset-max-price <cfd>', 'request: most paid to the dataset per task (default 0)')
    .option('--workerpool-max-price <cfd>', 'request: most paid to the workerpool per task (default 0)')
    .option('--beneficiary <address|wallet>', 'request: who gets the result (default the requester)')
    .option('--callback <address>', 'request: a contract called with the result')
    .option('--args <args>', 'request: arguments for the app')
    .option(
      '--secret <index=name>',
      "request: the requester's SMS secret <name> as app secret <index> (repeatable)",
      collect,
    );
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `confide order init|sign|publish|unpublish|cancel|show|fill`: iExec's order commands, on the SDK. */
export function registerOrderCommands(program: Command): void {
  const order = program
    .command('order')
    .description('Orders: make, sign, publish to the market, unpublish, cancel on chain, show, and fill (match) them');

  withOutput(
    withNetwork(
      withOrderFlags(
        order
          .command('init')
          .description('Print an unsigned order with iExec defaults, to edit and then sign (confide order sign <file>)')
          .option('--out <file>', 'write it to this file instead of stdout')
          .option('--wallet <name|address>', 'for --request: the requester (default the only wallet)')
          .option('--keystore <file>', 'its keystore file'),
      ),
    ),
  ).action(async (o: OrderOptions) => {
    const network = await loadNetwork(o);
    const { kind, order: unsigned } = await buildOrder(network, o, async () => (await findWallet(o)).address);
    await emit(o, await documentOf(network, kind, unsigned as never), 'unsigned');
  });

  withOutput(
    withWallet(
      withNetwork(
        withOrderFlags(
          order
            .command('sign [file]')
            .description('Sign an order with the wallet: the one the flags describe, or an unsigned order file')
            .option('--out <file>', 'write the signed order to this file instead of stdout'),
        ),
      ),
    ),
  ).action(async (file: string | undefined, o: OrderOptions) => {
    const network = await loadNetwork(o);
    const built = file
      ? await loadOrder(network, file)
      : await buildOrder(network, o, async () => (await unlockWallet(o)).account.address);
    const signed = await sign(network, o, built.kind, built.order as never);
    await emit(o, await documentOf(network, built.kind, signed), 'signed');
  });

  withOutput(
    withWallet(
      withNetwork(
        withOrderFlags(
          order
            .command('publish [file]')
            .description(
              'Publish a signed order to the market: a file (- for stdin), or sign the one the flags describe',
            ),
        ),
      ),
    ),
  ).action(async (file: string | undefined, o: OrderOptions) => {
    const network = await loadNetwork(o);
    need(network, 'marketUrl');
    const built = file
      ? await loadOrder(network, file)
      : await buildOrder(network, o, async () => (await unlockWallet(o)).account.address);
    const signed = isSigned(built.order) ? built.order : await sign(network, o, built.kind, built.order);
    const published = await (await sdkFor(network)).publishOrder({ kind: built.kind, order: signed } as never);
    printResult(o, { kind: built.kind, ...published }, [
      `published ${NAMES[built.kind]} ${published.orderHash} (remaining ${published.remaining}, signer ${published.signer})`,
    ]);
  });

  const byRef = (name: string, description: string) =>
    order
      .command(`${name} <orderHash|file>`)
      .description(description)
      .option('--kind <app|dataset|workerpool|request>', 'the book to look the hash up in (default: all four)');

  withOutput(
    withWallet(
      withNetwork(byRef('unpublish', 'Remove your order from the market (it stays valid on chain: see cancel)')),
    ),
  ).action(async (ref: string, o: OrderOptions) => {
    const network = await loadNetwork(o);
    need(network, 'marketUrl');
    const { kind, orderHash } = await loadOrder(network, ref, parseKind(o.kind));
    const { account } = await unlockWallet(o);
    const unpublished = await (await sdkFor(network, account)).unpublishOrder({ kind, orderHash });
    printResult(o, { kind, orderHash, unpublished }, [`unpublished ${NAMES[kind]} ${orderHash}`]);
  });

  withOutput(
    withWallet(
      withNetwork(
        byRef('cancel', "Close your order on chain: nobody can match it any more (only the asset's owner can)"),
      ),
    ),
  ).action(async (ref: string, o: OrderOptions) => {
    const network = await loadNetwork(o);
    const { kind, order: toCancel } = await loadOrder(network, ref, parseKind(o.kind));
    const { account } = await unlockWallet(o);
    const { orderHash, txHash } = await (await sdkFor(network, account)).cancelOrder({
      kind,
      order: toCancel,
    } as never);
    printResult(o, { kind, orderHash, txHash }, [`cancelled ${NAMES[kind]} ${orderHash} on chain (tx ${txHash})`]);
  });

  withOutput(
    withNetwork(byRef('show', 'An order of the market: its fields, remaining volume, status and signer')),
  ).action(async (ref: string, o: OrderOptions) => {
    const network = await loadNetwork(o);
    need(network, 'marketUrl');
    const { kind, orderHash } = await loadOrder(network, ref, parseKind(o.kind));
    const entry = await (await sdkFor(network)).fetchOrder({ kind, orderHash });
    printResult(o, { kind, ...entry }, [
      `${NAMES[kind]} ${orderHash}`,
      `status: ${entry.status}, remaining ${entry.remaining}, signer ${entry.signer}`,
      ...Object.entries(entry.order).map(([k, v]) => `  ${k}: ${String(v)}`),
    ]);
  });

  registerFillCommand(order);
}

type FillOptions = CommonOptions & {
  appOrder?: string;
  datasetOrder?: string;
  workerpoolOrder?: string;
  requestOrder?: string;
  app?: string;
  dataset?: string;
  workerpool?: string;
  category?: string;
  volume?: string;
  args?: string;
  secret?: string[];
  skipPreflightCheck?: boolean;
};

/** The bitwise union of tags, as bytes32. */
const tagUnion = (...tags: unknown[]): Hex =>
  toHex(
    tags.filter((t) => t !== undefined).reduce<bigint>((all, t) => all | BigInt(String(t)), 0n),
    { size: 32 },
  );

/** `confide order fill`: matches the given orders, fetching the missing ones from the market (iExec's `order fill`). */
function registerFillCommand(order: Command): void {
  withOutput(
    withWallet(
      withNetwork(
        order
          .command('fill')
          .description(
            "Match orders into a deal (paid by the request's requester): each given as a file or market hash, " +
              "the missing ones the market's best; without --request-order, the wallet signs a request for them",
          )
          .option('--app-order <file|hash>', 'the app order (default: the best in the market for the app)')
          .option('--dataset-order <file|hash>', 'the dataset order (default: the best for the dataset, if any)')
          .option('--workerpool-order <file|hash>', 'the workerpool order (default: the best in the market)')
          .option('--request-order <file|hash>', 'the request order (default: one the wallet signs now)')
          .option('--app <address|name>', 'the app, when no app or request order says it')
          .option('--dataset <address>', 'the dataset, when no dataset or request order says it')
          .option('--workerpool <address>', 'only this workerpool')
          .option('--category <id>', 'the category of the workerpool order to fetch (default 0)')
          .option('--volume <n>', 'tasks of the request the wallet signs (default 1)')
          .option('--args <args>', 'arguments for the app, in the request the wallet signs')
          .option('--secret <index=name>', 'a requester secret for the request the wallet signs (repeatable)', collect)
          .option('--skip-preflight-check', 'do not check the dataset key, secrets and result key in the SMS first'),
      ),
    ),
  ).action(async (o: FillOptions) => {
    const network = await loadNetwork(o);
    const given = {
      app: o.appOrder ? await loadOrder(network, o.appOrder, 'AppOrder') : undefined,
      dataset: o.datasetOrder ? await loadOrder(network, o.datasetOrder, 'DatasetOrder') : undefined,
      workerpool: o.workerpoolOrder ? await loadOrder(network, o.workerpoolOrder, 'WorkerpoolOrder') : undefined,
      request: o.requestOrder ? await loadOrder(network, o.requestOrder, 'RequestOrder') : undefined,
    };
    for (const doc of Object.values(given)) {
      if (doc && !isSigned(doc.order)) {
        throw new CliError('CONFIDE_CLI_ORDER_INVALID', {
          details: `${doc.orderHash} is not signed: confide order sign <file>`,
        });
      }
    }
    const request = given.request?.order;
    const nonZero = (a: unknown) => (a && a !== zeroAddress ? (a as Address) : undefined);
    const app =
      nonZero(request?.app) ?? nonZero(given.app?.order.app) ?? (o.app ? parseApp(network, o.app) : undefined);
    if (!app) {
      throw new CliError('CONFIDE_CLI_INVALID_INPUT', {
        details: 'say which app: --app-order, --request-order or --app',
      });
    }
    const dataset =
      nonZero(request?.dataset) ??
      nonZero(given.dataset?.order.dataset) ??
      (o.dataset ? parseAddress(o.dataset, '--dataset') : undefined);
    const pool =
      nonZero(request?.workerpool) ?? (o.workerpool ? parseAddress(o.workerpool, '--workerpool') : undefined);
    const category = request ? BigInt(String(request.category)) : (parseUint(o.category, '--category') ?? 0n);
    const volume = o.volume !== undefined ? BigInt(parseCount(o.volume, '--volume')) : 1n;
    const secrets = parseSecretNames(o.secret ?? []);
    const { account } = await unlockWallet(o);
    const requester = nonZero(request?.requester) ?? account.address;
    const client = await sdkFor(network, account);

    const best = async <T>(what: string, fetch: () => Promise<{ orders: { order: T }[] }>): Promise<T> => {
      need(network, 'marketUrl');
      const [first] = (await fetch()).orders;
      if (!first) throw new CliError('CONFIDE_CLI_NO_ORDER', { details: `no open ${what} in the market` });
      note(o, `using the market's best ${what}`);
      return first.order;
    };
    const scope = { requester, ...(pool ? { workerpool: pool } : {}) };
    const appOrder =
      given.app?.order ??
      (await best(`app order for ${app}`, () =>
        client.fetchAppOrderbook({ app, ...scope, ...(dataset ? { dataset } : {}), pageSize: 1 }),
      ));
    const datasetOrder = dataset
      ? (given.dataset?.order ??
        (await best(`dataset order for ${dataset}`, () =>
          client.fetchDatasetOrderbook({ dataset, app, ...scope, pageSize: 1 }),
        )))
      : undefined;
    const workerpoolOrder =
      given.workerpool?.order ??
      (await best(`workerpool order (category ${category})`, () =>
        client.fetchWorkerpoolOrderbook({
          app,
          requester,
          category,
          minTag: tagUnion(appOrder.tag, datasetOrder?.tag, request?.tag),
          ...(pool ? { workerpool: pool } : {}),
          ...(dataset ? { dataset } : {}),
          pageSize: 1,
        }),
      ));
    let requestOrder = request;
    if (!requestOrder) {
      const { recipient } = await ensureResultKey(account.address);
      const unsigned = client.createRequestOrder({
        app,
        appmaxprice: BigInt(String(appOrder.appprice)),
        ...(dataset && datasetOrder ? { dataset, datasetmaxprice: BigInt(String(datasetOrder.datasetprice)) } : {}),
        ...(pool ? { workerpool: pool } : {}),
        workerpoolmaxprice: BigInt(String(workerpoolOrder.workerpoolprice)),
        category: BigInt(String(workerpoolOrder.category)),
        trust: BigInt(String(workerpoolOrder.trust)),
        tag: tagUnion(appOrder.tag, datasetOrder?.tag),
        volume,
        params: defined({ iexec_args: o.args, iexec_secrets: secrets, confide_result_recipient: recipient }),
      });
      requestOrder = (await client.signOrder({ kind: 'RequestOrder', order: unsigned })) as never;
    }
    const matched = await client.matchOrders({
      appOrder,
      ...(datasetOrder ? { datasetOrder } : {}),
      workerpoolOrder,
      requestOrder,
      ...(o.skipPreflightCheck ? { skipPreflightCheck: true } : {}),
    } as never);
    const { tasks } = await client.showDeal({ dealId: matched.dealId });
    printResult(o, { ...matched, tasks }, [
      `deal ${matched.dealId} (${matched.volume} task(s), tx ${matched.txHash})`,
      ...tasks.map((t) => `  task ${t}`),
    ]);
  });
}

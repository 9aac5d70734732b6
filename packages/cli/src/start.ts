import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Address } from 'viem';
import { serveDashboard } from '../../web/src/server/serveDashboard.js';
import type { NetworkFile } from './demo.js';
import { DevnetStateError } from './devnet.js';
import { CliError } from './errors.js';
import { offerApp } from './stack/publishApp.js';
import { type Stack, startStack } from './stack/startStack.js';
import { claimStateFolder } from './stateFolder.js';

const APPS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../apps');
const EXAMPLE_APPS = ['hello', 'climate-stats'] as const;
/** What the example apps cost per run: 2 CFD (9 decimals), paid to their developer. */
const APP_PRICE = 2_000_000_000n;

/** Options of `confide start`. */
export type StartOptions = {
  stateDir: string;
  ports: 'auto' | number;
  workers: number;
  /** Start fresh: empty what `confide start` keeps in `stateDir` (default: resume it). */
  reset?: boolean;
};

/** What `confide start` brought up; `stop` stops the dashboard and the stack. */
type Started = {
  stack: Stack;
  apps: Record<string, string>;
  dashboard: { url: string };
  seconds: number;
  stop: () => Promise<void>;
};

/**
 * Starts the whole local network (chain with the contracts, storage node, SMS in development
 * mode, scheduler, workers) and publishes the example apps; `onStep` is told each step. The
 * network is kept in `stateDir`: a second start on it resumes it (same chain, contracts, data,
 * keys and orders), `reset` starts it fresh; two starts on one folder at once are refused.
 * @example const { stack } = await startLocalNetwork({ stateDir: '.confide', ports: 8545, workers: 2 }, console.log)
 */
export async function startLocalNetwork(options: StartOptions, onStep: (step: string) => void): Promise<Started> {
  const started = performance.now();
  const folder = await claimStateFolder(options.stateDir, { reset: options.reset ?? false });
  onStep(
    `${folder.resume ? `resuming the network kept in ${folder.dir}` : 'starting'}: chain, storage, SMS, scheduler and workers…`,
  );
  let stack: Stack;
  try {
    stack = await startStack({
      stateDir: folder.dir,
      keepState: true,
      ports: options.ports,
      workers: options.workers,
    });
  } catch (error) {
    await folder.release();
    if (error instanceof DevnetStateError) {
      throw new CliError('CONFIDE_CLI_STATE_UNUSABLE', { details: error.message, cause: error });
    }
    throw error;
  }
  try {
    const apps: Record<string, string> = {};
    for (const name of EXAMPLE_APPS) {
      onStep(`publishing the example app ${name}…`);
      // Offered on the market, so that requesters (and `confide demo`) find it.
      const { app } = await offerApp(stack, {
        folder: path.join(APPS, name),
        name,
        price: APP_PRICE,
        volume: 1_000_000n,
      });
      apps[name] = app;
    }
    const key = (address: string) => stack.devnet.accounts.find((a) => a.address === address)?.privateKey ?? '0x';
    const network: NetworkFile = {
      rpcUrl: stack.devnet.rpcUrl,
      chainId: stack.devnet.chainId,
      hub: stack.hub,
      workerpool: stack.workerpool,
      smsUrl: stack.sms.url,
      storageUrl: stack.storageNode.url,
      schedulerUrl: stack.scheduler.url,
      marketUrl: stack.market.url,
      indexerUrl: stack.indexer.url,
      dataProtector: stack.devnet.addresses.dataProtector,
      dataSharing: stack.devnet.addresses.dataSharing,
      apps: apps as Record<string, Address>,
      keys: {
        appOwner: key(stack.roles.appOwner.address),
        dataOwner: key(stack.roles.dataOwner.address),
        requester: key(stack.roles.requester.address),
      },
    };
    await writeFile(path.join(stack.dir, 'network.json'), `${JSON.stringify(network, null, 2)}\n`);
    onStep('serving the dashboard…');
    // The port after the last worker's: N+7+workers (8554 with the defaults).
    const dashboard = await serveDashboard({
      port: options.ports === 'auto' ? 0 : options.ports + 7 + options.workers,
      config: {
        chainId: stack.devnet.chainId,
        hub: stack.hub,
        dataProtector: stack.devnet.addresses.dataProtector,
        dataSharing: stack.devnet.addresses.dataSharing,
        workerpool: stack.workerpool,
        apps,
        demoAccounts: (['dataOwner', 'requester', 'appOwner'] as const).map((role) => ({
          role: { dataOwner: 'data owner', requester: 'requester', appOwner: 'app owner' }[role],
          address: stack.roles[role].address,
          privateKey: network.keys[role],
        })),
        services: {
          rpc: stack.devnet.rpcUrl,
          storage: stack.storageNode.url,
          gateway: gatewayOf(stack),
          sms: stack.sms.url,
          market: stack.market.url,
          indexer: stack.indexer.url,
          scheduler: stack.scheduler.url,
        },
      },
    });
    return {
      stack,
      apps,
      dashboard,
      seconds: (performance.now() - started) / 1000,
      stop: async () => {
        await dashboard.close();
        await stack.stop();
        await folder.release();
      },
    };
  } catch (error) {
    await stack.stop();
    await folder.release();
    throw error;
  }
}

/** The status table `confide start` prints. */
export function formatStatus({ stack, apps, dashboard, seconds }: Started): string {
  const rows: [string, string, string][] = [
    ['dashboard', dashboard.url, 'open it in a browser: protect, grant, run, decrypt; market and tasks'],
    ['chain (anvil)', stack.devnet.rpcUrl, `chain id ${stack.devnet.chainId}, hub ${stack.hub}`],
    ['storage (IPFS)', stack.storageNode.url, `Kubo RPC API; gateway ${gatewayOf(stack)}`],
    ['SMS', stack.sms.url, 'DEVELOPMENT mode: accepts sim quotes'],
    ['market', stack.market.url, 'orderbook: GET /datasetorders …, SSE on /events'],
    ['indexer', stack.indexer.url, 'GraphQL on /graphql'],
    ['scheduler', stack.scheduler.url, `workerpool ${stack.workerpool}`],
    ...stack.workers.map((w, i): [string, string, string] => [`worker ${i + 1}`, w.url, `pid ${w.child.pid}`]),
  ];
  const width = Math.max(...rows.map((r) => r[0].length), 'workerpool owner'.length);
  const urlWidth = Math.max(...rows.map((r) => r[1].length));
  const roles = [
    ['app owner', stack.roles.appOwner.address],
    ['data owner', stack.roles.dataOwner.address],
    ['workerpool owner', stack.roles.scheduler.address],
    ['requester', stack.roles.requester.address],
  ];
  return [
    `Confide is running (${seconds.toFixed(1)} s). Every service answered its health check.`,
    '',
    ...rows.map(([name, url, note]) => `  ${name.padEnd(width)}  ${url.padEnd(urlWidth)}  ${note}`),
    '',
    'Example apps (offered on the market at 2 CFD per run):',
    ...Object.entries(apps).map(([name, address]) => `  ${name.padEnd(width)}  ${address}`),
    '',
    'Devnet roles (well-known keys, never for value):',
    ...roles.map(([role, address]) => `  ${String(role).padEnd(width)}  ${address}`),
    '',
    stack.resumedAt === undefined
      ? `Fresh network; kept in ${stack.dir}: the next start resumes it (--reset starts fresh).`
      : `Network resumed from ${stack.dir} (block ${stack.resumedAt}); --reset starts fresh.`,
    'Try, in another terminal: npx confide demo',
    'Press Ctrl-C to stop.',
  ].join('\n');
}

/** The gateway URL the storage node announced in its ready line. */
function gatewayOf(stack: Stack): string {
  for (const line of stack.storageNode.logs) {
    const gateway = (JSON.parse(line) as { gateway?: string }).gateway;
    if (gateway) return gateway;
  }
  return '(unknown)';
}

import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { formatUnits } from 'viem';
import { CliError } from '../errors.js';
import type { StartOptions } from '../start.js';

/** Resolves on the first SIGINT or SIGTERM; listened to before starting anything. */
const stopSignal = () =>
  new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });

/** `confide start`, `confide demo`, `confide devnet`: the local network. */
export function registerLocalCommands(program: Command): void {
  const start = program
    .command('start')
    .usage('[--dir .confide] [--ports 8545|auto] [--workers 2] [--reset]')
    .description(
      'The whole local network: chain with the contracts, IPFS storage node, SMS (development mode), market, ' +
        'indexer, scheduler and workers, the example apps published, the dashboard; writes <dir>/network.json. ' +
        'The network is kept in <dir>: the next start resumes it (same chain, contracts, data, keys and orders); ' +
        '--reset starts it fresh. ' +
        'Ports: the chain on N, then N+1 storage RPC, N+2 gateway, N+3 SMS, N+4 scheduler, N+5 market, N+6 indexer, ' +
        'N+7… workers, and the dashboard on the port after the last worker (N+7+workers).',
    )
    .option('--dir <dir>', 'state folder, resumed when it holds a network kept by confide start', '.confide')
    .option('--ports <N|auto>', 'first port, or auto for free ones', '8545')
    .option('--workers <n>', 'workers, 1 to 5', '2')
    .option('--reset', 'start fresh: empty what confide start keeps in the state folder')
    .action(async (o: { dir: string; ports: string; workers: string; reset?: boolean }) => {
      const options: StartOptions = { stateDir: o.dir, ports: 8545, workers: 2, reset: o.reset === true };
      const invalid = (flag: string, value: string) =>
        new CliError('CONFIDE_CLI_USAGE', {
          details: `invalid flag or value '${flag} ${value}'\n\n${start.helpInformation()}`,
        });
      if (o.ports === 'auto') options.ports = 'auto';
      else if (/^\d+$/.test(o.ports) && Number(o.ports) > 0 && Number(o.ports) < 65000) options.ports = Number(o.ports);
      else throw invalid('--ports', o.ports);
      if (/^\d+$/.test(o.workers) && Number(o.workers) >= 1 && Number(o.workers) <= 5)
        options.workers = Number(o.workers);
      else throw invalid('--workers', o.workers);
      const stopRequested = stopSignal();
      const { formatStatus, startLocalNetwork } = await import('../start.js');
      const started = await startLocalNetwork(options, (step) => console.log(step));
      console.log(formatStatus(started));
      await stopRequested;
      console.log('stopping…');
      await started.stop();
      console.log('stopped');
    });

  program
    .command('demo')
    .description(
      "On a running 'confide start' network: protect the sample air-quality CSV, run climate-stats on it as " +
        'the requester, print and save the decrypted statistics (the founding story, in one command).',
    )
    .option('--dir <dir>', "the folder of 'confide start'", '.confide')
    .option('--csv <file>', 'another CSV with the same columns')
    .action(async (o: { dir: string; csv?: string }) => {
      if (!existsSync(path.join(o.dir, 'network.json'))) {
        throw new CliError('CONFIDE_CLI_NO_NETWORK', {
          details: `no network in ${o.dir}: run 'npm start' (confide start) first`,
        });
      }
      const { runDemo } = await import('../demo.js');
      await runDemo({ stateDir: o.dir, ...(o.csv ? { csv: o.csv } : {}) }, (line) => console.log(line));
    });

  program
    .command('devnet')
    .description('Only a local chain on 127.0.0.1 with Confide deployed and funded test accounts.')
    .option('--port <N>', 'RPC port')
    .option('--accounts <n>', 'funded accounts')
    .action(async (o: { port?: string; accounts?: string }) => {
      const stopRequested = stopSignal();
      const { startDevnet } = await import('../devnet.js');
      const begun = performance.now();
      const devnet = await startDevnet({
        ...(o.port !== undefined ? { port: Number(o.port) } : {}),
        ...(o.accounts !== undefined ? { accounts: Number(o.accounts) } : {}),
      });
      const seconds = ((performance.now() - begun) / 1000).toFixed(1);
      const lines = [
        `Confide devnet ready in ${seconds} s`,
        `  RPC         ${devnet.rpcUrl} (chain id ${devnet.chainId})`,
        ...Object.entries(devnet.addresses).map(([name, address]) => `  ${name.padEnd(19)} ${address}`),
        `  deployment  ${devnet.deploymentFile}`,
        '',
        `Funded test accounts (${formatUnits(1_000_000n * 10n ** 9n, 9)} CFD each, well-known keys: never use them for value):`,
        ...devnet.accounts.map((a, i) => `  (${i}) ${a.address}  ${a.privateKey}`),
        '',
        'Press Ctrl-C to stop.',
      ];
      console.log(lines.join('\n'));
      await stopRequested;
      await devnet.stop();
      console.log('devnet stopped');
    });
}

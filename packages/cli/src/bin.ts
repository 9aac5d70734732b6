#!/usr/bin/env -S node --import tsx
import { existsSync } from 'node:fs';
import path from 'node:path';
import { formatUnits } from 'viem';
import { runDemo } from './demo.js';
import { DevnetConfigError, startDevnet } from './devnet.js';
import { formatStatus, type StartOptions, startLocalNetwork } from './start.js';

const usage = `usage:
  confide start [--dir .confide] [--ports 8545|auto] [--workers 2]
      The whole local network: chain with the contracts, IPFS storage node, SMS (development
      mode), market, indexer, scheduler and workers, the example apps published. Ports: the chain on N, then
      N+1 storage RPC, N+2 gateway, N+3 SMS, N+4 scheduler, N+5 market, N+6 indexer, N+7… workers.
  confide demo [--dir .confide] [--csv file]
      On a running 'confide start' network: protect the sample air-quality CSV, run
      climate-stats on it as the requester, print and save the decrypted statistics.
  confide devnet [--port N] [--accounts N]
      Only a local chain on 127.0.0.1 with Confide deployed and funded test accounts.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'start') return start(rest);
  if (command === 'demo') return demo(rest);
  if (command !== 'devnet') {
    console.error(command ? `confide: unknown command '${command}'\n\n${usage}` : usage);
    return 2;
  }
  const options: { port?: number; accounts?: number } = {};
  for (let i = 0; i < rest.length; i += 2) {
    const flag = rest[i];
    const value = Number(rest[i + 1]);
    if (flag === '--port') options.port = value;
    else if (flag === '--accounts') options.accounts = value;
    else {
      console.error(`confide devnet: unknown flag '${flag}'\n\n${usage}`);
      return 2;
    }
  }
  // Listen before starting anything: a Ctrl-C during startup must still stop the chain.
  const stopRequested = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  const started = performance.now();
  const devnet = await startDevnet(options).catch((error: unknown) => {
    if (error instanceof DevnetConfigError) {
      console.error(`confide devnet: ${error.message}`);
      return undefined;
    }
    throw error;
  });
  if (!devnet) return 2;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
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
  return 0;
}

async function demo(rest: string[]): Promise<number> {
  const options: { stateDir: string; csv?: string } = { stateDir: '.confide' };
  for (let i = 0; i < rest.length; i += 2) {
    const [flag, value = ''] = [rest[i], rest[i + 1]];
    if (flag === '--dir' && value) options.stateDir = value;
    else if (flag === '--csv' && value) options.csv = value;
    else {
      console.error(`confide demo: invalid flag or value '${flag} ${value}'\n\n${usage}`);
      return 2;
    }
  }
  if (!existsSync(path.join(options.stateDir, 'network.json'))) {
    console.error(`confide demo: no network in ${options.stateDir}: run 'npm start' (confide start) first`);
    return 2;
  }
  await runDemo(options, (line) => console.log(line));
  return 0;
}

async function start(rest: string[]): Promise<number> {
  const options: StartOptions = { stateDir: '.confide', ports: 8545, workers: 2 };
  for (let i = 0; i < rest.length; i += 2) {
    const [flag, value = ''] = [rest[i], rest[i + 1]];
    if (flag === '--dir' && value) options.stateDir = value;
    else if (flag === '--ports' && value === 'auto') options.ports = 'auto';
    else if (flag === '--ports' && /^\d+$/.test(value) && Number(value) > 0 && Number(value) < 65000) {
      options.ports = Number(value);
    } else if (flag === '--workers' && /^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 5) {
      options.workers = Number(value);
    } else {
      console.error(`confide start: invalid flag or value '${flag} ${value}'\n\n${usage}`);
      return 2;
    }
  }
  const stopRequested = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  const started = await startLocalNetwork(options, (step) => console.log(step)).catch((error: unknown) => {
    if (error instanceof DevnetConfigError) {
      console.error(`confide start: ${error.message}`);
      return undefined;
    }
    throw error;
  });
  if (!started) return 2;
  console.log(formatStatus(started));
  await stopRequested;
  console.log('stopping…');
  await started.stack.stop();
  console.log('stopped');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`confide: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);

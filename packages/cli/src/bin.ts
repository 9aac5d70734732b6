#!/usr/bin/env -S node --import tsx
import { formatUnits } from 'viem';
import { DevnetConfigError, startDevnet } from './devnet.js';

const usage = `usage: confide devnet [--port N] [--accounts N]

Starts a local chain on 127.0.0.1 with Confide deployed and funded test accounts.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
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

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`confide: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);

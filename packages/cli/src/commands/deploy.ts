import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { formatEther } from 'viem';
import { parseAddress, protocol, withOutput, withWallet } from '../context.js';
import type { NetworkFile } from '../demo.js';
import { CliError } from '../errors.js';
import { askChainId, urlOf } from '../network.js';
import { note, printResult } from '../output.js';
import { unlockWallet, type WalletOptions } from '../wallets.js';

type DeployOptions = WalletOptions & {
  rpc?: string;
  token?: string;
  owner?: string;
  out?: string;
  force?: boolean;
  json?: boolean;
  quiet?: boolean;
};

/**
 * `confide deploy --rpc <url>`: the contracts on any chain, signed by the wallet, and a network
 * file that every other command reads with `--network` (services added with their flags).
 */
export function registerDeployCommand(program: Command): void {
  withOutput(
    withWallet(
      program
        .command('deploy')
        .description(
          'Deploy the Confide contracts (token unless --token, registries, task modules, hub, DataProtector) to ' +
            'a chain by its RPC URL, signed by the wallet; writes a network file for --network.',
        )
        .requiredOption('--rpc <url>', 'JSON-RPC URL of the chain')
        .option('--token <address>', 'an existing ERC-20 to pay with (default: deploy a new CFD token)')
        .option('--owner <address>', 'hub owner, who may add categories (default: the wallet)')
        .option('--out <file>', 'network file to write (default confide-deployment-<chainId>.json)')
        .option('--force', 'overwrite --out if it exists'),
    ),
  ).action(async (o: DeployOptions) => {
    const rpcUrl = urlOf(String(o.rpc), '--rpc');
    const token = o.token !== undefined ? parseAddress(o.token, '--token') : undefined;
    const owner = o.owner !== undefined ? parseAddress(o.owner, '--owner') : undefined;
    const chainId = await askChainId(rpcUrl);
    const out = path.resolve(o.out ?? `confide-deployment-${chainId}.json`);
    if (existsSync(out) && !o.force) {
      throw new CliError('CONFIDE_CLI_INVALID_INPUT', { details: `${out} exists: choose another --out or --force` });
    }
    const { account } = await unlockWallet(o);
    const { createChainClients, deployConfide } = await protocol();
    const { publicClient, wallet } = createChainClients({ rpc: rpcUrl, chainId, account, pollingInterval: 500 });
    const gas = await publicClient.getBalance({ address: account.address });
    if (gas === 0n) {
      throw new CliError('CONFIDE_CLI_INSUFFICIENT_FUNDS', {
        details: `${account.address} has no native currency on chain ${chainId} to pay for gas`,
      });
    }
    note(o, `deploying to chain ${chainId} from ${account.address} (${formatEther(gas)} native)…`);
    const addresses = await deployConfide({
      wallet,
      publicClient,
      ...(token ? { token } : {}),
      ...(owner ? { owner } : {}),
    });
    const network: Partial<NetworkFile> & { addresses: typeof addresses } = {
      rpcUrl,
      chainId,
      hub: addresses.hub,
      dataProtector: addresses.dataProtector,
      apps: {},
      addresses,
    };
    await writeFile(out, `${JSON.stringify(network, null, 2)}\n`);
    printResult(o, { networkFile: out, chainId, deployer: account.address, ...addresses }, [
      `deployed on chain ${chainId}:`,
      ...Object.entries(addresses).map(([name, address]) => `  ${name}: ${address}`),
      `network file: ${out} (use --network ${path.relative(process.cwd(), out) || out})`,
    ]);
  });
}

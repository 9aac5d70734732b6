import type { Command } from 'commander';
import { type Hex, isHex } from 'viem';
import { type CommonOptions, sdkFor, withNetwork, withOutput, withWallet } from '../context.js';
import { CliError } from '../errors.js';
import { loadNetwork } from '../network.js';
import { printResult } from '../output.js';
import { unlockWallet } from '../wallets.js';

type DeployOptions = CommonOptions & {
  name?: string;
  type?: string;
  multiaddr?: string;
  checksum?: string;
  fingerprint?: string;
  description?: string;
};

/** A 0x-hex flag of `bytes` bytes (any non-empty length when absent). @throws CliError `CONFIDE_CLI_INVALID_INPUT` */
function parseHex(value: string, flag: string, bytes?: number): Hex {
  const ok = isHex(value) && value.length > 2 && (bytes === undefined || value.length === 2 + 2 * bytes);
  if (!ok) {
    throw new CliError('CONFIDE_CLI_INVALID_INPUT', {
      details: `${flag} must be 0x-hex${bytes ? ` of ${bytes} bytes` : ''}`,
    });
  }
  return value.toLowerCase() as Hex;
}

/** A bundle or data location: `/ipfs/<cid>` or an http(s) URL. @throws CliError `CONFIDE_CLI_INVALID_INPUT` */
function parseMultiaddr(value: string): string {
  if (/^\/ipfs\/[A-Za-z0-9]+$/.test(value) || /^https?:\/\/\S+$/.test(value)) return value;
  throw new CliError('CONFIDE_CLI_INVALID_INPUT', { details: '--multiaddr must be /ipfs/<cid> or an http(s) URL' });
}

/**
 * `confide app|dataset|workerpool deploy`: registers an asset owned by the wallet, through the
 * SDK's `deployApp`, `deployDataset`, `deployWorkerpool`.
 */
export function registerAssetDeployCommand(group: Command, kind: 'app' | 'dataset' | 'workerpool'): void {
  let cmd = group.command('deploy');
  if (kind === 'app') {
    cmd = cmd
      .description('Register an app owned by the wallet: its stored bundle, checksum and TEE fingerprint')
      .requiredOption('--name <name>', 'the name on chain')
      .requiredOption('--multiaddr <location>', 'where the bundle is: /ipfs/<cid> or an http(s) URL')
      .requiredOption('--checksum <bytes32>', "SHA-256 of the bundle's bytes, 0x-hex")
      .requiredOption('--fingerprint <hex>', 'TEE fingerprint the SMS checks quotes against (iExec: mrenclave)')
      .option('--type <type>', 'how the bundle runs', 'NODE');
  } else if (kind === 'dataset') {
    cmd = cmd
      .description("Register an encrypted dataset owned by the wallet (push its key with 'confide secrets')")
      .requiredOption('--name <name>', 'the name on chain')
      .requiredOption('--multiaddr <location>', 'where the encrypted bytes are: /ipfs/<cid> or an http(s) URL')
      .requiredOption('--checksum <bytes32>', 'SHA-256 of the encrypted bytes, 0x-hex');
  } else {
    cmd = cmd
      .description('Register a workerpool owned by the wallet (it signs its orders and authorises its workers)')
      .requiredOption('--description <text>', 'the description on chain');
  }
  withOutput(withWallet(withNetwork(cmd))).action(async (o: DeployOptions) => {
    const text = (value: string | undefined, flag: string) => {
      if (!value || value.length > 256) {
        throw new CliError('CONFIDE_CLI_INVALID_INPUT', { details: `${flag} must be 1 to 256 characters` });
      }
      return value;
    };
    const fields =
      kind === 'app'
        ? {
            name: text(o.name, '--name'),
            type: text(o.type, '--type'),
            multiaddr: parseMultiaddr(String(o.multiaddr)),
            checksum: parseHex(String(o.checksum), '--checksum', 32),
            fingerprint: parseHex(String(o.fingerprint), '--fingerprint'),
          }
        : kind === 'dataset'
          ? {
              name: text(o.name, '--name'),
              multiaddr: parseMultiaddr(String(o.multiaddr)),
              checksum: parseHex(String(o.checksum), '--checksum', 32),
            }
          : { description: text(o.description, '--description') };
    const network = await loadNetwork(o);
    const { account } = await unlockWallet(o);
    const client = await sdkFor(network, account);
    const { address, txHash } =
      kind === 'app'
        ? await client.deployApp(fields as Parameters<typeof client.deployApp>[0])
        : kind === 'dataset'
          ? await client.deployDataset(fields as Parameters<typeof client.deployDataset>[0])
          : await client.deployWorkerpool(fields as Parameters<typeof client.deployWorkerpool>[0]);
    printResult(o, { address, owner: account.address, txHash, ...fields }, [
      `${kind} ${address} deployed (owner ${account.address}, tx ${txHash})`,
    ]);
  });
}

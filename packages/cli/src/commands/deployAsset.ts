import { stat } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import { type Hex, isHex } from 'viem';
import { type CommonOptions, sdkFor, withNetwork, withOutput, withWallet } from '../context.js';
import { CliError } from '../errors.js';
import { loadNetwork, need } from '../network.js';
import { printResult } from '../output.js';
import { unlockWallet } from '../wallets.js';

type DeployOptions = CommonOptions & {
  name?: string;
  type?: string;
  multiaddr?: string;
  checksum?: string;
  fingerprint?: string;
  description?: string;
  bundle?: string;
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
 * Packs the app folder of `--bundle` into its canonical bundle.
 * @throws CliError `CONFIDE_CLI_BUNDLE_NOT_FOUND`, `CONFIDE_CLI_BUNDLE_INVALID` (details: the rule broken)
 */
async function packAppFolder(dir: string): Promise<Uint8Array> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new CliError('CONFIDE_CLI_BUNDLE_NOT_FOUND', { details: `${dir} is ${info ? 'not a folder' : 'missing'}` });
  }
  const { BundleInvalidError, packBundle } = await import('../../../enclave/src/index.js');
  try {
    return await packBundle(dir);
  } catch (error) {
    if (!(error instanceof BundleInvalidError)) throw error;
    throw new CliError('CONFIDE_CLI_BUNDLE_INVALID', {
      details: `${error.reason}${error.details ? `: ${error.details}` : ''}`,
      cause: error,
    });
  }
}

/** `confide app deploy --bundle <dir>`: pack, store on the storage node, register (the SDK's `deployAppBundle`). */
async function deployBundle(o: DeployOptions, dir: string): Promise<void> {
  const name = o.name === undefined ? undefined : text(o.name, '--name');
  const bundle = await packAppFolder(dir);
  const network = await loadNetwork(o);
  need(network, 'storageUrl'); // before the password is asked
  const { account } = await unlockWallet(o);
  const client = await sdkFor(network, account, { storage: true });
  const deployed = await client.deployAppBundle({ bundle, ...(name ? { name } : {}) });
  printResult(o, { ...deployed, owner: account.address, size: bundle.length }, [
    `app ${deployed.address} deployed (owner ${account.address}, tx ${deployed.txHash})`,
    `bundle ${deployed.multiaddr} (${bundle.length} bytes), fingerprint ${deployed.fingerprint}`,
  ]);
}

/** A text flag of 1 to 256 characters. @throws CliError `CONFIDE_CLI_INVALID_INPUT` */
function text(value: string | undefined, flag: string): string {
  if (!value || value.length > 256) {
    throw new CliError('CONFIDE_CLI_INVALID_INPUT', { details: `${flag} must be 1 to 256 characters` });
  }
  return value;
}

/**
 * `confide app|dataset|workerpool deploy`: registers an asset owned by the wallet, through the
 * SDK's `deployApp`, `deployDataset`, `deployWorkerpool`.
 */
export function registerAssetDeployCommand(group: Command, kind: 'app' | 'dataset' | 'workerpool'): void {
  let cmd = group.command('deploy');
  if (kind === 'app') {
    const explicit = ['multiaddr', 'checksum', 'fingerprint', 'type'];
    cmd = cmd
      .description(
        'Register an app owned by the wallet: from its folder (--bundle: packed, stored, fingerprinted), or its stored bundle, checksum and TEE fingerprint',
      )
      .addOption(
        new Option(
          '--bundle <dir>',
          'the app folder (confide.json and its files): packed, stored on the storage node, registered',
        ).conflicts(explicit),
      )
      .option('--name <name>', "the name on chain (with --bundle: confide.json's name by default)")
      .option('--multiaddr <location>', 'where the bundle is: /ipfs/<cid> or an http(s) URL')
      .option('--checksum <bytes32>', "SHA-256 of the bundle's bytes, 0x-hex")
      .option('--fingerprint <hex>', 'TEE fingerprint the SMS checks quotes against (iExec: mrenclave)')
      .option('--type <type>', 'how the bundle runs (default: NODE)');
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
    if (kind === 'app' && o.bundle !== undefined) return deployBundle(o, o.bundle);
    if (kind === 'app') {
      const missing = ['name', 'multiaddr', 'checksum', 'fingerprint'].filter(
        (k) => o[k as keyof DeployOptions] === undefined,
      );
      if (missing.length > 0) {
        throw new CliError('CONFIDE_CLI_USAGE', {
          details: `give --bundle <dir>, or ${missing.map((k) => `--${k}`).join(', ')}`,
        });
      }
    }
    const fields =
      kind === 'app'
        ? {
            name: text(o.name, '--name'),
            type: text(o.type ?? 'NODE', '--type'),
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

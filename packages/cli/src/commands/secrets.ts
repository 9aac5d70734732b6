import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { Address } from 'viem';
import {
  type CommonOptions,
  parseAddress,
  parseApp,
  parseUser,
  sdkFor,
  withNetwork,
  withOutput,
  withWallet,
} from '../context.js';
import { CliError } from '../errors.js';
import { loadNetwork, need } from '../network.js';
import { printResult } from '../output.js';
import { findWallet, unlockWallet } from '../wallets.js';

type SecretOptions = CommonOptions & { valueFile?: string; requester?: string };

const NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** The secret's name. @throws CliError `CONFIDE_CLI_INVALID_INPUT` */
function parseName(value: string): string {
  if (!NAME.test(value))
    throw new CliError('CONFIDE_CLI_INVALID_INPUT', { details: 'name must match [A-Za-z0-9_-]{1,64}' });
  return value;
}

/**
 * The secret's value: `--value-file`, else stdin when it is not a terminal; one trailing newline
 * dropped (as `echo` and editors add it). Never from argv, which `ps` shows to everyone.
 * @throws CliError `CONFIDE_CLI_INVALID_INPUT` when there is none, it is empty or above 4,096 bytes
 */
async function readValue(o: SecretOptions): Promise<string> {
  let raw: string;
  if (o.valueFile) {
    raw = await readFile(o.valueFile, 'utf8').catch((cause: unknown) => {
      throw new CliError('CONFIDE_CLI_INVALID_INPUT', { details: `cannot read --value-file ${o.valueFile}`, cause });
    });
  } else if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    raw = Buffer.concat(chunks).toString('utf8');
  } else {
    throw new CliError('CONFIDE_CLI_INVALID_INPUT', {
      details: 'give the secret on stdin (a pipe or a redirect) or with --value-file <file>',
    });
  }
  const value = raw.replace(/\r?\n$/, '');
  if (value.length === 0) throw new CliError('CONFIDE_CLI_INVALID_INPUT', { details: 'the secret is empty' });
  if (Buffer.byteLength(value) > 4096) {
    throw new CliError('CONFIDE_CLI_INVALID_INPUT', { details: 'the secret is above 4096 bytes' });
  }
  return value;
}

type Slot = 'requester' | 'app' | 'dataset';

const VALUE_HELP = 'read the secret from this file (else from stdin); never pass it on the command line';

/** `confide secrets push-…-secret` and `check-…-secret`: the SMS's secrets, through the SDK. */
export function registerSecretsCommands(program: Command): void {
  const secrets = program
    .command('secrets')
    .description("Secrets in the SMS: a requester's named secrets, an app's developer secret, a dataset's key");
  const push = (slot: Slot, arg: string, what: string) =>
    withOutput(
      withWallet(
        withNetwork(
          secrets
            .command(`push-${slot}-secret ${arg}`)
            .description(`Store ${what} in the SMS, signed by the wallet (set once: a second push is refused)`)
            .option('--value-file <file>', VALUE_HELP),
        ),
      ),
    );
  const check = (slot: Slot, arg: string, what: string) =>
    withOutput(
      withNetwork(secrets.command(`check-${slot}-secret ${arg}`).description(`Whether the SMS holds ${what}`)),
    );

  push('requester', '<name>', "the wallet's named secret (a request names it in --secret <index=name>)").action(
    async (value: string, o: SecretOptions) => {
      const name = parseName(value);
      const network = await loadNetwork(o);
      need(network, 'smsUrl');
      const secret = await readValue(o);
      const { account } = await unlockWallet(o);
      await (await sdkFor(network, account)).pushRequesterSecret({ name, secret });
      printResult(o, { requester: account.address, name }, [
        `secret '${name}' of ${account.address} stored in the SMS`,
      ]);
    },
  );
  push('app', '<app>', "the app's developer secret (its owner's)").action(async (value: string, o: SecretOptions) => {
    const network = await loadNetwork(o);
    const app = parseApp(network, value);
    need(network, 'smsUrl');
    const secret = await readValue(o);
    const { account } = await unlockWallet(o);
    await (await sdkFor(network, account)).pushAppSecret({ app, secret });
    printResult(o, { app }, [`secret of app ${app} stored in the SMS`]);
  });
  push('dataset', '<dataset>', "the dataset's decryption key (its owner's)").action(
    async (value: string, o: SecretOptions) => {
      const dataset = parseAddress(value, 'dataset');
      const network = await loadNetwork(o);
      need(network, 'smsUrl');
      const secret = await readValue(o);
      const { account } = await unlockWallet(o);
      await (await sdkFor(network, account)).pushDatasetSecret({ dataset, secret });
      printResult(o, { dataset }, [`key of dataset ${dataset} stored in the SMS`]);
    },
  );

  check('requester', '<name>', "a requester's named secret (default: the wallet's)")
    .option('--requester <address|wallet>', 'whose secret (default: the wallet)')
    .option('--wallet <name|address>', 'the wallet, when no --requester')
    .option('--keystore <file>', 'its keystore file')
    .action(async (value: string, o: SecretOptions) => {
      const name = parseName(value);
      const requester: Address = o.requester
        ? await parseUser(o.requester, '--requester')
        : (await findWallet(o)).address;
      const network = await loadNetwork(o);
      need(network, 'smsUrl');
      const exists = await (await sdkFor(network)).checkRequesterSecretExists({ requester, name });
      printResult(o, { requester, name, exists }, [`secret '${name}' of ${requester}: ${exists ? 'set' : 'not set'}`]);
    });
  check('app', '<app>', "an app's developer secret").action(async (value: string, o: SecretOptions) => {
    const network = await loadNetwork(o);
    const app = parseApp(network, value);
    need(network, 'smsUrl');
    const exists = await (await sdkFor(network)).checkAppSecretExists({ app });
    printResult(o, { app, exists }, [`secret of app ${app}: ${exists ? 'set' : 'not set'}`]);
  });
  check('dataset', '<dataset>', "a dataset's key").action(async (value: string, o: SecretOptions) => {
    const dataset = parseAddress(value, 'dataset');
    const network = await loadNetwork(o);
    need(network, 'smsUrl');
    const exists = await (await sdkFor(network)).checkDatasetSecretExists({ dataset });
    printResult(o, { dataset, exists }, [`key of dataset ${dataset}: ${exists ? 'set' : 'not set'}`]);
  });
}

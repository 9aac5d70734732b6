import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { type Address, getAddress, type Hex, isAddress, nonceManager } from 'viem';
import { type PrivateKeyAccount, privateKeyToAccount } from 'viem/accounts';
import { formatIdentityFile, generateResultKeyPair, parseIdentityFile } from '../../crypto/src/index.js';
import { CliError } from './errors.js';
import { decryptKeystore, encryptKeystore } from './keystore.js';

/** How a command chooses and unlocks its wallet. */
export type WalletOptions = {
  /** A wallet name (its file `<name>.json`) or an address, in the wallets folder. */
  wallet?: string;
  /** A keystore file anywhere. */
  keystore?: string;
  /** A file whose first line is the password. */
  passwordFile?: string;
};

/** A keystore found on disk (its address is in clear in the file; no password needed). */
type FoundWallet = { file: string; name: string; address: Address };

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** `$CONFIDE_HOME`, or `~/.confide`. */
const confideHome = (): string => process.env.CONFIDE_HOME || path.join(homedir(), '.confide');
const walletsDir = () => path.join(confideHome(), 'wallets');

async function readKeystoreFile(file: string): Promise<FoundWallet | undefined> {
  try {
    const json = JSON.parse(await readFile(file, 'utf8')) as { address?: unknown };
    const hex = `0x${String(json.address ?? '').replace(/^0x/, '')}`;
    if (!isAddress(hex, { strict: false })) return undefined;
    return { file, name: path.basename(file, '.json'), address: getAddress(hex) };
  } catch {
    return undefined;
  }
}

/** Every keystore in the wallets folder. */
export async function listWallets(): Promise<FoundWallet[]> {
  const names = await readdir(walletsDir()).catch(() => [] as string[]);
  const found = await Promise.all(
    names.filter((n) => n.endsWith('.json')).map((n) => readKeystoreFile(path.join(walletsDir(), n))),
  );
  return found.filter((w): w is FoundWallet => w !== undefined);
}

/**
 * The keystore a command uses: `--keystore`, else `--wallet`/`CONFIDE_WALLET` (name or address),
 * else the only one in the wallets folder.
 * @throws CliError `CONFIDE_CLI_NO_WALLET`, `CONFIDE_CLI_WALLET_AMBIGUOUS`
 */
export async function findWallet(o: WalletOptions): Promise<FoundWallet> {
  if (o.keystore) {
    const found = await readKeystoreFile(path.resolve(o.keystore));
    if (!found) throw new CliError('CONFIDE_CLI_NO_WALLET', { details: `${o.keystore} is not a readable keystore` });
    return found;
  }
  const wallets = await listWallets();
  const selector = o.wallet ?? process.env.CONFIDE_WALLET;
  if (selector) {
    const match = isAddress(selector, { strict: false })
      ? wallets.find((w) => w.address === getAddress(selector))
      : wallets.find((w) => w.name === selector);
    if (!match) throw new CliError('CONFIDE_CLI_NO_WALLET', { details: `no wallet '${selector}' in ${walletsDir()}` });
    return match;
  }
  if (wallets.length === 1 && wallets[0]) return wallets[0];
  if (wallets.length === 0) throw new CliError('CONFIDE_CLI_NO_WALLET', { details: `no keystore in ${walletsDir()}` });
  throw new CliError('CONFIDE_CLI_WALLET_AMBIGUOUS', { details: wallets.map((w) => w.name).join(', ') });
}

/** Reads a password from the terminal without echoing it. */
async function prompt(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(question);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          finish();
          resolve(value);
          return;
        }
        if (ch === '\u0003') {
          finish();
          reject(new CliError('CONFIDE_CLI_PASSWORD_REQUIRED', { details: 'interrupted' }));
          return;
        }
        value = ch === '\u007f' || ch === '\b' ? value.slice(0, -1) : value + ch;
      }
    };
    stdin.on('data', onData);
  });
}

/**
 * The password: `CONFIDE_PASSWORD`, else the first line of `--password-file`, else asked on the
 * terminal (twice when `confirm`).
 * @throws CliError `CONFIDE_CLI_PASSWORD_REQUIRED` with none of them (no terminal, as in CI)
 */
async function readPassword(o: WalletOptions, confirm = false): Promise<string> {
  if (process.env.CONFIDE_PASSWORD) return process.env.CONFIDE_PASSWORD;
  if (o.passwordFile) {
    const text = await readFile(o.passwordFile, 'utf8').catch((cause: unknown) => {
      throw new CliError('CONFIDE_CLI_INVALID_INPUT', {
        details: `cannot read --password-file ${o.passwordFile}`,
        cause,
      });
    });
    const line = text.split(/\r?\n/)[0] ?? '';
    if (!line) throw new CliError('CONFIDE_CLI_PASSWORD_REQUIRED', { details: `${o.passwordFile} is empty` });
    return line;
  }
  if (!process.stdin.isTTY || !process.stderr.isTTY) {
    throw new CliError('CONFIDE_CLI_PASSWORD_REQUIRED', {
      details: 'no CONFIDE_PASSWORD, no --password-file, no terminal',
    });
  }
  const password = await prompt('Password: ');
  if (!password) throw new CliError('CONFIDE_CLI_PASSWORD_REQUIRED', { details: 'empty password' });
  if (confirm && (await prompt('Repeat the password: ')) !== password) {
    throw new CliError('CONFIDE_CLI_PASSWORD_REQUIRED', { details: 'the two passwords differ' });
  }
  return password;
}

/**
 * Finds the wallet and opens it with the password.
 * @throws KeystoreError `CONFIDE_KEYSTORE_WRONG_PASSWORD`, and {@link findWallet}'s errors
 */
export async function unlockWallet(o: WalletOptions): Promise<FoundWallet & { account: PrivateKeyAccount }> {
  const found = await findWallet(o);
  const password = await readPassword(o);
  const { privateKey } = decryptKeystore(JSON.parse(await readFile(found.file, 'utf8')), password);
  return { ...found, account: privateKeyToAccount(privateKey, { nonceManager }) };
}

/**
 * Encrypts `privateKey` with the password into `<wallets>/<name>.json` (name: the address when
 * absent), mode 0600; never overwrites.
 * @throws CliError `CONFIDE_CLI_WALLET_EXISTS`, `CONFIDE_CLI_INVALID_INPUT` for a bad name
 */
export async function saveWallet(privateKey: Hex, o: WalletOptions & { name?: string }): Promise<FoundWallet> {
  const address = privateKeyToAccount(privateKey).address;
  const name = o.name ?? address;
  if (!NAME.test(name)) {
    throw new CliError('CONFIDE_CLI_INVALID_INPUT', { details: '--name: letters, digits, . _ - (at most 64)' });
  }
  const file = o.keystore ? path.resolve(o.keystore) : path.join(walletsDir(), `${name}.json`);
  const existing = (await listWallets()).find((w) => w.address === address || w.name === name);
  if (!o.keystore && existing) {
    throw new CliError('CONFIDE_CLI_WALLET_EXISTS', { details: `${existing.file} (${existing.address})` });
  }
  const password = await readPassword(o, true);
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const text = `${JSON.stringify(encryptKeystore(privateKey, password), null, 2)}\n`;
  await writeFile(file, text, { mode: 0o600, flag: 'wx' }).catch((cause: NodeJS.ErrnoException) => {
    if (cause.code === 'EEXIST') throw new CliError('CONFIDE_CLI_WALLET_EXISTS', { details: file });
    throw cause;
  });
  return { file, name: path.basename(file, '.json'), address };
}

/** Where the age identity that decrypts `address`'s task results lives. */
export const resultKeyFile = (address: Address) => path.join(confideHome(), 'results', `${address}.key`);

/**
 * The wallet's result key (age X25519, in `age-keygen`'s file format, mode 0600, decryptable with
 * `age -d -i`); created on first use.
 */
export async function ensureResultKey(address: Address): Promise<{ identity: string; recipient: string }> {
  const existing = await readResultKey(resultKeyFile(address)).catch(() => undefined);
  if (existing) return existing;
  const pair = generateResultKeyPair();
  await mkdir(path.dirname(resultKeyFile(address)), { recursive: true, mode: 0o700 });
  await writeFile(resultKeyFile(address), formatIdentityFile({ identity: pair.identity }), { mode: 0o600 });
  await chmod(resultKeyFile(address), 0o600);
  return pair;
}

/**
 * Reads an age identity file (`--key`, or the wallet's result key).
 * @throws CliError `CONFIDE_CLI_NO_RESULT_KEY` when it cannot be read
 */
export async function readResultKey(file: string): Promise<{ identity: string; recipient: string }> {
  const text = await readFile(file, 'utf8').catch((cause: unknown) => {
    throw new CliError('CONFIDE_CLI_NO_RESULT_KEY', { details: `cannot read ${file}`, cause });
  });
  const { identities, recipients } = parseIdentityFile(text);
  if (!identities[0] || !recipients[0])
    throw new CliError('CONFIDE_CLI_NO_RESULT_KEY', { details: `${file} is empty` });
  return { identity: identities[0], recipient: recipients[0] };
}

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { formatUnits } from 'viem';
import {
  type CommonOptions,
  dataProtectorFor,
  parseAddress,
  parseAmount,
  parseApp,
  parseCount,
  parseUser,
  requireProtectedData,
  withNetwork,
  withOutput,
  withWallet,
} from '../context.js';
import { CliError } from '../errors.js';
import { loadNetwork } from '../network.js';
import { printResult, progress } from '../output.js';
import { findWallet, unlockWallet } from '../wallets.js';

const PROTECT_STEPS = [
  'EXTRACT_DATA_SCHEMA',
  'CREATE_ZIP_FILE',
  'CREATE_ENCRYPTION_KEY',
  'ENCRYPT_FILE',
  'UPLOAD_ENCRYPTED_FILE',
  'DEPLOY_PROTECTED_DATA',
  'PUSH_SECRET_TO_SMS',
] as const;
const GRANT_STEPS = ['CREATE_DATASET_ORDER', 'PUBLISH_DATASET_ORDER'] as const;
const REVOKE_STEPS = ['RETRIEVE_ALL_GRANTED_ACCESS', 'REVOKE_ONE_ACCESS'] as const;
const ROTATE_STEPS = [
  'READ_ENCRYPTION_KEY',
  'CREATE_ENCRYPTION_KEY',
  'REENCRYPT_FILE',
  'PUSH_SECRET_TO_SMS',
  'UPDATE_PROTECTED_DATA',
] as const;
const KEY = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** `--schema key:type` (repeatable) → a required schema; nested keys with dots. */
function parseSchema(values: string[]): Record<string, unknown> {
  const schema: Record<string, unknown> = {};
  for (const value of values) {
    const at = value.indexOf(':');
    if (at <= 0 || at === value.length - 1) {
      throw new CliError('CONFIDE_CLI_INVALID_INPUT', { details: `--schema ${value}: expected key:type` });
    }
    const keys = value.slice(0, at).split('.');
    let node = schema;
    for (const key of keys.slice(0, -1)) {
      node[key] ??= {};
      node = node[key] as Record<string, unknown>;
    }
    node[keys.at(-1) as string] = value.slice(at + 1);
  }
  return schema;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

type RevokeOptions = { user?: string; app?: string; all?: boolean; rotateKey?: boolean };

/** `confide protect`, `grant`, `revoke`, `rotate-key`, `list`. */
export function registerDataCommands(program: Command): void {
  withOutput(
    withWallet(
      withNetwork(
        program
          .command('protect <file>')
          .description('Encrypt a file, store it, register it as a protected data and push its key to the SMS')
          .option('--name <name>', 'name on chain (default: the file name)')
          .option('--key <key>', "the entry's key in the protected data (default: the file's extension, e.g. csv)"),
      ),
    ),
  ).action(async (file: string, o: CommonOptions & { name?: string; key?: string }) => {
    const extension = path.extname(file).slice(1).toLowerCase();
    const key = o.key ?? (KEY.test(extension) ? extension : 'data');
    if (!KEY.test(key)) throw new CliError('CONFIDE_CLI_INVALID_INPUT', { details: '--key: letters, digits and _' });
    const bytes = await readFile(file).catch((cause: unknown) => {
      throw new CliError('CONFIDE_CLI_INVALID_INPUT', { details: `cannot read ${file}`, cause });
    });
    const network = await loadNetwork(o);
    const { account } = await unlockWallet(o);
    const dp = await dataProtectorFor(network, account);
    try {
      const data = await dp.protectData({
        data: { [key]: bytes },
        name: o.name ?? path.basename(file),
        onStatusUpdate: progress(o, PROTECT_STEPS),
      });
      const { zipFile: _zip, encryptionKey: _key, ...shown } = data; // The key stays in the SMS.
      printResult(o, shown, [
        `protected data ${data.address}`,
        `  name     ${data.name}`,
        `  owner    ${data.owner}`,
        `  schema   ${JSON.stringify(data.schema)}`,
        `  stored   ${data.multiaddr}`,
        `  tx       ${data.transactionHash}`,
      ]);
    } finally {
      await dp.close();
    }
  });

  withOutput(
    withWallet(
      withNetwork(
        program
          .command('grant <protectedData>')
          .description('Let a user run an app on your protected data: a signed dataset order, on the market')
          .requiredOption('--app <app>', 'app address, or an app name of the network (climate-stats)')
          .requiredOption('--user <address|wallet>', 'who may run it: an address or a local wallet name')
          .option('--price <cfd>', 'price per use, in CFD', '0')
          .option('--uses <n>', 'number of uses', '1'),
      ),
    ),
  ).action(
    async (protectedData: string, o: CommonOptions & { app: string; user: string; price: string; uses: string }) => {
      const dataset = parseAddress(protectedData, 'protectedData');
      const pricePerAccess = parseAmount(o.price, '--price');
      const numberOfAccess = parseCount(o.uses, '--uses');
      const authorizedUser = await parseUser(o.user, '--user');
      const network = await loadNetwork(o);
      const authorizedApp = parseApp(network, o.app);
      const { account } = await unlockWallet(o);
      await requireProtectedData(network, dataset);
      const dp = await dataProtectorFor(network, account);
      try {
        const access = await dp.grantAccess({
          protectedData: dataset,
          authorizedApp,
          authorizedUser,
          pricePerAccess,
          numberOfAccess,
          onStatusUpdate: progress(o, GRANT_STEPS),
        });
        printResult(o, access, [
          `granted ${numberOfAccess} use(s) of ${dataset} to ${authorizedUser}`,
          `  app      ${authorizedApp}`,
          `  price    ${formatUnits(pricePerAccess, 9)} CFD per use`,
        ]);
      } finally {
        await dp.close();
      }
    },
  );

  withOutput(
    withWallet(
      withNetwork(
        program
          .command('revoke <protectedData>')
          .description('Cancel granted accesses on chain (those of --user and/or --app, or --all)')
          .option('--user <address|wallet>', "only this user's accesses")
          .option('--app <app>', "only this app's accesses")
          .option('--all', 'every access of the protected data')
          .option('--rotate-key', 'then re-encrypt the data under a new key (needs --all; see rotate-key)'),
      ),
    ),
  ).action(async (protectedData: string, o: CommonOptions & RevokeOptions) => {
    const dataset = parseAddress(protectedData, 'protectedData');
    if (!o.all && !o.user && !o.app) {
      throw new CliError('CONFIDE_CLI_USAGE', { details: 'say which accesses: --user, --app, or --all' });
    }
    if (o.rotateKey && (!o.all || o.user || o.app)) {
      throw new CliError('CONFIDE_CLI_USAGE', { details: '--rotate-key goes with --all only' });
    }
    const network = await loadNetwork(o);
    const authorizedUser = o.user ? await parseUser(o.user, '--user') : undefined;
    const authorizedApp = o.app ? parseApp(network, o.app) : undefined;
    const { account } = await unlockWallet(o);
    await requireProtectedData(network, dataset);
    const dp = await dataProtectorFor(network, account);
    try {
      const revoked = await dp.revokeAllAccess({
        protectedData: dataset,
        ...(authorizedUser ? { authorizedUser } : {}),
        ...(authorizedApp ? { authorizedApp } : {}),
        ...(o.rotateKey ? { rotateKey: true } : {}),
        onStatusUpdate: progress(o, o.rotateKey ? [...REVOKE_STEPS, ...ROTATE_STEPS] : REVOKE_STEPS),
      });
      printResult(o, { protectedData: dataset, revoked, ...(o.rotateKey ? { keyRotated: true } : {}) }, [
        `revoked ${revoked.length} access(es) of ${dataset}`,
        ...revoked.map((r) => `  ${r.access.requesterrestrict} for app ${r.access.apprestrict} (tx ${r.txHash})`),
        ...(o.rotateKey ? ['  and re-encrypted it under a new key (the old one is destroyed in the SMS)'] : []),
      ]);
    } finally {
      await dp.close();
    }
  });

  withOutput(
    withWallet(
      withNetwork(
        program
          .command('rotate-key <protectedData>')
          .description(
            'Re-encrypt a protected data under a new key: new ciphertext stored and registered, old key destroyed in the SMS',
          ),
      ),
    ),
  ).action(async (protectedData: string, o: CommonOptions) => {
    const dataset = parseAddress(protectedData, 'protectedData');
    const network = await loadNetwork(o);
    const { account } = await unlockWallet(o);
    await requireProtectedData(network, dataset);
    const dp = await dataProtectorFor(network, account);
    try {
      const rotated = await dp.rotateKey({ protectedData: dataset, onStatusUpdate: progress(o, ROTATE_STEPS) });
      printResult(o, rotated, [
        `rotated the key of ${dataset}`,
        `  stored   ${rotated.multiaddr}`,
        `  checksum ${rotated.checksum}`,
        `  tx       ${rotated.txHash}`,
      ]);
    } finally {
      await dp.close();
    }
  });

  withOutput(
    withNetwork(
      program
        .command('list')
        .description('Protected data from the indexer, by owner and schema')
        .option('--owner <address|wallet>', 'only those of this owner')
        .option('--mine', "only the wallet's own (see --wallet)")
        .option('--wallet <name|address>', 'the wallet for --mine')
        .option('--schema <key:type>', 'required key and type, e.g. csv:application/octet-stream (repeatable)', collect)
        .option('--page <n>', 'page (from 0)', '0'),
    ),
  ).action(async (o: CommonOptions & { owner?: string; mine?: boolean; schema?: string[]; page: string }) => {
    const owner = o.owner ? await parseUser(o.owner, '--owner') : o.mine ? (await findWallet(o)).address : undefined;
    const requiredSchema = parseSchema(o.schema ?? []);
    if (!/^\d+$/.test(o.page))
      throw new CliError('CONFIDE_CLI_INVALID_INPUT', { details: '--page must be an integer' });
    const dp = await dataProtectorFor(await loadNetwork(o));
    try {
      const list = await dp.getProtectedData({
        ...(owner ? { owner } : {}),
        ...(Object.keys(requiredSchema).length > 0 ? { requiredSchema } : {}),
        page: Number(o.page),
        pageSize: 100,
      });
      printResult(
        o,
        list,
        list.length === 0
          ? ['no protected data']
          : list.map((d) => `${d.address}  ${d.owner}  ${d.name}  ${JSON.stringify(d.schema)}`),
      );
    } finally {
      await dp.close();
    }
  });
}

import { ConfideError } from '../../errors/src/index.js';

/** Why a `confide` command refused to go on (before or around the library calls). */
const CliErrorCodes = {
  /** Unknown command or option, or a flag without its value. */
  CONFIDE_CLI_USAGE: 'The command line is not valid; see `confide <command> --help`.',
  /** A value (address, amount, file, schema…) is malformed. */
  CONFIDE_CLI_INVALID_INPUT: 'A value on the command line is not valid; fix the one named in the details.',
  /** No network.json where looked and no `--rpc`. */
  CONFIDE_CLI_NO_NETWORK:
    "No network to talk to: run 'confide start' (writes .confide/network.json), pass --network <dir-or-file>, or --rpc with the service URLs.",
  /** No keystore to sign with. */
  CONFIDE_CLI_NO_WALLET:
    "No wallet: create one with 'confide wallet create', import a key with 'confide wallet import', or pass --keystore <file>.",
  /** Several keystores and none chosen. */
  CONFIDE_CLI_WALLET_AMBIGUOUS: 'Several wallets exist; choose one with --wallet <name|address> or CONFIDE_WALLET.',
  /** A keystore with that name exists already; it is never overwritten. */
  CONFIDE_CLI_WALLET_EXISTS: 'A wallet with this name exists already; choose another --name or remove the file.',
  /** The keystore needs a password and none could be asked for. */
  CONFIDE_CLI_PASSWORD_REQUIRED:
    'A password is needed: set CONFIDE_PASSWORD, pass --password-file <file>, or run in a terminal to be asked.',
  /** `confide result` has no result key for this wallet. */
  CONFIDE_CLI_NO_RESULT_KEY: 'No result key to decrypt with: pass --key <file> or use the wallet that ran the task.',
  /** An address that should be a protected data, app or task is none on this chain. */
  CONFIDE_CLI_UNKNOWN_ADDRESS: 'Nothing with this address or id exists on this network; check it and the --network.',
  /** The escrow (or the wallet, for gas or a deposit) holds less than the operation needs. */
  CONFIDE_CLI_INSUFFICIENT_FUNDS:
    "Not enough funds: deposit tokens in the escrow with 'confide account deposit <amount>' (or fund the wallet).",
  /** `confide start --dir` names a non-empty folder it did not make; it never empties one. */
  CONFIDE_CLI_STATE_FOREIGN:
    "This folder was not made by 'confide start' and is not empty; it is never emptied: choose another --dir, or empty it yourself.",
  /** Another `confide start` runs on this state folder. */
  CONFIDE_CLI_STATE_LOCKED: "Another 'confide start' runs on this folder: stop it first, or choose another --dir.",
  /** The kept network cannot be resumed: chain state missing, unreadable, or without the contracts. */
  CONFIDE_CLI_STATE_UNUSABLE:
    "The network kept in this folder cannot be resumed (its chain state is missing or does not match): start it fresh with 'confide start --reset'.",
  /** An order file (or market entry) is not an order of the kind expected, or was signed for another network. */
  CONFIDE_CLI_ORDER_INVALID:
    "The order is not valid here; make a new one with 'confide order sign' on this network (--help shows the flags).",
  /** `confide order fill` found no open order in the market for what it must match. */
  CONFIDE_CLI_NO_ORDER:
    'The market has no open order to match; pass the order (--app-order, --workerpool-order…) or publish one first.',
  /** `confide app deploy --bundle` names no folder (missing, or a file). */
  CONFIDE_CLI_BUNDLE_NOT_FOUND: 'The app folder given to --bundle does not exist or is not a folder; check the path.',
  /** The `--bundle` folder is not an app: no `confide.json`, a bad one, its entrypoint missing, a link leaving it… */
  CONFIDE_CLI_BUNDLE_INVALID:
    'The app folder is not a valid bundle: it needs confide.json (name, version, runtime, entrypoint) and the entrypoint file; see apps/README.md.',
  /** A transaction was mined but reverted. */
  CONFIDE_CLI_TX_REVERTED: 'The transaction reverted; nothing changed. See the transaction for why.',
} as const;

/** One of the CLI's own error codes. */
type CliErrorCode = keyof typeof CliErrorCodes;

/**
 * What a `confide` command throws for what it checks itself; library errors
 * (`DataProtectorError`, `KeystoreError`…) pass through with their own codes.
 * @example throw new CliError('CONFIDE_CLI_INVALID_INPUT', { details: '--price must be a number of CFD' })
 */
export class CliError extends ConfideError<CliErrorCode> {
  override name = 'CliError' as const;
  constructor(code: CliErrorCode, options: { details?: string; cause?: unknown } = {}) {
    super({ code, shortMessage: CliErrorCodes[code], ...options });
  }
}

/**
 * Exit status of `confide` per error code (docs/cli.md lists the same table). Codes not listed
 * exit 1.
 */
const EXIT_CODES: Readonly<Record<string, number>> = {
  CONFIDE_CLI_USAGE: 2,
  CONFIDE_CLI_INVALID_INPUT: 2,
  CONFIDE_CLI_NO_NETWORK: 2,
  CONFIDE_CLI_ORDER_INVALID: 2,
  CONFIDE_DATAPROTECTOR_INVALID_PARAMETER: 2,
  CONFIDE_DEVNET_CONFIG: 2,
  CONFIDE_CLI_STATE_FOREIGN: 2,
  CONFIDE_CLI_STATE_LOCKED: 2,
  CONFIDE_CLI_STATE_UNUSABLE: 2,
  CONFIDE_CLI_BUNDLE_NOT_FOUND: 2,
  CONFIDE_CLI_BUNDLE_INVALID: 2,
  CONFIDE_CLI_NO_WALLET: 3,
  CONFIDE_CLI_WALLET_AMBIGUOUS: 3,
  CONFIDE_CLI_WALLET_EXISTS: 3,
  CONFIDE_CLI_PASSWORD_REQUIRED: 3,
  CONFIDE_CLI_NO_RESULT_KEY: 3,
  CONFIDE_KEYSTORE_WRONG_PASSWORD: 3,
  CONFIDE_KEYSTORE_INVALID: 3,
  CONFIDE_CRYPTO_RESULT_KEY_INVALID: 3,
  CONFIDE_CRYPTO_RESULT_DECRYPT_FAILED: 3,
  CONFIDE_CLI_INSUFFICIENT_FUNDS: 4,
  CONFIDE_CLI_UNKNOWN_ADDRESS: 5,
  CONFIDE_DATAPROTECTOR_APP_UNKNOWN: 5,
  CONFIDE_DATAPROTECTOR_NOT_OWNER: 6,
  CONFIDE_DATAPROTECTOR_NO_ACCESS: 6,
  CONFIDE_DATAPROTECTOR_ACCESS_EXISTS: 6,
  CONFIDE_DATAPROTECTOR_NO_APP_ORDER: 1,
  CONFIDE_DATAPROTECTOR_NO_WORKERPOOL_ORDER: 1,
  CONFIDE_DATAPROTECTOR_TASK_FAILED: 1,
  CONFIDE_CLI_NO_ORDER: 1,
  CONFIDE_DATAPROTECTOR_SERVICE_FAILED: 7,
  CONFIDE_DATAPROTECTOR_CIPHERTEXT_INVALID: 1,
  CONFIDE_DATAPROTECTOR_ROTATION_INCOMPLETE: 7,
  // The SDK's codes (`confide app|dataset|workerpool|orderbook|deal|task`).
  CONFIDE_SDK_PARAMETERS_INVALID: 2,
  CONFIDE_SDK_CONFIG_INVALID: 2,
  CONFIDE_SDK_PARAMS_INVALID: 2,
  CONFIDE_SDK_PARAMS_UNKNOWN_KEY: 2,
  CONFIDE_SDK_RESULT_RECIPIENT_MISSING: 2,
  CONFIDE_SDK_SERVICE_MISSING: 2,
  CONFIDE_SDK_ACCOUNT_REQUIRED: 3,
  CONFIDE_SDK_INSUFFICIENT_BALANCE: 4,
  CONFIDE_SDK_ASSET_NOT_FOUND: 5,
  CONFIDE_SDK_CATEGORY_NOT_FOUND: 5,
  CONFIDE_SDK_DEAL_NOT_FOUND: 5,
  CONFIDE_SDK_TASK_NOT_FOUND: 5,
  CONFIDE_SDK_DATASET_KEY_MISSING: 5,
  CONFIDE_SDK_REQUESTER_SECRET_MISSING: 5,
  CONFIDE_SDK_NOT_OWNER: 6,
  CONFIDE_SDK_TASK_NOT_CLAIMABLE: 6,
  CONFIDE_SDK_ASSET_EXISTS: 6,
  CONFIDE_SDK_SMS_REFUSED: 6,
  CONFIDE_SDK_TRANSACTION_REVERTED: 1,
  // The market's refusals (`confide order publish|unpublish|show`).
  CONFIDE_MARKET_INVALID_ORDER: 2,
  CONFIDE_MARKET_SIGNATURE_INVALID: 2,
  CONFIDE_MARKET_ORDER_NOT_FOUND: 5,
  CONFIDE_MARKET_ASSET_UNKNOWN: 5,
  CONFIDE_MARKET_NOT_OWNER: 6,
  CONFIDE_MARKET_ORDER_CONSUMED: 6,
  CONFIDE_MARKET_UNREACHABLE: 7,
  CONFIDE_MARKET_BAD_RESPONSE: 7,
  CONFIDE_SDK_SMS_UNREACHABLE: 7,
  // The storage node's (`confide app deploy --bundle`).
  CONFIDE_STORAGE_UNREACHABLE: 7,
  CONFIDE_STORAGE_REQUEST_FAILED: 7,
};

/** A failure as the CLI reports it: the stable code, the message, the exit status. */
export type Failure = { code: string; message: string; exit: number };

const walk = (error: unknown, found: (e: Record<string, unknown>) => boolean): boolean => {
  let current = error;
  for (let depth = 0; depth < 20 && current && typeof current === 'object'; depth++) {
    if (found(current as Record<string, unknown>)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
};

/** Whether anything in the cause chain says the escrow or the wallet holds too little. */
const outOfFunds = (error: unknown) =>
  walk(error, (e) => {
    const data = e.data as { errorName?: string } | undefined;
    if (data?.errorName === 'EscrowInsufficientBalance') return true;
    if (e.name === 'InsufficientFundsError') return true;
    return /ERC20InsufficientBalance|insufficient funds for gas/.test(String(e.shortMessage ?? ''));
  });

/**
 * Turns anything thrown by a command into the code, message and exit status the CLI reports;
 * a revert for lack of funds anywhere in the cause chain becomes `CONFIDE_CLI_INSUFFICIENT_FUNDS`.
 * @example const { exit, code } = failureOf(error)
 */
export function failureOf(error: unknown): Failure {
  if (outOfFunds(error)) {
    const funds = new CliError('CONFIDE_CLI_INSUFFICIENT_FUNDS', {
      details: firstLine(error instanceof ConfideError ? error.details : undefined),
    });
    return { code: funds.code, message: funds.message, exit: 4 };
  }
  if (error instanceof ConfideError) {
    return { code: error.code, message: error.message, exit: EXIT_CODES[error.code] ?? 1 };
  }
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string' && code.startsWith('CONFIDE_')) {
    return { code, message: firstLine((error as Error).message) ?? code, exit: EXIT_CODES[code] ?? 1 };
  }
  return { code: 'CONFIDE_CLI_FAILED', message: firstLine(String((error as Error)?.message ?? error)) ?? '', exit: 1 };
}

const firstLine = (text: unknown): string | undefined =>
  typeof text === 'string' && text ? text.split('\n')[0] : undefined;

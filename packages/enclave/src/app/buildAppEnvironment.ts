import { createHash } from 'node:crypto';
import { type Address, type Hex, isAddress, zeroAddress } from 'viem';
import { AppEnvironmentInvalidError } from '../errors.js';

/** Where the app sees its inputs (dataset, input files), read-only. */
export const IEXEC_IN = '/iexec_in';
/** Where the app writes its results and `computed.json`. */
export const IEXEC_OUT = '/iexec_out';
/** Largest secret value, in UTF-8 bytes (the SMS's limit, as in iExec). */
export const MAX_SECRET_BYTES = 4096;

/** What {@link buildAppEnvironment} needs to know about the task. */
export type BuildAppEnvironmentParameters = {
  dealId: Hex;
  taskId: Hex;
  /** Index of the task in its deal (absolute, in `[botFirstIndex, botFirstIndex + botSize)`). */
  taskIndex: number;
  /** Number of tasks in the bag of tasks. */
  botSize: number;
  /** Index of the first task of the bag in the deal. */
  botFirstIndex: number;
  /** The dataset, if the deal has one. */
  datasetAddress?: Address;
  /** Name of the decrypted dataset file in `/iexec_in`; iExec uses the dataset address. */
  datasetFilename?: string;
  /**
   * A bulk task's datasets, in slice order: each decrypted to `/iexec_in/<address>`. Gives
   * `IEXEC_BULK_SLICE_SIZE` and `IEXEC_DATASET_<i>_FILENAME` (i from 1), as iExec.
   */
  bulkDatasets?: readonly Address[];
  /** URLs of the requester's input files, in order; each is saved as `/iexec_in/<sha256(url) hex>`. */
  inputFiles: readonly string[];
  /** Requester secrets by index (from 1), already fetched from the SMS. */
  requesterSecrets: Readonly<Record<number, string>>;
  /** The app developer's secret, if any. */
  appDeveloperSecret?: string;
};

/** The environment of the app: variable name → value. */
export type BuildAppEnvironmentReturnType = Record<string, string>;

/** Errors {@link buildAppEnvironment} can throw. */
export type BuildAppEnvironmentErrorType = AppEnvironmentInvalidError;

/**
 * Name under which an input file is saved in `/iexec_in`: the SHA-256 of its URL, in hex.
 * @example inputFileName('https://example.com/a.csv') // 64 hex digits
 */
export function inputFileName(url: string): string {
  return createHash('sha256').update(url, 'utf8').digest('hex');
}

/**
 * Builds the app's environment with iExec's variable names and values (iExec reference §4.2),
 * so apps written for iExec run unchanged: `IEXEC_IN`, `IEXEC_OUT`, `IEXEC_DEAL_ID`,
 * `IEXEC_TASK_ID`, `IEXEC_TASK_INDEX`, `IEXEC_BOT_SIZE`, `IEXEC_BOT_FIRST_INDEX`,
 * `IEXEC_BOT_TASK_INDEX`, `IEXEC_DATASET_ADDRESS` (the zero address without a dataset),
 * `IEXEC_DATASET_FILENAME` (only with a dataset), `IEXEC_INPUT_FILES_NUMBER`,
 * `IEXEC_INPUT_FILES_FOLDER`, `IEXEC_INPUT_FILE_NAME_<n>` (n from 1),
 * `IEXEC_REQUESTER_SECRET_<n>`, and `IEXEC_APP_DEVELOPER_SECRET` with its alias
 * `IEXEC_APP_DEVELOPER_SECRET_1`; for a bulk task `IEXEC_BULK_SLICE_SIZE` and
 * `IEXEC_DATASET_<i>_FILENAME` (i from 1, the dataset addresses). Nothing else: the worker's own environment never reaches the
 * app. The app's arguments are not part of the environment; pass them to `runSandboxed`.
 * @param parameters the task, its inputs and its secrets
 * @returns the environment to give to `runSandboxed`
 * @throws AppEnvironmentInvalidError when an id, index, URL or secret is malformed
 * @example
 * const env = buildAppEnvironment({
 *   dealId, taskId, taskIndex: 0, botSize: 1, botFirstIndex: 0,
 *   datasetAddress: '0x…', inputFiles: [], requesterSecrets: { 1: 'api-key' },
 * });
 * env.IEXEC_DATASET_FILENAME; // the dataset address
 */
export function buildAppEnvironment(parameters: BuildAppEnvironmentParameters): BuildAppEnvironmentReturnType {
  const { dealId, taskId, taskIndex, botSize, botFirstIndex, inputFiles } = parameters;
  const invalid = (details: string) => new AppEnvironmentInvalidError({ details });
  for (const [name, value] of [
    ['dealId', dealId],
    ['taskId', taskId],
  ] as const) {
    if (!/^0x[0-9a-fA-F]{64}$/.test(value)) throw invalid(`${name} must be a 32-byte 0x-hex string`);
  }
  for (const [name, value] of [
    ['taskIndex', taskIndex],
    ['botFirstIndex', botFirstIndex],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 0) throw invalid(`${name} must be an integer ≥ 0, got ${value}`);
  }
  if (!Number.isSafeInteger(botSize) || botSize < 1) throw invalid(`botSize must be an integer ≥ 1, got ${botSize}`);
  if (taskIndex < botFirstIndex || taskIndex >= botFirstIndex + botSize) {
    throw invalid(`taskIndex ${taskIndex} is outside the bag [${botFirstIndex}, ${botFirstIndex + botSize})`);
  }
  const { datasetAddress, datasetFilename } = parameters;
  if (datasetAddress !== undefined && !isAddress(datasetAddress, { strict: false })) {
    throw invalid('datasetAddress must be a 20-byte 0x-hex address');
  }
  if (datasetFilename !== undefined) {
    if (datasetAddress === undefined) throw invalid('datasetFilename is given without datasetAddress');
    if (!/^[^/\0]{1,255}$/.test(datasetFilename) || datasetFilename === '.' || datasetFilename === '..') {
      throw invalid('datasetFilename must be a plain file name (no "/", not "." or "..")');
    }
  }

  const env: Record<string, string> = {
    IEXEC_IN,
    IEXEC_OUT,
    IEXEC_DEAL_ID: dealId,
    IEXEC_TASK_ID: taskId,
    IEXEC_TASK_INDEX: String(taskIndex),
    IEXEC_BOT_SIZE: String(botSize),
    IEXEC_BOT_FIRST_INDEX: String(botFirstIndex),
    IEXEC_BOT_TASK_INDEX: String(taskIndex),
    IEXEC_DATASET_ADDRESS: datasetAddress ?? zeroAddress,
    IEXEC_INPUT_FILES_NUMBER: String(inputFiles.length),
    IEXEC_INPUT_FILES_FOLDER: IEXEC_IN,
  };
  if (datasetAddress !== undefined) env.IEXEC_DATASET_FILENAME = datasetFilename ?? datasetAddress;
  if (parameters.bulkDatasets !== undefined) {
    if (datasetAddress !== undefined) throw invalid('a bulk task has no single dataset');
    env.IEXEC_BULK_SLICE_SIZE = String(parameters.bulkDatasets.length);
    parameters.bulkDatasets.forEach((address, i) => {
      if (!isAddress(address, { strict: false })) throw invalid(`bulk dataset ${i + 1} is not an address`);
      env[`IEXEC_DATASET_${i + 1}_FILENAME`] = address;
    });
  }

  inputFiles.forEach((url, i) => {
    if (typeof url !== 'string' || url.length === 0) throw invalid(`input file ${i + 1} has an empty URL`);
    env[`IEXEC_INPUT_FILE_NAME_${i + 1}`] = inputFileName(url);
  });

  const checkSecret = (label: string, value: unknown): string => {
    if (typeof value !== 'string') throw invalid(`${label} must be a string`);
    if (value.includes('\0')) throw invalid(`${label} contains a NUL character`);
    if (Buffer.byteLength(value, 'utf8') > MAX_SECRET_BYTES) {
      throw invalid(`${label} is longer than ${MAX_SECRET_BYTES} bytes`);
    }
    return value;
  };
  for (const [key, value] of Object.entries(parameters.requesterSecrets)) {
    if (!/^[1-9][0-9]{0,8}$/.test(key)) throw invalid(`requester secret index ${key} must be an integer ≥ 1`);
    env[`IEXEC_REQUESTER_SECRET_${key}`] = checkSecret(`requester secret ${key}`, value);
  }
  if (parameters.appDeveloperSecret !== undefined) {
    const secret = checkSecret('the app developer secret', parameters.appDeveloperSecret);
    env.IEXEC_APP_DEVELOPER_SECRET = secret;
    env.IEXEC_APP_DEVELOPER_SECRET_1 = secret;
  }
  return env;
}

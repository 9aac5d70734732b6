import { ConfideError } from '../../errors/src/index.js';

/**
 * A request's `params`, read: the part of a deal that tells the enclave how to run the app.
 * Keys as iExec's (§2.2 of the reference), plus `confide_result_recipient`.
 */
export type DealParams = {
  /** `iexec_args` split as a shell would split words (quotes group, no expansion). */
  args: string[];
  /** `iexec_input_files`: URLs the enclave downloads into `IEXEC_IN`. */
  inputFiles: string[];
  /** `iexec_secrets`: app secret index (1…999) → the requester's secret name. */
  secrets: Record<string, string>;
  /**
   * `confide_result_recipient`: the beneficiary's age recipient (`age1…`), to which the enclave
   * encrypts the result. It comes from the request the requester signed, so a worker cannot
   * substitute its own key.
   */
  resultRecipient?: string;
  /** `iexec_result_storage_provider`; only `ipfs` is served. */
  resultStorageProvider: 'ipfs';
  /**
   * `bulk_cid`: the CID of a bulk request's root (see `bulk.ts`); task `i` of the request
   * processes slice `i`. Only with dataset 0x0.
   */
  bulkCid?: string;
};

/** Keys a request's params may carry; any other key is refused, as iExec's SDK does. */
export const DEAL_PARAMS_KEYS = [
  'iexec_args',
  'iexec_input_files',
  'iexec_secrets',
  'iexec_result_encryption',
  'iexec_result_storage_provider',
  'confide_result_recipient',
  'bulk_cid',
] as const;

/** Params that cannot be run, with what is wrong in `details`. */
export class DealParamsInvalidError extends ConfideError<'CONFIDE_DEAL_PARAMS_INVALID'> {
  override name = 'DealParamsInvalidError' as const;
  constructor(details: string) {
    super({
      code: 'CONFIDE_DEAL_PARAMS_INVALID',
      shortMessage: 'The request params are invalid; fix them before signing the request.',
      details,
    });
  }
}

const SECRET_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const SECRET_INDEX = /^[1-9][0-9]{0,2}$/;
/** Bech32 of 32 bytes under the `age` prefix (the checksum is checked when encrypting). */
const AGE_RECIPIENT = /^age1[02-9ac-hj-np-z]{58}$/;
const MAX_ARGS_LENGTH = 4096;
/** A CID as text (v0 `Qm…` or v1 multibase); the storage client checks it fully when fetching. */
const CID_TEXT = /^[A-Za-z0-9]{16,128}$/;

/**
 * Reads a request's params string as the enclave will. An empty string is no params; a string
 * that is not a JSON object is the app's arguments (as iExec's workers read it).
 * @throws DealParamsInvalidError on an unknown key or a value of the wrong shape
 * @example parseDealParams('{"iexec_args":"--mean pm2_5","confide_result_recipient":"age1…"}')
 */
export function parseDealParams(params: string): DealParams {
  const read: DealParams = { args: [], inputFiles: [], secrets: {}, resultStorageProvider: 'ipfs' };
  if (params.trim() === '') return read;
  let parsed: unknown;
  try {
    parsed = JSON.parse(params);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ...read, args: splitArgs(params) };
  }
  const fields = parsed as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((key) => !(DEAL_PARAMS_KEYS as readonly string[]).includes(key));
  if (unknown.length > 0) throw new DealParamsInvalidError(`unknown key(s): ${unknown.join(', ')}`);

  const args = fields.iexec_args;
  if (args !== undefined) {
    if (typeof args !== 'string') throw new DealParamsInvalidError('iexec_args must be a string');
    read.args = splitArgs(args);
  }
  const files = fields.iexec_input_files;
  if (files !== undefined) {
    if (!Array.isArray(files) || !files.every((url) => typeof url === 'string' && isHttpUrl(url))) {
      throw new DealParamsInvalidError('iexec_input_files must be an array of http(s) URLs');
    }
    read.inputFiles = files as string[];
  }
  const secrets = fields.iexec_secrets;
  if (secrets !== undefined) {
    if (typeof secrets !== 'object' || secrets === null || Array.isArray(secrets)) {
      throw new DealParamsInvalidError('iexec_secrets must map an index to a secret name');
    }
    for (const [index, name] of Object.entries(secrets)) {
      if (!SECRET_INDEX.test(index) || typeof name !== 'string' || !SECRET_NAME.test(name)) {
        throw new DealParamsInvalidError(`iexec_secrets entry ${index} is not index (1…999) → [A-Za-z0-9_-]{1,64}`);
      }
    }
    read.secrets = secrets as Record<string, string>;
  }
  const encryption = fields.iexec_result_encryption;
  if (encryption !== undefined && encryption !== true) {
    throw new DealParamsInvalidError('iexec_result_encryption can only be true: Confide always encrypts results');
  }
  const provider = fields.iexec_result_storage_provider;
  if (provider !== undefined && provider !== 'ipfs') {
    throw new DealParamsInvalidError(`iexec_result_storage_provider '${String(provider)}' is not served; use 'ipfs'`);
  }
  const recipient = fields.confide_result_recipient;
  if (recipient !== undefined) {
    if (typeof recipient !== 'string' || !AGE_RECIPIENT.test(recipient)) {
      throw new DealParamsInvalidError('confide_result_recipient must be an age recipient (age1…)');
    }
    read.resultRecipient = recipient;
  }
  const bulkCid = fields.bulk_cid;
  if (bulkCid !== undefined) {
    if (typeof bulkCid !== 'string' || !CID_TEXT.test(bulkCid)) {
      throw new DealParamsInvalidError('bulk_cid must be the CID of a bulk root');
    }
    read.bulkCid = bulkCid;
  }
  return read;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * Splits an argument string into words like a POSIX shell without expansion: blanks separate,
 * single quotes keep everything, double quotes keep everything but `\"` and `\\`, a backslash
 * outside quotes escapes the next character.
 * @throws DealParamsInvalidError on an unclosed quote or arguments over 4,096 characters
 * @example splitArgs(`--station "paris 01" --p 95`) // ['--station', 'paris 01', '--p', '95']
 */
export function splitArgs(args: string): string[] {
  if (args.length > MAX_ARGS_LENGTH) throw new DealParamsInvalidError(`arguments over ${MAX_ARGS_LENGTH} characters`);
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < args.length; i++) {
    const c = args.charAt(i);
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
    } else if (quote === '"') {
      const next = args.charAt(i + 1);
      if (c === '"') quote = undefined;
      else if (c === '\\' && (next === '"' || next === '\\')) word += args.charAt(++i);
      else word += c;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      inWord = true;
      if (c === "'" || c === '"') quote = c;
      else if (c === '\\' && i + 1 < args.length) word += args.charAt(++i);
      else word += c;
    }
  }
  if (quote) throw new DealParamsInvalidError(`unclosed ${quote} quote in the arguments`);
  if (inWord) words.push(word);
  return words;
}

import { lstat, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import type { Hex } from 'viem';
import { ComputedJsonInvalidError } from '../errors.js';
import { IEXEC_OUT } from './buildAppEnvironment.js';

/** Largest accepted `computed.json`, in bytes. */
export const MAX_COMPUTED_JSON_BYTES = 1024 * 1024;

/** A validated `computed.json`. */
export type ComputedJson = {
  /** Absolute host path of the deterministic output (a file or a folder), inside the output folder. */
  deterministicOutputPath: string;
  /** Bytes for an on-chain callback, when the app gave some. */
  callbackData?: Hex;
  /** The app's own description of a failure, when it gave one. */
  errorMessage?: string;
};

/** Errors {@link readComputedJson} can throw. */
export type ReadComputedJsonErrorType = ComputedJsonInvalidError;

/**
 * Reads and validates the `computed.json` an app wrote in its output folder (iExec reference
 * §4.3). Keys are kebab-case: `deterministic-output-path` (required; `/iexec_out/…` as the app
 * sees it, or relative to the output folder) must resolve, after following symbolic links,
 * inside the output folder; `callback-data` must be 0x-hex bytes; `error-message` a string.
 * Other keys are ignored (`task-id`, `result-digest`, `enclave-signature` are filled later by
 * the runtime, not read from the app). A missing or invalid file means the task failed.
 * @param outputDir the host folder that was mounted at `/iexec_out`
 * @returns the validated content, with the output path resolved on the host
 * @throws ComputedJsonInvalidError with the reason (`MISSING`, `NOT_JSON`, `OUTPUT_PATH_OUTSIDE`, …)
 * @example
 * const computed = await readComputedJson(outputDir);
 * const digest = await computeResultDigest(outputDir, computed);
 */
export async function readComputedJson(outputDir: string): Promise<ComputedJson> {
  const root = await realpath(outputDir);
  const file = path.join(root, 'computed.json');
  const info = await lstat(file).catch(() => undefined);
  if (!info?.isFile()) {
    throw new ComputedJsonInvalidError('MISSING', {
      details: info ? 'computed.json is not a regular file (a link or a folder?)' : `${file} does not exist`,
    });
  }
  if (info.size > MAX_COMPUTED_JSON_BYTES) {
    throw new ComputedJsonInvalidError('TOO_LARGE', {
      details: `${info.size} bytes, the limit is ${MAX_COMPUTED_JSON_BYTES}`,
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (cause) {
    throw new ComputedJsonInvalidError('NOT_JSON', { details: 'computed.json does not parse as JSON', cause });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ComputedJsonInvalidError('NOT_JSON', { details: 'computed.json must hold a JSON object' });
  }
  const record = value as Record<string, unknown>;

  const result: ComputedJson = { deterministicOutputPath: '' };
  const errorMessage = record['error-message'];
  if (errorMessage !== undefined) {
    if (typeof errorMessage !== 'string') throw new ComputedJsonInvalidError('ERROR_MESSAGE_INVALID');
    result.errorMessage = errorMessage;
  }
  const callbackData = record['callback-data'];
  if (callbackData !== undefined) {
    if (typeof callbackData !== 'string' || !/^0x([0-9a-fA-F]{2})*$/.test(callbackData)) {
      throw new ComputedJsonInvalidError('CALLBACK_DATA_INVALID', {
        details: '"callback-data" must be a string of 0x-prefixed hex bytes',
      });
    }
    result.callbackData = callbackData as Hex;
  }
  const declared = record['deterministic-output-path'];
  if (typeof declared !== 'string' || declared.length === 0) {
    throw new ComputedJsonInvalidError('OUTPUT_PATH_MISSING', {
      details: '"deterministic-output-path" must be a non-empty string',
    });
  }
  result.deterministicOutputPath = await resolveInsideOutput(root, declared);
  return result;
}

/**
 * Maps a path as the app wrote it (`/iexec_out/x` or `x`) to the host, and checks that it and
 * whatever its links point to stay inside `root` (the real path of the output folder).
 * @example await resolveInsideOutput('/tasks/1/out', '/iexec_out/result.txt') // '/tasks/1/out/result.txt'
 */
export async function resolveInsideOutput(root: string, declared: string): Promise<string> {
  const outside = () =>
    new ComputedJsonInvalidError('OUTPUT_PATH_OUTSIDE', {
      details: `"deterministic-output-path" ${JSON.stringify(declared)} is not inside ${IEXEC_OUT}`,
    });
  let relative: string;
  if (declared === IEXEC_OUT || declared.startsWith(`${IEXEC_OUT}/`)) relative = declared.slice(IEXEC_OUT.length);
  else if (declared.startsWith('/')) throw outside();
  else relative = declared;
  relative = path.posix.normalize(`./${relative}`);
  if (relative === '..' || relative.startsWith('../') || declared.includes('\0')) throw outside();
  let real: string;
  try {
    real = await realpath(path.join(root, relative));
  } catch (cause) {
    throw new ComputedJsonInvalidError('OUTPUT_PATH_NOT_FOUND', {
      details: `"deterministic-output-path" ${JSON.stringify(declared)} does not exist in the output folder`,
      cause,
    });
  }
  if (real !== root && !real.startsWith(`${root}/`)) throw outside();
  return real;
}

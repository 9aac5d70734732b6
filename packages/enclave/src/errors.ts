/**
 * Errors of the enclave runtime outside quotes: app bundles, the app contract, the sandbox.
 * One root, {@link EnclaveError}, extending the shared `ConfideError` (`shortMessage`,
 * `details`, `cause`, `code`, `reason`, `walk()`). Callers (the worker, the CLI) switch on
 * `code` and `reason`, never on message text.
 */

import { ConfideError, type ConfideErrorOptions } from '../../errors/src/index.js';

/** Every stable code an {@link EnclaveError} can carry. */
export type EnclaveErrorCode =
  | 'CONFIDE_ENCLAVE_BUNDLE_INVALID'
  | 'CONFIDE_ENCLAVE_APP_ENVIRONMENT_INVALID'
  | 'CONFIDE_ENCLAVE_COMPUTED_JSON_INVALID'
  | 'CONFIDE_ENCLAVE_SANDBOX_OPTIONS_INVALID'
  | 'CONFIDE_ENCLAVE_SANDBOX_UNAVAILABLE'
  | 'CONFIDE_ENCLAVE_SANDBOX_SETUP_FAILED'
  | 'CONFIDE_ENCLAVE_SANDBOX_CLEANUP_FAILED'
  | 'CONFIDE_ENCLAVE_SESSION_INVALID_USE'
  | 'CONFIDE_ENCLAVE_PROCESS_FAILED';

/** Options shared by every enclave error: `details` (text) and `cause`. */
export type EnclaveErrorOptions = ConfideErrorOptions;

/**
 * Root of the enclave runtime's errors (quotes have their own, `QuoteError`).
 * @example
 * try { await unpackBundle(bytes, dir) } catch (error) {
 *   if (error instanceof EnclaveError && error.code === 'CONFIDE_ENCLAVE_BUNDLE_INVALID') refuse(error.reason);
 * }
 */
export class EnclaveError extends ConfideError<EnclaveErrorCode> {
  override name: string = 'EnclaveError';
  /** Finer stable reason within the code, e.g. `PATH_TRAVERSAL`. */
  declare readonly reason: string;

  constructor(code: EnclaveErrorCode, reason: string, shortMessage: string, options: EnclaveErrorOptions = {}) {
    super({ code, reason, shortMessage, details: options.details, cause: options.cause });
  }
}

/** Why an app bundle (a directory to pack, or bytes to read) was refused. */
export type BundleInvalidReason =
  /** No `confide.json` at the bundle's root. */
  | 'MANIFEST_MISSING'
  /** `confide.json` is not JSON, lacks a field, has an unknown one, or a wrong value. */
  | 'MANIFEST_INVALID'
  /** The manifest's entrypoint is not a file of the bundle. */
  | 'ENTRYPOINT_MISSING'
  /** A path is empty, absolute, has `.`/`..`/empty segments, a backslash or a control character. */
  | 'PATH_INVALID'
  /** Two entries with the same path, or a file whose path is also a directory of another. */
  | 'PATH_CONFLICT'
  /** A symbolic link points outside the bundle, or to something other than a regular file. */
  | 'SYMLINK_OUTSIDE'
  /** A device, socket or FIFO. */
  | 'UNSUPPORTED_FILE_TYPE'
  /** More files, or more bytes, than the limits allow. */
  | 'TOO_LARGE'
  /** The bytes are not a bundle: wrong magic or version, truncated, trailing data, bad UTF-8. */
  | 'MALFORMED'
  /** The bytes parse but are not the canonical encoding (entries unsorted, reserved bits set). */
  | 'NOT_CANONICAL'
  /** `unpackBundle` was pointed at a directory that is not empty. */
  | 'DESTINATION_NOT_EMPTY';

/**
 * An app bundle was refused; `reason` says which rule it broke.
 * @example throw new BundleInvalidError('PATH_INVALID', { details: 'path "../x" has a ".." segment' })
 */
export class BundleInvalidError extends EnclaveError {
  override name = 'BundleInvalidError' as const;
  declare readonly code: 'CONFIDE_ENCLAVE_BUNDLE_INVALID';
  declare readonly reason: BundleInvalidReason;
  constructor(reason: BundleInvalidReason, options: EnclaveErrorOptions = {}) {
    super(
      'CONFIDE_ENCLAVE_BUNDLE_INVALID',
      reason,
      `The app bundle is invalid (${reason}). Fix the app directory or confide.json and pack it again.`,
      options,
    );
  }
}

/**
 * The task description given to `buildAppEnvironment` cannot produce a valid app environment.
 * @example throw new AppEnvironmentInvalidError({ details: 'taskId must be a 32-byte 0x-hex string' })
 */
export class AppEnvironmentInvalidError extends EnclaveError {
  override name = 'AppEnvironmentInvalidError' as const;
  declare readonly code: 'CONFIDE_ENCLAVE_APP_ENVIRONMENT_INVALID';
  constructor(options: EnclaveErrorOptions = {}) {
    super(
      'CONFIDE_ENCLAVE_APP_ENVIRONMENT_INVALID',
      'INVALID_PARAMETER',
      'Cannot build the app environment: a task parameter is invalid.',
      options,
    );
  }
}

/** Why an app's `computed.json` was refused (each makes the task fail). */
export type ComputedJsonInvalidReason =
  /** The app wrote no `computed.json` in its output folder. */
  | 'MISSING'
  /** Larger than the limit. */
  | 'TOO_LARGE'
  /** Not a JSON object. */
  | 'NOT_JSON'
  /** `deterministic-output-path` is absent or not a string (and there is no `callback-data`). */
  | 'OUTPUT_PATH_MISSING'
  /** `deterministic-output-path` resolves (possibly through a symlink) outside the output folder. */
  | 'OUTPUT_PATH_OUTSIDE'
  /** `deterministic-output-path` names nothing that exists. */
  | 'OUTPUT_PATH_NOT_FOUND'
  /** The deterministic output is a directory holding something other than regular files. */
  | 'OUTPUT_PATH_UNSUPPORTED'
  /** `callback-data` is not 0x-prefixed hex bytes. */
  | 'CALLBACK_DATA_INVALID'
  /** `error-message` is not a string. */
  | 'ERROR_MESSAGE_INVALID';

/**
 * The app's `computed.json` is missing or invalid: the task failed.
 * @example throw new ComputedJsonInvalidError('MISSING', { details: '/tmp/task/out/computed.json does not exist' })
 */
export class ComputedJsonInvalidError extends EnclaveError {
  override name = 'ComputedJsonInvalidError' as const;
  declare readonly code: 'CONFIDE_ENCLAVE_COMPUTED_JSON_INVALID';
  declare readonly reason: ComputedJsonInvalidReason;
  constructor(reason: ComputedJsonInvalidReason, options: EnclaveErrorOptions = {}) {
    super(
      'CONFIDE_ENCLAVE_COMPUTED_JSON_INVALID',
      reason,
      `The app's computed.json is invalid (${reason}); the task fails. The app must write /iexec_out/computed.json with a "deterministic-output-path" inside /iexec_out.`,
      options,
    );
  }
}

/**
 * `runSandboxed` was called with an invalid option (a limit out of range, a bad env name).
 * @example throw new SandboxOptionsInvalidError({ details: 'timeLimitMs must be a positive integer, got 0' })
 */
export class SandboxOptionsInvalidError extends EnclaveError {
  override name = 'SandboxOptionsInvalidError' as const;
  declare readonly code: 'CONFIDE_ENCLAVE_SANDBOX_OPTIONS_INVALID';
  constructor(options: EnclaveErrorOptions = {}) {
    super('CONFIDE_ENCLAVE_SANDBOX_OPTIONS_INVALID', 'INVALID_OPTION', 'Invalid sandbox options.', options);
  }
}

/** What the machine lacks to run a sandbox. */
export type SandboxUnavailableReason = 'BWRAP_MISSING' | 'SETPRIV_MISSING' | 'SHELL_MISSING' | 'CGROUPS_UNAVAILABLE';

/**
 * This machine cannot run the sandbox: bubblewrap or setpriv is missing, or the cgroup v1 memory
 * and pids controllers are not writable (run as root, or delegate them).
 * @example throw new SandboxUnavailableError('BWRAP_MISSING', { details: '/usr/bin/bwrap not found' })
 */
export class SandboxUnavailableError extends EnclaveError {
  override name = 'SandboxUnavailableError' as const;
  declare readonly code: 'CONFIDE_ENCLAVE_SANDBOX_UNAVAILABLE';
  declare readonly reason: SandboxUnavailableReason;
  constructor(reason: SandboxUnavailableReason, options: EnclaveErrorOptions = {}) {
    super(
      'CONFIDE_ENCLAVE_SANDBOX_UNAVAILABLE',
      reason,
      `The app sandbox cannot run on this machine (${reason}). Install bubblewrap (apt install bubblewrap) and run the enclave runtime as root with cgroup v1 memory and pids controllers mounted.`,
      options,
    );
  }
}

/**
 * The sandbox could not be set up, so the app never started (e.g. the bundle or input folder is
 * not readable by the sandbox user). Not the app's fault: do not report the task as failed by it.
 * @example throw new SandboxSetupError({ details: "bwrap: Can't find source path /x: Permission denied" })
 */
export class SandboxSetupError extends EnclaveError {
  override name = 'SandboxSetupError' as const;
  declare readonly code: 'CONFIDE_ENCLAVE_SANDBOX_SETUP_FAILED';
  constructor(options: EnclaveErrorOptions = {}) {
    super(
      'CONFIDE_ENCLAVE_SANDBOX_SETUP_FAILED',
      'SETUP_FAILED',
      'The app sandbox could not be set up; the app did not start. Check that the bundle and input folders (and their parents) are readable by the sandbox user (uid 65534).',
      options,
    );
  }
}

/**
 * Processes of a run could not be killed, or its cgroups removed, before the deadline.
 * @example throw new SandboxCleanupError({ details: '/sys/fs/cgroup/pids/confide-1a2b still has 3 processes' })
 */
export class SandboxCleanupError extends EnclaveError {
  override name = 'SandboxCleanupError' as const;
  declare readonly code: 'CONFIDE_ENCLAVE_SANDBOX_CLEANUP_FAILED';
  constructor(options: EnclaveErrorOptions = {}) {
    super(
      'CONFIDE_ENCLAVE_SANDBOX_CLEANUP_FAILED',
      'CLEANUP_FAILED',
      'The app sandbox could not be cleaned up: processes or cgroups remain. Inspect them before running more tasks.',
      options,
    );
  }
}

/** How an enclave session was misused. */
export type EnclaveSessionInvalidUseReason =
  /** `run` was called a second time: a session runs one task, once. */
  | 'ALREADY_RUN'
  /** A parameter of `createEnclaveSession` or `run` is malformed or inconsistent (e.g. the task ids differ). */
  | 'INVALID_PARAMETER';

/**
 * The worker misused an enclave session. Nothing was signed: this is not a task failure.
 * @example throw new EnclaveSessionInvalidUseError('ALREADY_RUN', { details: 'task 0x… already ran in this session' })
 */
export class EnclaveSessionInvalidUseError extends EnclaveError {
  override name = 'EnclaveSessionInvalidUseError' as const;
  declare readonly code: 'CONFIDE_ENCLAVE_SESSION_INVALID_USE';
  declare readonly reason: EnclaveSessionInvalidUseReason;
  constructor(reason: EnclaveSessionInvalidUseReason, options: EnclaveErrorOptions = {}) {
    super(
      'CONFIDE_ENCLAVE_SESSION_INVALID_USE',
      reason,
      `The enclave session was misused (${reason}). Create one session per task and call run once.`,
      options,
    );
  }
}

/** How the enclave process failed the worker. */
export type EnclaveProcessFailedReason =
  /** The process could not start, or exited before answering. */
  | 'EXITED'
  /** It did not answer within the worker's deadline and was killed. */
  | 'TIMEOUT'
  /** It answered with an error: a machine problem or a misuse, nothing signed. */
  | 'REFUSED'
  /** It answered something that is not the protocol. */
  | 'PROTOCOL';

/**
 * The enclave process ended without a signed outcome. The task did not fail by itself: the
 * worker may retry it in a new enclave, or leave it to be reassigned.
 * @example throw new EnclaveProcessError('TIMEOUT', { details: 'no answer in 330000 ms' })
 */
export class EnclaveProcessError extends EnclaveError {
  override name = 'EnclaveProcessError' as const;
  declare readonly code: 'CONFIDE_ENCLAVE_PROCESS_FAILED';
  declare readonly reason: EnclaveProcessFailedReason;
  constructor(reason: EnclaveProcessFailedReason, options: EnclaveErrorOptions = {}) {
    super(
      'CONFIDE_ENCLAVE_PROCESS_FAILED',
      reason,
      `The enclave process failed (${reason}) without a signed outcome; run the task in a new enclave.`,
      options,
    );
  }
}

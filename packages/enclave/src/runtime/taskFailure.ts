import type { FailureReason } from '../../../protocol/src/index.js';

/**
 * Internal: a step of `run` decided that the task failed. Caught by `run`, which signs the
 * reason; never escapes the runtime. `diagnostic` is a short stable code for the worker's logs
 * (an SMS error code, an exit code, a computed.json reason), never app output or a secret.
 */
export class TaskFailure extends Error {
  override name = 'TaskFailure';
  constructor(
    readonly reason: FailureReason,
    readonly diagnostic: string,
  ) {
    super(`${reason} (${diagnostic})`);
  }
}

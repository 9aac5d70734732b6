import { TaskStatus } from '../../../protocol/src/index.js';
import { ConfideSdkError } from '../errors.js';
import type { RevertMapper } from './chain.js';

/**
 * Maps the claim reverts to `CONFIDE_SDK_TASK_NOT_CLAIMABLE` (reason: the contract's error; details:
 * the error with its arguments, e.g. `TaskFinalDeadlineNotReached(0x…, 1767000000, 1766990000)`).
 */
export function claimRevert(action: string): RevertMapper {
  return ({ errorName, args }) => {
    const details = `${errorName}(${args.map(String).join(', ')})`;
    if (errorName === 'TaskNotClaimable') {
      return new ConfideSdkError({
        code: 'CONFIDE_SDK_TASK_NOT_CLAIMABLE',
        shortMessage: `${action}: task ${String(args[0])} is ${TaskStatus[Number(args[1])] ?? 'UNSET'}; only an ACTIVE or REVEALING task can be claimed.`,
        details,
        reason: errorName,
      });
    }
    if (errorName === 'TaskFinalDeadlineNotReached') {
      return new ConfideSdkError({
        code: 'CONFIDE_SDK_TASK_NOT_CLAIMABLE',
        shortMessage: `${action}: the final deadline (${String(args[1])}) has not passed; claim after it.`,
        details,
        reason: errorName,
      });
    }
    return undefined;
  };
}

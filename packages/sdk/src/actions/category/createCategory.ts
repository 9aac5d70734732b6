import { type Hex, parseEventLogs } from 'viem';
import { z } from 'zod';
import { confideHubAbi } from '../../../../protocol/src/index.js';
import type { ConfideClient } from '../../client.js';
import { ConfideSdkError } from '../../errors.js';
import { requireWallet, sendContract } from '../../internal/chain.js';
import { parseParameters, positiveSchema } from '../../internal/validate.js';

/** The longest work-clock time reference the hub accepts, in seconds (2^24 − 1, about 194 days). */
const MAX_TIMEREF = 2n ** 24n - 1n;

/** Parameters of {@link createCategory}. */
export type CreateCategoryParameters = {
  name: string;
  description: string;
  /** Seconds of compute a task may use (1 to 16,777,215); a deal's final deadline is 10 times this. */
  workClockTimeRef: bigint | number | string;
};

/** The new category's id and the transaction. */
export type CreateCategoryReturnType = { catid: bigint; txHash: Hex };

/** Errors of {@link createCategory}. */
export type CreateCategoryErrorType = ConfideSdkError<
  | 'CONFIDE_SDK_PARAMETERS_INVALID'
  | 'CONFIDE_SDK_ACCOUNT_REQUIRED'
  | 'CONFIDE_SDK_NOT_OWNER'
  | 'CONFIDE_SDK_TRANSACTION_REVERTED'
>;

const schema = z.strictObject({
  name: z.string().min(1).max(256),
  description: z.string().max(4096),
  workClockTimeRef: positiveSchema.refine((value) => value <= MAX_TIMEREF, `must be at most ${MAX_TIMEREF} seconds`),
});

/**
 * Adds a compute category to the hub (iExec's `hub.createCategory`). Only the hub's owner may:
 * anyone else gets `CONFIDE_SDK_NOT_OWNER` (the hub's `OwnableUnauthorizedAccount`).
 * @param client a Confide client whose account owns the hub
 * @param parameters `{ name, description, workClockTimeRef }`
 * @returns the new category id (the previous count) and the transaction hash
 * @throws ConfideSdkError `CONFIDE_SDK_NOT_OWNER` (reason `OwnableUnauthorizedAccount`), `CONFIDE_SDK_PARAMETERS_INVALID`
 * @example const { catid } = await createCategory(client, { name: 'GPU-S', description: '15 min on a GPU', workClockTimeRef: 900 })
 */
export async function createCategory(
  client: Pick<ConfideClient, 'publicClient' | 'walletClient' | 'hub'>,
  parameters: CreateCategoryParameters,
): Promise<CreateCategoryReturnType> {
  const p = parseParameters('createCategory', schema, parameters);
  requireWallet(client, 'createCategory');
  const receipt = await sendContract(client, {
    action: 'createCategory',
    address: client.hub,
    abi: confideHubAbi,
    functionName: 'createCategory',
    args: [p.name, p.description, p.workClockTimeRef],
    mapRevert: ({ errorName, args }) =>
      errorName === 'OwnableUnauthorizedAccount'
        ? new ConfideSdkError({
            code: 'CONFIDE_SDK_NOT_OWNER',
            shortMessage: `createCategory: only the hub's owner creates categories, and ${String(args[0])} is not it.`,
            details: `${errorName}(${String(args[0])})`,
            reason: errorName,
          })
        : undefined,
  });
  const [created] = parseEventLogs({ abi: confideHubAbi, eventName: 'CategoryCreated', logs: receipt.logs });
  if (!created) {
    throw new ConfideSdkError({
      code: 'CONFIDE_SDK_TRANSACTION_REVERTED',
      shortMessage: `createCategory: transaction ${receipt.transactionHash} logged no CategoryCreated; is ${client.hub} a Confide hub?`,
    });
  }
  return { catid: created.args.catid, txHash: receipt.transactionHash };
}

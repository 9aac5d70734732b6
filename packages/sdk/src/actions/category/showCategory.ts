import { z } from 'zod';
import { confideHubAbi } from '../../../../protocol/src/index.js';
import type { ConfideClient } from '../../client.js';
import { ConfideSdkError } from '../../errors.js';
import { parseParameters, uintSchema } from '../../internal/validate.js';
import { countCategory } from './countCategory.js';

/** Parameters of {@link showCategory}. */
export type ShowCategoryParameters = {
  /** The category id: 0 to `countCategory() − 1` (a bigint, a safe integer or a decimal string). */
  catid: bigint | number | string;
};

/** A compute category: what a deal's time limits are counted in. */
export type ShowCategoryReturnType = {
  catid: bigint;
  name: string;
  description: string;
  /** Seconds of compute a task may use; a deal's final deadline is 10 times this per task. */
  workClockTimeRef: bigint;
};

/** Errors of {@link showCategory}. */
export type ShowCategoryErrorType = ConfideSdkError<
  'CONFIDE_SDK_PARAMETERS_INVALID' | 'CONFIDE_SDK_CATEGORY_NOT_FOUND'
>;

const schema = z.strictObject({ catid: uintSchema });

/**
 * One compute category of the hub (iExec's `hub.showCategory`).
 * @param client a Confide client (read-only is enough)
 * @param parameters `{ catid }`
 * @returns its name, description and work-clock time reference
 * @throws ConfideSdkError `CONFIDE_SDK_CATEGORY_NOT_FOUND` when the hub has no category with this id
 * @example const { name, workClockTimeRef } = await showCategory(client, { catid: 0 }) // 'XS', 300n
 */
export async function showCategory(
  client: Pick<ConfideClient, 'publicClient' | 'hub'>,
  parameters: ShowCategoryParameters,
): Promise<ShowCategoryReturnType> {
  const { catid } = parseParameters('showCategory', schema, parameters);
  const count = await countCategory(client);
  if (catid >= count) {
    throw new ConfideSdkError({
      code: 'CONFIDE_SDK_CATEGORY_NOT_FOUND',
      shortMessage: `showCategory: the hub has no category ${catid}; its ${count} categories have ids 0 to ${count - 1n}.`,
    });
  }
  const category = await client.publicClient.readContract({
    address: client.hub,
    abi: confideHubAbi,
    functionName: 'viewCategory',
    args: [catid],
  });
  return {
    catid,
    name: category.name,
    description: category.description,
    workClockTimeRef: category.workClockTimeRef,
  };
}

import type { Address, Hex } from 'viem';
import { z } from 'zod';
import type { AppOrder } from '../../../../protocol/src/index.js';
import type { ConfideSdkError } from '../../errors.js';
import { ORDER_DEFAULTS, randomSalt, type TagInput, tagSchema } from '../../internal/orders.js';
import { addressSchema, bytes32Schema, parseParameters, uintSchema } from '../../internal/validate.js';

/** Parameters of {@link createAppOrder}: only `app` is required. */
export type CreateAppOrderParameters = {
  app: Address;
  /** Price per task in nano-tokens; 0 by default. */
  appprice?: bigint | number;
  /** How many tasks it may serve; 1 by default. */
  volume?: bigint | number;
  /** Required tag bits (`['tee']` or bytes32); none by default. */
  tag?: TagInput;
  datasetrestrict?: Address;
  workerpoolrestrict?: Address;
  requesterrestrict?: Address;
  /** Random by default, so that two equal orders differ. */
  salt?: Hex;
};

/** The unsigned order; sign it with `signOrder`. */
export type CreateAppOrderReturnType = AppOrder;

/** Errors of {@link createAppOrder}. */
export type CreateAppOrderErrorType = ConfideSdkError<'CONFIDE_SDK_PARAMETERS_INVALID'>;

const schema = z.strictObject({
  app: addressSchema,
  appprice: uintSchema.default(0n),
  volume: uintSchema.default(ORDER_DEFAULTS.volume),
  tag: tagSchema.default(ORDER_DEFAULTS.tag),
  datasetrestrict: addressSchema.default(ORDER_DEFAULTS.restrict),
  workerpoolrestrict: addressSchema.default(ORDER_DEFAULTS.restrict),
  requesterrestrict: addressSchema.default(ORDER_DEFAULTS.restrict),
  salt: bytes32Schema.optional(),
});

/**
 * Builds an app owner's offer with iExec's defaults (price 0, volume 1, tag 0, no restriction, random salt).
 * @param parameters the fields to set
 * @returns the unsigned order
 * @throws ConfideSdkError `CONFIDE_SDK_PARAMETERS_INVALID` naming each wrong field
 * @example const order = createAppOrder({ app: '0x…', appprice: 1_000_000_000n, volume: 10, tag: ['tee'] })
 */
export function createAppOrder(parameters: CreateAppOrderParameters): CreateAppOrderReturnType {
  const p = parseParameters('createAppOrder', schema, parameters);
  return {
    app: p.app,
    appprice: p.appprice,
    volume: p.volume,
    tag: p.tag,
    datasetrestrict: p.datasetrestrict,
    workerpoolrestrict: p.workerpoolrestrict,
    requesterrestrict: p.requesterrestrict,
    salt: p.salt ?? randomSalt(),
  };
}

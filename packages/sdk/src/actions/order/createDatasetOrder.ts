import type { Address, Hex } from 'viem';
import { z } from 'zod';
import type { DatasetOrder } from '../../../../protocol/src/index.js';
import type { ConfideSdkError } from '../../errors.js';
import { ORDER_DEFAULTS, randomSalt, type TagInput, tagSchema } from '../../internal/orders.js';
import { addressSchema, bytes32Schema, parseParameters, uintSchema } from '../../internal/validate.js';

/** Parameters of {@link createDatasetOrder}: only `dataset` is required. */
export type CreateDatasetOrderParameters = {
  dataset: Address;
  /** Price per task in nano-tokens; 0 by default. */
  datasetprice?: bigint | number;
  /** How many tasks it may serve; 1 by default. */
  volume?: bigint | number;
  /** Required tag bits (`['tee']` or bytes32); none by default. */
  tag?: TagInput;
  apprestrict?: Address;
  workerpoolrestrict?: Address;
  requesterrestrict?: Address;
  /** Random by default, so that two equal orders differ. */
  salt?: Hex;
};

/** The unsigned order; sign it with `signOrder`. */
export type CreateDatasetOrderReturnType = DatasetOrder;

/** Errors of {@link createDatasetOrder}. */
export type CreateDatasetOrderErrorType = ConfideSdkError<'CONFIDE_SDK_PARAMETERS_INVALID'>;

const schema = z.strictObject({
  dataset: addressSchema,
  datasetprice: uintSchema.default(0n),
  volume: uintSchema.default(ORDER_DEFAULTS.volume),
  tag: tagSchema.default(ORDER_DEFAULTS.tag),
  apprestrict: addressSchema.default(ORDER_DEFAULTS.restrict),
  workerpoolrestrict: addressSchema.default(ORDER_DEFAULTS.restrict),
  requesterrestrict: addressSchema.default(ORDER_DEFAULTS.restrict),
  salt: bytes32Schema.optional(),
});

/**
 * Builds a dataset owner's grant with iExec's defaults (price 0, volume 1, tag 0, no restriction, random salt).
 * @param parameters the fields to set
 * @returns the unsigned order
 * @throws ConfideSdkError `CONFIDE_SDK_PARAMETERS_INVALID` naming each wrong field
 * @example const order = createDatasetOrder({ dataset: '0x…', datasetprice: 1_000_000_000n, volume: 10, tag: ['tee'] })
 */
export function createDatasetOrder(parameters: CreateDatasetOrderParameters): CreateDatasetOrderReturnType {
  const p = parseParameters('createDatasetOrder', schema, parameters);
  return {
    dataset: p.dataset,
    datasetprice: p.datasetprice,
    volume: p.volume,
    tag: p.tag,
    apprestrict: p.apprestrict,
    workerpoolrestrict: p.workerpoolrestrict,
    requesterrestrict: p.requesterrestrict,
    salt: p.salt ?? randomSalt(),
  };
}

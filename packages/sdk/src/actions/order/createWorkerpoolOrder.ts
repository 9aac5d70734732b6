import type { Address, Hex } from 'viem';
import { z } from 'zod';
import type { WorkerpoolOrder } from '../../../../protocol/src/index.js';
import type { ConfideSdkError } from '../../errors.js';
import { ORDER_DEFAULTS, randomSalt, type TagInput, tagSchema } from '../../internal/orders.js';
import { addressSchema, bytes32Schema, parseParameters, uintSchema } from '../../internal/validate.js';

/** Parameters of {@link createWorkerpoolOrder}: only `workerpool` is required. */
export type CreateWorkerpoolOrderParameters = {
  workerpool: Address;
  /** Price per task in nano-tokens; 0 by default. */
  workerpoolprice?: bigint | number;
  /** How many tasks it may serve; 1 by default. */
  volume?: bigint | number;
  /** Required tag bits (`['tee']` or bytes32); none by default. */
  tag?: TagInput;
  /** The category (work-clock time reference) it offers. */
  category: bigint | number;
  /** Replication level; 0 or 1 for TEE. */
  trust?: bigint | number;
  apprestrict?: Address;
  datasetrestrict?: Address;
  requesterrestrict?: Address;
  /** Random by default, so that two equal orders differ. */
  salt?: Hex;
};

/** The unsigned order; sign it with `signOrder`. */
export type CreateWorkerpoolOrderReturnType = WorkerpoolOrder;

/** Errors of {@link createWorkerpoolOrder}. */
export type CreateWorkerpoolOrderErrorType = ConfideSdkError<'CONFIDE_SDK_PARAMETERS_INVALID'>;

const schema = z.strictObject({
  workerpool: addressSchema,
  workerpoolprice: uintSchema.default(0n),
  volume: uintSchema.default(ORDER_DEFAULTS.volume),
  tag: tagSchema.default(ORDER_DEFAULTS.tag),
  category: uintSchema,
  trust: uintSchema.default(0n),
  apprestrict: addressSchema.default(ORDER_DEFAULTS.restrict),
  datasetrestrict: addressSchema.default(ORDER_DEFAULTS.restrict),
  requesterrestrict: addressSchema.default(ORDER_DEFAULTS.restrict),
  salt: bytes32Schema.optional(),
});

/**
 * Builds a workerpool's offer of compute with iExec's defaults (price 0, volume 1, tag 0, no restriction, random salt).
 * @param parameters the fields to set
 * @returns the unsigned order
 * @throws ConfideSdkError `CONFIDE_SDK_PARAMETERS_INVALID` naming each wrong field
 * @example const order = createWorkerpoolOrder({ workerpool: '0x…', workerpoolprice: 1_000_000_000n, volume: 10, tag: ['tee'], category: 0 })
 */
export function createWorkerpoolOrder(parameters: CreateWorkerpoolOrderParameters): CreateWorkerpoolOrderReturnType {
  const p = parseParameters('createWorkerpoolOrder', schema, parameters);
  return {
    workerpool: p.workerpool,
    workerpoolprice: p.workerpoolprice,
    volume: p.volume,
    tag: p.tag,
    category: p.category,
    trust: p.trust,
    apprestrict: p.apprestrict,
    datasetrestrict: p.datasetrestrict,
    requesterrestrict: p.requesterrestrict,
    salt: p.salt ?? randomSalt(),
  };
}

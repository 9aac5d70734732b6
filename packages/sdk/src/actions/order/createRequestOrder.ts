import { type Address, type Hex, zeroAddress } from 'viem';
import { z } from 'zod';
import type { RequestOrder } from '../../../../protocol/src/index.js';
import type { ConfideClient } from '../../client.js';
import type { ConfideSdkError } from '../../errors.js';
import { ORDER_DEFAULTS, randomSalt, type TagInput, tagSchema } from '../../internal/orders.js';
import { type RequestParams, serializeRequestParams } from '../../internal/params.js';
import { addressSchema, bytes32Schema, parseParameters, uintSchema } from '../../internal/validate.js';

/** Parameters of {@link createRequestOrder}: `app` and `category` are required. */
export type CreateRequestOrderParameters = {
  app: Address;
  /** Most paid to the app per task; 0 by default. */
  appmaxprice?: bigint | number;
  /** The dataset to run on; none by default. */
  dataset?: Address;
  datasetmaxprice?: bigint | number;
  /** A workerpool to insist on; any by default. */
  workerpool?: Address;
  workerpoolmaxprice?: bigint | number;
  /** Who pays; the client's account by default. */
  requester?: Address;
  /** How many tasks; 1 by default. */
  volume?: bigint | number;
  tag?: TagInput;
  category: bigint | number;
  trust?: bigint | number;
  /** Who gets the result; the requester by default. */
  beneficiary?: Address;
  /** A contract called with the result; none by default. */
  callback?: Address;
  /** iExec's request params, as an object or a string; unknown keys are refused. */
  params?: RequestParams | string;
  salt?: Hex;
};

/** The unsigned request order. */
export type CreateRequestOrderReturnType = RequestOrder;

/** Errors of {@link createRequestOrder}. */
export type CreateRequestOrderErrorType = ConfideSdkError<
  'CONFIDE_SDK_PARAMETERS_INVALID' | 'CONFIDE_SDK_PARAMS_UNKNOWN_KEY' | 'CONFIDE_SDK_PARAMS_INVALID'
>;

const schema = z.strictObject({
  app: addressSchema,
  appmaxprice: uintSchema.default(0n),
  dataset: addressSchema.default(zeroAddress),
  datasetmaxprice: uintSchema.default(0n),
  workerpool: addressSchema.default(zeroAddress),
  workerpoolmaxprice: uintSchema.default(0n),
  requester: addressSchema.optional(),
  volume: uintSchema.default(ORDER_DEFAULTS.volume),
  tag: tagSchema.default(ORDER_DEFAULTS.tag),
  category: uintSchema,
  trust: uintSchema.default(0n),
  beneficiary: addressSchema.optional(),
  callback: addressSchema.default(zeroAddress),
  params: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
  salt: bytes32Schema.optional(),
});

/**
 * Builds a request order with iExec's defaults (volume 1, tag 0, trust 0, any workerpool, max
 * prices 0, no callback, beneficiary = requester = the client's account), its `params` checked
 * as the enclave will read them.
 * @param client a Confide client (its account is the default requester)
 * @param parameters the fields to set
 * @returns the unsigned request order
 * @throws ConfideSdkError `CONFIDE_SDK_PARAMS_UNKNOWN_KEY` for a params key iExec does not know
 * @example
 * const request = createRequestOrder(client, {
 *   app, appmaxprice: 2_000_000_000n, dataset, datasetmaxprice: 1_000_000_000n, workerpoolmaxprice: 3_000_000_000n,
 *   category: 0, tag: ['tee'], params: { iexec_args: '--mean pm2_5', confide_result_recipient: recipient },
 * })
 */
export function createRequestOrder(
  client: Pick<ConfideClient, 'walletClient'>,
  parameters: CreateRequestOrderParameters,
): CreateRequestOrderReturnType {
  const p = parseParameters('createRequestOrder', schema, parameters);
  const requester =
    p.requester ??
    client.walletClient?.account.address ??
    parseParameters('createRequestOrder', schema.required({ requester: true }), parameters).requester;
  return {
    app: p.app,
    appmaxprice: p.appmaxprice,
    dataset: p.dataset,
    datasetmaxprice: p.datasetmaxprice,
    workerpool: p.workerpool,
    workerpoolmaxprice: p.workerpoolmaxprice,
    requester,
    volume: p.volume,
    tag: p.tag,
    category: p.category,
    trust: p.trust,
    beneficiary: p.beneficiary ?? requester,
    callback: p.callback,
    params: serializeRequestParams('createRequestOrder', p.params as RequestParams | string | undefined),
    salt: p.salt ?? randomSalt(),
  };
}

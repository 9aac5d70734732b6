import { zeroAddress } from 'viem';
import { z } from 'zod';
import {
  type AppOrder,
  type DatasetOrder,
  parseDealParams,
  type RequestOrder,
  TAG_TEE,
  type WorkerpoolOrder,
} from '../../../../protocol/src/index.js';
import type { ConfideClient } from '../../client.js';
import { ConfideSdkError } from '../../errors.js';
import { orderSchema } from '../../internal/orders.js';
import { serializeRequestParams } from '../../internal/params.js';
import { smsSecretExists } from '../../internal/sms.js';
import { parseParameters } from '../../internal/validate.js';

/** Parameters of {@link checkRequestRequirements}: the request, and the other orders when known (for their tags). */
export type CheckRequestRequirementsParameters = {
  requestOrder: RequestOrder;
  appOrder?: AppOrder;
  datasetOrder?: DatasetOrder;
  workerpoolOrder?: WorkerpoolOrder;
};

/** `true` once every requirement holds. */
export type CheckRequestRequirementsReturnType = true;

/** Errors of {@link checkRequestRequirements}. */
export type CheckRequestRequirementsErrorType = ConfideSdkError<
  | 'CONFIDE_SDK_PARAMETERS_INVALID'
  | 'CONFIDE_SDK_PARAMS_UNKNOWN_KEY'
  | 'CONFIDE_SDK_PARAMS_INVALID'
  | 'CONFIDE_SDK_RESULT_RECIPIENT_MISSING'
  | 'CONFIDE_SDK_DATASET_KEY_MISSING'
  | 'CONFIDE_SDK_REQUESTER_SECRET_MISSING'
  | 'CONFIDE_SDK_SERVICE_MISSING'
  | 'CONFIDE_SDK_SMS_UNREACHABLE'
  | 'CONFIDE_SDK_SMS_REFUSED'
>;

const schema = z.strictObject({
  requestOrder: orderSchema('RequestOrder', false),
  appOrder: orderSchema('AppOrder', false).optional(),
  datasetOrder: orderSchema('DatasetOrder', false).optional(),
  workerpoolOrder: orderSchema('WorkerpoolOrder', false).optional(),
});

/**
 * What iExec's `checkRequestRequirements` checks before paying for a deal, so that a task does
 * not fail after the money is locked: the params read as the enclave will; for a TEE deal, a
 * result recipient in the params (nobody could read the result otherwise), the dataset's key
 * in the SMS, and every requester secret the params name.
 * @param client a Confide client (with `services.smsUrl` when a dataset or secrets are involved)
 * @param parameters `{ requestOrder, appOrder?, datasetOrder?, workerpoolOrder? }`
 * @returns `true`
 * @throws ConfideSdkError `CONFIDE_SDK_RESULT_RECIPIENT_MISSING`, `CONFIDE_SDK_DATASET_KEY_MISSING`,
 * `CONFIDE_SDK_REQUESTER_SECRET_MISSING`, or a params error
 * @example await checkRequestRequirements(client, { requestOrder, datasetOrder })
 */
export async function checkRequestRequirements(
  client: Pick<ConfideClient, 'services'>,
  parameters: CheckRequestRequirementsParameters,
): Promise<CheckRequestRequirementsReturnType> {
  const p = parseParameters('checkRequestRequirements', schema, parameters);
  const request = p.requestOrder;
  const params = parseDealParams(serializeRequestParams('checkRequestRequirements', request.params));
  const tags = [request.tag, p.appOrder?.tag, p.datasetOrder?.tag, p.workerpoolOrder?.tag];
  const tee = tags.some((tag) => tag !== undefined && (BigInt(tag) & BigInt(TAG_TEE)) !== 0n);
  if (!tee) return true;
  if (!params.resultRecipient) {
    throw new ConfideSdkError({
      code: 'CONFIDE_SDK_RESULT_RECIPIENT_MISSING',
      shortMessage:
        'checkRequestRequirements: the request names no result recipient; set params.confide_result_recipient (generateResultKey gives one).',
    });
  }
  if (request.dataset !== zeroAddress) {
    const present = await smsSecretExists(client, 'checkRequestRequirements', {
      kind: 'dataset-key',
      dataset: request.dataset,
    });
    if (!present) {
      throw new ConfideSdkError({
        code: 'CONFIDE_SDK_DATASET_KEY_MISSING',
        shortMessage: `checkRequestRequirements: the SMS has no key for dataset ${request.dataset}; its owner must push it (pushDatasetSecret).`,
      });
    }
  }
  for (const [index, name] of Object.entries(params.secrets)) {
    const present = await smsSecretExists(client, 'checkRequestRequirements', {
      kind: 'requester-secret',
      requester: request.requester,
      name,
    });
    if (!present) {
      throw new ConfideSdkError({
        code: 'CONFIDE_SDK_REQUESTER_SECRET_MISSING',
        shortMessage: `checkRequestRequirements: requester secret '${name}' (app secret ${index}) is not in the SMS; push it with pushRequesterSecret.`,
      });
    }
  }
  return true;
}

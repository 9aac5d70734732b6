import { DEAL_PARAMS_KEYS, DealParamsInvalidError, parseDealParams } from '../../../protocol/src/index.js';
import { ConfideSdkError } from '../errors.js';

/**
 * A request's `params` as an object: iExec's keys (§2.2 of the reference) plus
 * `confide_result_recipient`, the beneficiary's age recipient the enclave encrypts the result to.
 */
export type RequestParams = {
  iexec_args?: string;
  iexec_input_files?: string[];
  /** App secret index (`"1"`…`"999"`) → the requester's secret name in the SMS. */
  iexec_secrets?: Record<string, string>;
  /** Only `true`: Confide always encrypts results. */
  iexec_result_encryption?: true;
  /** Only `ipfs` is served. */
  iexec_result_storage_provider?: 'ipfs';
  /** `age1…`: who can read the result. */
  confide_result_recipient?: string;
};

/**
 * Serializes and checks a request's params exactly as the enclave will read them.
 * @throws ConfideSdkError `CONFIDE_SDK_PARAMS_UNKNOWN_KEY` for a key outside {@link DEAL_PARAMS_KEYS};
 * `CONFIDE_SDK_PARAMS_INVALID` for a value of the wrong shape
 */
export function serializeRequestParams(action: string, params: RequestParams | string | undefined): string {
  if (params === undefined) return '';
  let object: unknown = params;
  if (typeof params === 'string') {
    try {
      object = JSON.parse(params);
    } catch {
      object = undefined;
    }
  }
  if (typeof object === 'object' && object !== null && !Array.isArray(object)) {
    const unknown = Object.keys(object).filter((key) => !(DEAL_PARAMS_KEYS as readonly string[]).includes(key));
    if (unknown.length > 0) {
      throw new ConfideSdkError({
        code: 'CONFIDE_SDK_PARAMS_UNKNOWN_KEY',
        shortMessage: `${action}: params may only have the keys ${DEAL_PARAMS_KEYS.join(', ')}; remove the others.`,
        details: `unknown key(s): ${unknown.join(', ')}`,
      });
    }
  } else if (typeof params !== 'string') {
    throw new ConfideSdkError({
      code: 'CONFIDE_SDK_PARAMS_INVALID',
      shortMessage: `${action}: params must be an object of iExec keys or a string.`,
    });
  }
  const serialized =
    typeof params === 'string'
      ? params
      : JSON.stringify(Object.fromEntries(Object.entries(params).filter(([, value]) => value !== undefined)));
  try {
    parseDealParams(serialized);
  } catch (error) {
    if (!(error instanceof DealParamsInvalidError)) throw error;
    throw new ConfideSdkError({
      code: 'CONFIDE_SDK_PARAMS_INVALID',
      shortMessage: `${action}: the request params are invalid; fix them before signing.`,
      details: error.details,
      cause: error,
    });
  }
  return serialized;
}

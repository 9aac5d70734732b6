import { ConfideError } from '../../errors/src/index.js';

/**
 * Every stable code the SDK throws with, and what it means. Callers switch on these codes,
 * never on message text. Errors of the services (market `CONFIDE_MARKET_*`, storage
 * `CONFIDE_STORAGE_*`, crypto `CONFIDE_CRYPTO_*`) pass through unchanged.
 */
export const SDK_ERROR_CODES = [
  /** `createConfideClient` got a wrong chain, transport, hub or service URL. */
  'CONFIDE_SDK_CONFIG_INVALID',
  /** An action's parameters failed validation; nothing was sent. */
  'CONFIDE_SDK_PARAMETERS_INVALID',
  /** A request order's `params` has a key iExec's workers would not read. */
  'CONFIDE_SDK_PARAMS_UNKNOWN_KEY',
  /** A request order's `params` has a known key with a value of the wrong shape. */
  'CONFIDE_SDK_PARAMS_INVALID',
  /** The action signs or sends a transaction and the client has no account. */
  'CONFIDE_SDK_ACCOUNT_REQUIRED',
  /** The action needs a service (`marketUrl`, `smsUrl`, `storage`) the client was not given. */
  'CONFIDE_SDK_SERVICE_MISSING',
  /** The chain refused the transaction; `reason` is the contract's custom error name. */
  'CONFIDE_SDK_TRANSACTION_REVERTED',
  /** Not enough tokens in the wallet or in the escrow account for what was asked. */
  'CONFIDE_SDK_INSUFFICIENT_BALANCE',
  /** The payment token has no faucet (it is not a devnet token). */
  'CONFIDE_SDK_FAUCET_UNAVAILABLE',
  /** No app, dataset or workerpool is registered at this address. */
  'CONFIDE_SDK_ASSET_NOT_FOUND',
  /** The same owner already registered an asset with these exact fields. */
  'CONFIDE_SDK_ASSET_EXISTS',
  /** The account does not own the asset (or the order's asset) it acts on. */
  'CONFIDE_SDK_NOT_OWNER',
  /** The hub has no compute category with this id. */
  'CONFIDE_SDK_CATEGORY_NOT_FOUND',
  /** No deal with this id. */
  'CONFIDE_SDK_DEAL_NOT_FOUND',
  /** The task is not initialized on chain, or its index is outside its deal. */
  'CONFIDE_SDK_TASK_NOT_FOUND',
  /** The worker has not contributed to this replicated task. */
  'CONFIDE_SDK_CONTRIBUTION_NOT_FOUND',
  /** The task cannot be claimed: not active, or its final deadline has not passed. */
  'CONFIDE_SDK_TASK_NOT_CLAIMABLE',
  /** The task has no result: it is not completed. */
  'CONFIDE_SDK_TASK_NOT_COMPLETED',
  /** Observing a task gave up after its timeout; the task goes on. */
  'CONFIDE_SDK_OBSERVE_TIMEOUT',
  /** A task's result location is not `/ipfs/<cid>`. */
  'CONFIDE_SDK_RESULT_LOCATION_INVALID',
  /** The SMS has no key for the dataset of a TEE deal: the enclave could not decrypt it. */
  'CONFIDE_SDK_DATASET_KEY_MISSING',
  /** A requester secret named in `iexec_secrets` is not in the SMS. */
  'CONFIDE_SDK_REQUESTER_SECRET_MISSING',
  /** The request's params name no `confide_result_recipient`: nobody could read the result. */
  'CONFIDE_SDK_RESULT_RECIPIENT_MISSING',
  /** The SMS refused a request; `reason` is its own code (`SMS_NOT_OWNER`, `SMS_SECRET_EXISTS`…). */
  'CONFIDE_SDK_SMS_REFUSED',
  /** The SMS could not be reached or answered something that is not an SMS answer. */
  'CONFIDE_SDK_SMS_UNREACHABLE',
] as const;

/** One of {@link SDK_ERROR_CODES}. */
export type SdkErrorCode = (typeof SDK_ERROR_CODES)[number];

/**
 * The one error class of the SDK. `code` is stable; `reason` refines it (the contract's custom
 * error name for `CONFIDE_SDK_TRANSACTION_REVERTED`, the SMS code for `CONFIDE_SDK_SMS_REFUSED`,
 * the offending key for `CONFIDE_SDK_PARAMS_UNKNOWN_KEY`…). Each action's `…ErrorType` narrows
 * the codes it can throw.
 * @example
 * try { await withdraw(client, { amount: 10n }) } catch (error) {
 *   if (error instanceof ConfideSdkError && error.code === 'CONFIDE_SDK_INSUFFICIENT_BALANCE') console.log(error.shortMessage)
 * }
 */
export class ConfideSdkError<code extends SdkErrorCode = SdkErrorCode> extends ConfideError<code> {
  override name = 'ConfideSdkError' as const;

  constructor(p: { code: code; shortMessage: string; details?: string; reason?: string; cause?: unknown }) {
    super(p);
  }
}

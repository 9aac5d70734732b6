import { ConfideError } from '../../errors/src/index.js';

/**
 * Why a DataProtector call failed. One error type for every method (iExec has three), with a
 * stable code: callers switch on `code`, people read `shortMessage` and `details`.
 */
export const DataProtectorErrorCodes = {
  /** A parameter is missing or malformed; nothing was sent. */
  CONFIDE_DATAPROTECTOR_INVALID_PARAMETER: 'Fix the parameter named in the details and call again.',
  /** The app to grant or run is not a registered app. */
  CONFIDE_DATAPROTECTOR_APP_UNKNOWN: 'Pass the address of a registered app.',
  /** An open grant for the same app and user exists; revoke it or change that one. */
  CONFIDE_DATAPROTECTOR_ACCESS_EXISTS: 'An access for this app and user is already granted; revoke it first.',
  /** No open grant lets this user run this app on this data (never granted, used up or revoked). */
  CONFIDE_DATAPROTECTOR_NO_ACCESS:
    'You have no remaining access to this protected data for this app; ask its owner to grant one.',
  /**
   * An access given to `prepareBulkRequest` cannot be used in bulk: not granted with `allowBulk`
   * (price 0, unlimited), granted to another app or user, restricted to a workerpool, revoked, or
   * listed twice.
   */
  CONFIDE_DATAPROTECTOR_BULK_ACCESS_INVALID:
    'This access cannot be processed in bulk; ask its owner for a grant with allowBulk, or leave it out.',
  /** The app has no open order at or under the maximum price. */
  CONFIDE_DATAPROTECTOR_NO_APP_ORDER: 'The app is not offered at or under your maximum price.',
  /** No workerpool offers TEE compute at or under the maximum price. */
  CONFIDE_DATAPROTECTOR_NO_WORKERPOOL_ORDER:
    'No workerpool offers TEE compute at or under your maximum price; retry later.',
  /** The task ended FAILED; `reason` is the on-chain failure code (e.g. APP_EXIT_NONZERO, CLAIMED). */
  CONFIDE_DATAPROTECTOR_TASK_FAILED: 'The task failed and the requester was refunded; see the reason.',
  /** The caller is not the owner of the protected data. */
  CONFIDE_DATAPROTECTOR_NOT_OWNER: 'Only the owner of the protected data can do this.',
  /**
   * The sharing contract refused (collections, rentals, subscriptions, sales, consumption): `reason`
   * is its custom error's name (e.g. `SharingNoAccess`), `revert` its name and arguments.
   */
  CONFIDE_DATAPROTECTOR_SHARING_REFUSED: 'The sharing contract refused; see the reason and its arguments.',
  /**
   * The owner policy of the protected data refused (or only its owner may change it): `reason` is
   * the policy's custom error's name (e.g. `PolicyNotDatasetOwner`), `revert` its name and arguments.
   */
  CONFIDE_DATAPROTECTOR_POLICY_REFUSED: "The protected data's owner policy refused; see the reason and its arguments.",
  /** A transaction reverted with another contract error (e.g. `EscrowInsufficientBalance`), named in `reason` and `revert`. */
  CONFIDE_DATAPROTECTOR_TRANSACTION_REVERTED: 'The transaction reverted; see the reason and its arguments.',
  /** The protected data costs more per use than the maximum price given. */
  CONFIDE_DATAPROTECTOR_PRICE_TOO_HIGH: 'The protected data costs more per use than your maximum price.',
  /** A sharing method was called on a DataProtector created without the `dataSharing` address. */
  CONFIDE_DATAPROTECTOR_SHARING_UNAVAILABLE:
    'Create the DataProtector with the dataSharing address (network.json `dataSharing`) to use sharing.',
  /**
   * `rotateKey`: the registered ciphertext does not match its checksum, or does not decrypt with
   * the key the SMS holds; nothing was changed.
   */
  CONFIDE_DATAPROTECTOR_CIPHERTEXT_INVALID:
    'The protected data cannot be re-encrypted: its stored ciphertext does not match its checksum or key.',
  /**
   * `rotateKey`: the SMS holds the new key but the chain still points at the old ciphertext; the
   * details give the multiaddr and checksum to register with the dataset registry's `updateDataset`.
   */
  CONFIDE_DATAPROTECTOR_ROTATION_INCOMPLETE:
    'The key was rotated but the chain update failed; register the new location given in the details.',
  /** A Confide service (market, indexer, storage, SMS, chain) refused or could not be reached. */
  CONFIDE_DATAPROTECTOR_SERVICE_FAILED: 'A Confide service failed; the cause says which. Retry, or check the service.',
} as const;

/** One of {@link DataProtectorErrorCodes}. */
export type DataProtectorErrorCode = keyof typeof DataProtectorErrorCodes;

/**
 * The only error DataProtector methods throw (after validation, wrapped around any lower error
 * in `cause`).
 * @example
 * try { await dp.processProtectedData({ protectedData, app }) } catch (e) {
 *   if (e instanceof DataProtectorError && e.code === 'CONFIDE_DATAPROTECTOR_NO_ACCESS') askForAccess()
 * }
 */
export class DataProtectorError extends ConfideError<DataProtectorErrorCode> {
  override name = 'DataProtectorError' as const;
  /** The contract's custom error, when a contract refused: its name (also `reason`) and arguments. */
  readonly revert: ContractRevert | undefined;
  constructor(
    code: DataProtectorErrorCode,
    options: { details?: string; cause?: unknown; reason?: string; revert?: ContractRevert } = {},
  ) {
    const { revert, ...rest } = options;
    super({ code, shortMessage: DataProtectorErrorCodes[code], ...rest });
    this.revert = revert;
  }
}

/** A contract custom error, decoded: its name and arguments (addresses checksummed, integers as bigint). */
export type ContractRevert = { name: string; args: readonly unknown[] };

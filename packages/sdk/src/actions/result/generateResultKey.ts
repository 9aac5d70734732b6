import { generateResultKeyPair } from '../../../../crypto/src/generateResultKeyPair.js';

/** A beneficiary's result key: the secret identity and the public recipient. */
export type GenerateResultKeyReturnType = {
  /** `AGE-SECRET-KEY-1…`: keep it; it alone decrypts the results. Never send it anywhere. */
  identity: string;
  /** `age1…`: put it in the request's `params.confide_result_recipient`. */
  recipient: string;
};

/**
 * Creates a result-encryption key (age X25519, as `age-keygen`), the Confide counterpart of
 * iExec's `result.generateEncryptionKeypair` + `pushResultEncryptionKey`: the recipient travels in
 * the signed request params, so no SMS push is needed and a worker cannot substitute its own key.
 * @returns `{ identity, recipient }`
 * @example
 * const { identity, recipient } = generateResultKey()
 * const request = createRequestOrder(client, { app, category: 0, params: { confide_result_recipient: recipient } })
 */
export function generateResultKey(): GenerateResultKeyReturnType {
  return generateResultKeyPair();
}

import type { Address, Hex } from 'viem';
import { z } from 'zod';
import { confideTokenAbi } from '../../../../protocol/src/index.js';
import type { ConfideClient } from '../../client.js';
import { ConfideSdkError } from '../../errors.js';
import { sendContract } from '../../internal/chain.js';
import { addressSchema, parseParameters, positiveSchema } from '../../internal/validate.js';

/** Parameters of {@link requestFaucet}. */
export type RequestFaucetParameters = {
  /** Nano-tokens to receive; at most 1,000 tokens (1000e9) per call. */
  amount: bigint;
  /** Who receives them; the client's account by default. */
  to?: Address;
};

/** The faucet transaction. */
export type RequestFaucetReturnType = { txHash: Hex; amount: bigint };

/** Errors of {@link requestFaucet}. */
export type RequestFaucetErrorType = ConfideSdkError<
  | 'CONFIDE_SDK_PARAMETERS_INVALID'
  | 'CONFIDE_SDK_ACCOUNT_REQUIRED'
  | 'CONFIDE_SDK_FAUCET_UNAVAILABLE'
  | 'CONFIDE_SDK_TRANSACTION_REVERTED'
>;

const schema = z.strictObject({ amount: positiveSchema, to: addressSchema.optional() });

/**
 * Takes payment tokens from the devnet token's faucet (never on a chain where tokens have value).
 * @param client a Confide client with an account
 * @param parameters `{ amount, to? }`
 * @returns the transaction hash
 * @throws ConfideSdkError `CONFIDE_SDK_FAUCET_UNAVAILABLE` when the token has no faucet or
 * the amount is over its limit (reason `TokenFaucetLimitExceeded`)
 * @example await requestFaucet(client, { amount: 100_000_000_000n })
 */
export async function requestFaucet(
  client: Pick<ConfideClient, 'publicClient' | 'walletClient' | 'contracts'>,
  parameters: RequestFaucetParameters,
): Promise<RequestFaucetReturnType> {
  const p = parseParameters('requestFaucet', schema, parameters);
  const to = p.to ?? client.walletClient?.account.address;
  const { token } = await client.contracts();
  const code = await client.publicClient.getCode({ address: token });
  if (!code || code === '0x') {
    throw new ConfideSdkError({
      code: 'CONFIDE_SDK_FAUCET_UNAVAILABLE',
      shortMessage: `requestFaucet: the payment token ${token} has no faucet; fund the wallet another way.`,
    });
  }
  const receipt = await sendContract(client, {
    action: 'requestFaucet',
    address: token,
    abi: confideTokenAbi,
    functionName: 'faucet',
    args: [to, p.amount],
    mapRevert: (revert) =>
      revert.errorName === 'TokenFaucetLimitExceeded'
        ? new ConfideSdkError({
            code: 'CONFIDE_SDK_FAUCET_UNAVAILABLE',
            shortMessage: `requestFaucet: the faucet gives at most ${String(revert.args[1])} per call; ask less.`,
            reason: revert.errorName,
          })
        : undefined,
  }).catch((error: unknown) => {
    if (error instanceof ConfideSdkError && error.code !== 'CONFIDE_SDK_TRANSACTION_REVERTED') throw error;
    if (error instanceof ConfideSdkError && error.reason) throw error;
    throw new ConfideSdkError({
      code: 'CONFIDE_SDK_FAUCET_UNAVAILABLE',
      shortMessage: `requestFaucet: the payment token ${token} has no faucet; fund the wallet another way.`,
      cause: error,
    });
  });
  return { txHash: receipt.transactionHash, amount: p.amount };
}

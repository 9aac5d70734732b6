import type { Address, Hex } from 'viem';
import { z } from 'zod';
import { confideHubAbi } from '../../../../protocol/src/index.js';
import type { ConfideClient } from '../../client.js';
import { ConfideSdkError } from '../../errors.js';
import { requireWallet, sendContract } from '../../internal/chain.js';
import { addressSchema, parseParameters, positiveSchema } from '../../internal/validate.js';
import { getAccountBalance } from './getAccountBalance.js';

/** Parameters of {@link withdraw}. */
export type WithdrawParameters = {
  /** Nano-tokens to take out of the escrow account's free balance. */
  amount: bigint;
  /** Who receives them; the client's account by default. */
  to?: Address;
};

/** The withdrawal transaction. */
export type WithdrawReturnType = { txHash: Hex; amount: bigint };

/** Errors of {@link withdraw}. */
export type WithdrawErrorType = ConfideSdkError<
  | 'CONFIDE_SDK_PARAMETERS_INVALID'
  | 'CONFIDE_SDK_ACCOUNT_REQUIRED'
  | 'CONFIDE_SDK_INSUFFICIENT_BALANCE'
  | 'CONFIDE_SDK_TRANSACTION_REVERTED'
>;

const schema = z.strictObject({ amount: positiveSchema, to: addressSchema.optional() });

/**
 * Moves payment tokens from the escrow account's free balance back to a wallet (iExec's
 * `account.withdraw`). Locked tokens stay until their deals end.
 * @param client a Confide client with an account
 * @param parameters `{ amount, to? }`
 * @returns the withdrawal transaction hash
 * @throws ConfideSdkError `CONFIDE_SDK_INSUFFICIENT_BALANCE` when the free balance is below `amount`
 * @example await withdraw(client, { amount: 5_000_000_000n })
 */
export async function withdraw(
  client: Pick<ConfideClient, 'publicClient' | 'walletClient' | 'hub'>,
  parameters: WithdrawParameters,
): Promise<WithdrawReturnType> {
  const { amount, to } = parseParameters('withdraw', schema, parameters);
  const { account } = requireWallet(client, 'withdraw');
  const { stake, locked } = await getAccountBalance(client, { address: account.address });
  if (stake < amount) {
    throw new ConfideSdkError({
      code: 'CONFIDE_SDK_INSUFFICIENT_BALANCE',
      shortMessage: 'withdraw: the free escrow balance is below the amount; withdraw less.',
      details: `free ${stake}, locked ${locked}, asked ${amount}`,
    });
  }
  const receipt = await sendContract(client, {
    action: 'withdraw',
    address: client.hub,
    abi: confideHubAbi,
    ...(to ? { functionName: 'withdrawTo', args: [amount, to] } : { functionName: 'withdraw', args: [amount] }),
  });
  return { txHash: receipt.transactionHash, amount };
}

import type { Hex } from 'viem';
import { z } from 'zod';
import { confideHubAbi, confideTokenAbi } from '../../../../protocol/src/index.js';
import type { ConfideClient } from '../../client.js';
import { ConfideSdkError } from '../../errors.js';
import { requireWallet, sendContract } from '../../internal/chain.js';
import { parseParameters, positiveSchema } from '../../internal/validate.js';

/** Parameters of {@link deposit}. */
export type DepositParameters = {
  /** Nano-tokens to move from the wallet into the escrow account. */
  amount: bigint;
};

/** The deposit transaction and the amount credited. */
export type DepositReturnType = { txHash: Hex; amount: bigint };

/** Errors of {@link deposit}. */
export type DepositErrorType = ConfideSdkError<
  | 'CONFIDE_SDK_PARAMETERS_INVALID'
  | 'CONFIDE_SDK_ACCOUNT_REQUIRED'
  | 'CONFIDE_SDK_INSUFFICIENT_BALANCE'
  | 'CONFIDE_SDK_TRANSACTION_REVERTED'
>;

const schema = z.strictObject({ amount: positiveSchema });

/**
 * Moves payment tokens from the wallet into the escrow account, approving the hub first when
 * its allowance is short (iExec's `account.deposit`).
 * @param client a Confide client with an account
 * @param parameters `{ amount }`
 * @returns the deposit transaction hash
 * @throws ConfideSdkError `CONFIDE_SDK_INSUFFICIENT_BALANCE` when the wallet holds less than `amount`
 * @example await deposit(client, { amount: 10_000_000_000n }) // 10 tokens
 */
export async function deposit(
  client: Pick<ConfideClient, 'publicClient' | 'walletClient' | 'hub' | 'contracts'>,
  parameters: DepositParameters,
): Promise<DepositReturnType> {
  const { amount } = parseParameters('deposit', schema, parameters);
  const { account } = requireWallet(client, 'deposit');
  const { token } = await client.contracts();
  const read = (functionName: 'balanceOf' | 'allowance', args: readonly unknown[]) =>
    client.publicClient.readContract({
      address: token,
      abi: confideTokenAbi,
      functionName,
      args,
    } as never) as Promise<bigint>;
  const balance = await read('balanceOf', [account.address]);
  if (balance < amount) {
    throw new ConfideSdkError({
      code: 'CONFIDE_SDK_INSUFFICIENT_BALANCE',
      shortMessage: 'deposit: the wallet holds fewer tokens than the amount; deposit less or fund the wallet.',
      details: `wallet ${balance}, asked ${amount}`,
    });
  }
  if ((await read('allowance', [account.address, client.hub])) < amount) {
    await sendContract(client, {
      action: 'deposit',
      address: token,
      abi: confideTokenAbi,
      functionName: 'approve',
      args: [client.hub, amount],
    });
  }
  const receipt = await sendContract(client, {
    action: 'deposit',
    address: client.hub,
    abi: confideHubAbi,
    functionName: 'deposit',
    args: [amount],
  });
  return { txHash: receipt.transactionHash, amount };
}

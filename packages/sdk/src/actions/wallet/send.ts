import type { Address, Hex } from 'viem';
import { z } from 'zod';
import { confideTokenAbi } from '../../../../protocol/src/index.js';
import type { ConfideClient } from '../../client.js';
import { ConfideSdkError } from '../../errors.js';
import { requireWallet, sendContract } from '../../internal/chain.js';
import { addressSchema, parseParameters, positiveSchema } from '../../internal/validate.js';

/** Parameters of {@link send}. */
export type SendParameters = {
  to: Address;
  /** Wei for `native`, nano-tokens (9 decimals) for `token`. */
  amount: bigint;
  /** The chain's native coin (gas), or the payment token. */
  currency: 'native' | 'token';
};

/** The transfer transaction. */
export type SendReturnType = { txHash: Hex; to: Address; amount: bigint; currency: 'native' | 'token' };

/** Errors of {@link send}. */
export type SendErrorType = ConfideSdkError<
  | 'CONFIDE_SDK_PARAMETERS_INVALID'
  | 'CONFIDE_SDK_ACCOUNT_REQUIRED'
  | 'CONFIDE_SDK_INSUFFICIENT_BALANCE'
  | 'CONFIDE_SDK_TRANSACTION_REVERTED'
>;

const schema = z.strictObject({ to: addressSchema, amount: positiveSchema, currency: z.enum(['native', 'token']) });

/**
 * Sends native coin or payment tokens from the wallet (iExec's `wallet.sendETH` / `wallet.sendRLC`).
 * @param client a Confide client with an account
 * @param parameters `{ to, amount, currency }`
 * @returns the transaction hash
 * @throws ConfideSdkError `CONFIDE_SDK_INSUFFICIENT_BALANCE` when the wallet holds less than `amount`
 * @example await send(client, { to: '0x…', amount: 5_000_000_000n, currency: 'token' }) // 5 tokens
 */
export async function send(
  client: Pick<ConfideClient, 'publicClient' | 'walletClient' | 'contracts'>,
  parameters: SendParameters,
): Promise<SendReturnType> {
  const { to, amount, currency } = parseParameters('send', schema, parameters);
  const { walletClient, account } = requireWallet(client, 'send');
  const balance = await walletBalance(client, account.address, currency);
  if (balance < amount) {
    throw new ConfideSdkError({
      code: 'CONFIDE_SDK_INSUFFICIENT_BALANCE',
      shortMessage: `send: the wallet holds less ${currency === 'native' ? 'native coin' : 'tokens'} than the amount; send less or fund the wallet.`,
      details: `wallet ${balance}, asked ${amount}`,
    });
  }
  const txHash = await transfer(client, walletClient, 'send', to, amount, currency);
  return { txHash, to, amount, currency };
}

/** Internal: the wallet's balance in `currency`. */
export async function walletBalance(
  client: Pick<ConfideClient, 'publicClient' | 'contracts'>,
  address: Address,
  currency: 'native' | 'token',
): Promise<bigint> {
  if (currency === 'native') return client.publicClient.getBalance({ address });
  const { token } = await client.contracts();
  return client.publicClient.readContract({
    address: token,
    abi: confideTokenAbi,
    functionName: 'balanceOf',
    args: [address],
  });
}

/** Internal: one transfer, mined; `fees` pins the gas price (sweep leaves exactly the fee unspent). */
export async function transfer(
  client: Pick<ConfideClient, 'publicClient' | 'walletClient' | 'contracts'>,
  walletClient: ReturnType<typeof requireWallet>['walletClient'],
  action: string,
  to: Address,
  amount: bigint,
  currency: 'native' | 'token',
  fees?: { gas: bigint; maxFeePerGas: bigint; maxPriorityFeePerGas: bigint },
): Promise<Hex> {
  if (currency === 'token') {
    const { token } = await client.contracts();
    const receipt = await sendContract(client, {
      action,
      address: token,
      abi: confideTokenAbi,
      functionName: 'transfer',
      args: [to, amount],
    });
    return receipt.transactionHash;
  }
  const hash = await walletClient.sendTransaction({
    account: walletClient.account,
    chain: walletClient.chain,
    to,
    value: amount,
    ...(fees ?? {}),
  });
  const receipt = await client.publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== 'success') {
    throw new ConfideSdkError({
      code: 'CONFIDE_SDK_TRANSACTION_REVERTED',
      shortMessage: `${action}: transaction ${hash} reverted on chain.`,
    });
  }
  return hash;
}

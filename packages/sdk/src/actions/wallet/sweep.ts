import { type Address, getAddress, type Hex } from 'viem';
import { z } from 'zod';
import type { ConfideClient } from '../../client.js';
import { ConfideSdkError } from '../../errors.js';
import { requireWallet } from '../../internal/chain.js';
import { addressSchema, parseParameters } from '../../internal/validate.js';
import { transfer, walletBalance } from './send.js';

/** Parameters of {@link sweep}. */
export type SweepParameters = { to: Address };

/** What moved: every token, then the native coin less the transfer's maximum fee. */
export type SweepReturnType = {
  to: Address;
  token: bigint;
  native: bigint;
  tokenTxHash?: Hex;
  nativeTxHash?: Hex;
};

/** Errors of {@link sweep}. */
export type SweepErrorType = ConfideSdkError<
  | 'CONFIDE_SDK_PARAMETERS_INVALID'
  | 'CONFIDE_SDK_ACCOUNT_REQUIRED'
  | 'CONFIDE_SDK_INSUFFICIENT_BALANCE'
  | 'CONFIDE_SDK_TRANSACTION_REVERTED'
>;

const schema = z.strictObject({ to: addressSchema });
const TRANSFER_GAS = 21_000n;

/**
 * Empties the wallet into `to` (iExec's `wallet.sweep`): all payment tokens, then all native coin
 * but the fee of that last transfer (a little dust stays when the block's base fee is below the
 * fee cap). The escrow account is not touched: `withdraw` first to sweep it too.
 * @param client a Confide client with an account
 * @param parameters `{ to }`
 * @returns the amounts moved and their transactions
 * @throws ConfideSdkError `CONFIDE_SDK_INSUFFICIENT_BALANCE` when the native coin cannot pay the fees
 * @example const { token, native } = await sweep(client, { to: '0x…' })
 */
export async function sweep(
  client: Pick<ConfideClient, 'publicClient' | 'walletClient' | 'contracts'>,
  parameters: SweepParameters,
): Promise<SweepReturnType> {
  const { to } = parseParameters('sweep', schema, parameters);
  const { walletClient, account } = requireWallet(client, 'sweep');
  if (getAddress(to) === getAddress(account.address)) {
    throw new ConfideSdkError({
      code: 'CONFIDE_SDK_PARAMETERS_INVALID',
      shortMessage: 'sweep: invalid parameters; fix them and call again.',
      details: 'to: is the wallet itself',
    });
  }
  const result: SweepReturnType = { to, token: 0n, native: 0n };
  const tokens = await walletBalance(client, account.address, 'token');
  if (tokens > 0n) {
    result.tokenTxHash = await transfer(client, walletClient, 'sweep', to, tokens, 'token');
    result.token = tokens;
  }
  const { maxFeePerGas, maxPriorityFeePerGas } = await client.publicClient.estimateFeesPerGas();
  const fee = TRANSFER_GAS * maxFeePerGas;
  const native = await walletBalance(client, account.address, 'native');
  if (native <= fee) {
    throw new ConfideSdkError({
      code: 'CONFIDE_SDK_INSUFFICIENT_BALANCE',
      shortMessage: `sweep: the wallet's native coin cannot pay the fee of sending it${result.tokenTxHash ? ' (the tokens were sent)' : ''}.`,
      details: `native ${native}, fee up to ${fee}`,
    });
  }
  result.nativeTxHash = await transfer(client, walletClient, 'sweep', to, native - fee, 'native', {
    gas: TRANSFER_GAS,
    maxFeePerGas,
    maxPriorityFeePerGas,
  });
  result.native = native - fee;
  return result;
}

import type { Address } from 'viem';
import { z } from 'zod';
import { confideTokenAbi } from '../../../../protocol/src/index.js';
import type { ConfideClient } from '../../client.js';
import type { ConfideSdkError } from '../../errors.js';
import { addressSchema, parseParameters } from '../../internal/validate.js';

/** Parameters of {@link getWalletBalances}. */
export type GetWalletBalancesParameters = {
  /** Whose wallet; the client's account by default. */
  address?: Address;
};

/** The wallet's native coin (wei) and payment token (nano-tokens, 9 decimals) balances. */
export type GetWalletBalancesReturnType = { native: bigint; token: bigint };

/** Errors of {@link getWalletBalances}. */
export type GetWalletBalancesErrorType = ConfideSdkError<'CONFIDE_SDK_PARAMETERS_INVALID'>;

const schema = z.strictObject({ address: addressSchema.optional() });

/**
 * A wallet's balances: native coin for gas and the payment token (iExec's `wallet.checkBalances`).
 * @param client a Confide client
 * @param parameters `{ address? }`
 * @returns `{ native, token }`
 * @example const { token } = await getWalletBalances(client, { address: '0x…' })
 */
export async function getWalletBalances(
  client: Pick<ConfideClient, 'publicClient' | 'walletClient' | 'contracts'>,
  parameters: GetWalletBalancesParameters = {},
): Promise<GetWalletBalancesReturnType> {
  const p = parseParameters('getWalletBalances', schema, parameters);
  const address =
    p.address ??
    client.walletClient?.account.address ??
    parseParameters('getWalletBalances', schema.required(), parameters).address;
  const { token } = await client.contracts();
  const [native, tokenBalance] = await Promise.all([
    client.publicClient.getBalance({ address }),
    client.publicClient.readContract({
      address: token,
      abi: confideTokenAbi,
      functionName: 'balanceOf',
      args: [address],
    }),
  ]);
  return { native, token: tokenBalance };
}

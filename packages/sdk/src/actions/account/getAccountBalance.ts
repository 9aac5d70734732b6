import type { Address } from 'viem';
import { z } from 'zod';
import { confideHubAbi } from '../../../../protocol/src/index.js';
import type { ConfideClient } from '../../client.js';
import type { ConfideSdkError } from '../../errors.js';
import { addressSchema, parseParameters } from '../../internal/validate.js';

/** Parameters of {@link getAccountBalance}. */
export type GetAccountBalanceParameters = {
  /** Whose escrow account; the client's account by default. */
  address?: Address;
};

/** An escrow account: `stake` is free to spend or withdraw, `locked` is frozen in running deals. */
export type GetAccountBalanceReturnType = { stake: bigint; locked: bigint };

/** Errors of {@link getAccountBalance}. */
export type GetAccountBalanceErrorType = ConfideSdkError<'CONFIDE_SDK_PARAMETERS_INVALID'>;

const schema = z.strictObject({ address: addressSchema.optional() });

/**
 * An escrow account's free and locked balances, in nano-tokens (iExec's `account.checkBalance`).
 * @param client a Confide client
 * @param parameters `{ address? }`
 * @returns `{ stake, locked }`
 * @throws ConfideSdkError `CONFIDE_SDK_PARAMETERS_INVALID` for a wrong address, or none and no account
 * @example const { stake, locked } = await getAccountBalance(client)
 */
export async function getAccountBalance(
  client: Pick<ConfideClient, 'publicClient' | 'walletClient' | 'hub'>,
  parameters: GetAccountBalanceParameters = {},
): Promise<GetAccountBalanceReturnType> {
  const p = parseParameters('getAccountBalance', schema, parameters);
  const address =
    p.address ??
    client.walletClient?.account.address ??
    parseParameters('getAccountBalance', schema.required(), parameters).address;
  const [stake, locked] = await client.publicClient.readContract({
    address: client.hub,
    abi: confideHubAbi,
    functionName: 'viewAccount',
    args: [address],
  });
  return { stake, locked };
}

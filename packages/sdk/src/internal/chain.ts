import {
  type Abi,
  type Account,
  type Address,
  BaseError,
  type Chain,
  ContractFunctionRevertedError,
  type Hex,
  type LocalAccount,
  type TransactionReceipt,
  type Transport,
  type WalletClient,
} from 'viem';
import { walletSigner } from '../../../protocol/src/index.js';
import type { ConfideClient } from '../client.js';
import { ConfideSdkError } from '../errors.js';

/** A contract custom error, decoded: its name and arguments. */
export type Revert = { errorName: string; args: readonly unknown[] };

/** The custom error a failed call or transaction reverted with, if it is one. */
export function revertOf(error: unknown): Revert | undefined {
  if (!(error instanceof BaseError)) return undefined;
  const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
  if (!(reverted instanceof ContractFunctionRevertedError) || !reverted.data?.errorName) return undefined;
  return { errorName: reverted.data.errorName, args: reverted.data.args ?? [] };
}

/** The wallet client and its account; an action that signs or sends needs both. */
export function requireWallet(
  client: Pick<ConfideClient, 'walletClient'>,
  action: string,
): { walletClient: WalletClient<Transport, Chain, Account>; account: Account } {
  const walletClient = client.walletClient;
  if (!walletClient?.account) {
    throw new ConfideSdkError({
      code: 'CONFIDE_SDK_ACCOUNT_REQUIRED',
      shortMessage: `${action} signs with an account; create the client with \`account\`.`,
    });
  }
  return { walletClient, account: walletClient.account };
}

/**
 * An EIP-712 signer over the client's wallet, for the protocol and market helpers that take a
 * `LocalAccount`-like signer: works with local accounts and with browser (JSON-RPC) accounts.
 */
export function typedDataSigner(
  client: Pick<ConfideClient, 'walletClient'>,
  action: string,
): Pick<LocalAccount, 'address' | 'signTypedData'> {
  return walletSigner(requireWallet(client, action).walletClient);
}

/** Maps a contract error to the SDK error an action documents; `undefined` keeps the generic one. */
export type RevertMapper = (revert: Revert) => ConfideSdkError | undefined;

/** Parameters of {@link sendContract}. */
type SendContractParameters = {
  address: Address;
  abi: Abi;
  functionName: string;
  args: readonly unknown[];
  /** The action's name, for messages. */
  action: string;
  mapRevert?: RevertMapper;
};

/**
 * Simulates, sends and waits for a contract call from the client's account.
 * @throws ConfideSdkError `CONFIDE_SDK_ACCOUNT_REQUIRED`, `CONFIDE_SDK_TRANSACTION_REVERTED`
 * (reason: the contract's error name), or what `mapRevert` returns
 */
export async function sendContract(
  client: Pick<ConfideClient, 'walletClient' | 'publicClient'>,
  p: SendContractParameters,
): Promise<TransactionReceipt> {
  const { walletClient, account } = requireWallet(client, p.action);
  let hash: Hex;
  try {
    const { request } = await client.publicClient.simulateContract({
      address: p.address,
      abi: p.abi,
      functionName: p.functionName,
      args: p.args,
      account,
    } as Parameters<typeof client.publicClient.simulateContract>[0]);
    hash = await walletClient.writeContract(request as Parameters<typeof walletClient.writeContract>[0]);
  } catch (error) {
    throw revertError(p.action, error, p.mapRevert);
  }
  const receipt = await client.publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== 'success') {
    throw new ConfideSdkError({
      code: 'CONFIDE_SDK_TRANSACTION_REVERTED',
      shortMessage: `${p.action}: transaction ${hash} reverted on chain.`,
    });
  }
  return receipt;
}

/** The SDK error for a failed call: mapped, or `CONFIDE_SDK_TRANSACTION_REVERTED` with the error name. */
function revertError(action: string, error: unknown, mapRevert?: RevertMapper): unknown {
  if (error instanceof ConfideSdkError) return error;
  const revert = revertOf(error);
  if (!revert) return error;
  const mapped = mapRevert?.(revert);
  if (mapped) return mapped;
  return new ConfideSdkError({
    code: 'CONFIDE_SDK_TRANSACTION_REVERTED',
    shortMessage: `${action}: the contract refused with ${revert.errorName}.`,
    details: `${revert.errorName}(${revert.args.map(String).join(', ')})`,
    reason: revert.errorName,
    cause: error,
  });
}

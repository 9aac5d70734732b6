import type { Account, Chain, LocalAccount, Transport, WalletClient } from 'viem';

/**
 * The wallet's account as the typed-data signer the SMS and order helpers take: a local account
 * (`privateKeyToAccount`) signs in process, a browser wallet's account through the wallet
 * (`eth_signTypedData_v4`), so both work where a `LocalAccount` was required.
 * @example await signOrder({ signer: walletSigner(wallet), domain, kind: 'DatasetOrder', order })
 */
export function walletSigner(wallet: WalletClient<Transport, Chain, Account>): LocalAccount {
  const { account } = wallet;
  if (account.type === 'local') return account;
  const signTypedData = ((typedData: Parameters<LocalAccount['signTypedData']>[0]) =>
    wallet.signTypedData({ ...typedData, account } as Parameters<
      typeof wallet.signTypedData
    >[0])) as LocalAccount['signTypedData'];
  // Only `address` and `signTypedData` are used by the helpers this is handed to.
  return { address: account.address, signTypedData } as LocalAccount;
}

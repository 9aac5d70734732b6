import type { Account, Address, Chain, Hex, PublicClient, Transport, WalletClient } from 'viem';
import {
  appRegistryAbi,
  appRegistryBytecode,
  confideHubAbi,
  confideHubBytecode,
  confideTokenAbi,
  confideTokenBytecode,
  datasetRegistryAbi,
  datasetRegistryBytecode,
  workerpoolRegistryAbi,
  workerpoolRegistryBytecode,
} from './generated/artifacts.js';

/** Addresses of one Confide deployment. */
export type ConfideAddresses = {
  token: Address;
  appRegistry: Address;
  datasetRegistry: Address;
  workerpoolRegistry: Address;
  hub: Address;
};

/** Parameters of {@link deployConfide}. */
export type DeployConfideParameters = {
  wallet: WalletClient<Transport, Chain, Account>;
  publicClient: Pick<PublicClient, 'waitForTransactionReceipt'>;
  /** An existing ERC-20 to pay with; a fresh devnet token (with faucet) is deployed when absent. */
  token?: Address;
  /** Hub owner (may add categories); defaults to the deployer. */
  owner?: Address;
};

/**
 * Deploys the payment token (unless given), the three registries and the hub, in order.
 * @returns the addresses of everything deployed
 * @example const addresses = await deployConfide({ wallet, publicClient })
 */
export async function deployConfide({
  wallet,
  publicClient,
  token,
  owner = wallet.account.address,
}: DeployConfideParameters): Promise<ConfideAddresses> {
  const deployed = async (hash: Hex): Promise<Address> => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (!receipt.contractAddress) throw new Error(`deployment ${hash} created no contract`);
    return receipt.contractAddress;
  };
  const tokenAddress =
    token ??
    (await deployed(
      await wallet.deployContract({ abi: confideTokenAbi, bytecode: confideTokenBytecode, args: [owner] }),
    ));
  const appRegistry = await deployed(
    await wallet.deployContract({ abi: appRegistryAbi, bytecode: appRegistryBytecode }),
  );
  const datasetRegistry = await deployed(
    await wallet.deployContract({ abi: datasetRegistryAbi, bytecode: datasetRegistryBytecode }),
  );
  const workerpoolRegistry = await deployed(
    await wallet.deployContract({ abi: workerpoolRegistryAbi, bytecode: workerpoolRegistryBytecode }),
  );
  const hub = await deployed(
    await wallet.deployContract({
      abi: confideHubAbi,
      bytecode: confideHubBytecode,
      args: [owner, tokenAddress, appRegistry, datasetRegistry, workerpoolRegistry],
    }),
  );
  return { token: tokenAddress, appRegistry, datasetRegistry, workerpoolRegistry, hub };
}

import {
  type Account,
  type Address,
  type Chain,
  getAddress,
  type Hex,
  type PublicClient,
  type Transport,
  type WalletClient,
} from 'viem';
import {
  appRegistryAbi,
  appRegistryBytecode,
  confideHubBytecode,
  confideHubContractAbi,
  confideReplicatedModuleAbi,
  confideReplicatedModuleBytecode,
  confideTaskModuleAbi,
  confideTaskModuleBytecode,
  confideTokenAbi,
  confideTokenBytecode,
  dataProtectorAbi,
  dataProtectorBytecode,
  dataSharingAbi,
  dataSharingBytecode,
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
  taskModule: Address;
  /** The replicated (Proof-of-Contribution) task code the hub delegates to. */
  replicatedModule: Address;
  hub: Address;
  /** Creates protected data (dataset + schema) in one call. */
  dataProtector: Address;
  /** Collections, rentals, subscriptions, sales and consumption of protected data. */
  dataSharing: Address;
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
 * Deploys the payment token (unless given), the three registries, the two task modules, the hub,
 * the DataProtector and the sharing contract.
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
    return getAddress(receipt.contractAddress);
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
  const taskModule = await deployed(
    await wallet.deployContract({
      abi: confideTaskModuleAbi,
      bytecode: confideTaskModuleBytecode,
      args: [appRegistry, datasetRegistry],
    }),
  );
  const replicatedModule = await deployed(
    await wallet.deployContract({
      abi: confideReplicatedModuleAbi,
      bytecode: confideReplicatedModuleBytecode,
      args: [appRegistry, datasetRegistry],
    }),
  );
  const hub = await deployed(
    await wallet.deployContract({
      abi: confideHubContractAbi,
      bytecode: confideHubBytecode,
      args: [owner, tokenAddress, appRegistry, datasetRegistry, workerpoolRegistry, taskModule, replicatedModule],
    }),
  );
  const dataProtector = await deployed(
    await wallet.deployContract({ abi: dataProtectorAbi, bytecode: dataProtectorBytecode, args: [datasetRegistry] }),
  );
  const dataSharing = await deployed(
    await wallet.deployContract({ abi: dataSharingAbi, bytecode: dataSharingBytecode, args: [hub, datasetRegistry] }),
  );
  return {
    token: tokenAddress,
    appRegistry,
    datasetRegistry,
    workerpoolRegistry,
    taskModule,
    replicatedModule,
    hub,
    dataProtector,
    dataSharing,
  };
}

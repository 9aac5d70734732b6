// Hardhat is used only for its in-process EVM (EDR) in tests; contracts compile with
// scripts/compile.mjs and the npm solc, so no compiler is ever downloaded.
module.exports = {
  networks: {
    hardhat: {
      chainId: 31337,
      hardfork: 'cancun',
      allowUnlimitedContractSize: false,
      initialBaseFeePerGas: 0,
      gasPrice: 0,
      blockGasLimit: 60_000_000,
      accounts: { mnemonic: 'test test test test test test test test test test test junk', count: 12 },
    },
  },
};

import type { Command } from 'commander';
import { type Address, formatEther, formatUnits, type Hex, isHex } from 'viem';
import { generatePrivateKey } from 'viem/accounts';
import {
  type CommonOptions,
  clientsFor,
  parseAddress,
  parseAmount,
  protocol,
  withNetwork,
  withOutput,
  withWallet,
} from '../context.js';
import { CliError } from '../errors.js';
import { loadNetwork, type Network } from '../network.js';
import { note, printResult } from '../output.js';
import { findWallet, saveWallet, unlockWallet } from '../wallets.js';

const DEMO_ROLES = ['appOwner', 'dataOwner', 'requester'] as const;
const cfd = (amount: bigint) => formatUnits(amount, 9);

/** The wallet's native, token and escrow balances. */
async function balancesOf(network: Network, address: Address) {
  const { confideHubAbi, confideTokenAbi } = await protocol();
  const { publicClient } = await clientsFor(network);
  const token = await publicClient.readContract({ address: network.hub, abi: confideHubAbi, functionName: 'token' });
  const [eth, tokens, [stake, locked]] = await Promise.all([
    publicClient.getBalance({ address }),
    publicClient.readContract({ address: token, abi: confideTokenAbi, functionName: 'balanceOf', args: [address] }),
    publicClient.readContract({
      address: network.hub,
      abi: confideHubAbi,
      functionName: 'viewAccount',
      args: [address],
    }),
  ]);
  return { address, eth: formatEther(eth), token: cfd(tokens), escrow: { balance: cfd(stake), frozen: cfd(locked) } };
}

const saved = (o: CommonOptions, w: { name: string; address: Address; file: string }, verb: string) =>
  printResult(o, { name: w.name, address: w.address, keystore: w.file }, [
    `${verb} wallet ${w.name}: ${w.address}`,
    `keystore ${w.file} (V3, scrypt + aes-128-ctr)`,
  ]);

/** `confide wallet …` and `confide account …`. */
export function registerWalletCommands(program: Command): void {
  const wallet = program.command('wallet').description('Keystores: password-encrypted Ethereum V3 JSON files');

  withOutput(
    wallet
      .command('create')
      .description('Create a new key, encrypted with a password, in $CONFIDE_HOME/wallets (default ~/.confide)')
      .option('--name <name>', 'wallet name (default: its address)')
      .option('--keystore <file>', 'write the keystore to this file instead')
      .option('--password-file <file>', 'read the password from this file (else $CONFIDE_PASSWORD, else asked)'),
  ).action(async (o: CommonOptions & { name?: string }) => {
    saved(o, await saveWallet(generatePrivateKey(), o), 'created');
  });

  withOutput(
    wallet
      .command('import <privateKey>')
      .description('Encrypt an existing private key into a keystore')
      .option('--name <name>', 'wallet name (default: its address)')
      .option('--keystore <file>', 'write the keystore to this file instead')
      .option('--password-file <file>', 'read the password from this file (else $CONFIDE_PASSWORD, else asked)'),
  ).action(async (privateKey: string, o: CommonOptions & { name?: string }) => {
    const key = (privateKey.startsWith('0x') ? privateKey : `0x${privateKey}`) as Hex;
    if (!isHex(key) || key.length !== 66) {
      throw new CliError('CONFIDE_CLI_INVALID_INPUT', { details: 'the private key must be 32 bytes of hex' });
    }
    saved(o, await saveWallet(key, o), 'imported');
  });

  withOutput(
    withNetwork(
      wallet
        .command('demo <role>')
        .description(`Import a funded demo account of a 'confide start' network (${DEMO_ROLES.join(', ')})`)
        .option('--name <name>', 'wallet name (default: the role)')
        .option('--password-file <file>', 'read the password from this file (else $CONFIDE_PASSWORD, else asked)'),
    ),
  ).action(async (role: string, o: CommonOptions & { name?: string }) => {
    if (!(DEMO_ROLES as readonly string[]).includes(role)) {
      throw new CliError('CONFIDE_CLI_INVALID_INPUT', { details: `role must be one of ${DEMO_ROLES.join(', ')}` });
    }
    const network = await loadNetwork(o);
    const key = network.keys?.[role as (typeof DEMO_ROLES)[number]];
    if (!key)
      throw new CliError('CONFIDE_CLI_NO_NETWORK', {
        details: "the network file has no demo keys ('confide start' writes them)",
      });
    saved(o, await saveWallet(key, { ...o, name: o.name ?? role }), 'imported demo');
  });

  withOutput(
    withNetwork(
      wallet
        .command('show')
        .description('Address, native, token and escrow balances (no password needed)')
        .option('--wallet <name|address>', 'wallet in $CONFIDE_HOME/wallets (default $CONFIDE_WALLET, or the only one)')
        .option('--keystore <file>', 'a keystore file anywhere'),
    ),
  ).action(async (o: CommonOptions) => {
    const found = await findWallet(o);
    const b = await balancesOf(await loadNetwork(o), found.address);
    printResult(o, { name: found.name, keystore: found.file, ...b }, [
      `wallet   ${found.name} (${found.file})`,
      `address  ${b.address}`,
      `native   ${b.eth} ETH`,
      `token    ${b.token} CFD`,
      `escrow   ${b.escrow.balance} CFD (${b.escrow.frozen} frozen)`,
    ]);
  });

  const account = program.command('account').description('The escrow account that pays for and earns from tasks');

  withOutput(
    withNetwork(
      account
        .command('show [address]')
        .description("Escrow balance and frozen amount (default: the wallet's)")
        .option('--wallet <name|address>', 'wallet whose account to show')
        .option('--keystore <file>', 'a keystore file anywhere'),
    ),
  ).action(async (address: string | undefined, o: CommonOptions) => {
    const who = address ? parseAddress(address, 'address') : (await findWallet(o)).address;
    const b = await balancesOf(await loadNetwork(o), who);
    printResult(o, { address: who, ...b.escrow }, [
      `escrow of ${who}: ${b.escrow.balance} CFD (${b.escrow.frozen} frozen)`,
    ]);
  });

  for (const verb of ['deposit', 'withdraw'] as const) {
    withOutput(
      withWallet(
        withNetwork(
          account
            .command(`${verb} <amount>`)
            .description(
              verb === 'deposit'
                ? 'Move CFD from the wallet into the escrow (approve + deposit)'
                : 'Move CFD from the escrow back to the wallet',
            ),
        ),
      ),
    ).action(async (amount: string, o: CommonOptions) => {
      const value = parseAmount(amount, 'amount');
      if (value === 0n) throw new CliError('CONFIDE_CLI_INVALID_INPUT', { details: 'amount must be more than 0' });
      const network = await loadNetwork(o);
      const { account: signer } = await unlockWallet(o);
      const { confideHubAbi, confideTokenAbi } = await protocol();
      const { publicClient, wallet: client } = await clientsFor(network, signer);
      const mined = async (hash: Hex) => {
        const receipt = await publicClient.waitForTransactionReceipt({ hash });
        if (receipt.status !== 'success') throw new CliError('CONFIDE_CLI_TX_REVERTED', { details: hash });
        return hash;
      };
      let txHash: Hex;
      if (verb === 'deposit') {
        const token = await publicClient.readContract({
          address: network.hub,
          abi: confideHubAbi,
          functionName: 'token',
        });
        note(o, `approving ${amount} CFD for the hub…`);
        await mined(
          await client.writeContract({
            address: token,
            abi: confideTokenAbi,
            functionName: 'approve',
            args: [network.hub, value],
          }),
        );
        note(o, `depositing ${amount} CFD…`);
        txHash = await mined(
          await client.writeContract({
            address: network.hub,
            abi: confideHubAbi,
            functionName: 'deposit',
            args: [value],
          }),
        );
      } else {
        note(o, `withdrawing ${amount} CFD…`);
        txHash = await mined(
          await client.writeContract({
            address: network.hub,
            abi: confideHubAbi,
            functionName: 'withdraw',
            args: [value],
          }),
        );
      }
      const b = await balancesOf(network, signer.address);
      printResult(o, { address: signer.address, amount: cfd(value), txHash, escrow: b.escrow, token: b.token }, [
        `${verb === 'deposit' ? 'deposited' : 'withdrew'} ${cfd(value)} CFD (tx ${txHash})`,
        `escrow ${b.escrow.balance} CFD (${b.escrow.frozen} frozen), wallet ${b.token} CFD`,
      ]);
    });
  }
}

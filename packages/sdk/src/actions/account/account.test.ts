import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { expectSdkError, type SdkFixture, sdkFixture } from '../../testing/sdkFixture.js';
import { deposit } from './deposit.js';
import { getAccountBalance } from './getAccountBalance.js';
import { withdraw } from './withdraw.js';

const TOKEN = 1_000_000_000n;

describe('account', () => {
  let f: SdkFixture;
  before(async () => {
    f = await sdkFixture();
  });

  it('deposit approves the hub and credits the escrow; getAccountBalance reads stake and locked', async () => {
    const account = f.world.actors.other;
    const client = f.clientOf(account);
    await client.requestFaucet({ amount: 50n * TOKEN });
    const before = await getAccountBalance(client);
    const { amount, txHash } = await deposit(client, { amount: 20n * TOKEN });
    assert.equal(amount, 20n * TOKEN);
    assert.match(txHash, /^0x[0-9a-f]{64}$/);
    const after = await getAccountBalance(client, { address: account.address });
    assert.equal(after.stake - before.stake, 20n * TOKEN);
    assert.equal(after.locked, 0n);
  });

  it('withdraw moves free tokens back to the wallet, or to another address', async () => {
    const client = f.clientOf(f.world.actors.other);
    const wallet = (await client.getWalletBalances()).token;
    await withdraw(client, { amount: 5n * TOKEN });
    assert.equal((await client.getWalletBalances()).token - wallet, 5n * TOKEN);
    const to = f.world.actors.sponsor.address;
    const theirs = (await client.getWalletBalances({ address: to })).token;
    await withdraw(client, { amount: 1n * TOKEN, to });
    assert.equal((await client.getWalletBalances({ address: to })).token - theirs, 1n * TOKEN);
  });

  it('error: deposit more than the wallet holds is CONFIDE_SDK_INSUFFICIENT_BALANCE', async () => {
    const client = f.clientOf(f.world.actors.other);
    const { token } = await client.getWalletBalances();
    const error = await expectSdkError(deposit(client, { amount: token + 1n }), 'CONFIDE_SDK_INSUFFICIENT_BALANCE');
    assert.match(error.message, new RegExp(`asked ${token + 1n}`));
  });

  it('error: withdraw more than the free balance is CONFIDE_SDK_INSUFFICIENT_BALANCE', async () => {
    const client = f.clientOf(f.world.actors.other);
    const { stake } = await client.getAccountBalance();
    await expectSdkError(withdraw(client, { amount: stake + 1n }), 'CONFIDE_SDK_INSUFFICIENT_BALANCE');
  });

  it('error: invalid amounts and addresses are CONFIDE_SDK_PARAMETERS_INVALID before any call', async () => {
    const client = f.clientOf(f.world.actors.other);
    const zero = await expectSdkError(deposit(client, { amount: 0n }), 'CONFIDE_SDK_PARAMETERS_INVALID');
    assert.match(zero.message, /amount: must be above 0/);
    await expectSdkError(withdraw(client, { amount: -1n }), 'CONFIDE_SDK_PARAMETERS_INVALID');
    await expectSdkError(withdraw(client, { amount: 1n, to: '0x12' as never }), 'CONFIDE_SDK_PARAMETERS_INVALID');
    await expectSdkError(deposit(client, { amount: 1n, extra: true } as never), 'CONFIDE_SDK_PARAMETERS_INVALID');
    await expectSdkError(getAccountBalance(client, { address: 'nope' as never }), 'CONFIDE_SDK_PARAMETERS_INVALID');
    await expectSdkError(getAccountBalance(f.clientOf(), {}), 'CONFIDE_SDK_PARAMETERS_INVALID');
  });

  it('error: deposit and withdraw without an account are CONFIDE_SDK_ACCOUNT_REQUIRED', async () => {
    const readOnly = f.clientOf();
    await expectSdkError(deposit(readOnly, { amount: 1n }), 'CONFIDE_SDK_ACCOUNT_REQUIRED');
    await expectSdkError(withdraw(readOnly, { amount: 1n }), 'CONFIDE_SDK_ACCOUNT_REQUIRED');
  });

  it('error: a withdrawal the hub refuses is CONFIDE_SDK_TRANSACTION_REVERTED with its reason', async () => {
    const client = f.clientOf(f.world.actors.other);
    await expectSdkError(
      withdraw(client, { amount: 1n, to: '0x0000000000000000000000000000000000000000' }),
      'CONFIDE_SDK_TRANSACTION_REVERTED',
      'EscrowZeroAddress',
    );
  });

  it('error: a refused deposit is CONFIDE_SDK_TRANSACTION_REVERTED with the contract error as reason', async () => {
    const { sendContract } = await import('../../internal/chain.js');
    const { confideHubAbi } = await import('../../../../protocol/src/index.js');
    const client = f.clientOf(f.world.actors.other);
    const error = await expectSdkError(
      sendContract(client, {
        action: 'deposit',
        address: client.hub,
        abi: confideHubAbi,
        functionName: 'deposit',
        args: [0n],
      }),
      'CONFIDE_SDK_TRANSACTION_REVERTED',
      'EscrowZeroAmount',
    );
    assert.match(error.shortMessage, /EscrowZeroAmount/);
  });
});

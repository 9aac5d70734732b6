import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { recoverTypedDataAddress } from 'viem';
import { confideDomain, orderTypes } from '../../../../protocol/src/index.js';
import { expectSdkError, type SdkFixture, sdkFixture } from '../../testing/sdkFixture.js';
import { createAppOrder } from '../order/createAppOrder.js';
import { signOrder } from '../order/signOrder.js';
import { getWalletBalances } from './getWalletBalances.js';
import { requestFaucet } from './requestFaucet.js';

const TOKEN = 1_000_000_000n;

describe('wallet', () => {
  let f: SdkFixture;
  before(async () => {
    f = await sdkFixture();
  });

  it('getWalletBalances reads native coin and payment token, of the account or any address', async () => {
    const client = f.clientOf(f.world.actors.other);
    const mine = await getWalletBalances(client);
    assert.ok(mine.native > 0n);
    const readOnly = await getWalletBalances(f.clientOf(), { address: f.world.actors.other.address });
    assert.deepEqual(readOnly, mine);
  });

  it('requestFaucet mints devnet tokens to the account or to another address', async () => {
    const client = f.clientOf(f.world.actors.other);
    const before = (await getWalletBalances(client)).token;
    await requestFaucet(client, { amount: 3n * TOKEN });
    assert.equal((await getWalletBalances(client)).token - before, 3n * TOKEN);
    const to = f.world.actors.sponsor.address;
    const theirs = (await getWalletBalances(client, { address: to })).token;
    await requestFaucet(client, { amount: 1n, to });
    assert.equal((await getWalletBalances(client, { address: to })).token - theirs, 1n);
  });

  it('error: over the faucet limit is CONFIDE_SDK_FAUCET_UNAVAILABLE (TokenFaucetLimitExceeded)', async () => {
    const client = f.clientOf(f.world.actors.other);
    await expectSdkError(
      requestFaucet(client, { amount: 1001n * TOKEN }),
      'CONFIDE_SDK_FAUCET_UNAVAILABLE',
      'TokenFaucetLimitExceeded',
    );
  });

  it('error: a faucet call the token refuses is CONFIDE_SDK_TRANSACTION_REVERTED with its reason', async () => {
    const client = f.clientOf(f.world.actors.other);
    await expectSdkError(
      requestFaucet(client, { amount: 1n, to: '0x0000000000000000000000000000000000000000' }),
      'CONFIDE_SDK_TRANSACTION_REVERTED',
      'ERC20InvalidReceiver',
    );
  });

  it('error: a payment token without faucet is CONFIDE_SDK_FAUCET_UNAVAILABLE', async () => {
    const client = f.clientOf(f.world.actors.other);
    const real = await client.contracts();
    const noFaucet = { ...client, contracts: async () => ({ ...real, token: f.world.actors.deployer.address }) };
    await expectSdkError(requestFaucet(noFaucet, { amount: 1n }), 'CONFIDE_SDK_FAUCET_UNAVAILABLE');
    const tokenWithoutFaucet = { ...client, contracts: async () => ({ ...real, token: real.appRegistry }) };
    await expectSdkError(requestFaucet(tokenWithoutFaucet, { amount: 1n }), 'CONFIDE_SDK_FAUCET_UNAVAILABLE');
  });

  it('error: requestFaucet without an account is CONFIDE_SDK_ACCOUNT_REQUIRED; bad amounts CONFIDE_SDK_PARAMETERS_INVALID', async () => {
    await expectSdkError(requestFaucet(f.clientOf(), { amount: 1n }), 'CONFIDE_SDK_ACCOUNT_REQUIRED');
    const client = f.clientOf(f.world.actors.other);
    await expectSdkError(requestFaucet(client, { amount: 0n }), 'CONFIDE_SDK_PARAMETERS_INVALID');
    await expectSdkError(getWalletBalances(client, { address: '0xnope' as never }), 'CONFIDE_SDK_PARAMETERS_INVALID');
    await expectSdkError(getWalletBalances(f.clientOf()), 'CONFIDE_SDK_PARAMETERS_INVALID');
  });

  it('a browser-style JSON-RPC account (an address; the node signs) signs orders', async () => {
    const owner = f.world.actors.appOwner;
    const client = f.clientOf(owner.address);
    const order = createAppOrder({ app: f.world.app, appprice: 1n });
    const signed = await signOrder(client, { kind: 'AppOrder', order });
    const signer = await recoverTypedDataAddress({
      domain: confideDomain(31337, f.world.addresses.hub),
      types: { AppOrder: orderTypes.AppOrder },
      primaryType: 'AppOrder',
      message: order,
      signature: signed.sign,
    });
    assert.equal(signer, owner.address);
  });
});

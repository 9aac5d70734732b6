import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { parseEther } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { expectSdkError, type SdkFixture, sdkFixture } from '../../testing/sdkFixture.js';
import { getWalletBalances } from './getWalletBalances.js';
import { send } from './send.js';
import { sweep } from './sweep.js';

const TOKEN = 1_000_000_000n;

describe('wallet: send and sweep', () => {
  let f: SdkFixture;
  before(async () => {
    f = await sdkFixture();
  });

  it('send moves native coin and tokens; sweep empties a wallet into another, tokens then native coin', async () => {
    const funder = f.clientOf(f.world.actors.other);
    const fresh = privateKeyToAccount(generatePrivateKey());
    await funder.requestFaucet({ amount: 7n * TOKEN });
    const native = await send(funder, { to: fresh.address, amount: parseEther('1'), currency: 'native' });
    const token = await funder.send({
      to: fresh.address.toLowerCase() as never,
      amount: 7n * TOKEN,
      currency: 'token',
    });
    assert.equal(token.to, fresh.address, 'checksummed');
    assert.match(native.txHash, /^0x[0-9a-f]{64}$/);
    assert.deepEqual(await getWalletBalances(funder, { address: fresh.address }), {
      native: parseEther('1'),
      token: 7n * TOKEN,
    });

    const to = privateKeyToAccount(generatePrivateKey()).address;
    const swept = await sweep(f.clientOf(fresh), { to });
    assert.equal(swept.token, 7n * TOKEN);
    assert.ok(swept.tokenTxHash && swept.nativeTxHash);
    const left = await getWalletBalances(funder, { address: fresh.address });
    const received = await getWalletBalances(funder, { address: to });
    assert.deepEqual(received, { native: swept.native, token: 7n * TOKEN });
    assert.equal(left.token, 0n);
    assert.ok(left.native < parseEther('0.001'), `only fee dust stays: ${left.native}`);
    assert.ok(swept.native > parseEther('0.99'));
  });

  it('error: INSUFFICIENT_BALANCE past the wallet, or when the coin cannot pay the sweep fee; ACCOUNT_REQUIRED; PARAMETERS_INVALID', async () => {
    const empty = f.clientOf(privateKeyToAccount(generatePrivateKey()));
    const someone = f.world.actors.sponsor.address;
    const over = await expectSdkError(
      send(empty, { to: someone, amount: 1n, currency: 'token' }),
      'CONFIDE_SDK_INSUFFICIENT_BALANCE',
    );
    assert.equal(over.details, 'wallet 0, asked 1');
    await expectSdkError(
      send(empty, { to: someone, amount: 1n, currency: 'native' }),
      'CONFIDE_SDK_INSUFFICIENT_BALANCE',
    );
    await expectSdkError(sweep(empty, { to: someone }), 'CONFIDE_SDK_INSUFFICIENT_BALANCE');
    await expectSdkError(
      send(f.clientOf(), { to: someone, amount: 1n, currency: 'native' }),
      'CONFIDE_SDK_ACCOUNT_REQUIRED',
    );
    await expectSdkError(sweep(f.clientOf(), { to: someone }), 'CONFIDE_SDK_ACCOUNT_REQUIRED');
    const client = f.clientOf(f.world.actors.other);
    for (const parameters of [
      { to: someone, amount: 0n, currency: 'native' },
      { to: someone, amount: 1n, currency: 'btc' },
      { to: 'nope', amount: 1n, currency: 'token' },
      { to: someone, amount: 1n },
    ]) {
      await expectSdkError(send(client, parameters as never), 'CONFIDE_SDK_PARAMETERS_INVALID');
    }
    const self = await expectSdkError(
      sweep(client, { to: f.world.actors.other.address }),
      'CONFIDE_SDK_PARAMETERS_INVALID',
    );
    assert.equal(self.details, 'to: is the wallet itself');
  });
});

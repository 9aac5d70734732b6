import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { custom, http } from 'viem';
import { confideActions } from './actions.js';
import { createConfideClient } from './createConfideClient.js';
import { SDK_ERROR_CODES } from './errors.js';
import * as sdk from './index.js';
import { expectSdkError, type SdkFixture, sdkFixture } from './testing/sdkFixture.js';

describe('createConfideClient', () => {
  let f: SdkFixture;
  before(async () => {
    f = await sdkFixture();
  });

  it('binds every exported action that takes a client, and resolves the hub contracts once', async () => {
    const client = f.clientOf(f.world.actors.requester);
    const bound = Object.keys(confideActions(client));
    const exported = Object.entries(sdk)
      .filter(([name, value]) => typeof value === 'function' && !/^(createConfideClient|ConfideSdkError)$/.test(name))
      .map(([name]) => name);
    assert.deepEqual(bound.sort(), exported.sort());
    for (const name of bound) assert.equal(typeof (client as unknown as Record<string, unknown>)[name], 'function');
    const contracts = await client.contracts();
    assert.equal(contracts.token, f.world.addresses.token);
    assert.equal(contracts.workerpoolRegistry, f.world.addresses.workerpoolRegistry);
    assert.equal(await client.contracts(), contracts);
    assert.equal(client.walletClient?.account.address, f.world.actors.requester.address);
  });

  it('error: wrong chain, transport, hub, account, services or polling interval are CONFIDE_SDK_CONFIG_INVALID', async () => {
    const chain = f.clientOf().chain;
    const transport = http('http://127.0.0.1:8545');
    const hub = f.world.addresses.hub;
    const cases: [string, unknown][] = [
      ['chain', { chain: undefined, transport, hub }],
      ['transport', { chain, transport: 'http://127.0.0.1:8545', hub }],
      ['hub', { chain, transport, hub: '0x1234' }],
      ['account', { chain, transport, hub, account: 'alice' }],
      ['marketUrl', { chain, transport, hub, services: { marketUrl: 'not a url' } }],
      ['smsUrl', { chain, transport, hub, services: { smsUrl: 'ftp://sms' } }],
      ['storage', { chain, transport, hub, services: { storage: {} } }],
      ['pollingInterval', { chain, transport, hub, pollingInterval: 0 }],
    ];
    for (const [field, parameters] of cases) {
      const error = await expectSdkError(() => createConfideClient(parameters as never), 'CONFIDE_SDK_CONFIG_INVALID');
      assert.match(error.message, new RegExp(field), `${field} is named`);
    }
  });

  it('error: a hub address that is not a Confide hub fails the first action with CONFIDE_SDK_CONFIG_INVALID', async () => {
    const client = createConfideClient({
      chain: f.clientOf().chain,
      transport: custom(f.world.chain.provider, { retryCount: 0 }),
      hub: f.world.actors.other.address,
    });
    await expectSdkError(client.contracts(), 'CONFIDE_SDK_CONFIG_INVALID');
    await expectSdkError(
      client.countUserApps({ owner: f.world.actors.appOwner.address }),
      'CONFIDE_SDK_CONFIG_INVALID',
    );
  });

  it('every error code is distinct and prefixed CONFIDE_SDK_', () => {
    assert.equal(new Set(SDK_ERROR_CODES).size, SDK_ERROR_CODES.length);
    for (const code of SDK_ERROR_CODES) assert.match(code, /^CONFIDE_SDK_[A-Z_]+$/);
  });
});

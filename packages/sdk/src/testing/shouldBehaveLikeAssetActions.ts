// Shared behaviour of the app, dataset and workerpool actions: each module's test calls it with its own actions.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Address, Hex } from 'viem';
import type { ConfideClientWithActions } from '../createConfideClient.js';
import { expectSdkError, type SdkFixture } from './sdkFixture.js';

/** The actions of one asset kind, in a common shape. */
type AssetActions<F> = {
  kind: string;
  /** Distinct valid fields for the n-th asset. */
  fields: (n: number) => F;
  deploy: (client: ConfideClientWithActions, fields: F) => Promise<{ address: Address; txHash: Hex }>;
  predict: (client: ConfideClientWithActions, fields: F) => Promise<Address>;
  show: (client: ConfideClientWithActions, address: Address) => Promise<{ address: Address; owner: Address }>;
  count: (client: ConfideClientWithActions, owner?: Address) => Promise<bigint>;
  transfer: (client: ConfideClientWithActions, address: Address, to: Address) => Promise<{ txHash: Hex }>;
  checkDeployed: (client: ConfideClientWithActions, address: Address) => Promise<boolean>;
  /** Fields that fail validation, each with the field name the error must name. */
  invalid: [Partial<F> | Record<string, unknown>, string][];
};

/** Deploy, predict, show, count, transfer and checkDeployed, with each error case. */
export function shouldBehaveLikeAssetActions<F>(fixture: () => SdkFixture, a: AssetActions<F>) {
  const owner = () => fixture().world.actors.other;
  const client = () => fixture().clientOf(owner());

  it(`deploys a ${a.kind} at its predicted address; show, count and checkDeployed read it back`, async () => {
    const fields = a.fields(1);
    const predicted = await a.predict(client(), fields);
    assert.equal(await a.checkDeployed(client(), predicted), false);
    const countBefore = await a.count(client());
    const { address, txHash } = await a.deploy(client(), fields);
    assert.equal(address, predicted);
    assert.match(txHash, /^0x[0-9a-f]{64}$/);
    assert.equal(await a.checkDeployed(fixture().clientOf(), address), true);
    const shown = await a.show(fixture().clientOf(), address);
    assert.equal(shown.address, address);
    assert.equal(shown.owner, owner().address);
    assert.equal(await a.count(client()), countBefore + 1n);
    assert.equal(await a.count(fixture().clientOf(), owner().address), countBefore + 1n);
  });

  it(`transfers a ${a.kind} to a new owner`, async () => {
    const { address } = await a.deploy(client(), a.fields(2));
    const to = fixture().world.actors.sponsor.address;
    await a.transfer(client(), address, to);
    assert.equal((await a.show(client(), address)).owner, to);
  });

  it(`error: deploying the same ${a.kind} twice is CONFIDE_SDK_ASSET_EXISTS`, async () => {
    await a.deploy(client(), a.fields(3));
    await expectSdkError(a.deploy(client(), a.fields(3)), 'CONFIDE_SDK_ASSET_EXISTS');
  });

  it(`error: show or transfer of an unregistered ${a.kind} is CONFIDE_SDK_ASSET_NOT_FOUND`, async () => {
    const nowhere = '0x000000000000000000000000000000000000dEaD';
    await expectSdkError(a.show(client(), nowhere), 'CONFIDE_SDK_ASSET_NOT_FOUND');
    await expectSdkError(a.transfer(client(), nowhere, owner().address), 'CONFIDE_SDK_ASSET_NOT_FOUND');
  });

  it(`error: transferring someone else's ${a.kind} is CONFIDE_SDK_NOT_OWNER`, async () => {
    const { address } = await a.deploy(client(), a.fields(4));
    const thief = fixture().clientOf(fixture().world.actors.requester);
    const error = await expectSdkError(
      a.transfer(thief, address, thief.walletClient?.account.address as Address),
      'CONFIDE_SDK_NOT_OWNER',
    );
    assert.match(error.shortMessage, new RegExp(owner().address));
  });

  it(`error: a ${a.kind} for or to the zero address is CONFIDE_SDK_TRANSACTION_REVERTED (ERC721InvalidReceiver)`, async () => {
    const zero = '0x0000000000000000000000000000000000000000';
    await expectSdkError(
      a.deploy(client(), { ...a.fields(7), owner: zero }),
      'CONFIDE_SDK_TRANSACTION_REVERTED',
      'ERC721InvalidReceiver',
    );
    const { address } = await a.deploy(client(), a.fields(8));
    await expectSdkError(
      a.transfer(client(), address, zero),
      'CONFIDE_SDK_TRANSACTION_REVERTED',
      'ERC721InvalidReceiver',
    );
  });

  it(`error: deploy and transfer without an account are CONFIDE_SDK_ACCOUNT_REQUIRED`, async () => {
    const readOnly = fixture().clientOf();
    await expectSdkError(
      a.deploy(readOnly, { ...a.fields(5), owner: owner().address }),
      'CONFIDE_SDK_ACCOUNT_REQUIRED',
    );
    await expectSdkError(a.transfer(readOnly, fixture().world.app, owner().address), 'CONFIDE_SDK_ACCOUNT_REQUIRED');
  });

  it(`error: invalid ${a.kind} fields and addresses are CONFIDE_SDK_PARAMETERS_INVALID naming the field`, async () => {
    for (const [fields, name] of a.invalid) {
      const error = await expectSdkError(
        a.deploy(client(), { ...a.fields(6), ...fields } as F),
        'CONFIDE_SDK_PARAMETERS_INVALID',
      );
      assert.match(error.message, new RegExp(name));
    }
    await expectSdkError(a.show(client(), '0x12' as Address), 'CONFIDE_SDK_PARAMETERS_INVALID');
    await expectSdkError(a.checkDeployed(client(), 'nope' as Address), 'CONFIDE_SDK_PARAMETERS_INVALID');
    await expectSdkError(a.count(fixture().clientOf()), 'CONFIDE_SDK_PARAMETERS_INVALID');
    await expectSdkError(a.transfer(client(), fixture().world.app, '0x0' as Address), 'CONFIDE_SDK_PARAMETERS_INVALID');
  });
}

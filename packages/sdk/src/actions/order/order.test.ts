import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { recoverTypedDataAddress, zeroAddress, zeroHash } from 'viem';
import { confideDomain, confideHubAbi, orderTypes, TAG_TEE } from '../../../../protocol/src/index.js';
import { orderSet, RESULT_KEY } from '../../testing/orderSet.js';
import { expectSdkError, type SdkFixture, sdkFixture } from '../../testing/sdkFixture.js';
import { cancelOrder } from './cancelOrder.js';
import { checkRequestRequirements } from './checkRequestRequirements.js';
import { createAppOrder } from './createAppOrder.js';
import { createDatasetOrder } from './createDatasetOrder.js';
import { createRequestOrder } from './createRequestOrder.js';
import { createWorkerpoolOrder } from './createWorkerpoolOrder.js';
import { estimateMatchOrders } from './estimateMatchOrders.js';
import { hashOrder } from './hashOrder.js';
import { matchOrders } from './matchOrders.js';
import { publishOrder } from './publishOrder.js';
import { signOrder } from './signOrder.js';
import { unpublishOrder } from './unpublishOrder.js';

const TOKEN = 1_000_000_000n;
const DATASET_KEY = 'q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=';

describe('order', () => {
  let f: SdkFixture;
  before(async () => {
    f = await sdkFixture();
    await f.clientOf(f.world.actors.datasetOwner).pushDatasetSecret({ dataset: f.world.dataset, secret: DATASET_KEY });
  });

  describe('create', () => {
    it("fills iExec's defaults: price 0, volume 1, tag 0, open restrictions, random salt", () => {
      const app = createAppOrder({ app: f.world.app });
      assert.deepEqual(
        { ...app, salt: undefined },
        {
          app: f.world.app,
          appprice: 0n,
          volume: 1n,
          tag: zeroHash,
          datasetrestrict: zeroAddress,
          workerpoolrestrict: zeroAddress,
          requesterrestrict: zeroAddress,
          salt: undefined,
        },
      );
      assert.notEqual(app.salt, createAppOrder({ app: f.world.app }).salt);
      const dataset = createDatasetOrder({
        dataset: f.world.dataset,
        tag: ['tee'],
        volume: 10,
        apprestrict: f.world.app,
      });
      assert.equal(dataset.tag, TAG_TEE);
      assert.equal(dataset.volume, 10n);
      assert.equal(dataset.apprestrict, f.world.app);
      const pool = createWorkerpoolOrder({ workerpool: f.world.workerpool, category: 0 });
      assert.equal(pool.trust, 0n);
      assert.equal(pool.category, 0n);
    });

    it('createRequestOrder: requester and beneficiary default to the account, params serialized as the enclave reads them', () => {
      const client = f.clientOf(f.world.actors.requester);
      const request = createRequestOrder(client, {
        app: f.world.app,
        category: 0,
        params: {
          iexec_args: '--p 95',
          iexec_secrets: { '1': 'token' },
          confide_result_recipient: RESULT_KEY.recipient,
        },
      });
      assert.equal(request.requester, f.world.actors.requester.address);
      assert.equal(request.beneficiary, f.world.actors.requester.address);
      assert.equal(request.dataset, zeroAddress);
      assert.equal(request.workerpool, zeroAddress);
      assert.equal(request.volume, 1n);
      assert.deepEqual(JSON.parse(request.params), {
        iexec_args: '--p 95',
        iexec_secrets: { '1': 'token' },
        confide_result_recipient: RESULT_KEY.recipient,
      });
      assert.equal(
        createRequestOrder(client, { app: f.world.app, category: 0, params: '--plain args' }).params,
        '--plain args',
      );
    });

    it('error: an unknown params key is CONFIDE_SDK_PARAMS_UNKNOWN_KEY naming it, as object or JSON string', async () => {
      const client = f.clientOf(f.world.actors.requester);
      const error = await expectSdkError(
        () =>
          createRequestOrder(client, {
            app: f.world.app,
            category: 0,
            params: { iexec_args: 'x', iexec_tee_post_compute_image: 'c' } as never,
          }),
        'CONFIDE_SDK_PARAMS_UNKNOWN_KEY',
      );
      assert.match(error.message, /iexec_tee_post_compute_image/);
      await expectSdkError(
        () => createRequestOrder(client, { app: f.world.app, category: 0, params: '{"iexec_developer_logger":true}' }),
        'CONFIDE_SDK_PARAMS_UNKNOWN_KEY',
      );
    });

    it('error: a params value of the wrong shape is CONFIDE_SDK_PARAMS_INVALID', async () => {
      const client = f.clientOf(f.world.actors.requester);
      for (const params of [
        { iexec_input_files: ['ftp://x'] },
        { iexec_secrets: { '0': 'x' } },
        { iexec_result_storage_provider: 'dropbox' },
        { confide_result_recipient: 'age1nope' },
        { iexec_result_encryption: false },
      ]) {
        await expectSdkError(
          () => createRequestOrder(client, { app: f.world.app, category: 0, params: params as never }),
          'CONFIDE_SDK_PARAMS_INVALID',
        );
      }
    });

    it('error: missing or wrong order fields are CONFIDE_SDK_PARAMETERS_INVALID', async () => {
      await expectSdkError(() => createAppOrder({} as never), 'CONFIDE_SDK_PARAMETERS_INVALID');
      await expectSdkError(
        () => createDatasetOrder({ dataset: f.world.dataset, volume: -1 }),
        'CONFIDE_SDK_PARAMETERS_INVALID',
      );
      await expectSdkError(
        () => createWorkerpoolOrder({ workerpool: f.world.workerpool } as never),
        'CONFIDE_SDK_PARAMETERS_INVALID',
      );
      await expectSdkError(
        () => createAppOrder({ app: f.world.app, tag: ['gpu'] as never }),
        'CONFIDE_SDK_PARAMETERS_INVALID',
      );
      const noRequester = await expectSdkError(
        () => createRequestOrder(f.clientOf(), { app: f.world.app, category: 0 }),
        'CONFIDE_SDK_PARAMETERS_INVALID',
      );
      assert.match(noRequester.message, /requester/);
    });
  });

  describe('sign and hash', () => {
    it('signOrder signs under the hub domain; hashOrder equals the hub hash', async () => {
      const client = f.clientOf(f.world.actors.appOwner);
      const order = createAppOrder({ app: f.world.app, appprice: 5n });
      const signed = await signOrder(client, { kind: 'AppOrder', order });
      const orderHash = hashOrder(client, { kind: 'AppOrder', order: signed });
      const onChain = await f.world.publicClient.readContract({
        address: f.world.addresses.hub,
        abi: confideHubAbi,
        functionName: 'hashAppOrder',
        args: [signed],
      });
      assert.equal(orderHash, onChain);
      const signer = await recoverTypedDataAddress({
        domain: confideDomain(31337, f.world.addresses.hub),
        types: { AppOrder: orderTypes.AppOrder },
        primaryType: 'AppOrder',
        message: order,
        signature: signed.sign,
      });
      assert.equal(signer, f.world.actors.appOwner.address);
    });

    it('error: signOrder without an account is CONFIDE_SDK_ACCOUNT_REQUIRED; a wrong kind or order CONFIDE_SDK_PARAMETERS_INVALID', async () => {
      const order = createAppOrder({ app: f.world.app });
      await expectSdkError(signOrder(f.clientOf(), { kind: 'AppOrder', order }), 'CONFIDE_SDK_ACCOUNT_REQUIRED');
      const client = f.clientOf(f.world.actors.appOwner);
      await expectSdkError(signOrder(client, { kind: 'CarOrder', order } as never), 'CONFIDE_SDK_PARAMETERS_INVALID');
      await expectSdkError(
        signOrder(client, { kind: 'DatasetOrder', order: order as never }),
        'CONFIDE_SDK_PARAMETERS_INVALID',
      );
      await expectSdkError(
        () => hashOrder(client, { kind: 'AppOrder', order: { ...order, volume: 'many' as never } }),
        'CONFIDE_SDK_PARAMETERS_INVALID',
      );
    });
  });

  describe('cancel', () => {
    it('cancelOrder closes the order on chain: its whole volume is consumed', async () => {
      const client = f.clientOf(f.world.actors.datasetOwner);
      const order = createDatasetOrder({ dataset: f.world.dataset, volume: 7 });
      const { orderHash } = await cancelOrder(client, { kind: 'DatasetOrder', order });
      const consumed = await f.world.publicClient.readContract({
        address: f.world.addresses.hub,
        abi: confideHubAbi,
        functionName: 'viewConsumed',
        args: [orderHash],
      });
      assert.equal(consumed, 7n);
    });

    it("error: cancelling another owner's order is CONFIDE_SDK_NOT_OWNER; of an unregistered asset CONFIDE_SDK_ASSET_NOT_FOUND", async () => {
      const client = f.clientOf(f.world.actors.requester);
      await expectSdkError(
        cancelOrder(client, { kind: 'AppOrder', order: createAppOrder({ app: f.world.app }) }),
        'CONFIDE_SDK_NOT_OWNER',
        'OrderOperationUnauthorized',
      );
      await expectSdkError(
        cancelOrder(client, {
          kind: 'AppOrder',
          order: createAppOrder({ app: '0x000000000000000000000000000000000000dEaD' }),
        }),
        'CONFIDE_SDK_ASSET_NOT_FOUND',
        'OrderAssetNotRegistered',
      );
      await expectSdkError(
        cancelOrder(f.clientOf(), { kind: 'AppOrder', order: createAppOrder({ app: f.world.app }) }),
        'CONFIDE_SDK_ACCOUNT_REQUIRED',
      );
    });
  });

  describe('publish and unpublish', () => {
    it('publishOrder puts a signed order in the market under its hash; unpublishOrder removes one or all', async () => {
      const client = f.clientOf(f.world.actors.appOwner);
      const signed = await signOrder(client, {
        kind: 'AppOrder',
        order: createAppOrder({ app: f.world.app, volume: 3 }),
      });
      const published = await publishOrder(client, { kind: 'AppOrder', order: signed });
      assert.equal(published.orderHash, hashOrder(client, { kind: 'AppOrder', order: signed }));
      assert.equal(published.remaining, 3n);
      assert.equal(published.signer, f.world.actors.appOwner.address);
      assert.deepEqual(await unpublishOrder(client, { kind: 'AppOrder', orderHash: published.orderHash }), [
        published.orderHash,
      ]);
      const again = await signOrder(client, { kind: 'AppOrder', order: createAppOrder({ app: f.world.app }) });
      const { orderHash } = await publishOrder(client, { kind: 'AppOrder', order: again });
      assert.deepEqual(await unpublishOrder(client, { kind: 'AppOrder', all: true, asset: f.world.app }), [orderHash]);
    });

    it("error: the market's refusals pass through with their codes (CONFIDE_MARKET_NOT_OWNER)", async () => {
      const stranger = f.clientOf(f.world.actors.requester);
      const signed = await signOrder(stranger, { kind: 'AppOrder', order: createAppOrder({ app: f.world.app }) });
      const error = await publishOrder(stranger, { kind: 'AppOrder', order: signed }).catch((e: unknown) => e);
      assert.equal((error as { code?: string }).code, 'CONFIDE_MARKET_NOT_OWNER');
    });

    it('error: without a market CONFIDE_SDK_SERVICE_MISSING; unsigned or bad targets CONFIDE_SDK_PARAMETERS_INVALID', async () => {
      const client = f.clientOf(f.world.actors.appOwner, {});
      const order = createAppOrder({ app: f.world.app });
      const signed = await signOrder(client, { kind: 'AppOrder', order });
      await expectSdkError(publishOrder(client, { kind: 'AppOrder', order: signed }), 'CONFIDE_SDK_SERVICE_MISSING');
      await expectSdkError(
        unpublishOrder(client, { kind: 'AppOrder', orderHash: zeroHash }),
        'CONFIDE_SDK_SERVICE_MISSING',
      );
      const withMarket = f.clientOf(f.world.actors.appOwner);
      await expectSdkError(
        publishOrder(withMarket, { kind: 'AppOrder', order: order as never }),
        'CONFIDE_SDK_PARAMETERS_INVALID',
      );
      await expectSdkError(
        unpublishOrder(withMarket, { kind: 'AppOrder', orderHash: '0x12' as never }),
        'CONFIDE_SDK_PARAMETERS_INVALID',
      );
      await expectSdkError(
        unpublishOrder(f.clientOf(), { kind: 'AppOrder', orderHash: zeroHash }),
        'CONFIDE_SDK_ACCOUNT_REQUIRED',
      );
    });
  });

  describe('estimate and match', () => {
    it('estimateMatchOrders gives the volume, price per task, total and whether the requester can pay', async () => {
      const orders = await orderSet(f, {
        app: { volume: 5n },
        dataset: { volume: 3n },
        workerpool: { volume: 4n },
        request: { volume: 10 },
      });
      const estimate = await estimateMatchOrders(f.clientOf(), orders);
      assert.deepEqual(estimate, {
        volume: 3n,
        pricePerTask: 6n * TOKEN,
        total: 18n * TOKEN,
        requesterStake: (await f.clientOf().getAccountBalance({ address: f.world.actors.requester.address })).stake,
        sufficient: true,
      });
    });

    it('matchOrders checks the requirements, matches and returns the deal; the requester funds are locked', async () => {
      const requester = f.clientOf(f.world.actors.requester);
      const before = await requester.getAccountBalance();
      const orders = await orderSet(f);
      const { dealId, volume, txHash } = await matchOrders(requester, orders);
      assert.match(dealId, /^0x[0-9a-f]{64}$/);
      assert.match(txHash, /^0x[0-9a-f]{64}$/);
      assert.equal(volume, 1n);
      const after = await requester.getAccountBalance();
      assert.equal(after.locked - before.locked, 6n * TOKEN);
    });

    it('error: a TEE request without a result recipient is CONFIDE_SDK_RESULT_RECIPIENT_MISSING, before paying', async () => {
      const orders = await orderSet(f, { request: { params: { iexec_args: 'x' } } });
      const before = await f.clientOf().getAccountBalance({ address: f.world.actors.requester.address });
      await expectSdkError(
        matchOrders(f.clientOf(f.world.actors.requester), orders),
        'CONFIDE_SDK_RESULT_RECIPIENT_MISSING',
      );
      assert.deepEqual(await f.clientOf().getAccountBalance({ address: f.world.actors.requester.address }), before);
    });

    it('error: a dataset whose key is not in the SMS is CONFIDE_SDK_DATASET_KEY_MISSING', async () => {
      const owner = f.clientOf(f.world.actors.datasetOwner);
      const { address } = await owner.deployDataset({
        name: 'no-key',
        multiaddr: '/ipfs/bafynokey',
        checksum: zeroHash,
      });
      const orders = await orderSet(f, { dataset: { dataset: address } });
      await expectSdkError(checkRequestRequirements(f.clientOf(), orders), 'CONFIDE_SDK_DATASET_KEY_MISSING');
      await expectSdkError(
        matchOrders(f.clientOf(f.world.actors.requester), orders),
        'CONFIDE_SDK_DATASET_KEY_MISSING',
      );
    });

    it('error: a requester secret named in params but not in the SMS is CONFIDE_SDK_REQUESTER_SECRET_MISSING', async () => {
      const requester = f.clientOf(f.world.actors.requester);
      const params = { iexec_secrets: { '1': 'api-token' }, confide_result_recipient: RESULT_KEY.recipient };
      const orders = await orderSet(f, { request: { params } });
      const error = await expectSdkError(
        checkRequestRequirements(requester, orders),
        'CONFIDE_SDK_REQUESTER_SECRET_MISSING',
      );
      assert.match(error.message, /api-token/);
      await requester.pushRequesterSecret({ name: 'api-token', secret: 'xyz' });
      assert.equal(await checkRequestRequirements(requester, orders), true);
    });

    it('error: preflight needs the SMS for a dataset: CONFIDE_SDK_SERVICE_MISSING; non-TEE requests need nothing', async () => {
      const orders = await orderSet(f);
      await expectSdkError(checkRequestRequirements(f.clientOf(undefined, {}), orders), 'CONFIDE_SDK_SERVICE_MISSING');
      const plain = createRequestOrder(f.clientOf(f.world.actors.requester), { app: f.world.app, category: 0 });
      assert.equal(await checkRequestRequirements(f.clientOf(undefined, {}), { requestOrder: plain }), true);
      await expectSdkError(
        checkRequestRequirements(f.clientOf(), { requestOrder: { ...plain, params: '{"x":1}' } }),
        'CONFIDE_SDK_PARAMS_UNKNOWN_KEY',
      );
    });

    it('error: estimateMatchOrders with an unsigned or malformed order is CONFIDE_SDK_PARAMETERS_INVALID', async () => {
      const orders = await orderSet(f);
      await expectSdkError(
        estimateMatchOrders(f.clientOf(), { ...orders, appOrder: { ...orders.appOrder, sign: undefined as never } }),
        'CONFIDE_SDK_PARAMETERS_INVALID',
      );
      await expectSdkError(
        estimateMatchOrders(f.clientOf(), { appOrder: orders.appOrder } as never),
        'CONFIDE_SDK_PARAMETERS_INVALID',
      );
    });

    it('error: preflight against an unreachable SMS is CONFIDE_SDK_SMS_UNREACHABLE; an SMS refusal CONFIDE_SDK_SMS_REFUSED', async () => {
      const orders = await orderSet(f);
      const dead = f.clientOf(undefined, { smsUrl: 'http://dead.test', fetch: f.fetch });
      await expectSdkError(checkRequestRequirements(dead, orders), 'CONFIDE_SDK_SMS_UNREACHABLE');
      const refusing = f.clientOf(undefined, {
        smsUrl: 'http://sms.test',
        fetch: async () =>
          Response.json({ error: { code: 'SMS_CHAIN_UNAVAILABLE', message: 'no chain' } }, { status: 503 }),
      });
      await expectSdkError(
        checkRequestRequirements(refusing, orders),
        'CONFIDE_SDK_SMS_REFUSED',
        'SMS_CHAIN_UNAVAILABLE',
      );
    });

    it('error: a requester who cannot pay is CONFIDE_SDK_INSUFFICIENT_BALANCE, before sending', async () => {
      const orders = await orderSet(f, { app: { appprice: 5000n * TOKEN } });
      const error = await expectSdkError(
        matchOrders(f.clientOf(f.world.actors.requester), orders),
        'CONFIDE_SDK_INSUFFICIENT_BALANCE',
      );
      assert.match(error.message, /needs 5004000000000/);
    });

    it('error: orders the hub refuses are CONFIDE_SDK_TRANSACTION_REVERTED with the Match… reason', async () => {
      const orders = await orderSet(f, { request: { appmaxprice: 1n } });
      await expectSdkError(
        matchOrders(f.clientOf(f.world.actors.requester), orders),
        'CONFIDE_SDK_TRANSACTION_REVERTED',
        'MatchPriceTooHigh',
      );
      await expectSdkError(matchOrders(f.clientOf(), orders), 'CONFIDE_SDK_ACCOUNT_REQUIRED');
      await expectSdkError(
        matchOrders(f.clientOf(f.world.actors.requester), {
          ...orders,
          requestOrder: { ...orders.requestOrder, sign: undefined as never },
        }),
        'CONFIDE_SDK_PARAMETERS_INVALID',
      );
    });
  });
});

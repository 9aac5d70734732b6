import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { before, describe, it } from 'node:test';
import type { Address, Hex, LocalAccount } from 'viem';
import { createDataset, deployWorld, type World } from '../../../../contracts/test/helpers/world.js';
import { READ_VALUE_HASH, type SmsAction, secretValueHash, smsRequestTypedData } from '../auth/smsRequest.js';
import { createOwnershipReader } from '../chain/createOwnershipReader.js';
import { createTaskReader } from '../chain/createTaskReader.js';
import { createSmsServer } from '../createSmsServer.js';
import { openSecretStore } from '../store/openSecretStore.js';

const DATASET_KEY = 'q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=';
const ROTATED_KEY = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=';
let world: World;
let store: ReturnType<typeof openSecretStore>;
let app: ReturnType<typeof createSmsServer>['app'];
let clock = 1_000_000;
const logs: string[] = [];

async function call(method: string, url: string, body?: unknown) {
  const res = await app.request(url, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** Asks a challenge for `signer` and signs the request; `tamper` changes what is signed or sent. */
async function signedPut(
  signer: LocalAccount,
  action: SmsAction,
  subject: Address,
  name: string,
  value: string,
  tamper: { signedValue?: string; challengeFor?: Address } = {},
) {
  const { body } = await call('POST', '/challenges', { address: tamper.challengeFor ?? signer.address });
  const signed = tamper.signedValue ?? value;
  const request = {
    action,
    subject,
    name,
    valueHash: signed === '' ? READ_VALUE_HASH : secretValueHash(signed),
    challenge: body.challenge as Hex,
    expiresAt: BigInt(body.expiresAt),
  };
  const signature = await signer.signTypedData(smsRequestTypedData(31337, request));
  return { value, challenge: body.challenge, signature };
}

describe('SMS owner secrets', () => {
  before(async () => {
    world = await deployWorld();
    const dir = mkdtempSync(path.join(tmpdir(), 'sms-routes-'));
    store = openSecretStore({ path: path.join(dir, 'sms.db'), masterKey: `0x${'22'.repeat(32)}` });
    const ownership = createOwnershipReader({ client: world.publicClient, hub: world.addresses.hub });
    const logDestination = new Writable({
      write(chunk, _encoding, done) {
        logs.push(chunk.toString());
        done();
      },
    });
    ({ app } = createSmsServer({
      config: { mode: 'development', chainId: 31337, challengeTtlSeconds: 300, simPlatformKeys: [] },
      store,
      ownership,
      tasks: createTaskReader({ client: world.publicClient, hub: world.addresses.hub }),
      logDestination,
      now: () => clock,
    }));
  });

  it('the dataset owner stores the dataset key once; HEAD then answers 204', async () => {
    const { datasetOwner } = world.actors;
    const url = `/datasets/${world.dataset}/key`;
    assert.equal((await call('HEAD', url)).status, 404);
    const put = await call(
      'PUT',
      url,
      await signedPut(datasetOwner, 'PUT_DATASET_KEY', world.dataset, '', DATASET_KEY),
    );
    assert.equal(put.status, 204, JSON.stringify(put.body));
    assert.equal((await call('HEAD', url)).status, 204);
    const again = await call('PUT', url, await signedPut(datasetOwner, 'PUT_DATASET_KEY', world.dataset, '', 'other'));
    assert.deepEqual(again.body.error.code, 'SMS_SECRET_EXISTS');
  });

  it('the dataset owner reads its key back, then rotates it: the old key is gone, the new one served', async () => {
    const { datasetOwner } = world.actors;
    const read = async () => {
      const { challenge, signature } = await signedPut(datasetOwner, 'READ_DATASET_KEY', world.dataset, '', '');
      return call('POST', `/datasets/${world.dataset}/key/read`, { challenge, signature });
    };
    const before = await read();
    assert.deepEqual([before.status, before.body], [200, { value: DATASET_KEY }]);
    const rotate = await call(
      'POST',
      `/datasets/${world.dataset}/key/rotate`,
      await signedPut(datasetOwner, 'ROTATE_DATASET_KEY', world.dataset, '', ROTATED_KEY),
    );
    assert.equal(rotate.status, 204, JSON.stringify(rotate.body));
    assert.deepEqual((await read()).body, { value: ROTATED_KEY });
    assert.equal(
      Buffer.from(store.getSecret({ kind: 'dataset-key', owner: world.dataset, name: '' }) ?? []).toString(),
      ROTATED_KEY,
      'the key enclaves are given is the new one',
    );
    const same = await call(
      'POST',
      `/datasets/${world.dataset}/key/rotate`,
      await signedPut(datasetOwner, 'ROTATE_DATASET_KEY', world.dataset, '', ROTATED_KEY),
    );
    assert.deepEqual([same.status, same.body.error.code], [400, 'SMS_INVALID_INPUT']);
  });

  it('error: reading or rotating a dataset key as another account, with a PUT signature, or without a key', async () => {
    const { datasetOwner, other } = world.actors;
    const readUrl = `/datasets/${world.dataset}/key/read`;
    const rotateUrl = `/datasets/${world.dataset}/key/rotate`;
    const strangerRead = await signedPut(other, 'READ_DATASET_KEY', world.dataset, '', '');
    const refused = await call('POST', readUrl, {
      challenge: strangerRead.challenge,
      signature: strangerRead.signature,
    });
    assert.deepEqual([refused.status, refused.body.error.code], [403, 'SMS_NOT_OWNER']);
    assert.equal(JSON.stringify(refused.body).includes(ROTATED_KEY), false);
    const strangerRotate = await call(
      'POST',
      rotateUrl,
      await signedPut(other, 'ROTATE_DATASET_KEY', world.dataset, '', DATASET_KEY),
    );
    assert.deepEqual([strangerRotate.status, strangerRotate.body.error.code], [403, 'SMS_NOT_OWNER']);
    // A signature for another action recovers another signer, whose challenge this is not.
    const putSigned = await signedPut(datasetOwner, 'PUT_DATASET_KEY', world.dataset, '', DATASET_KEY);
    assert.equal((await call('POST', rotateUrl, putSigned)).body.error.code, 'SMS_CHALLENGE_UNKNOWN');
    const readSigned = await signedPut(datasetOwner, 'READ_DATASET_KEY', world.dataset, '', '');
    const replayed = { challenge: readSigned.challenge, signature: readSigned.signature };
    assert.equal((await call('POST', readUrl, replayed)).status, 200);
    assert.equal((await call('POST', readUrl, replayed)).body.error.code, 'SMS_CHALLENGE_USED');
    const keyless = await createDataset(world, datasetOwner, 'keyless');
    const none = await signedPut(datasetOwner, 'READ_DATASET_KEY', keyless, '', '');
    const missing = await call('POST', `/datasets/${keyless}/key/read`, {
      challenge: none.challenge,
      signature: none.signature,
    });
    assert.deepEqual([missing.status, missing.body.error.code], [404, 'SMS_SECRET_NOT_FOUND']);
    const noRotation = await call(
      'POST',
      `/datasets/${keyless}/key/rotate`,
      await signedPut(datasetOwner, 'ROTATE_DATASET_KEY', keyless, '', DATASET_KEY),
    );
    assert.deepEqual([noRotation.status, noRotation.body.error.code], [404, 'SMS_SECRET_NOT_FOUND']);
    const noSignature = await call('POST', readUrl, { challenge: readSigned.challenge });
    assert.deepEqual([noSignature.status, noSignature.body.error.code], [400, 'SMS_INVALID_INPUT']);
  });

  it('error: another account cannot set a dataset key or an app secret', async () => {
    const { other } = world.actors;
    const dataset = await call(
      'PUT',
      `/datasets/${world.dataset}/key`,
      await signedPut(other, 'PUT_DATASET_KEY', world.dataset, '', DATASET_KEY),
    );
    assert.deepEqual([dataset.status, dataset.body.error.code], [403, 'SMS_NOT_OWNER'], 'ownership comes first');
    const appSecret = await call(
      'PUT',
      `/apps/${world.app}/secret`,
      await signedPut(other, 'PUT_APP_SECRET', world.app, '', 'api-token'),
    );
    assert.equal(appSecret.status, 403);
    assert.equal(appSecret.body.error.code, 'SMS_NOT_OWNER');
  });

  it('the app owner sets the app secret; a requester sets its own named secret', async () => {
    const { appOwner, requester } = world.actors;
    const app1 = await call(
      'PUT',
      `/apps/${world.app}/secret`,
      await signedPut(appOwner, 'PUT_APP_SECRET', world.app, '', 'api-token'),
    );
    assert.equal(app1.status, 204);
    const url = `/requesters/${requester.address}/secrets/openai-key`;
    const mine = await call(
      'PUT',
      url,
      await signedPut(requester, 'PUT_REQUESTER_SECRET', requester.address, 'openai-key', 'sk-123'),
    );
    assert.equal(mine.status, 204);
    assert.equal((await call('HEAD', url)).status, 204);
  });

  it("error: a requester cannot write another requester's secret", async () => {
    const { requester, other } = world.actors;
    const res = await call(
      'PUT',
      `/requesters/${requester.address}/secrets/stolen`,
      await signedPut(other, 'PUT_REQUESTER_SECRET', requester.address, 'stolen', 'x'),
    );
    assert.equal(res.body.error.code, 'SMS_NOT_OWNER');
  });

  it('error: a replayed, expired or foreign challenge, or a signature over another value', async () => {
    const { requester } = world.actors;
    const url = (n: string) => `/requesters/${requester.address}/secrets/${n}`;
    const body = await signedPut(requester, 'PUT_REQUESTER_SECRET', requester.address, 'r1', 'v');
    assert.equal((await call('PUT', url('r1'), body)).status, 204);
    const replay = await call('PUT', url('r1'), body);
    assert.equal(replay.body.error.code, 'SMS_CHALLENGE_USED');

    const late = await signedPut(requester, 'PUT_REQUESTER_SECRET', requester.address, 'r2', 'v');
    clock += 301;
    assert.equal((await call('PUT', url('r2'), late)).body.error.code, 'SMS_CHALLENGE_EXPIRED');

    const foreign = await signedPut(requester, 'PUT_REQUESTER_SECRET', requester.address, 'r3', 'v', {
      challengeFor: world.actors.other.address,
    });
    assert.equal((await call('PUT', url('r3'), foreign)).body.error.code, 'SMS_CHALLENGE_UNKNOWN');

    const swapped = await signedPut(requester, 'PUT_REQUESTER_SECRET', requester.address, 'r4', 'sent', {
      signedValue: 'signed',
    });
    const res = await call('PUT', url('r4'), swapped);
    assert.equal(res.body.error.code, 'SMS_CHALLENGE_UNKNOWN', 'the recovered signer is someone else');
    assert.equal((await call('HEAD', url('r4'))).status, 404);
  });

  it('error: an unregistered dataset, malformed input, an unknown route', async () => {
    const { datasetOwner } = world.actors;
    const stranger = '0x000000000000000000000000000000000000dEaD';
    const unknown = await call(
      'PUT',
      `/datasets/${stranger}/key`,
      await signedPut(datasetOwner, 'PUT_DATASET_KEY', stranger, '', DATASET_KEY),
    );
    assert.deepEqual([unknown.status, unknown.body.error.code], [404, 'SMS_ASSET_UNKNOWN']);
    const bad = await call('PUT', `/datasets/not-an-address/key`, {});
    assert.deepEqual([bad.status, bad.body.error.code], [400, 'SMS_INVALID_INPUT']);
    const noJson = await app.request(`/requesters/${datasetOwner.address}/secrets/x`, { method: 'PUT', body: '{' });
    assert.equal(((await noJson.json()) as { error: { code: string } }).error.code, 'SMS_INVALID_INPUT');
    const badName = await call('PUT', `/requesters/${datasetOwner.address}/secrets/${'x'.repeat(65)}`, {});
    assert.match(badName.body.error.message, /A-Za-z0-9_-/);
    const route = await call('GET', '/nope');
    assert.deepEqual([route.status, route.body.error.code], [404, 'SMS_NOT_FOUND']);
  });

  it('answers pages of any origin (CORS), preflight included: writes are authorized by signature only', async () => {
    const page = 'http://127.0.0.1:5173';
    const preflight = await app.request('/challenges', {
      method: 'OPTIONS',
      headers: {
        origin: page,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
    assert.match(preflight.headers.get('access-control-allow-methods') ?? '', /PUT/);
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /content-type/);
    const challenge = await app.request('/challenges', {
      method: 'POST',
      headers: { origin: page, 'content-type': 'application/json' },
      body: JSON.stringify({ address: world.actors.datasetOwner.address }),
    });
    assert.equal(challenge.status, 201);
    assert.equal(challenge.headers.get('access-control-allow-origin'), '*');
    const refused = await app.request('/nope', { headers: { origin: page } });
    assert.equal(refused.headers.get('access-control-allow-origin'), '*', 'errors are readable by the page too');
  });

  it('never writes a secret value to its logs', () => {
    const all = logs.join('');
    assert.ok(all.includes('stored') && all.includes('rotated'), 'the log did record the writes');
    for (const value of [DATASET_KEY, ROTATED_KEY, 'api-token', 'sk-123'])
      assert.equal(all.includes(value), false, value);
  });
});

import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { sha256, toHex } from 'viem';
import { encodeBundle } from '../../../../enclave/src/bundle/bundleFormat.js';
import { bundleFingerprint, packBundle } from '../../../../enclave/src/index.js';
import { deriveCid } from '../../../../storage/src/index.js';
import { expectSdkError, type SdkFixture, sdkFixture } from '../../testing/sdkFixture.js';
import { shouldBehaveLikeAssetActions } from '../../testing/shouldBehaveLikeAssetActions.js';
import { checkAppSecretExists } from './checkAppSecretExists.js';
import { checkDeployedApp } from './checkDeployedApp.js';
import { countUserApps } from './countUserApps.js';
import { type DeployAppParameters, deployApp, predictAppAddress } from './deployApp.js';
import { deployAppBundle } from './deployAppBundle.js';
import { pushAppSecret } from './pushAppSecret.js';
import { showApp } from './showApp.js';
import { transferApp } from './transferApp.js';

const fields = (n: number): DeployAppParameters => ({
  name: `app-${n}`,
  type: 'NODE',
  multiaddr: `/ipfs/bafyapp${n}`,
  checksum: sha256(toHex(`bundle ${n}`)),
  fingerprint: sha256(toHex(`measurement ${n}`)),
});

describe('app', () => {
  let f: SdkFixture;
  before(async () => {
    f = await sdkFixture();
  });

  shouldBehaveLikeAssetActions(() => f, {
    kind: 'app',
    fields,
    deploy: (c, p) => deployApp(c, p),
    predict: (c, p) => predictAppAddress(c, p),
    show: (c, app) => showApp(c, { app }),
    count: (c, owner) => countUserApps(c, owner ? { owner } : {}),
    transfer: (c, app, to) => transferApp(c, { app, to }),
    checkDeployed: (c, app) => checkDeployedApp(c, { app }),
    invalid: [
      [{ name: '' }, 'name'],
      [{ checksum: '0x12' }, 'checksum'],
      [{ fingerprint: 'abc' }, 'fingerprint'],
      [{ owner: '0xzz' }, 'owner'],
      [{ colour: 'red' }, 'colour'],
    ],
  });

  it('showApp returns every registered field', async () => {
    const client = f.clientOf(f.world.actors.other);
    const { address } = await deployApp(client, fields(10));
    assert.deepEqual(await showApp(client, { app: address }), {
      address,
      owner: f.world.actors.other.address,
      name: 'app-10',
      type: 'NODE',
      multiaddr: '/ipfs/bafyapp10',
      checksum: fields(10).checksum,
      fingerprint: fields(10).fingerprint,
    });
  });

  it('pushAppSecret stores the developer secret once; checkAppSecretExists sees it', async () => {
    const client = f.clientOf(f.world.actors.appOwner);
    const app = f.world.app;
    assert.equal(await checkAppSecretExists(client, { app }), false);
    await pushAppSecret(client, { app, secret: 'developer-token' });
    assert.equal(await checkAppSecretExists(f.clientOf(), { app }), true);
    await expectSdkError(
      pushAppSecret(client, { app, secret: 'again' }),
      'CONFIDE_SDK_SMS_REFUSED',
      'SMS_SECRET_EXISTS',
    );
  });

  it("error: pushAppSecret for someone else's app is CONFIDE_SDK_SMS_REFUSED (SMS_NOT_OWNER)", async () => {
    const { address } = await deployApp(f.clientOf(f.world.actors.other), fields(11));
    const error = await expectSdkError(
      pushAppSecret(f.clientOf(f.world.actors.requester), { app: address, secret: 's' }),
      'CONFIDE_SDK_SMS_REFUSED',
      'SMS_NOT_OWNER',
    );
    assert.doesNotMatch(error.message, /"s"/);
  });

  it('error: app secrets without an SMS, unreachable, or not an SMS', async () => {
    const noSms = f.clientOf(f.world.actors.appOwner, {});
    await expectSdkError(checkAppSecretExists(noSms, { app: f.world.app }), 'CONFIDE_SDK_SERVICE_MISSING');
    await expectSdkError(pushAppSecret(noSms, { app: f.world.app, secret: 's' }), 'CONFIDE_SDK_SERVICE_MISSING');
    const down = f.clientOf(f.world.actors.appOwner, { smsUrl: 'http://down.test', fetch: f.fetch });
    await expectSdkError(checkAppSecretExists(down, { app: f.world.app }), 'CONFIDE_SDK_SMS_UNREACHABLE');
    const notSms = f.clientOf(f.world.actors.appOwner, { smsUrl: 'http://market.confide.test', fetch: f.fetch });
    await expectSdkError(pushAppSecret(notSms, { app: f.world.app, secret: 's' }), 'CONFIDE_SDK_SMS_UNREACHABLE');
  });

  it('error: pushAppSecret without an account, or with an oversized secret', async () => {
    await expectSdkError(
      pushAppSecret(f.clientOf(), { app: f.world.app, secret: 's' }),
      'CONFIDE_SDK_ACCOUNT_REQUIRED',
    );
    const client = f.clientOf(f.world.actors.appOwner);
    await expectSdkError(
      pushAppSecret(client, { app: f.world.app, secret: 'x'.repeat(4097) }),
      'CONFIDE_SDK_PARAMETERS_INVALID',
    );
    await expectSdkError(checkAppSecretExists(client, { app: '0x1' as never }), 'CONFIDE_SDK_PARAMETERS_INVALID');
  });

  it('deployAppBundle stores the bundle and registers /ipfs/<cid>, its checksum and fingerprint under its manifest name', async () => {
    const bundle = await packBundle(path.resolve(import.meta.dirname, '../../../../../apps/hello'));
    const stored = new Map<string, Uint8Array>();
    const storage = {
      get: async function* (cid: string) {
        const bytes = stored.get(cid);
        if (bytes) yield bytes;
      },
      put: async (bytes: Uint8Array) => {
        const put = await deriveCid(bytes);
        stored.set(put.cid, bytes);
        return put;
      },
    };
    const client = f.clientOf(f.world.actors.other, { ...f.services, storage });
    const deployed = await deployAppBundle(client, { bundle });
    assert.deepEqual([...stored.keys()], [deployed.cid]);
    assert.equal(deployed.fingerprint, bundleFingerprint(bundle));
    assert.deepEqual(await showApp(client, { app: deployed.address }), {
      address: deployed.address,
      owner: f.world.actors.other.address,
      name: 'hello',
      type: 'NODE',
      multiaddr: `/ipfs/${deployed.cid}`,
      checksum: sha256(bundle),
      fingerprint: bundleFingerprint(bundle),
    });
    // The same bundle under another name is another app; under the same name, the same one.
    assert.equal((await deployAppBundle(client, { bundle, name: 'hello-2' })).name, 'hello-2');
    await expectSdkError(deployAppBundle(client, { bundle }), 'CONFIDE_SDK_ASSET_EXISTS');

    const manifest = new TextEncoder().encode(
      JSON.stringify({ name: 'broken', version: '1', runtime: 'node', entrypoint: 'main.mjs' }),
    );
    const noEntry = encodeBundle([{ path: 'confide.json', executable: false, content: manifest }]);
    const invalid = await expectSdkError(
      deployAppBundle(client, { bundle: noEntry }),
      'CONFIDE_SDK_PARAMETERS_INVALID',
      'ENTRYPOINT_MISSING',
    );
    assert.match(invalid.details ?? '', /main\.mjs/);
    await expectSdkError(deployAppBundle(f.clientOf(f.world.actors.other), { bundle }), 'CONFIDE_SDK_SERVICE_MISSING');
    await expectSdkError(deployAppBundle(f.clientOf(), { bundle }), 'CONFIDE_SDK_ACCOUNT_REQUIRED');
    await expectSdkError(deployAppBundle(client, { bundle: new Uint8Array() }), 'CONFIDE_SDK_PARAMETERS_INVALID');
    assert.equal(stored.size, 1, 'one bundle stored: the same bytes have the same CID, a refused bundle is not stored');
  });
});

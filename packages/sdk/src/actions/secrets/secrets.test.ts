import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { expectSdkError, type SdkFixture, sdkFixture } from '../../testing/sdkFixture.js';
import { checkRequesterSecretExists } from './checkRequesterSecretExists.js';
import { pushRequesterSecret } from './pushRequesterSecret.js';

describe('secrets', () => {
  let f: SdkFixture;
  before(async () => {
    f = await sdkFixture();
  });

  it("pushRequesterSecret stores the account's named secret; checkRequesterSecretExists sees it, never its value", async () => {
    const client = f.clientOf(f.world.actors.requester);
    assert.equal(await checkRequesterSecretExists(client, { name: 'api-token' }), false);
    await pushRequesterSecret(client, { name: 'api-token', secret: 'do-not-log-me' });
    assert.equal(await checkRequesterSecretExists(client, { name: 'api-token' }), true);
    const other = f.clientOf();
    assert.equal(
      await checkRequesterSecretExists(other, { requester: f.world.actors.requester.address, name: 'api-token' }),
      true,
    );
    assert.equal(
      await checkRequesterSecretExists(other, { requester: f.world.actors.other.address, name: 'api-token' }),
      false,
    );
  });

  it('error: pushing the same name twice is CONFIDE_SDK_SMS_REFUSED (SMS_SECRET_EXISTS), without the value in the error', async () => {
    const client = f.clientOf(f.world.actors.other);
    await pushRequesterSecret(client, { name: 'once', secret: 'first-value' });
    const error = await expectSdkError(
      pushRequesterSecret(client, { name: 'once', secret: 'second-value' }),
      'CONFIDE_SDK_SMS_REFUSED',
      'SMS_SECRET_EXISTS',
    );
    assert.doesNotMatch(JSON.stringify({ ...error, message: error.message }), /first-value|second-value/);
  });

  it('error: bad names and oversized values are CONFIDE_SDK_PARAMETERS_INVALID', async () => {
    const client = f.clientOf(f.world.actors.other);
    await expectSdkError(pushRequesterSecret(client, { name: 'a b', secret: 'x' }), 'CONFIDE_SDK_PARAMETERS_INVALID');
    await expectSdkError(
      pushRequesterSecret(client, { name: 'big', secret: 'é'.repeat(2049) }),
      'CONFIDE_SDK_PARAMETERS_INVALID',
    );
    await expectSdkError(checkRequesterSecretExists(client, { name: '' }), 'CONFIDE_SDK_PARAMETERS_INVALID');
    await expectSdkError(checkRequesterSecretExists(f.clientOf(), { name: 'x' }), 'CONFIDE_SDK_PARAMETERS_INVALID');
  });

  it('error: an SMS error answer to a check is CONFIDE_SDK_SMS_REFUSED with its code', async () => {
    const refusing = f.clientOf(f.world.actors.other, {
      smsUrl: 'http://sms.test',
      fetch: async () => Response.json({ error: { code: 'SMS_INVALID_INPUT', message: 'bad name' } }, { status: 400 }),
    });
    await expectSdkError(
      checkRequesterSecretExists(refusing, { name: 'x' }),
      'CONFIDE_SDK_SMS_REFUSED',
      'SMS_INVALID_INPUT',
    );
  });

  it('error: no account is CONFIDE_SDK_ACCOUNT_REQUIRED; no SMS CONFIDE_SDK_SERVICE_MISSING; a dead one CONFIDE_SDK_SMS_UNREACHABLE', async () => {
    await expectSdkError(pushRequesterSecret(f.clientOf(), { name: 'x', secret: 'y' }), 'CONFIDE_SDK_ACCOUNT_REQUIRED');
    const noSms = f.clientOf(f.world.actors.other, {});
    await expectSdkError(pushRequesterSecret(noSms, { name: 'x', secret: 'y' }), 'CONFIDE_SDK_SERVICE_MISSING');
    await expectSdkError(checkRequesterSecretExists(noSms, { name: 'x' }), 'CONFIDE_SDK_SERVICE_MISSING');
    const dead = f.clientOf(f.world.actors.other, { smsUrl: 'http://dead.test', fetch: f.fetch });
    await expectSdkError(pushRequesterSecret(dead, { name: 'x', secret: 'y' }), 'CONFIDE_SDK_SMS_UNREACHABLE');
    await expectSdkError(checkRequesterSecretExists(dead, { name: 'x' }), 'CONFIDE_SDK_SMS_UNREACHABLE');
  });
});

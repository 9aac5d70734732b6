import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { sha256, toHex } from 'viem';
import { expectSdkError, type SdkFixture, sdkFixture } from '../../testing/sdkFixture.js';
import { shouldBehaveLikeAssetActions } from '../../testing/shouldBehaveLikeAssetActions.js';
import { checkDatasetSecretExists } from './checkDatasetSecretExists.js';
import { checkDeployedDataset } from './checkDeployedDataset.js';
import { countUserDatasets } from './countUserDatasets.js';
import { type DeployDatasetParameters, deployDataset, predictDatasetAddress } from './deployDataset.js';
import { pushDatasetSecret } from './pushDatasetSecret.js';
import { showDataset } from './showDataset.js';
import { transferDataset } from './transferDataset.js';

const fields = (n: number): DeployDatasetParameters => ({
  name: `readings-${n}.csv`,
  multiaddr: `/ipfs/bafydata${n}`,
  checksum: sha256(toHex(`ciphertext ${n}`)),
});
const KEY = 'q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=';

describe('dataset', () => {
  let f: SdkFixture;
  before(async () => {
    f = await sdkFixture();
  });

  shouldBehaveLikeAssetActions(() => f, {
    kind: 'dataset',
    fields,
    deploy: (c, p) => deployDataset(c, p),
    predict: (c, p) => predictDatasetAddress(c, p),
    show: (c, dataset) => showDataset(c, { dataset }),
    count: (c, owner) => countUserDatasets(c, owner ? { owner } : {}),
    transfer: (c, dataset, to) => transferDataset(c, { dataset, to }),
    checkDeployed: (c, dataset) => checkDeployedDataset(c, { dataset }),
    invalid: [
      [{ name: '' }, 'name'],
      [{ multiaddr: '' }, 'multiaddr'],
      [{ checksum: 'abc' }, 'checksum'],
      [{ price: 1 }, 'price'],
    ],
  });

  it('showDataset returns every registered field', async () => {
    const client = f.clientOf(f.world.actors.other);
    const { address } = await deployDataset(client, fields(10));
    assert.deepEqual(await showDataset(client, { dataset: address }), {
      address,
      owner: f.world.actors.other.address,
      ...fields(10),
    });
  });

  it('pushDatasetSecret stores the key once; checkDatasetSecretExists sees it', async () => {
    const client = f.clientOf(f.world.actors.datasetOwner);
    const dataset = f.world.dataset;
    assert.equal(await checkDatasetSecretExists(client, { dataset }), false);
    await pushDatasetSecret(client, { dataset, secret: KEY });
    assert.equal(await checkDatasetSecretExists(f.clientOf(), { dataset }), true);
    await expectSdkError(
      pushDatasetSecret(client, { dataset, secret: KEY }),
      'CONFIDE_SDK_SMS_REFUSED',
      'SMS_SECRET_EXISTS',
    );
  });

  it("error: pushDatasetSecret for someone else's dataset is CONFIDE_SDK_SMS_REFUSED (SMS_NOT_OWNER)", async () => {
    const { address } = await deployDataset(f.clientOf(f.world.actors.other), fields(11));
    await expectSdkError(
      pushDatasetSecret(f.clientOf(f.world.actors.requester), { dataset: address, secret: KEY }),
      'CONFIDE_SDK_SMS_REFUSED',
      'SMS_NOT_OWNER',
    );
  });

  it('error: dataset secrets without an account, without or with an unreachable SMS, or invalid', async () => {
    const dataset = f.world.dataset;
    await expectSdkError(pushDatasetSecret(f.clientOf(), { dataset, secret: KEY }), 'CONFIDE_SDK_ACCOUNT_REQUIRED');
    await expectSdkError(
      checkDatasetSecretExists(f.clientOf(undefined, {}), { dataset }),
      'CONFIDE_SDK_SERVICE_MISSING',
    );
    const down = f.clientOf(f.world.actors.datasetOwner, { smsUrl: 'http://down.test', fetch: f.fetch });
    await expectSdkError(pushDatasetSecret(down, { dataset, secret: KEY }), 'CONFIDE_SDK_SMS_UNREACHABLE');
    const notSms = f.clientOf(undefined, { smsUrl: 'http://market.confide.test', fetch: f.fetch });
    await expectSdkError(checkDatasetSecretExists(notSms, { dataset }), 'CONFIDE_SDK_SMS_UNREACHABLE');
    await expectSdkError(
      pushDatasetSecret(f.clientOf(f.world.actors.datasetOwner), { dataset, secret: '' }),
      'CONFIDE_SDK_PARAMETERS_INVALID',
    );
  });
});

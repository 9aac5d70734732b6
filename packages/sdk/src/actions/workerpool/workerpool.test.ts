import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { type SdkFixture, sdkFixture } from '../../testing/sdkFixture.js';
import { shouldBehaveLikeAssetActions } from '../../testing/shouldBehaveLikeAssetActions.js';
import { checkDeployedWorkerpool } from './checkDeployedWorkerpool.js';
import { countUserWorkerpools } from './countUserWorkerpools.js';
import { type DeployWorkerpoolParameters, deployWorkerpool, predictWorkerpoolAddress } from './deployWorkerpool.js';
import { showWorkerpool } from './showWorkerpool.js';
import { transferWorkerpool } from './transferWorkerpool.js';

const fields = (n: number): DeployWorkerpoolParameters => ({ description: `pool ${n}` });

describe('workerpool', () => {
  let f: SdkFixture;
  before(async () => {
    f = await sdkFixture();
  });

  shouldBehaveLikeAssetActions(() => f, {
    kind: 'workerpool',
    fields,
    deploy: (c, p) => deployWorkerpool(c, p),
    predict: (c, p) => predictWorkerpoolAddress(c, p),
    show: (c, workerpool) => showWorkerpool(c, { workerpool }),
    count: (c, owner) => countUserWorkerpools(c, owner ? { owner } : {}),
    transfer: (c, workerpool, to) => transferWorkerpool(c, { workerpool, to }),
    checkDeployed: (c, workerpool) => checkDeployedWorkerpool(c, { workerpool }),
    invalid: [
      [{ description: '' }, 'description'],
      [{ description: 'x'.repeat(257) }, 'description'],
      [{ owner: 42 }, 'owner'],
    ],
  });

  it('showWorkerpool returns the description and the policies', async () => {
    const client = f.clientOf(f.world.actors.other);
    const { address } = await deployWorkerpool(client, fields(10));
    const shown = await showWorkerpool(client, { workerpool: address });
    assert.equal(shown.description, 'pool 10');
    assert.equal(shown.owner, f.world.actors.other.address);
    assert.equal(typeof shown.workerStakeRatioPolicy, 'bigint');
    assert.equal(typeof shown.schedulerRewardRatioPolicy, 'bigint');
  });
});

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { expectSdkError, type SdkFixture, sdkFixture } from '../../testing/sdkFixture.js';
import { countCategory } from './countCategory.js';
import { showCategory } from './showCategory.js';

describe('category', () => {
  let f: SdkFixture;
  before(async () => {
    f = await sdkFixture();
  });

  it('countCategory and showCategory read the five categories a hub is born with, and one the owner adds', async () => {
    const client = f.clientOf();
    assert.equal(await countCategory(client), 5n);
    const all = await Promise.all([0, 1, 2, 3, 4].map((catid) => showCategory(client, { catid })));
    assert.deepEqual(
      all.map((c) => [c.catid, c.name, c.workClockTimeRef]),
      [
        [0n, 'XS', 300n],
        [1n, 'S', 1200n],
        [2n, 'M', 3600n],
        [3n, 'L', 10800n],
        [4n, 'XL', 36000n],
      ],
    );
    assert.equal(all[0]?.description, '5 min of compute per task, 50 min per deal');
    const { world } = f;
    await world.mined(world.as(world.actors.deployer).hub.write.createCategory(['GPU-S', '15 min on a GPU', 900n]));
    assert.equal(await f.clientOf().countCategory(), 6n);
    assert.deepEqual(await f.clientOf().showCategory({ catid: '5' }), {
      catid: 5n,
      name: 'GPU-S',
      description: '15 min on a GPU',
      workClockTimeRef: 900n,
    });
  });

  it('error: CATEGORY_NOT_FOUND past the last id; PARAMETERS_INVALID for a malformed id', async () => {
    const client = f.clientOf();
    const count = await countCategory(client);
    const missing = await expectSdkError(showCategory(client, { catid: count }), 'CONFIDE_SDK_CATEGORY_NOT_FOUND');
    assert.match(
      missing.shortMessage,
      new RegExp(`no category ${count}; its ${count} categories have ids 0 to ${count - 1n}`),
    );
    for (const catid of [-1, 1.5, 'one', '0x1']) {
      await expectSdkError(showCategory(client, { catid } as never), 'CONFIDE_SDK_PARAMETERS_INVALID');
    }
    await expectSdkError(showCategory(client, { catid: 0, extra: 1 } as never), 'CONFIDE_SDK_PARAMETERS_INVALID');
  });
});

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { expectSdkError, type SdkFixture, sdkFixture } from '../../testing/sdkFixture.js';
import { countCategory } from './countCategory.js';
import { createCategory } from './createCategory.js';
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

  it("createCategory adds the hub owner's category and returns its id; anyone else is NOT_OWNER", async () => {
    const { world } = f;
    const before = await countCategory(f.clientOf());
    const created = await createCategory(f.clientOf(world.actors.deployer), {
      name: 'GPU-M',
      description: '1 h on a GPU',
      workClockTimeRef: '3600',
    });
    assert.equal(created.catid, before);
    assert.match(created.txHash, /^0x[0-9a-f]{64}$/);
    assert.deepEqual(await showCategory(f.clientOf(), { catid: before }), {
      catid: before,
      name: 'GPU-M',
      description: '1 h on a GPU',
      workClockTimeRef: 3600n,
    });
    const refused = await expectSdkError(
      createCategory(f.clientOf(world.actors.requester), { name: 'mine', description: '', workClockTimeRef: 60 }),
      'CONFIDE_SDK_NOT_OWNER',
      'OwnableUnauthorizedAccount',
    );
    assert.match(
      refused.details ?? '',
      new RegExp(`OwnableUnauthorizedAccount\\(${world.actors.requester.address}\\)`),
    );
    assert.equal(await countCategory(f.clientOf()), before + 1n);
  });

  it('error: createCategory without an account, with no name, a zero or too long time reference', async () => {
    const owner = f.clientOf(f.world.actors.deployer);
    await expectSdkError(
      createCategory(f.clientOf(), { name: 'x', description: '', workClockTimeRef: 60 }),
      'CONFIDE_SDK_ACCOUNT_REQUIRED',
    );
    for (const bad of [
      { name: '', description: '', workClockTimeRef: 60 },
      { name: 'x', description: '', workClockTimeRef: 0 },
      { name: 'x', description: '', workClockTimeRef: 2 ** 24 },
      { name: 'x', workClockTimeRef: 60 },
    ]) {
      await expectSdkError(createCategory(owner, bad as never), 'CONFIDE_SDK_PARAMETERS_INVALID');
    }
  });
});

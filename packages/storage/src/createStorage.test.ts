import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createStorage, type StorageConfig } from './createStorage.js';
import { temporaryDirectory } from './testing.js';

describe('createStorage', () => {
  it('opens the embedded node for kind "embedded"', async () => {
    const { directory, remove } = await temporaryDirectory();
    const storage = await createStorage({ kind: 'embedded', directory });
    try {
      const { cid } = await storage.put(new TextEncoder().encode('chosen by configuration'));
      assert.equal(await storage.has(cid), true);
    } finally {
      await storage.close();
      await remove();
    }
  });

  it('makes a Kubo RPC client for kind "kubo", without calling the node yet', async () => {
    const storage = await createStorage({
      kind: 'kubo',
      url: 'http://127.0.0.1:5001',
      headers: { authorization: 'Bearer t' },
    });
    assert.equal(typeof storage.put, 'function');
    await storage.close();
  });

  it('error: says which value is wrong and what is expected', async () => {
    const cases: [unknown, RegExp][] = [
      [undefined, /expected an object with a kind, got undefined/],
      [null, /got null/],
      [{ kind: 'ipfs' }, /kind must be "embedded" or "kubo", got "ipfs"/],
      [{}, /kind must be "embedded" or "kubo", got undefined/],
      [{ kind: 'embedded' }, /directory must be a non-empty path/],
      [{ kind: 'embedded', dir: '/tmp/x' }, /unknown key "dir" for embedded \(allowed: kind, directory\)/],
      [{ kind: 'kubo' }, /url must be a string, got undefined/],
      [{ kind: 'kubo', url: 'ftp://x' }, /url must use http or https, got ftp/],
      [{ kind: 'kubo', url: 'http://x', URL: 'http://y' }, /unknown key "URL"/],
      [{ kind: 'kubo', url: 'http://x', headers: { a: 1 } }, /headers must be an object of string values/],
    ];
    for (const [config, message] of cases) {
      await assert.rejects(
        createStorage(config as StorageConfig),
        { name: 'StorageConfigInvalidError', code: 'CONFIDE_STORAGE_CONFIG_INVALID', message },
        JSON.stringify(config),
      );
    }
  });
});

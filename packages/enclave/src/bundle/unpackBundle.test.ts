import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { encodeBundle } from './bundleFormat.js';
import { packBundle } from './packBundle.js';
import { unpackBundle } from './unpackBundle.js';

const appsDir = path.resolve(import.meta.dirname, '../../../../apps');
const scratch = await mkdtemp(path.join(os.tmpdir(), 'confide-unpack-'));
after(() => rm(scratch, { recursive: true, force: true }));

describe('unpackBundle', () => {
  it('writes the files back so that packing them again gives the same bytes', async () => {
    const bytes = await packBundle(path.join(appsDir, 'climate-stats'));
    const dir = path.join(scratch, 'roundtrip');
    const manifest = await unpackBundle(bytes, dir);
    assert.equal(manifest.name, 'climate-stats');
    assert.deepEqual(await packBundle(dir), bytes);
    assert.equal((await stat(dir)).mode & 0o777, 0o755);
    assert.equal((await stat(path.join(dir, 'main.mjs'))).mode & 0o777, 0o644);
  });

  it('creates nested folders readable by everyone', async () => {
    const text = (s: string) => new TextEncoder().encode(s);
    const manifest = JSON.stringify({ name: 'nested', version: '1', runtime: 'node', entrypoint: 'src/main.mjs' });
    const bytes = encodeBundle([
      { path: 'confide.json', executable: false, content: text(manifest) },
      { path: 'src/main.mjs', executable: true, content: text('code') },
    ]);
    const dir = path.join(scratch, 'nested');
    await unpackBundle(bytes, dir);
    assert.equal(await readFile(path.join(dir, 'src/main.mjs'), 'utf8'), 'code');
    assert.equal((await stat(path.join(dir, 'src'))).mode & 0o777, 0o755);
    assert.equal((await stat(path.join(dir, 'src/main.mjs'))).mode & 0o777, 0o755);
  });

  it('error: a destination that is not empty', async () => {
    const dir = path.join(scratch, 'busy');
    await mkdir(dir);
    await writeFile(path.join(dir, 'already'), 'x');
    const bytes = await packBundle(path.join(appsDir, 'hello'));
    await assert.rejects(unpackBundle(bytes, dir), { reason: 'DESTINATION_NOT_EMPTY' });
  });

  it('error: invalid bytes, and nothing is written', async () => {
    const dir = path.join(scratch, 'invalid');
    const text = (s: string) => new TextEncoder().encode(s);
    const bytes = encodeBundle([{ path: '../escape.mjs', executable: false, content: text('x') }]);
    await assert.rejects(unpackBundle(bytes, dir), { reason: 'PATH_INVALID' });
    await assert.rejects(readdir(dir), { code: 'ENOENT' });
    await assert.rejects(stat(path.join(scratch, 'escape.mjs')), { code: 'ENOENT' });
  });
});

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { BundleInvalidError } from '../errors.js';
import { bundleFingerprint } from './bundleFingerprint.js';
import { packBundle } from './packBundle.js';
import { readBundle } from './readBundle.js';

const MANIFEST = JSON.stringify({ name: 'demo', version: '1.0.0', runtime: 'node', entrypoint: 'main.mjs' });
const scratch = await mkdtemp(path.join(os.tmpdir(), 'confide-pack-'));
after(() => rm(scratch, { recursive: true, force: true }));

let counter = 0;
async function app(files: Record<string, string>): Promise<string> {
  const dir = path.join(scratch, `app-${counter++}`);
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  return dir;
}

async function rejects(dir: string, reason: BundleInvalidError['reason']) {
  await assert.rejects(packBundle(dir), (error) => error instanceof BundleInvalidError && error.reason === reason);
}

describe('packBundle', () => {
  it('gives the same bytes for the same tree, whatever the order, times or read modes', async () => {
    const a = await app({ 'confide.json': MANIFEST, 'main.mjs': 'x', 'lib/b.mjs': 'b', 'lib/a.mjs': 'a' });
    const b = await app({ 'lib/a.mjs': 'a', 'main.mjs': 'x', 'confide.json': MANIFEST, 'lib/b.mjs': 'b' });
    await utimes(path.join(b, 'main.mjs'), new Date(0), new Date(0));
    await chmod(path.join(b, 'lib/a.mjs'), 0o600);
    await mkdir(path.join(b, 'empty-dir'));
    const [bytesA, bytesB] = [await packBundle(a), await packBundle(b)];
    assert.deepEqual(bytesA, bytesB);
    assert.equal(bundleFingerprint(bytesA), bundleFingerprint(bytesB));
    assert.deepEqual(
      readBundle(bytesA).entries.map((entry) => entry.path),
      ['confide.json', 'lib/a.mjs', 'lib/b.mjs', 'main.mjs'],
    );
  });

  it('changes the fingerprint when one byte or the executable bit changes', async () => {
    const base = await app({ 'confide.json': MANIFEST, 'main.mjs': 'x' });
    const changed = await app({ 'confide.json': MANIFEST, 'main.mjs': 'y' });
    const fingerprint = bundleFingerprint(await packBundle(base));
    assert.notEqual(bundleFingerprint(await packBundle(changed)), fingerprint);
    await chmod(path.join(base, 'main.mjs'), 0o755);
    assert.notEqual(bundleFingerprint(await packBundle(base)), fingerprint);
  });

  it('stores a link to a file inside the bundle as a copy of that file', async () => {
    const dir = await app({ 'confide.json': MANIFEST, 'real.mjs': 'code' });
    await symlink('real.mjs', path.join(dir, 'main.mjs'));
    const entry = readBundle(await packBundle(dir)).entries.find((e) => e.path === 'main.mjs');
    assert.equal(Buffer.from(entry?.content ?? []).toString(), 'code');
  });

  it('error: a link leaving the bundle', async () => {
    const secret = await app({ 'key.txt': 'secret' });
    const dir = await app({ 'confide.json': MANIFEST, 'main.mjs': 'x' });
    await symlink(path.join(secret, 'key.txt'), path.join(dir, 'stolen.txt'));
    await rejects(dir, 'SYMLINK_OUTSIDE');
    const viaDotDot = await app({ 'confide.json': MANIFEST, 'main.mjs': 'x' });
    await symlink('../', path.join(viaDotDot, 'up'));
    await rejects(viaDotDot, 'SYMLINK_OUTSIDE');
  });

  it('error: a FIFO', async () => {
    const dir = await app({ 'confide.json': MANIFEST, 'main.mjs': 'x' });
    execFileSync('mkfifo', [path.join(dir, 'pipe')]);
    await rejects(dir, 'UNSUPPORTED_FILE_TYPE');
  });

  it('error: no manifest, a bad manifest, a missing entrypoint', async () => {
    await rejects(await app({ 'main.mjs': 'x' }), 'MANIFEST_MISSING');
    await rejects(await app({ 'confide.json': '{"name":"x"', 'main.mjs': 'x' }), 'MANIFEST_INVALID');
    await rejects(await app({ 'confide.json': MANIFEST, 'other.mjs': 'x' }), 'ENTRYPOINT_MISSING');
  });

  it('error: a name with a backslash or a control character', async () => {
    await rejects(await app({ 'confide.json': MANIFEST, 'main.mjs': 'x', 'a\\b': 'x' }), 'PATH_INVALID');
    await rejects(await app({ 'confide.json': MANIFEST, 'main.mjs': 'x', 'a\nb': 'x' }), 'PATH_INVALID');
  });

  it('error: more files or bytes than the limits', async () => {
    const dir = await app({ 'confide.json': MANIFEST, 'main.mjs': 'x'.repeat(1000), 'b.mjs': 'b' });
    await assert.rejects(packBundle(dir, { limits: { maxFiles: 2 } }), { reason: 'TOO_LARGE' });
    await assert.rejects(packBundle(dir, { limits: { maxTotalBytes: 500 } }), { reason: 'TOO_LARGE' });
  });
});

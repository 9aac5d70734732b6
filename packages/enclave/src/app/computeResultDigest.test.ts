import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { keccak256 } from 'viem';
import { ComputedJsonInvalidError } from '../errors.js';
import { computeResultDigest } from './computeResultDigest.js';

const scratch = await mkdtemp(path.join(os.tmpdir(), 'confide-digest-'));
after(() => rm(scratch, { recursive: true, force: true }));
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
// keccak256 of the empty byte string, a constant independent of any library.
const KECCAK_EMPTY = '0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470';

describe('computeResultDigest', () => {
  it('of a file: its SHA-256', async () => {
    const dir = path.join(scratch, 'file');
    await mkdir(dir);
    await writeFile(path.join(dir, 'result.txt'), 'hello');
    const digest = await computeResultDigest(dir, { deterministicOutputPath: path.join(dir, 'result.txt') });
    assert.equal(digest, `0x${sha256('hello')}`);
  });

  it('of a folder: keccak256 of the SHA-256 of each file, sorted by name', async () => {
    const dir = path.join(scratch, 'folder');
    await mkdir(path.join(dir, 'results'), { recursive: true });
    await writeFile(path.join(dir, 'results', 'b.txt'), 'bee');
    await writeFile(path.join(dir, 'results', 'B.txt'), 'upper');
    await writeFile(path.join(dir, 'results', 'a.txt'), 'ay');
    const digest = await computeResultDigest(dir, { deterministicOutputPath: path.join(dir, 'results') });
    // Sorted by UTF-16 code unit: "B.txt" < "a.txt" < "b.txt".
    const concatenated = Buffer.from(sha256('upper') + sha256('ay') + sha256('bee'), 'hex');
    assert.equal(digest, keccak256(concatenated));
    const empty = path.join(scratch, 'empty');
    await mkdir(empty);
    assert.equal(await computeResultDigest(empty, { deterministicOutputPath: empty }), KECCAK_EMPTY);
  });

  it('with callback data: keccak256 of it', async () => {
    const dir = path.join(scratch, 'callback');
    await mkdir(dir);
    assert.equal(await computeResultDigest(dir, { deterministicOutputPath: dir, callbackData: '0x' }), KECCAK_EMPTY);
  });

  it('error: a folder holding a folder or a link, or an output outside', async () => {
    const dir = path.join(scratch, 'nested');
    await mkdir(path.join(dir, 'sub'), { recursive: true });
    const refuses = (outputPath: string, reason: ComputedJsonInvalidError['reason']) =>
      assert.rejects(
        computeResultDigest(dir, { deterministicOutputPath: outputPath }),
        (error) => error instanceof ComputedJsonInvalidError && error.reason === reason,
      );
    await refuses(dir, 'OUTPUT_PATH_UNSUPPORTED');
    const linked = path.join(scratch, 'linked');
    await mkdir(linked);
    await symlink('/etc/hostname', path.join(linked, 'x'));
    await assert.rejects(computeResultDigest(linked, { deterministicOutputPath: linked }), {
      reason: 'OUTPUT_PATH_UNSUPPORTED',
    });
    await refuses('/etc/hostname', 'OUTPUT_PATH_OUTSIDE');
  });
});

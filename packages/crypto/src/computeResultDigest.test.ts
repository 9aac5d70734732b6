import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { concat, keccak256 } from 'viem';
import { computeResultDigest } from './computeResultDigest.js';
import { expectCryptoError } from './expectCryptoError.js';

const sha256 = (text: string) => `0x${createHash('sha256').update(text).digest('hex')}` as const;
const digestFails = (run: () => unknown) =>
  expectCryptoError(run, 'ResultDigestError', 'CONFIDE_CRYPTO_RESULT_DIGEST_FAILED');

describe('computeResultDigest', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'confide-digest-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is the SHA-256 of a file', async () => {
    await writeFile(path.join(dir, 'result.json'), '{"answer":42}');
    assert.equal(await computeResultDigest(path.join(dir, 'result.json')), sha256('{"answer":42}'));
  });

  it('is keccak256 of the concatenated SHA-256 of each file of a folder, sorted by name', async () => {
    const out = path.join(dir, 'out');
    await mkdir(out);
    // Written out of order; 'B' (0x42) sorts before 'a' (0x61), as Java's File.compareTo on Unix.
    await writeFile(path.join(out, 'b.txt'), 'bee');
    await writeFile(path.join(out, 'a.txt'), 'ay');
    await writeFile(path.join(out, 'B.txt'), 'big bee');
    await writeFile(path.join(out, '.hidden'), 'dot');
    const expected = keccak256(concat([sha256('dot'), sha256('big bee'), sha256('ay'), sha256('bee')]));
    assert.equal(await computeResultDigest(out), expected);
  });

  it('error: a missing path, an empty folder, a sub-folder or a link', async () => {
    await digestFails(() => computeResultDigest(path.join(dir, 'missing')));
    const empty = path.join(dir, 'empty');
    await mkdir(empty);
    await digestFails(() => computeResultDigest(empty));
    const nested = path.join(dir, 'nested');
    await mkdir(path.join(nested, 'sub'), { recursive: true });
    await writeFile(path.join(nested, 'file'), 'x');
    await digestFails(() => computeResultDigest(nested));
    const linked = path.join(dir, 'linked');
    await mkdir(linked);
    await symlink('/etc/hostname', path.join(linked, 'link'));
    await digestFails(() => computeResultDigest(linked));
  });
});

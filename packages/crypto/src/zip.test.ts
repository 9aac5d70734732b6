import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { deserializeProtectedData } from './deserializeProtectedData.js';
import { serializeProtectedData } from './serializeProtectedData.js';
import { readZip } from './zip.js';

// Interoperability of the protected-data zip with other zip tools: Info-ZIP `unzip`/`zip` and
// Python's zipfile. The tools are required (.ci/run installs them): a missing one fails the test.

/** Runs a command and returns stdout; fails the test on a non-zero exit. */
function run(command: string, args: string[], cwd?: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  assert.equal(result.status, 0, `${command} ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

const sample = {
  email: 'ä@b.c',
  profile: { age: 42.5, vip: true, balance: -2n, raw: Uint8Array.from({ length: 3000 }, (_, i) => i % 7) },
};

describe('protected-data zip interoperability', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'confide-zip-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('passes `unzip -t`, and `unzip` extracts every leaf', async () => {
    const { zip } = serializeProtectedData(sample);
    const file = path.join(dir, 'ours.zip');
    await writeFile(file, zip);
    assert.match(run('unzip', ['-t', file]), /No errors detected/);
    const out = path.join(dir, 'out');
    run('unzip', ['-q', file, '-d', out]);
    assert.equal((await readFile(path.join(out, 'profile/vip')))[0], 1);
    assert.equal((await readFile(path.join(out, 'profile/raw'))).length, 3000);
  });

  it('Python zipfile reads it: CRCs check, names, STORE, 1980-01-01 00:00', async () => {
    const { zip } = serializeProtectedData(sample);
    const file = path.join(dir, 'ours-py.zip');
    await writeFile(file, zip);
    const script = [
      'import json, sys, zipfile',
      'z = zipfile.ZipFile(sys.argv[1])',
      'print(json.dumps({"bad": z.testzip(), "entries": [[i.filename, i.compress_type, list(i.date_time), i.extra.hex(), i.file_size] for i in z.infolist()]}))',
    ].join('\n');
    const found = JSON.parse(run('python3', ['-c', script, file]));
    assert.equal(found.bad, null);
    assert.deepEqual(found.entries, [
      ['email', 0, [1980, 1, 1, 0, 0, 0], '', 4 + Buffer.byteLength('ä@b.c')],
      ['profile/age', 0, [1980, 1, 1, 0, 0, 0], '', 8],
      ['profile/balance', 0, [1980, 1, 1, 0, 0, 0], '', 16],
      ['profile/raw', 0, [1980, 1, 1, 0, 0, 0], '', 3000],
      ['profile/vip', 0, [1980, 1, 1, 0, 0, 0], '', 1],
    ]);
  });

  it('reads a DEFLATE zip with folder entries made by Info-ZIP `zip -r -9`', async () => {
    const { zip, schema } = serializeProtectedData(sample);
    const tree = path.join(dir, 'tree');
    for (const [name, data] of readZip(zip)) {
      await mkdir(path.dirname(path.join(tree, name)), { recursive: true });
      await writeFile(path.join(tree, name), data);
    }
    const file = path.join(dir, 'info-zip.zip');
    run('zip', ['-q', '-r', '-9', file, '.'], tree);
    const listing = run('zipinfo', [file]);
    assert.match(listing, /defX.* profile\/raw\n/, 'zip compressed an entry');
    assert.match(listing, /stor.* profile\/\n/, 'zip wrote a folder entry');
    assert.deepEqual(deserializeProtectedData(await readFile(file), schema), deserializeProtectedData(zip, schema));
  });

  it('reads a DEFLATE zip with a folder entry written by Python zipfile', async () => {
    const { zip, schema } = serializeProtectedData(sample);
    const file = path.join(dir, 'python.zip');
    const leaves = Object.fromEntries(
      [...readZip(zip)].map(([name, data]) => [name, Buffer.from(data).toString('hex')]),
    );
    const script = [
      'import json, sys, zipfile',
      'with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:',
      '    z.writestr("profile/", b"")',
      '    for name, data in json.loads(sys.argv[2]).items(): z.writestr(name, bytes.fromhex(data))',
      '    print(any(i.is_dir() for i in z.infolist()), {i.compress_type for i in z.infolist()})',
    ].join('\n');
    assert.equal(run('python3', ['-c', script, file, JSON.stringify(leaves)]).trim(), 'True {8}', 'folder, DEFLATE');
    assert.deepEqual(deserializeProtectedData(await readFile(file), schema), deserializeProtectedData(zip, schema));
  });
});

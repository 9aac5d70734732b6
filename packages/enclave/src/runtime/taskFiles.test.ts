import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  datasetChecksum,
  encodeDatasetKey,
  encryptDatasetBytes,
  generateDatasetKey,
} from '../../../crypto/src/index.js';
import { readZip } from '../../../crypto/src/zip.js';
import { TaskFailure } from './taskFailure.js';
import { archiveOutput, decryptDatasetTo } from './taskFiles.js';

const PLAINTEXT = Buffer.from('timestamp,station,pm25,no2\n2024-01-01,a,1,2\n');

describe('enclave runtime task files', () => {
  let dir: string;
  let n = 0;
  const target = () => path.join(dir, `plain-${n++}`);
  const key = generateDatasetKey();
  const ciphertext = encryptDatasetBytes({ plaintext: PLAINTEXT, key });
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'confide-task-files-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const failsWith = (reason: string) => (error: unknown) => error instanceof TaskFailure && error.reason === reason;

  it('decrypts a dataset given as bytes or as a file, after checking its checksum', async () => {
    const checksum = await datasetChecksum(ciphertext);
    const file = path.join(dir, 'dataset.cfds');
    await writeFile(file, ciphertext);
    for (const source of [ciphertext, file]) {
      const out = target();
      await decryptDatasetTo({ ciphertext: source, checksum, key: encodeDatasetKey(key), target: out });
      assert.deepEqual(await readFile(out), PLAINTEXT);
    }
  });

  it('error: a ciphertext that is not the registered one → DATASET_CHECKSUM_MISMATCH, nothing written', async () => {
    const checksum = await datasetChecksum(ciphertext);
    const tampered = Uint8Array.from(ciphertext);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
    const file = path.join(dir, 'tampered.cfds');
    await writeFile(file, tampered);
    for (const source of [tampered, file]) {
      const out = target();
      await assert.rejects(
        decryptDatasetTo({ ciphertext: source, checksum, key: encodeDatasetKey(key), target: out }),
        failsWith('DATASET_CHECKSUM_MISMATCH'),
      );
      await assert.rejects(readFile(out), { code: 'ENOENT' });
    }
  });

  it('error: the right ciphertext with a wrong key → DATASET_DECRYPT_FAILED', async () => {
    const checksum = await datasetChecksum(ciphertext);
    const file = path.join(dir, 'dataset2.cfds');
    await writeFile(file, ciphertext);
    for (const source of [ciphertext, file]) {
      await assert.rejects(
        decryptDatasetTo({
          ciphertext: source,
          checksum,
          key: encodeDatasetKey(generateDatasetKey()),
          target: target(),
        }),
        failsWith('DATASET_DECRYPT_FAILED'),
      );
    }
  });

  it('archives the output folder deterministically, sub-folders included, links never followed', async () => {
    const out = path.join(dir, 'out');
    await mkdir(path.join(out, 'sub'), { recursive: true });
    await writeFile(path.join(out, 'result.json'), '{"a":1}');
    await writeFile(path.join(out, 'sub', 'b.txt'), 'b');
    await writeFile(path.join(dir, 'host-secret'), 'HOST');
    await symlink(path.join(dir, 'host-secret'), path.join(out, 'leak'));
    const first = await archiveOutput(out);
    assert.deepEqual(await archiveOutput(out), first);
    const files = readZip(first);
    assert.deepEqual([...files.keys()], ['result.json', 'sub/b.txt']);
    assert.equal(Buffer.from(files.get('sub/b.txt') ?? []).toString(), 'b');
  });
});

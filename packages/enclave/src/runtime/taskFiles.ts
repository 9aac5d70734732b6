import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { lstat, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Hex } from 'viem';
import { datasetChecksum, decryptDataset, decryptDatasetBytes } from '../../../crypto/src/index.js';
import { writeZip, type ZipEntry } from '../../../crypto/src/zip.js';
import { TaskFailure } from './taskFailure.js';

/**
 * Checks the encrypted dataset against its on-chain checksum (SHA-256 of the ciphertext), then
 * decrypts it to `target` (created, never overwritten, mode 0600).
 *
 * Bytes are checked and decrypted as given. A file is hashed once to check the checksum first
 * (so a wrong file is `DATASET_CHECKSUM_MISMATCH`, not a decrypt error), then hashed again while
 * it is decrypted: a file swapped between the two reads is caught too. A partial plaintext left
 * by a failure is removed with the work dir by the caller.
 * @throws TaskFailure `DATASET_CHECKSUM_MISMATCH` or `DATASET_DECRYPT_FAILED`
 */
export async function decryptDatasetTo(p: {
  ciphertext: Uint8Array | string;
  checksum: Hex;
  key: string;
  target: string;
}): Promise<void> {
  const expected = p.checksum.toLowerCase();
  const mismatch = () => new TaskFailure('DATASET_CHECKSUM_MISMATCH', 'CIPHERTEXT_SHA256');
  const decryptFailed = () => new TaskFailure('DATASET_DECRYPT_FAILED', 'DATASET_DECRYPT');
  if (p.ciphertext instanceof Uint8Array) {
    if ((await datasetChecksum(p.ciphertext)) !== expected) throw mismatch();
    let plaintext: Uint8Array;
    try {
      plaintext = decryptDatasetBytes({ ciphertext: p.ciphertext, key: p.key });
    } catch {
      throw decryptFailed();
    }
    await writeFile(p.target, plaintext, { flag: 'wx', mode: 0o600 });
    return;
  }
  const file = p.ciphertext;
  const first = await datasetChecksum(createReadStream(file)).catch(() => undefined);
  if (first !== expected) throw mismatch();
  const hash = createHash('sha256');
  const hashing = new PassThrough();
  hashing.on('data', (chunk: Buffer) => hash.update(chunk));
  try {
    await pipeline(
      createReadStream(file),
      hashing,
      decryptDataset({ key: p.key }),
      createWriteStream(p.target, { flags: 'wx', mode: 0o600 }),
    );
  } catch {
    throw decryptFailed();
  }
  if (`0x${hash.digest('hex')}` !== expected) throw mismatch();
}

/**
 * The result the beneficiary receives, before encryption: a deterministic zip (STORE entries,
 * fixed timestamps, sorted names: see `writeZip` in the crypto package) of every regular file in
 * the output folder, sub-folders included, as iExec ships `iexec_out.zip`. Symbolic links and
 * other special files are left out and never followed, so an app cannot make the runtime read a
 * host file through a link.
 */
export async function archiveOutput(outputDir: string): Promise<Uint8Array> {
  const entries: ZipEntry[] = [];
  const walk = async (dir: string, prefix: string): Promise<void> => {
    for (const name of await readdir(dir)) {
      const full = path.join(dir, name);
      const info = await lstat(full);
      const relative = prefix ? `${prefix}/${name}` : name;
      if (info.isDirectory()) await walk(full, relative);
      else if (info.isFile()) entries.push({ name: relative, data: new Uint8Array(await readFile(full)) });
    }
  };
  await walk(outputDir, '');
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return writeZip(entries);
}

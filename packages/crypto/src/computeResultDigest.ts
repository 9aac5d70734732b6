import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { type Hex, keccak256 } from 'viem';
import { ResultDigestError } from './errors.js';

/** What {@link computeResultDigest} returns: the 0x-hex web2 result digest. */
export type ComputeResultDigestReturnType = Promise<Hex>;

/** Errors {@link computeResultDigest} throws. */
export type ComputeResultDigestErrorType = ResultDigestError;

async function fileSha256(file: string): Promise<Buffer> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest();
}

/**
 * The web2 result digest of the app's `deterministic-output-path`, as iExec's
 * `FileHashUtils.getFileTreeSha256`: for a file, its SHA-256; for a directory, keccak256 of the
 * concatenated SHA-256 of each entry, entries sorted by name (UTF-16 code units, as Java sorts
 * `File`s). Stricter than iExec, which silently hashes a sub-folder as nothing: sub-folders,
 * symbolic links and empty folders are refused, so every output byte is covered by the digest.
 * @param target - the file or folder (e.g. `/iexec_out/result.json`).
 * @returns `0x…` 32 bytes.
 * @example const digest = await computeResultDigest(path.join(iexecOut, computed['deterministic-output-path']))
 */
export async function computeResultDigest(target: string): ComputeResultDigestReturnType {
  const stats = await lstat(target).catch((cause: unknown) => {
    throw new ResultDigestError({ details: `${target} does not exist or cannot be read`, cause });
  });
  if (stats.isFile()) return `0x${(await fileSha256(target)).toString('hex')}`;
  if (!stats.isDirectory())
    throw new ResultDigestError({ details: `${target} is neither a regular file nor a folder` });
  const entries = (await readdir(target, { withFileTypes: true })).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  if (entries.length === 0) throw new ResultDigestError({ details: `${target} is an empty folder` });
  const digests: Buffer[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) {
      throw new ResultDigestError({
        details: `${path.join(target, entry.name)} is a ${entry.isDirectory() ? 'folder' : 'link or special file'}; the output folder may hold regular files only`,
      });
    }
    digests.push(await fileSha256(path.join(target, entry.name)));
  }
  return keccak256(Buffer.concat(digests));
}

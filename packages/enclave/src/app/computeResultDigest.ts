import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import { concat, type Hex, keccak256 } from 'viem';
import { ComputedJsonInvalidError } from '../errors.js';
import { type ComputedJson, resolveInsideOutput } from './readComputedJson.js';

/** Errors {@link computeResultDigest} can throw (besides file system errors). */
export type ComputeResultDigestErrorType = ComputedJsonInvalidError;

/**
 * The task's result digest, as iExec computes it (reference §4.3):
 * - with `callback-data`: keccak256 of those bytes (the "web3" digest);
 * - when the deterministic output is a file: SHA-256 of its content;
 * - when it is a folder: keccak256 of the concatenated SHA-256 of each entry, sorted by name
 *   (UTF-16 code unit order, as Java sorts file names). Only direct entries count, as in iExec;
 *   a folder holding a sub-folder or a link is refused (iExec's result for those is undefined).
 * The output path is checked again to be inside `outputDir`, so a `computed` from elsewhere
 * cannot make this read outside.
 * @param outputDir the host folder that was mounted at `/iexec_out`
 * @param computed what `readComputedJson` returned for it
 * @returns the digest, 0x-hex, 32 bytes
 * @throws ComputedJsonInvalidError `OUTPUT_PATH_OUTSIDE`, `OUTPUT_PATH_NOT_FOUND`, `OUTPUT_PATH_UNSUPPORTED`
 * @example
 * const digest = await computeResultDigest(outputDir, await readComputedJson(outputDir));
 */
export async function computeResultDigest(outputDir: string, computed: ComputedJson): Promise<Hex> {
  if (computed.callbackData !== undefined) return keccak256(computed.callbackData);
  const root = await realpath(outputDir);
  const target = await resolveInsideOutput(root, path.relative(root, computed.deterministicOutputPath) || '.');
  const info = await lstat(target);
  if (info.isFile()) return sha256File(target);
  if (!info.isDirectory()) {
    throw new ComputedJsonInvalidError('OUTPUT_PATH_UNSUPPORTED', { details: 'the output is not a file or folder' });
  }
  const names = (await readdir(target)).sort();
  const hashes: Hex[] = [];
  for (const name of names) {
    const entry = path.join(target, name);
    if (!(await lstat(entry)).isFile()) {
      throw new ComputedJsonInvalidError('OUTPUT_PATH_UNSUPPORTED', {
        details: `${name} in the deterministic output folder is not a regular file; put only files there`,
      });
    }
    hashes.push(await sha256File(entry));
  }
  return keccak256(concat(hashes));
}

async function sha256File(file: string): Promise<Hex> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return `0x${hash.digest('hex')}`;
}

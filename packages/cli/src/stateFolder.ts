import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CliError } from './errors.js';

/** Written by `confide start` in its folder: only a folder with it is resumed or emptied. */
const MARKER = '.confide-start';
/** Holds the PID of the `confide start` using the folder. */
const LOCK = 'confide-start.lock';
/** What `confide start` (and `confide demo`) write in the folder: all that a reset removes. */
const OWNED = [
  /^devnet$/,
  /^ipfs$/,
  /^(sms|market|indexer|scheduler)\.db(-wal|-shm|-journal)?$/,
  /^worker-\d+$/,
  /^(sim-platform|sms-master)\.key$/,
  /^network\.json$/,
  /^demo-result$/,
];
/** The kept chain, written by anvil (see startStack's `keepState`). */
const CHAIN_STATE = path.join('devnet', 'chain-state.json');

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Takes the folder's lock file with this PID; a lock left by a dead process is taken over. */
async function lock(dir: string): Promise<() => Promise<void>> {
  const file = path.join(dir, LOCK);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(file, `${process.pid}\n`, { flag: 'wx' });
      return async () => {
        if ((await readFile(file, 'utf8').catch(() => '')).trim() === String(process.pid)) await unlink(file);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number((await readFile(file, 'utf8').catch(() => '')).trim());
    if (Number.isInteger(holder) && holder > 0 && alive(holder)) {
      throw new CliError('CONFIDE_CLI_STATE_LOCKED', { details: `${dir} is used by confide start (pid ${holder})` });
    }
    // Stale: its process is gone.
    await unlink(file).catch(() => undefined);
  }
  throw new CliError('CONFIDE_CLI_STATE_LOCKED', { details: `${dir}: could not take ${LOCK}` });
}

/**
 * Claims `confide start`'s state folder: refuses a non-empty folder it did not make (no marker)
 * and a folder another live `confide start` holds (lock file with its PID); empties what it owns
 * in it when `reset`, or when no network was completed there. A kept network (network.json) is
 * resumed; without its chain state that is refused.
 * @returns whether to resume, and `release` to drop the lock when stopped
 * @example const { resume, release } = await claimStateFolder('.confide', { reset: false })
 */
export async function claimStateFolder(
  stateDir: string,
  { reset }: { reset: boolean },
): Promise<{ dir: string; resume: boolean; release: () => Promise<void> }> {
  const dir = path.resolve(stateDir);
  const entries: string[] = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  if (entries.length > 0 && !entries.includes(MARKER)) {
    throw new CliError('CONFIDE_CLI_STATE_FOREIGN', {
      details: `${dir} holds ${entries.length} entries and no ${MARKER} marker`,
    });
  }
  await mkdir(dir, { recursive: true });
  const release = await lock(dir);
  try {
    const resume = !reset && existsSync(path.join(dir, 'network.json'));
    if (resume && !existsSync(path.join(dir, CHAIN_STATE))) {
      throw new CliError('CONFIDE_CLI_STATE_UNUSABLE', {
        details: `${dir} has a network.json but no chain state (${CHAIN_STATE})`,
      });
    }
    if (!resume) {
      for (const entry of await readdir(dir)) {
        if (OWNED.some((pattern) => pattern.test(entry))) {
          await rm(path.join(dir, entry), { recursive: true, force: true });
        }
      }
    }
    await writeFile(path.join(dir, MARKER), 'This folder is the state of `confide start`; --reset empties it.\n');
    return { dir, resume, release };
  } catch (error) {
    await release();
    throw error;
  }
}

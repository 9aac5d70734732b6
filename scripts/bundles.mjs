// The bundles of the repository's processes (built by scripts/build-bundles.mjs into dist/bins)
// and whether one may be used: only while it is newer than every source it holds, so that an edited
// source is never shadowed by an old bundle.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BUNDLES = path.join(ROOT, 'dist/bins');

/** The bins: name → source. */
export const BINS = {
  confide: 'packages/cli/src/bin.ts',
  storage: 'packages/storage/src/bin.ts',
  sms: 'packages/sms/src/bin.ts',
  market: 'packages/market/src/bin.ts',
  indexer: 'packages/indexer/src/bin.ts',
  scheduler: 'packages/workerpool/src/schedulerBin.ts',
  worker: 'packages/workerpool/src/workerBin.ts',
};

let fresh;

/** Whether dist/bins was built after the last change to any source it bundles (checked once per process). */
function bundlesFresh() {
  if (fresh !== undefined) return fresh;
  try {
    const manifest = JSON.parse(readFileSync(path.join(BUNDLES, 'manifest.json'), 'utf8'));
    fresh =
      JSON.stringify(manifest.bins) === JSON.stringify(BINS) &&
      manifest.sources.every((source) => statSync(path.join(ROOT, source)).mtimeMs < manifest.builtAt);
  } catch {
    // No bundles, or a bundled source is gone: run the sources.
    fresh = false;
  }
  return fresh;
}

/** The bundle of bin `name` when it is fresh, else undefined. */
export function freshBundle(name) {
  return bundlesFresh() ? path.join(BUNDLES, `${name}.mjs`) : undefined;
}

// How to start the repository's processes: the bundles `npm run compile` builds (scripts/build-bundles.mjs)
// start on plain node in a third of the CPU time; without a fresh bundle, the TypeScript source runs
// through tsx. Both run the same code.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const POLYFILL = path.join(ROOT, 'scripts/polyfill.mjs');
const BUNDLES = path.join(ROOT, 'dist/bins');

/** The bins: name → source (keep in step with scripts/build-bundles.mjs). */
const BINS = {
  confide: 'packages/cli/src/bin.ts',
  storage: 'packages/storage/src/bin.ts',
  sms: 'packages/sms/src/bin.ts',
  market: 'packages/market/src/bin.ts',
  indexer: 'packages/indexer/src/bin.ts',
  scheduler: 'packages/workerpool/src/schedulerBin.ts',
  worker: 'packages/workerpool/src/workerBin.ts',
} as const;

export type BinName = keyof typeof BINS;

let fresh: boolean | undefined;

/** Whether dist/bins was built after the last change to any source it bundles (checked once per process). */
function bundlesFresh(): boolean {
  if (fresh !== undefined) return fresh;
  try {
    const manifest = JSON.parse(readFileSync(path.join(BUNDLES, 'manifest.json'), 'utf8')) as {
      builtAt: number;
      bins: Record<string, string>;
      sources: string[];
    };
    const sameBins = JSON.stringify(manifest.bins) === JSON.stringify(BINS);
    fresh =
      sameBins && manifest.sources.every((source) => statSync(path.join(ROOT, source)).mtimeMs < manifest.builtAt);
  } catch {
    // No bundles, or a bundled source is gone: run the sources.
    fresh = false;
  }
  return fresh;
}

/** Node's arguments that run bin `name` (then its own arguments follow). */
export function binArgs(name: BinName): string[] {
  if (bundlesFresh()) return ['--import', POLYFILL, path.join(BUNDLES, `${name}.mjs`)];
  return ['--import', import.meta.resolve('tsx'), '--import', POLYFILL, path.join(ROOT, BINS[name])];
}

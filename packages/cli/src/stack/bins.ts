// How to start the repository's processes: the bundles `npm run compile` builds (scripts/build-bundles.mjs)
// start on plain node in a third of the CPU time; without a fresh bundle, the TypeScript source runs
// through tsx. Both run the same code.
import path from 'node:path';
import { BINS, freshBundle, ROOT } from '../../../../scripts/bundles.mjs';

const POLYFILL = path.join(ROOT, 'scripts/polyfill.mjs');

export type BinName = keyof typeof BINS;

/** Node's arguments that run bin `name` (then its own arguments follow). */
export function binArgs(name: BinName): string[] {
  const bundle = freshBundle(name);
  if (bundle) return ['--import', POLYFILL, bundle];
  return ['--import', import.meta.resolve('tsx'), '--import', POLYFILL, path.join(ROOT, BINS[name])];
}

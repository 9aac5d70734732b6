#!/usr/bin/env node
// `confide`: the bundle `npm run compile` builds (dist/bins/confide.mjs) while it is newer than every
// source it holds, else the TypeScript source through tsx. The same code either way; the bundle
// starts in a third of the CPU time.
import '../../../scripts/polyfill.mjs';
import { freshBundle } from '../../../scripts/bundles.mjs';

const bundle = freshBundle('confide');
if (bundle) {
  await import(bundle);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/bin.ts');
}

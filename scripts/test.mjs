// Runs every *.test.ts under contracts/, packages/, bench/ and apps/ with node's test runner (Node 20
// has no glob support in --test). Extra arguments filter files by substring: `npm test -- escrow`.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const filters = process.argv.slice(2);

const find = (dir) =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) return [];
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return find(full);
    return entry.name.endsWith('.test.ts') ? [full] : [];
  });

// The longest files start first, so that the two runners end together instead of one running a long
// file alone at the end; CPU-bound ones (the CLI's, which start many processes) alternate with ones
// that mostly wait on a stack. The others follow in alphabetical order.
const LONGEST_FIRST = [
  'packages/cli/src/cli.test.ts',
  'packages/web/test/001_dashboard.e2e.test.ts',
  'packages/cli/src/orders.test.ts',
  'packages/workerpool/test/001_failures.e2e.test.ts',
  'packages/cli/src/start.test.ts',
  'packages/dataprotector/test/001_dataprotector.e2e.test.ts',
  'contracts/test/escrow.property.test.ts',
  'packages/workerpool/test/002_replicated.e2e.test.ts',
  'packages/dataprotector/test/002_monetize.e2e.test.ts',
];
const rank = (file) => {
  const index = LONGEST_FIRST.indexOf(file);
  return index === -1 ? LONGEST_FIRST.length : index;
};

const files = ['contracts', 'packages', 'bench', 'apps']
  .filter((d) => fs.existsSync(path.join(root, d)))
  .flatMap((d) => find(path.join(root, d)))
  .map((f) => path.relative(root, f))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));

if (files.length === 0) {
  console.error(`no test files match ${filters.join(' ')}`);
  process.exit(1);
}

const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--import', './scripts/polyfill.mjs', 'scripts/testing/runFiles.mjs', ...files],
  { cwd: root, stdio: 'inherit' },
);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

// Generates the API reference (docs/reference/, from the TSDoc of @confide/sdk and
// @confide/dataprotector, configured in typedoc.json). `--check` generates into a temporary folder
// instead and fails, naming the files, when docs/reference differs: run `npm run docs` and commit.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const committed = path.join(root, 'docs/reference');
const check = process.argv.includes('--check');
const out = check ? fs.mkdtempSync(path.join(os.tmpdir(), 'confide-docs-')) : committed;

const listFiles = (dir) =>
  fs.existsSync(dir)
    ? fs
        .readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
        .sort()
    : [];

// The SDK's types come from the ABIs that `npm run compile` generates; without them the reference
// would document unresolved types.
if (!fs.existsSync(path.join(root, 'packages/protocol/src/generated'))) {
  console.error('docs: run `npm run compile` first (the API types need packages/protocol/src/generated)');
  process.exit(1);
}

try {
  if (!check) fs.rmSync(committed, { recursive: true, force: true });
  const typedoc = spawnSync(process.execPath, [path.join(root, 'node_modules/typedoc/bin/typedoc'), '--out', out], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  if (typedoc.status !== 0) {
    process.stdout.write(typedoc.stdout);
    console.error('docs: typedoc failed (fix the TSDoc warnings above)');
    process.exit(1);
  }
  if (!check) {
    console.log(`docs: wrote ${listFiles(committed).length} files to docs/reference`);
    process.exit(0);
  }
  const fresh = listFiles(out);
  const stale = [...new Set([...fresh, ...listFiles(committed)])].filter((file) => {
    const a = path.join(out, file);
    const b = path.join(committed, file);
    return !fs.existsSync(a) || !fs.existsSync(b) || !fs.readFileSync(a).equals(fs.readFileSync(b));
  });
  if (stale.length > 0) {
    console.error(`docs: docs/reference is stale (${stale.join(', ')}): run \`npm run docs\` and commit the result`);
    process.exit(1);
  }
  console.log(`docs: docs/reference is up to date (${fresh.length} files)`);
} finally {
  if (check) fs.rmSync(out, { recursive: true, force: true });
}

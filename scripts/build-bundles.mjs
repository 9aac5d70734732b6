// Bundles the processes the stack starts, so that they start on plain `node` instead of compiling
// TypeScript through tsx, whose module hooks cost about 1 s of CPU per process (viem alone loads
// hundreds of modules through them). Run by `npm run compile` and by scripts/test.mjs; the output
// (packages/enclave/dist, dist/bins) is not committed.
//
// - The enclave runtime: one file, so that a worker starts each task's enclave in about 0.1 s.
// - The `confide` CLI and the service bins: our TypeScript is bundled, with code splitting so that
//   what a command imports lazily stays lazy; dependencies stay in node_modules and are loaded by
//   node itself, each from the folder of the package that imports it (packages may pin their own
//   versions). `dist/bins/manifest.json` lists every bundled source file: packages/cli's
//   `binArgs` (and packages/cli/bin/confide.mjs) use a bundle only while none of them is newer than it
//   (scripts/bundles.mjs), else run the source.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { BINS, BUNDLES } from './bundles.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const started = performance.now();

// Some dependencies are CommonJS and call require(); give the ES modules one.
const requireBanner =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

await build({
  entryPoints: [path.join(root, 'packages/enclave/src/runtime/enclaveMain.ts')],
  outfile: path.join(root, 'packages/enclave/dist/enclaveMain.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  banner: { js: requireBanner },
  logLevel: 'warning',
});

/**
 * Keeps third-party imports out of the bundle, resolved from the importing file (so a package's
 * own node_modules wins) to an absolute path that node loads as it would have.
 */
const dependenciesFromNodeModules = {
  name: 'dependencies-from-node-modules',
  setup(b) {
    b.onResolve({ filter: /^[^./#]/ }, async (args) => {
      if (args.path.startsWith('node:') || args.pluginData === 'resolving') return undefined;
      const resolved = await b.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: 'resolving',
      });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      if (!resolved.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      return { path: resolved.path, external: true };
    });
  },
};

/** `import.meta.url` and friends keep naming the source file (ours, .ts or .mjs), for the paths built from them. */
const sourceLocation = {
  name: 'source-location',
  setup(b) {
    b.onLoad({ filter: /\.(ts|mjs)$/ }, async (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const source = await readFile(args.path, 'utf8');
      const contents = source
        .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
        .replaceAll('import.meta.dirname', JSON.stringify(path.dirname(args.path)))
        .replaceAll('import.meta.filename', JSON.stringify(args.path));
      return { contents, loader: args.path.endsWith('.ts') ? 'ts' : 'js' };
    });
  },
};

const outdir = BUNDLES;
// Sources changed from now on are newer than the bundle, so never shadowed by it.
const builtAt = Date.now();
await rm(outdir, { recursive: true, force: true });
const { metafile } = await build({
  entryPoints: Object.fromEntries(Object.entries(BINS).map(([name, source]) => [name, path.join(root, source)])),
  outdir,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  banner: { js: requireBanner },
  plugins: [dependenciesFromNodeModules, sourceLocation],
  absWorkingDir: root,
  metafile: true,
  logLevel: 'warning',
});
const sources = Object.keys(metafile.inputs).filter((input) => !input.includes('node_modules'));
await mkdir(outdir, { recursive: true });
await writeFile(path.join(outdir, 'manifest.json'), `${JSON.stringify({ builtAt, bins: BINS, sources }, null, 1)}\n`);
console.log(
  `bundled the enclave runtime and ${Object.keys(BINS).length} bins (${sources.length} sources) in ${(performance.now() - started).toFixed(0)} ms`,
);

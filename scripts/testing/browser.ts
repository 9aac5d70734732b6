// Headless Chromium for browser tests: Debian's `chromium` driven by playwright-core (no browser
// download). `.ci/run` installs the package. Screenshots go under test-results/ (git-ignored).
import { existsSync, mkdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { type Browser, chromium } from 'playwright-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** Where test artifacts (screenshots) are written; created on first use. */
export const testResultsDir = (...parts: string[]): string => {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-results');
  const dir = path.join(root, ...parts);
  mkdirSync(dir, { recursive: true });
  return dir;
};

/** Launches headless Chromium; the caller closes it (put the call inside its try/finally). */
export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? CANDIDATES.find((p) => existsSync(p));
  if (!executablePath) {
    throw new Error(
      'Chromium not found in /usr/bin: install the Debian package `chromium` (apt-get install chromium) ' +
        'or set CHROMIUM_PATH; the browser tests drive it through playwright-core.',
    );
  }
  return chromium.launch({
    executablePath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

const NODE_BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/**
 * Bundles code for browsers as a dapp's bundler would (esbuild, platform "browser", so the "browser"
 * conditions of package.json `exports`/`imports` apply) and returns the script; rejects, naming the
 * importer, when anything in the graph imports a Node builtin, even one a package maps away.
 * @example const script = await bundleForBrowser({ entry: 'packages/dataprotector/test/browser/page.ts' })
 */
export async function bundleForBrowser(
  input: { entry: string } | { contents: string; resolveDir: string },
): Promise<{ script: string; inputs: string[] }> {
  const result = await esbuild.build({
    ...('entry' in input
      ? { entryPoints: [input.entry] }
      : { stdin: { contents: input.contents, resolveDir: input.resolveDir } }),
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [
      {
        name: 'no-node-builtins',
        setup(build) {
          build.onResolve({ filter: /.*/ }, (args) =>
            NODE_BUILTINS.has(args.path)
              ? { errors: [{ text: `${args.importer} imports the Node builtin "${args.path}"` }] }
              : undefined,
          );
        },
      },
    ],
  });
  return { script: result.outputFiles[0]?.text ?? '', inputs: Object.keys(result.metafile.inputs) };
}

// Headless Chromium for browser tests: Debian's `chromium` driven by playwright-core (no browser
// download). `.ci/run` installs the package. Screenshots go under test-results/ (git-ignored).
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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

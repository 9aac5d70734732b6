import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { hexToBytes, keccak256, toHex } from 'viem';
import { bundleFingerprint } from '../bundle/bundleFingerprint.js';
import { packBundle } from '../bundle/packBundle.js';
import { checkQuoteBinding } from '../quote/checkQuoteBinding.js';
import { createSimPlatform } from '../quote/createSimPlatform.js';
import { verifyQuote } from '../quote/verifyQuote.js';
import { secretsRequestHash } from './requestSecrets.js';
import { startEnclaveProcess } from './startEnclaveProcess.js';

const HELLO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../apps/hello');
const PLATFORM_KEY = `0x${'5a'.repeat(32)}` as const;
const taskId = keccak256(toHex('enclave process test'));
let dir: string;
let platformKeyFile: string;

describe('startEnclaveProcess', () => {
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'enclave-process-'));
    platformKeyFile = path.join(dir, 'platform.key');
    await writeFile(platformKeyFile, `${PLATFORM_KEY}\n`, { mode: 0o600 });
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('starts a separate process whose quote binds the bundle it read, its own keys and the task', async () => {
    const bundle = await packBundle(HELLO);
    const bundleFile = path.join(dir, 'hello.cfb');
    await writeFile(bundleFile, bundle);
    const enclave = await startEnclaveProcess({ taskId, bundleFile, platformKeyFile });
    try {
      assert.notEqual(enclave.pid, process.pid);
      assert.ok(enclave.pid > 0);
      const platform = createSimPlatform({ privateKey: PLATFORM_KEY });
      const verified = await verifyQuote(
        { platform: 'sim', bytes: hexToBytes(enclave.quote) },
        { allowSim: true, simPlatformKeys: [platform.publicKey], now: Math.floor(Date.now() / 1000) },
      );
      checkQuoteBinding({
        verified,
        expectedMeasurement: bundleFingerprint(bundle),
        enclaveAddress: enclave.enclaveAddress,
        sealingPublicKey: enclave.sealingPublicKey,
        taskId,
      });
      assert.equal(enclave.secretsRequestHash, secretsRequestHash({ taskId, ...enclave }));
    } finally {
      await enclave.kill();
    }
  });

  it('refuses a file that is not a bundle, with the enclave’s named error, and leaves no process', async () => {
    const bundleFile = path.join(dir, 'junk.cfb');
    await writeFile(bundleFile, 'not a bundle');
    await assert.rejects(startEnclaveProcess({ taskId, bundleFile, platformKeyFile }), (error: Error) => {
      assert.equal(error.name, 'EnclaveProcessError');
      assert.equal((error as { reason?: string }).reason, 'REFUSED');
      assert.match(error.message, /BundleInvalidError CONFIDE_ENCLAVE_BUNDLE_INVALID/);
      return true;
    });
  });
});

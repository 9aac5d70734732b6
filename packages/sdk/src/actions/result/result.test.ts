import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Hex } from 'viem';
import { encryptResult } from '../../../../crypto/src/encryptResult.js';
import { writeZip } from '../../../../crypto/src/zip.js';
import { createEmbeddedStorage, type EmbeddedStorage } from '../../../../storage/src/index.js';
import { completeTask, initializeTask, matchedDeal } from '../../testing/lifecycle.js';
import { RESULT_KEY } from '../../testing/orderSet.js';
import { expectSdkError, type SdkFixture, sdkFixture } from '../../testing/sdkFixture.js';
import { fetchTaskResult } from './fetchTaskResult.js';
import { generateResultKey } from './generateResultKey.js';

describe('result', () => {
  let f: SdkFixture;
  let storage: EmbeddedStorage;
  before(async () => {
    f = await sdkFixture();
    storage = await createEmbeddedStorage({ directory: mkdtempSync(path.join(tmpdir(), 'sdk-result-')) });
  });
  after(() => storage.close());

  const clientWithStorage = () => f.clientOf(undefined, { ...f.services, storage });

  /** A completed task whose result (a zip of `files`) is encrypted to the default request's recipient. */
  async function completedTask(files: Record<string, string>, location?: (cid: string) => string) {
    const zip = writeZip(Object.entries(files).map(([name, text]) => ({ name, data: new TextEncoder().encode(text) })));
    const { cid } = await storage.put(encryptResult(zip, RESULT_KEY.recipient));
    const { dealId, tasks } = await matchedDeal(f);
    const taskId = tasks[0] as Hex;
    await initializeTask(f, dealId, 0n);
    const resultDigest = await completeTask(f, taskId, location ? location(cid) : `/ipfs/${cid}`);
    return { taskId, cid, resultDigest, dealId };
  }

  it('generateResultKey makes an age identity and its recipient, fresh each time', () => {
    const key = generateResultKey();
    assert.match(key.identity, /^AGE-SECRET-KEY-1[0-9A-Z]+$/);
    assert.match(key.recipient, /^age1[0-9a-z]{58}$/);
    assert.notEqual(generateResultKey().identity, key.identity);
  });

  it("fetchTaskResult downloads and decrypts a completed task's result with the beneficiary's identity", async () => {
    const { taskId, cid, resultDigest } = await completedTask({
      'result.json': '{"mean":12.3}',
      'computed.json': '{}',
    });
    const result = await fetchTaskResult(clientWithStorage(), { taskId, identity: RESULT_KEY.identity });
    assert.equal(result.location, `/ipfs/${cid}`);
    assert.equal(result.resultDigest, resultDigest);
    assert.deepEqual([...result.files.keys()].sort(), ['computed.json', 'result.json']);
    assert.equal(new TextDecoder().decode(result.files.get('result.json')), '{"mean":12.3}');
  });

  it("reads iExec's JSON result reference too", async () => {
    const { taskId } = await completedTask({ 'out.txt': 'hello' }, (cid) =>
      JSON.stringify({ storage: 'ipfs', location: `/ipfs/${cid}` }),
    );
    const { files } = await fetchTaskResult(clientWithStorage(), { taskId, identity: RESULT_KEY.identity });
    assert.equal(new TextDecoder().decode(files.get('out.txt')), 'hello');
  });

  it('error: another identity cannot decrypt: CONFIDE_CRYPTO_RESULT_DECRYPT_FAILED', async () => {
    const { taskId } = await completedTask({ 'out.txt': 'secret' });
    const error = await fetchTaskResult(clientWithStorage(), { taskId, identity: generateResultKey().identity }).catch(
      (e: unknown) => e,
    );
    assert.equal((error as { code?: string }).code, 'CONFIDE_CRYPTO_RESULT_DECRYPT_FAILED');
  });

  it('error: a task that is not COMPLETED is CONFIDE_SDK_TASK_NOT_COMPLETED', async () => {
    const { dealId, tasks } = await matchedDeal(f);
    await expectSdkError(
      fetchTaskResult(clientWithStorage(), { taskId: tasks[0] as Hex, identity: RESULT_KEY.identity }),
      'CONFIDE_SDK_TASK_NOT_COMPLETED',
    );
    await initializeTask(f, dealId, 0n);
    await expectSdkError(
      fetchTaskResult(clientWithStorage(), { taskId: tasks[0] as Hex, identity: RESULT_KEY.identity }),
      'CONFIDE_SDK_TASK_NOT_COMPLETED',
    );
  });

  it('error: a result location that is not /ipfs/<cid> is CONFIDE_SDK_RESULT_LOCATION_INVALID', async () => {
    const { taskId } = await completedTask({ 'out.txt': 'x' }, () => 'https://dropbox.example/result.zip');
    await expectSdkError(
      fetchTaskResult(clientWithStorage(), { taskId, identity: RESULT_KEY.identity }),
      'CONFIDE_SDK_RESULT_LOCATION_INVALID',
    );
  });

  it('error: no storage is CONFIDE_SDK_SERVICE_MISSING; content missing from storage CONFIDE_STORAGE_NOT_FOUND; a bad identity CONFIDE_SDK_PARAMETERS_INVALID', async () => {
    const { taskId } = await completedTask({ 'out.txt': 'x' });
    await expectSdkError(
      fetchTaskResult(f.clientOf(), { taskId, identity: RESULT_KEY.identity }),
      'CONFIDE_SDK_SERVICE_MISSING',
    );
    const { taskId: elsewhere } = await completedTask(
      { 'out.txt': 'y' },
      () => '/ipfs/bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy',
    );
    const missing = await fetchTaskResult(clientWithStorage(), {
      taskId: elsewhere,
      identity: RESULT_KEY.identity,
    }).catch((e: unknown) => e);
    assert.equal((missing as { code?: string }).code, 'CONFIDE_STORAGE_NOT_FOUND');
    await expectSdkError(
      fetchTaskResult(clientWithStorage(), { taskId, identity: 'my-key' }),
      'CONFIDE_SDK_PARAMETERS_INVALID',
    );
  });
});

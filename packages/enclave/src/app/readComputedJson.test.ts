import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { ComputedJsonInvalidError } from '../errors.js';
import { readComputedJson } from './readComputedJson.js';

const scratch = await mkdtemp(path.join(os.tmpdir(), 'confide-computed-'));
after(() => rm(scratch, { recursive: true, force: true }));
let counter = 0;

async function output(computed: unknown, files: Record<string, string> = { 'result.txt': 'r' }): Promise<string> {
  const dir = path.join(scratch, `out-${counter++}`);
  await mkdir(dir);
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(dir, name), content);
  if (computed !== undefined) {
    await writeFile(
      path.join(dir, 'computed.json'),
      typeof computed === 'string' ? computed : JSON.stringify(computed),
    );
  }
  return dir;
}

async function refuses(dir: string, reason: ComputedJsonInvalidError['reason']) {
  await assert.rejects(
    readComputedJson(dir),
    (error) => error instanceof ComputedJsonInvalidError && error.reason === reason,
  );
}

describe('readComputedJson', () => {
  it('reads the kebab-case keys and resolves the output path on the host', async () => {
    const dir = await output({
      'deterministic-output-path': '/iexec_out/result.txt',
      'callback-data': '0xabcd',
      'error-message': 'partial',
      'task-id': 'ignored',
    });
    assert.deepEqual(await readComputedJson(dir), {
      deterministicOutputPath: path.join(dir, 'result.txt'),
      callbackData: '0xabcd',
      errorMessage: 'partial',
    });
  });

  it('accepts the whole output folder and paths relative to it', async () => {
    const dir = await output({ 'deterministic-output-path': '/iexec_out' });
    assert.equal((await readComputedJson(dir)).deterministicOutputPath, dir);
    const relative = await output({ 'deterministic-output-path': 'result.txt' });
    assert.equal((await readComputedJson(relative)).deterministicOutputPath, path.join(relative, 'result.txt'));
  });

  it('error: no computed.json', async () => {
    await refuses(await output(undefined), 'MISSING');
  });

  it('error: a deterministic-output-path leaving the output folder', async () => {
    await refuses(await output({ 'deterministic-output-path': '/iexec_out/../../etc/passwd' }), 'OUTPUT_PATH_OUTSIDE');
    await refuses(await output({ 'deterministic-output-path': '/etc/passwd' }), 'OUTPUT_PATH_OUTSIDE');
    await refuses(await output({ 'deterministic-output-path': '../x' }), 'OUTPUT_PATH_OUTSIDE');
    await refuses(await output({ 'deterministic-output-path': '/iexec_outside/x' }), 'OUTPUT_PATH_OUTSIDE');
    const linked = await output({ 'deterministic-output-path': '/iexec_out/linked' });
    await symlink('/etc/hostname', path.join(linked, 'linked'));
    await refuses(linked, 'OUTPUT_PATH_OUTSIDE');
  });

  it('error: a computed.json that is a link', async () => {
    const dir = await output(undefined);
    const elsewhere = path.join(scratch, 'elsewhere.json');
    await writeFile(elsewhere, JSON.stringify({ 'deterministic-output-path': '/iexec_out/result.txt' }));
    await symlink(elsewhere, path.join(dir, 'computed.json'));
    await refuses(dir, 'MISSING');
  });

  it('error: not JSON, no path, a path to nothing, bad callback data or error message', async () => {
    await refuses(await output('{nope'), 'NOT_JSON');
    await refuses(await output('[]'), 'NOT_JSON');
    await refuses(await output({}), 'OUTPUT_PATH_MISSING');
    await refuses(await output({ 'deterministic-output-path': '/iexec_out/absent' }), 'OUTPUT_PATH_NOT_FOUND');
    const path_ = '/iexec_out/result.txt';
    await refuses(
      await output({ 'deterministic-output-path': path_, 'callback-data': 'abcd' }),
      'CALLBACK_DATA_INVALID',
    );
    await refuses(
      await output({ 'deterministic-output-path': path_, 'callback-data': '0xabc' }),
      'CALLBACK_DATA_INVALID',
    );
    await refuses(await output({ 'deterministic-output-path': path_, 'error-message': 1 }), 'ERROR_MESSAGE_INVALID');
  });

  it('error: a computed.json larger than 1 MiB', async () => {
    const big = JSON.stringify({ 'deterministic-output-path': '/iexec_out/result.txt', pad: 'x'.repeat(1024 * 1024) });
    await refuses(await output(big), 'TOO_LARGE');
  });
});

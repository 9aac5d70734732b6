import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { AppEnvironmentInvalidError } from '../errors.js';
import { type BuildAppEnvironmentParameters, buildAppEnvironment, inputFileName } from './buildAppEnvironment.js';

const dealId = `0x${'d1'.repeat(32)}` as const;
const taskId = `0x${'7a'.repeat(32)}` as const;
const dataset = '0x9a43BB008b7A657e1936ebf5d8e28e5c5E021596';
const base: BuildAppEnvironmentParameters = {
  dealId,
  taskId,
  taskIndex: 3,
  botSize: 4,
  botFirstIndex: 2,
  inputFiles: [],
  requesterSecrets: {},
};

describe('buildAppEnvironment', () => {
  it("gives exactly iExec's variables for a task with a dataset, input files and secrets", () => {
    const urls = ['https://example.com/a.csv', 'ipfs://bafy/b.bin'];
    const env = buildAppEnvironment({
      ...base,
      datasetAddress: dataset,
      inputFiles: urls,
      requesterSecrets: { 1: 'first', 2: 'second' },
      appDeveloperSecret: 'dev',
    });
    const sha = (s: string) => createHash('sha256').update(s).digest('hex');
    assert.deepEqual(env, {
      IEXEC_IN: '/iexec_in',
      IEXEC_OUT: '/iexec_out',
      IEXEC_DEAL_ID: dealId,
      IEXEC_TASK_ID: taskId,
      IEXEC_TASK_INDEX: '3',
      IEXEC_BOT_SIZE: '4',
      IEXEC_BOT_FIRST_INDEX: '2',
      IEXEC_BOT_TASK_INDEX: '3',
      IEXEC_DATASET_ADDRESS: dataset,
      IEXEC_DATASET_FILENAME: dataset,
      IEXEC_INPUT_FILES_NUMBER: '2',
      IEXEC_INPUT_FILES_FOLDER: '/iexec_in',
      IEXEC_INPUT_FILE_NAME_1: sha(urls[0] ?? ''),
      IEXEC_INPUT_FILE_NAME_2: sha(urls[1] ?? ''),
      IEXEC_REQUESTER_SECRET_1: 'first',
      IEXEC_REQUESTER_SECRET_2: 'second',
      IEXEC_APP_DEVELOPER_SECRET: 'dev',
      IEXEC_APP_DEVELOPER_SECRET_1: 'dev',
    });
  });

  it('a bulk task: IEXEC_BULK_SLICE_SIZE and IEXEC_DATASET_<i>_FILENAME from 1, in slice order, no single dataset', () => {
    const second = '0x00000000000000000000000000000000000000Aa';
    const env = buildAppEnvironment({ ...base, bulkDatasets: [dataset, second] });
    assert.equal(env.IEXEC_BULK_SLICE_SIZE, '2');
    assert.equal(env.IEXEC_DATASET_1_FILENAME, dataset);
    assert.equal(env.IEXEC_DATASET_2_FILENAME, second);
    assert.equal(env.IEXEC_DATASET_ADDRESS, '0x0000000000000000000000000000000000000000');
    assert.equal('IEXEC_DATASET_FILENAME' in env, false);
    assert.equal('IEXEC_BULK_SLICE_SIZE' in buildAppEnvironment(base), false, 'absent for other tasks');
    assert.throws(() => buildAppEnvironment({ ...base, bulkDatasets: ['0x12' as never] }), AppEnvironmentInvalidError);
    assert.throws(
      () => buildAppEnvironment({ ...base, datasetAddress: dataset, bulkDatasets: [dataset] }),
      AppEnvironmentInvalidError,
    );
  });

  it('names input files by the SHA-256 of their URL in hex', () => {
    assert.equal(inputFileName('hello'), '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
  });

  it('without a dataset: the zero address and no file name; no secret variables', () => {
    const env = buildAppEnvironment(base);
    assert.equal(env.IEXEC_DATASET_ADDRESS, '0x0000000000000000000000000000000000000000');
    assert.equal('IEXEC_DATASET_FILENAME' in env, false);
    assert.equal(env.IEXEC_INPUT_FILES_NUMBER, '0');
    assert.deepEqual(
      Object.keys(env).filter((name) => name.includes('SECRET')),
      [],
    );
  });

  it('uses the given dataset file name', () => {
    assert.equal(
      buildAppEnvironment({ ...base, datasetAddress: dataset, datasetFilename: 'air.csv' }).IEXEC_DATASET_FILENAME,
      'air.csv',
    );
  });

  it('error: malformed ids, indexes outside the bag, bad names and secrets', () => {
    const refuses = (overrides: Partial<BuildAppEnvironmentParameters>) =>
      assert.throws(
        () => buildAppEnvironment({ ...base, ...overrides }),
        (error) =>
          error instanceof AppEnvironmentInvalidError && error.code === 'CONFIDE_ENCLAVE_APP_ENVIRONMENT_INVALID',
      );
    refuses({ taskId: '0x1234' });
    refuses({ taskIndex: 6 });
    refuses({ taskIndex: 1 });
    refuses({ botSize: 0 });
    refuses({ datasetAddress: '0x1234' });
    refuses({ datasetAddress: dataset, datasetFilename: '../etc/passwd' });
    refuses({ datasetFilename: 'air.csv' });
    refuses({ requesterSecrets: { 0: 'x' } });
    refuses({ requesterSecrets: { 1: 'x'.repeat(4097) } });
    refuses({ appDeveloperSecret: 'a\0b' });
    refuses({ inputFiles: [''] });
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseIndexerConfig } from './config.js';
import { IndexerConfigInvalidError } from './errors.js';

const ADDRESSES = {
  hub: '0x5FC8d32690cc91D4c39d9d3abcBD16989F875707',
  appRegistry: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512',
  datasetRegistry: '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0',
  workerpoolRegistry: '0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9',
  dataProtector: '0x0165878A594ca255338adfa4d48449f69242Eb8F',
  dataSharing: '0xa513E6E4b8f2a923D98304ec87F64353C4D5C853',
};
const DEPLOYMENT = JSON.stringify({ chainId: 31337, rpcUrl: 'http://127.0.0.1:8545', addresses: ADDRESSES });
const files = (path: string) => {
  if (path === '/state/deployment.json') return DEPLOYMENT;
  if (path === '/state/broken.json') return '{';
  throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
};

const refused = (env: Record<string, string>, ...names: string[]) =>
  assert.throws(
    () => parseIndexerConfig(env, files),
    (error: unknown) =>
      error instanceof IndexerConfigInvalidError &&
      error.code === 'CONFIDE_INDEXER_CONFIG_INVALID' &&
      names.every((name) => String(error.details).includes(name)),
  );

describe('parseIndexerConfig', () => {
  it('reads the RPC URL and addresses from a devnet deployment.json, with defaults', () => {
    const config = parseIndexerConfig(
      { INDEXER_DEPLOYMENT: '/state/deployment.json', INDEXER_DATABASE: '/state/index.sqlite' },
      files,
    );
    assert.deepEqual(config, {
      rpcUrl: 'http://127.0.0.1:8545',
      addresses: ADDRESSES,
      database: '/state/index.sqlite',
      host: '127.0.0.1',
      port: 13700,
      pollingIntervalMs: 1000,
      confirmations: 0,
      batchSize: 1000,
      fromBlock: 0n,
    });
  });

  it('each variable overrides the file; lowercase addresses come out checksummed', () => {
    const config = parseIndexerConfig(
      {
        INDEXER_DEPLOYMENT: '/state/deployment.json',
        INDEXER_RPC_URL: 'http://10.0.0.2:8545',
        INDEXER_HUB: ADDRESSES.appRegistry.toLowerCase(),
        INDEXER_DATABASE: ':memory:',
        INDEXER_PORT: '0',
        INDEXER_POLL_MS: '250',
        INDEXER_CONFIRMATIONS: '12',
        INDEXER_BATCH_SIZE: '500',
        INDEXER_FROM_BLOCK: '1234',
      },
      files,
    );
    assert.equal(config.rpcUrl, 'http://10.0.0.2:8545');
    assert.equal(config.addresses.hub, ADDRESSES.appRegistry);
    assert.deepEqual(
      [config.port, config.pollingIntervalMs, config.confirmations, config.batchSize, config.fromBlock],
      [0, 250, 12, 500, 1234n],
    );
  });

  it('addresses without a deployment file, each from its variable', () => {
    const config = parseIndexerConfig({
      INDEXER_RPC_URL: 'http://127.0.0.1:8545',
      INDEXER_HUB: ADDRESSES.hub,
      INDEXER_APP_REGISTRY: ADDRESSES.appRegistry,
      INDEXER_DATASET_REGISTRY: ADDRESSES.datasetRegistry,
      INDEXER_WORKERPOOL_REGISTRY: ADDRESSES.workerpoolRegistry,
      INDEXER_DATA_PROTECTOR: ADDRESSES.dataProtector,
      INDEXER_DATA_SHARING: ADDRESSES.dataSharing,
      INDEXER_DATABASE: 'x.sqlite',
    });
    assert.deepEqual(config.addresses, ADDRESSES);
  });

  it('INDEXER_DATABASE may be a PostgreSQL URL', () => {
    const url = 'postgres://indexer:secret@db.internal:5432/index';
    const config = parseIndexerConfig({ INDEXER_DEPLOYMENT: '/state/deployment.json', INDEXER_DATABASE: url }, files);
    assert.equal(config.database, url);
  });

  it('error: a PostgreSQL URL without a database is named', () => {
    refused(
      { INDEXER_DEPLOYMENT: '/state/deployment.json', INDEXER_DATABASE: 'postgres://db.internal:5432/' },
      'INDEXER_DATABASE: must be a SQLite file path or a PostgreSQL URL',
      'names no database',
    );
  });

  it('error: nothing set → every missing value is named', () => {
    refused({}, 'INDEXER_RPC_URL', 'INDEXER_HUB', 'INDEXER_DATA_PROTECTOR', 'INDEXER_DATA_SHARING', 'INDEXER_DATABASE');
  });

  it('error: wrong values are named with what is expected', () => {
    refused(
      {
        INDEXER_DEPLOYMENT: '/state/deployment.json',
        INDEXER_DATABASE: 'x',
        INDEXER_PORT: '70000',
        INDEXER_CONFIRMATIONS: '-1',
        INDEXER_HUB: '0x1234',
        INDEXER_RPC_URL: 'not a url',
      },
      'INDEXER_PORT',
      'INDEXER_CONFIRMATIONS',
      'INDEXER_HUB: must be a contract address',
      'INDEXER_RPC_URL',
    );
  });

  it('error: a deployment file that is missing or not JSON', () => {
    refused(
      { INDEXER_DEPLOYMENT: '/state/none.json', INDEXER_DATABASE: 'x' },
      'INDEXER_DEPLOYMENT: /state/none.json cannot be read',
    );
    refused({ INDEXER_DEPLOYMENT: '/state/broken.json', INDEXER_DATABASE: 'x' }, 'is not JSON');
  });
});

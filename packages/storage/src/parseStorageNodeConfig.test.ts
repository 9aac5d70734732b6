import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseStorageNodeConfig } from './parseStorageNodeConfig.js';

const TOKEN = 'a'.repeat(64);

describe('parseStorageNodeConfig', () => {
  it('reads STORAGE_CORS_ORIGINS as comma-separated origins, or *', () => {
    assert.deepEqual(
      parseStorageNodeConfig([], { STORAGE_CORS_ORIGINS: 'http://127.0.0.1:5173, https://app.example' }).corsOrigins,
      ['http://127.0.0.1:5173', 'https://app.example'],
    );
    assert.deepEqual(parseStorageNodeConfig([], { STORAGE_CORS_ORIGINS: '*' }).corsOrigins, ['*']);
    assert.throws(() => parseStorageNodeConfig([], { STORAGE_CORS_ORIGINS: 'http://127.0.0.1:5173/app' }), {
      name: 'StorageConfigInvalidError',
      code: 'CONFIDE_STORAGE_CONFIG_INVALID',
      message: /STORAGE_CORS_ORIGINS: "http:\/\/127\.0\.0\.1:5173\/app" is not \* nor an origin/,
    });
  });

  it('defaults to .confide/ipfs on loopback, RPC 5001, gateway 8080, no token', () => {
    assert.deepEqual(parseStorageNodeConfig([], {}), {
      directory: '.confide/ipfs',
      host: '127.0.0.1',
      rpcPort: 5001,
      gatewayPort: 8080,
      maxBodyBytes: 16 * 1024 ** 3,
      token: undefined,
    });
  });

  it('reads the environment, and flags over it', () => {
    const env = {
      STORAGE_DIR: '/data/ipfs',
      STORAGE_HOST: '0.0.0.0',
      STORAGE_RPC_PORT: '0',
      STORAGE_GATEWAY_PORT: '0',
      STORAGE_RPC_MAX_BODY_BYTES: '1024',
      STORAGE_RPC_TOKEN: TOKEN,
    };
    assert.deepEqual(parseStorageNodeConfig([], env), {
      directory: '/data/ipfs',
      host: '0.0.0.0',
      rpcPort: 0,
      gatewayPort: 0,
      maxBodyBytes: 1024,
      token: TOKEN,
    });
    const flags = [
      '--dir',
      '/x',
      '--host',
      '::1',
      '--rpc-port',
      '15001',
      '--gateway-port=18080',
      '--max-body-bytes',
      '7',
    ];
    assert.deepEqual(parseStorageNodeConfig(flags, env), {
      directory: '/x',
      host: '::1',
      rpcPort: 15001,
      gatewayPort: 18080,
      maxBodyBytes: 7,
      token: TOKEN,
    });
  });

  it('error: names every wrong value in one CONFIG_INVALID', () => {
    const env = {
      STORAGE_DIR: ' ',
      STORAGE_RPC_PORT: 'abc',
      STORAGE_RPC_MAX_BODY_BYTES: '0',
      STORAGE_RPC_TOKEN: 'short',
    };
    assert.throws(
      () => parseStorageNodeConfig(['--gateway-port', '70000'], env),
      (error: Error) => {
        assert.equal((error as { code?: string }).code, 'CONFIDE_STORAGE_CONFIG_INVALID');
        assert.match(error.message, /STORAGE_DIR must not be empty/);
        assert.match(error.message, /STORAGE_RPC_PORT must be an integer in 0\.\.65535, got "abc"/);
        assert.match(error.message, /--gateway-port must be an integer in 0\.\.65535, got "70000"/);
        assert.match(error.message, /STORAGE_RPC_MAX_BODY_BYTES must be an integer in 1\.\./);
        assert.match(error.message, /STORAGE_RPC_TOKEN must be 16 characters or more/);
        assert.doesNotMatch(error.message, /short/, 'the token is never echoed');
        return true;
      },
    );
  });

  it('error: a host reachable from other machines without a token, equal ports, an unknown flag', () => {
    const cases: [string[], Record<string, string>, RegExp][] = [
      [[], { STORAGE_HOST: '0.0.0.0' }, /host 0\.0\.0\.0 is reachable from other machines: set STORAGE_RPC_TOKEN/],
      [['--rpc-port', '9000', '--gateway-port', '9000'], {}, /ports must differ, both are 9000/],
      [['--token', TOKEN], {}, /Unknown option '--token'.*options: --dir, --host/],
      [['serve'], {}, /Unexpected argument 'serve'/],
    ];
    for (const [argv, env, message] of cases) {
      assert.throws(
        () => parseStorageNodeConfig(argv, env),
        { name: 'StorageConfigInvalidError', message },
        argv.join(' '),
      );
    }
  });
});

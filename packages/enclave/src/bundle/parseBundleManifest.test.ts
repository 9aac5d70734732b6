import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BundleInvalidError } from '../errors.js';
import { parseBundleManifest } from './parseBundleManifest.js';

const valid = { name: 'hello', version: '1.0.0', runtime: 'node', entrypoint: 'src/main.mjs' };
const refuses = (value: unknown) =>
  assert.throws(
    () => parseBundleManifest(typeof value === 'string' ? value : JSON.stringify(value)),
    (error) => error instanceof BundleInvalidError && error.reason === 'MANIFEST_INVALID',
  );

describe('parseBundleManifest', () => {
  it('returns the four fields of a valid manifest, from text or bytes', () => {
    assert.deepEqual(parseBundleManifest(JSON.stringify(valid)), valid);
    assert.deepEqual(parseBundleManifest(new TextEncoder().encode(JSON.stringify(valid))), valid);
  });

  it('error: not JSON, not an object, an unknown key', () => {
    refuses('{');
    refuses('[]');
    refuses({ ...valid, scripts: { postinstall: 'x' } });
  });

  it('error: a bad name, version or runtime', () => {
    refuses({ ...valid, name: 'Hello World' });
    refuses({ ...valid, name: '' });
    refuses({ ...valid, version: '' });
    refuses({ ...valid, version: 'a b' });
    refuses({ ...valid, runtime: 'python' });
  });

  it('error: an entrypoint that escapes, is absolute, or is not JavaScript', () => {
    refuses({ ...valid, entrypoint: '../main.mjs' });
    refuses({ ...valid, entrypoint: '/usr/bin/node' });
    refuses({ ...valid, entrypoint: './main.mjs' });
    refuses({ ...valid, entrypoint: 'main.sh' });
    refuses({ ...valid, entrypoint: 42 });
  });
});

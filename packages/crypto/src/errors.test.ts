import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfideCryptoError, DatasetChunkTamperedError, ResultDecryptError } from './errors.js';
import * as crypto from './index.js';

describe('ConfideCryptoError', () => {
  it('carries shortMessage, details, code and cause, all in the message', () => {
    const cause = new Error('unable to authenticate data');
    const error = new DatasetChunkTamperedError({ chunkIndex: 4, details: 'while streaming', cause });
    assert.ok(error instanceof ConfideCryptoError && error instanceof Error);
    assert.equal(error.name, 'DatasetChunkTamperedError');
    assert.equal(error.code, 'CONFIDE_CRYPTO_CHUNK_TAMPERED');
    assert.equal(error.chunkIndex, 4);
    assert.match(error.shortMessage, /chunk 4 failed authentication/);
    assert.equal(error.details, 'while streaming');
    assert.equal(error.cause, cause);
    assert.match(error.message, /Details: while streaming\nCode: CONFIDE_CRYPTO_CHUNK_TAMPERED$/);
  });

  it('walk() returns the deepest cause, or the first cause matching a predicate', () => {
    const root = new Error('root');
    const middle = new ResultDecryptError({ cause: root });
    const top = new DatasetChunkTamperedError({ chunkIndex: 0, cause: middle });
    assert.equal(top.walk(), root);
    assert.equal(
      top.walk((e) => e instanceof ResultDecryptError),
      middle,
    );
    assert.equal(
      top.walk((e) => e instanceof TypeError),
      null,
    );
  });

  it('every exported error class has a literal name and a unique CONFIDE_CRYPTO_ code', () => {
    type ErrorClass = { new (options: never): ConfideCryptoError; name: string };
    const classes = (Object.values(crypto) as unknown[]).filter(
      (value): value is ErrorClass => typeof value === 'function' && value.prototype instanceof ConfideCryptoError,
    );
    assert.ok(classes.length >= 13, `found ${classes.length} error classes`);
    const codes = new Set<string>();
    for (const ErrorClass of classes) {
      const error = new ErrorClass({ chunkIndex: 0, path: 'p' } as never);
      assert.equal(error.name, ErrorClass.name);
      assert.match(error.code, /^CONFIDE_CRYPTO_[A-Z_]+$/);
      assert.ok(!codes.has(error.code), `duplicate code ${error.code}`);
      codes.add(error.code);
    }
  });
});

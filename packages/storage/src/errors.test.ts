import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ConfideStorageError,
  StorageCidInvalidError,
  StorageClosedError,
  StorageConfigInvalidError,
  StorageContentMismatchError,
  StorageNotFoundError,
  StorageRequestFailedError,
  StorageSourceInvalidError,
  StorageUnreachableError,
} from './errors.js';

describe('ConfideStorageError', () => {
  it('gives each subclass a literal name and a stable code', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const cases: [ConfideStorageError, string, string][] = [
      [new StorageCidInvalidError('x', 'bad'), 'StorageCidInvalidError', 'CONFIDE_STORAGE_CID_INVALID'],
      [new StorageNotFoundError('bafk'), 'StorageNotFoundError', 'CONFIDE_STORAGE_NOT_FOUND'],
      [
        new StorageContentMismatchError({ expected: 'a', actual: 'b', source: 's' }),
        'StorageContentMismatchError',
        'CONFIDE_STORAGE_CONTENT_MISMATCH',
      ],
      [new StorageUnreachableError('http://h', refused), 'StorageUnreachableError', 'CONFIDE_STORAGE_UNREACHABLE'],
      [
        new StorageRequestFailedError({ url: 'http://h', status: 500, serverMessage: 'm' }),
        'StorageRequestFailedError',
        'CONFIDE_STORAGE_REQUEST_FAILED',
      ],
      [new StorageConfigInvalidError('r'), 'StorageConfigInvalidError', 'CONFIDE_STORAGE_CONFIG_INVALID'],
      [new StorageSourceInvalidError('r'), 'StorageSourceInvalidError', 'CONFIDE_STORAGE_SOURCE_INVALID'],
      [new StorageClosedError(), 'StorageClosedError', 'CONFIDE_STORAGE_CLOSED'],
    ];
    for (const [error, name, code] of cases) {
      assert.ok(error instanceof ConfideStorageError && error instanceof Error);
      assert.equal(error.name, name);
      assert.equal(error.code, code);
      assert.ok(error.message.startsWith(error.shortMessage));
    }
  });

  it('puts details in the message and keeps them structured', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const error = new StorageUnreachableError('http://127.0.0.1:5001/api/v0/cat', refused);
    assert.deepEqual(error.details, { url: 'http://127.0.0.1:5001/api/v0/cat', reason: 'ECONNREFUSED' });
    assert.match(error.message, /\n\nurl: http:\/\/127\.0\.0\.1:5001\/api\/v0\/cat\nreason: ECONNREFUSED$/);
    assert.equal(error.cause, refused);
  });

  it('walks the cause chain to the innermost error or the first match', () => {
    const root = new Error('disk on fire');
    const middle = new StorageNotFoundError('bafkleaf', root);
    const top = new StorageNotFoundError('bafkroot', middle);
    assert.equal(top.walk(), root);
    assert.equal(
      top.walk((e) => e instanceof StorageNotFoundError && e.details.cid === 'bafkleaf'),
      middle,
    );
    assert.equal(
      top.walk((e) => e === 'nothing'),
      null,
    );
    const alone = new StorageClosedError();
    assert.equal(alone.walk(), alone);
  });
});

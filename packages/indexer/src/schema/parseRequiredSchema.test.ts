import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IndexerInputError } from '../errors.js';
import { parseRequiredSchema } from './parseRequiredSchema.js';

describe('parseRequiredSchema', () => {
  it('flattens types, lists of accepted types and nested keys', () => {
    assert.deepEqual(
      parseRequiredSchema({ picture: ['image/png', 'image/jpeg'], email: 'string', meta: { station: 'string' } }),
      [
        { path: 'email', types: ['string'] },
        { path: 'meta.station', types: ['string'] },
        { path: 'picture', types: ['image/png', 'image/jpeg'] },
      ],
    );
  });

  it('{} requires nothing; repeated alternatives count once', () => {
    assert.deepEqual(parseRequiredSchema({}), []);
    assert.deepEqual(parseRequiredSchema({ a: ['bool', 'bool'] }), [{ path: 'a', types: ['bool'] }]);
  });

  const refusals: [string, unknown, RegExp][] = [
    ['not an object', ['string'], /requiredSchema: must be an object/],
    ['null', null, /requiredSchema: must be an object/],
    ['a key with a dot', { 'a.b': 'string' }, /requiredSchema\.a\.b: keys use only/],
    ['an empty nested object', { meta: {} }, /requiredSchema\.meta: an empty object requires nothing/],
    ['an empty list', { a: [] }, /requiredSchema\.a: must be a type/],
    ['a number', { a: 1 }, /requiredSchema\.a: must be a type/],
    ['a list holding a number', { a: ['string', 2] }, /requiredSchema\.a: 2 is not a type name/],
    [
      'a type with spaces',
      { meta: { station: 'str ing' } },
      /requiredSchema\.meta\.station: "str ing" is not a type name/,
    ],
  ];
  for (const [what, value, message] of refusals) {
    it(`error: ${what} → IndexerInputError naming the key`, () => {
      assert.throws(
        () => parseRequiredSchema(value),
        (error: unknown) =>
          error instanceof IndexerInputError &&
          error.code === 'CONFIDE_INDEXER_INVALID_INPUT' &&
          message.test(error.shortMessage),
      );
    });
  }
});

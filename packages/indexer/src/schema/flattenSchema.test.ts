import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { flattenSchema } from './flattenSchema.js';

describe('flattenSchema', () => {
  it('lists the leaves of a nested schema as dotted paths, sorted', () => {
    assert.deepEqual(flattenSchema('{"meta":{"year":"f64","station":"string"},"csv":"application/octet-stream"}'), [
      { path: 'csv', type: 'application/octet-stream' },
      { path: 'meta.station', type: 'string' },
      { path: 'meta.year', type: 'f64' },
    ]);
  });

  it('keeps any type name the chain carries (legacy `boolean`, unknown MIME types)', () => {
    assert.deepEqual(flattenSchema('{"ok":"boolean","clip":"video/x-unknown"}'), [
      { path: 'clip', type: 'video/x-unknown' },
      { path: 'ok', type: 'boolean' },
    ]);
  });

  it('error: text that is no schema yields null (not JSON, not an object, bad key, empty, non-string leaf)', () => {
    for (const text of [
      'not json',
      '[]',
      '"string"',
      '{}',
      '{"a.b":"string"}',
      '{"a":{}}',
      '{"a":1}',
      '{"a":""}',
      '{"a":["string"]}',
    ]) {
      assert.equal(flattenSchema(text), null, text);
    }
  });

  it('error: a schema nested deeper than 32 levels yields null', () => {
    const deep = `${'{"a":'.repeat(40)}"string"${'}'.repeat(40)}`;
    assert.equal(flattenSchema(deep), null);
  });
});

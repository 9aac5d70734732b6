import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createCidDeriver, deriveCid } from './deriveCid.js';
import { CONFIDE_IMPORT_PARAMETERS } from './importParameters.js';
import { MIB, pseudoRandomBytes, pseudoRandomStream } from './testing.js';

describe('deriveCid', () => {
  it('gives the CID and size of bytes and of a stream alike, storing nothing', async () => {
    const bytes = await pseudoRandomBytes(3 * MIB + 5, 'derive');
    const fromBytes = await deriveCid(bytes);
    assert.deepEqual(await deriveCid(pseudoRandomStream(3 * MIB + 5, 'derive', 65_536)), fromBytes);
    assert.equal(fromBytes.size, 3 * MIB + 5);
    assert.match(fromBytes.cid, /^bafybei/);
    assert.deepEqual(await deriveCid(new Uint8Array(0)), {
      cid: 'bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku',
      size: 0,
    });
  });

  it('error: a source that is not bytes gives SOURCE_INVALID', async () => {
    await assert.rejects(deriveCid('text' as unknown as Uint8Array), { code: 'CONFIDE_STORAGE_SOURCE_INVALID' });
  });
});

describe('createCidDeriver', () => {
  it('derives the same CID from chunks written one by one, with backpressure', async () => {
    const size = 40 * CONFIDE_IMPORT_PARAMETERS.chunkSize + 1;
    const deriver = createCidDeriver();
    for await (const chunk of pseudoRandomStream(size, 'deriver', 100_000)) await deriver.write(chunk);
    assert.equal(String(await deriver.end()), (await deriveCid(pseudoRandomStream(size, 'deriver'))).cid);
  });
});

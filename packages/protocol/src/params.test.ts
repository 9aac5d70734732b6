import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDealParams, splitArgs } from './params.js';

const RECIPIENT = `age1${'q'.repeat(58)}`;

describe('parseDealParams', () => {
  it('reads every known key', () => {
    const params = parseDealParams(
      JSON.stringify({
        iexec_args: `--station 'paris 01' --p "9\\"5"`,
        iexec_input_files: ['https://example.org/a.csv'],
        iexec_secrets: { '1': 'api-key', '12': 'token_2' },
        iexec_result_encryption: true,
        iexec_result_storage_provider: 'ipfs',
        confide_result_recipient: RECIPIENT,
        bulk_cid: 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy',
      }),
    );
    assert.deepEqual(params, {
      args: ['--station', 'paris 01', '--p', '9"5'],
      inputFiles: ['https://example.org/a.csv'],
      secrets: { '1': 'api-key', '12': 'token_2' },
      resultRecipient: RECIPIENT,
      resultStorageProvider: 'ipfs',
      bulkCid: 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy',
    });
  });

  it('empty params are no params, and a non-JSON string is the arguments (as iExec workers read it)', () => {
    assert.deepEqual(parseDealParams(''), { args: [], inputFiles: [], secrets: {}, resultStorageProvider: 'ipfs' });
    assert.deepEqual(parseDealParams('--mean pm2_5').args, ['--mean', 'pm2_5']);
    assert.deepEqual(parseDealParams('[1,2]').args, ['[1,2]']);
  });

  const invalid: [string, unknown, RegExp][] = [
    ['an unknown key', { iexec_argz: 'x' }, /unknown key\(s\): iexec_argz/],
    ['args that are not a string', { iexec_args: ['a'] }, /iexec_args must be a string/],
    ['an input file that is not http(s)', { iexec_input_files: ['file:///etc/passwd'] }, /http\(s\) URLs/],
    ['a secret index 0', { iexec_secrets: { '0': 'a' } }, /entry 0/],
    ['a secret name with a slash', { iexec_secrets: { '1': 'a/b' } }, /entry 1/],
    ['result encryption turned off', { iexec_result_encryption: false }, /can only be true/],
    ['another storage provider', { iexec_result_storage_provider: 'dropbox' }, /'dropbox' is not served/],
    ['a recipient that is not age', { confide_result_recipient: 'ssh-ed25519 AAAA' }, /age recipient/],
    ['a bulk_cid that is not a CID', { bulk_cid: '../../etc/passwd' }, /bulk_cid must be the CID/],
    ['a bulk_cid that is not a string', { bulk_cid: 7 }, /bulk_cid must be the CID/],
  ];
  for (const [name, params, details] of invalid) {
    it(`refuses ${name} with CONFIDE_DEAL_PARAMS_INVALID`, () => {
      assert.throws(
        () => parseDealParams(JSON.stringify(params)),
        (error: Error & { code?: string; details?: string }) =>
          error.name === 'DealParamsInvalidError' &&
          error.code === 'CONFIDE_DEAL_PARAMS_INVALID' &&
          details.test(String(error.details)),
      );
    });
  }
});

describe('splitArgs', () => {
  it('splits as a shell without expansion', () => {
    assert.deepEqual(splitArgs('  a  b\tc '), ['a', 'b', 'c']);
    assert.deepEqual(splitArgs(`'a b' "c d" e\\ f ''`), ['a b', 'c d', 'e f', '']);
    assert.deepEqual(splitArgs(`"$HOME" '\\n'`), ['$HOME', '\\n']);
  });

  it('refuses an unclosed quote and arguments over 4,096 characters', () => {
    assert.throws(() => splitArgs(`"open`), {
      name: 'DealParamsInvalidError',
      details: 'unclosed " quote in the arguments',
    });
    assert.throws(() => splitArgs('a'.repeat(4097)), { name: 'DealParamsInvalidError' });
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runConfide } from './testing/runConfide.js';

/** Runs the real binary with no network and no wallet around. */
const confide = (args: string[]) => runConfide(args, { CONFIDE_HOME: '/nonexistent' });

describe('confide command line', () => {
  it('--help exits 0 and lists the DataProtector verbs', async () => {
    const { code, stdout } = await confide(['--help']);
    assert.equal(code, 0);
    for (const verb of ['protect', 'grant', 'revoke', 'list', 'run', 'result', 'wallet', 'account']) {
      assert.match(stdout, new RegExp(`\\n  ${verb} `), verb);
    }
  });

  it('error: a missing required flag with --json exits 2 with CONFIDE_CLI_USAGE as the only stdout', async () => {
    const { code, stdout, stderr } = await confide(['grant', `0x${'11'.repeat(20)}`, '--json']);
    assert.equal(code, 2);
    assert.equal(JSON.parse(stdout).error.code, 'CONFIDE_CLI_USAGE');
    assert.match(stderr, /required option '--app <app>' not specified/);
  });

  it('error: a group without its subcommand (confide wallet) exits 2', async () => {
    const { code, stderr } = await confide(['wallet']);
    assert.equal(code, 2);
    assert.match(stderr, /create \[options\]/);
  });

  it('error: an amount that is not CFD exits 2 with CONFIDE_CLI_INVALID_INPUT before any network is read', async () => {
    const { code, stdout } = await confide(['account', 'deposit', 'ten', '--json']);
    assert.equal(code, 2);
    const { error } = JSON.parse(stdout);
    assert.equal(error.code, 'CONFIDE_CLI_INVALID_INPUT');
    assert.match(error.message, /amount must be an amount of CFD/);
  });
});

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';

const BIN = path.join(import.meta.dirname, 'bin.ts');

/** Runs the real binary with no network and no wallet around. */
async function confide(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', BIN, ...args], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', CONFIDE_HOME: '/nonexistent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, stdout, stderr };
}

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

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildBwrapArgs, listSystemPaths } from './buildBwrapArgs.js';

const base = {
  bundleDir: '/work/task/app',
  inputDir: '/work/task/in',
  outputDir: '/work/task/out',
  nodePath: '/usr/bin/node',
  entrypoint: 'src/main.mjs',
  args: ['--flag', 'value'],
  env: { IEXEC_OUT: '/iexec_out', IEXEC_REQUESTER_SECRET_1: 'hunter2' },
  tmpSizeBytes: 1024,
  systemPaths: [{ path: '/usr' }, { path: '/lib', symlinkTarget: 'usr/lib' }],
};

/** The value following `flag` each time it occurs, as "value" or "a b" for two-operand flags. */
function operands(argv: string[], flag: string, count = 1): string[] {
  return argv.flatMap((arg, i) => (arg === flag ? [argv.slice(i + 1, i + 1 + count).join(' ')] : []));
}

describe('buildBwrapArgs', () => {
  it('unshares every namespace and mounts only the system, the task folders, /proc, /dev and /tmp', () => {
    const { argv } = buildBwrapArgs(base);
    for (const flag of ['--unshare-all', '--unshare-user', '--disable-userns', '--die-with-parent', '--new-session']) {
      assert.ok(argv.includes(flag), flag);
    }
    assert.equal(argv.includes('--share-net'), false);
    assert.deepEqual(operands(argv, '--ro-bind', 2), ['/usr /usr', '/work/task/app /app', '/work/task/in /iexec_in']);
    assert.deepEqual(operands(argv, '--bind', 2), ['/work/task/out /iexec_out']);
    assert.deepEqual(operands(argv, '--symlink', 2), ['usr/lib /lib']);
    assert.deepEqual(operands(argv, '--remount-ro'), ['/dev', '/']);
    assert.deepEqual(operands(argv, '--size', 3), ['1024 --tmpfs /tmp']);
    assert.ok(argv.indexOf('--remount-ro') > argv.indexOf('--bind'), 'remounts after every mount');
  });

  it('runs node on the entrypoint with the arguments, after a launcher', () => {
    const { argv } = buildBwrapArgs(base);
    const command = argv.slice(argv.indexOf('--') + 1);
    assert.equal(command[0], '/bin/sh');
    assert.deepEqual(command.slice(-4), ['/usr/bin/node', '/app/src/main.mjs', '--flag', 'value']);
  });

  it('passes the environment through the descriptor only, never the command line', () => {
    const { argv, fdArgs } = buildBwrapArgs(base);
    assert.ok(argv.includes('--clearenv'));
    assert.equal(argv.join(' ').includes('hunter2'), false);
    assert.deepEqual(fdArgs, [
      '--setenv',
      'IEXEC_OUT',
      '/iexec_out',
      '--setenv',
      'IEXEC_REQUESTER_SECRET_1',
      'hunter2',
    ]);
  });

  it('mounts a node binary that lives outside the system folders', () => {
    const { argv } = buildBwrapArgs({ ...base, nodePath: '/opt/node/bin/node' });
    assert.ok(operands(argv, '--ro-bind', 2).includes('/opt/node/bin/node /opt/node/bin/node'));
  });

  it('lists the system folders of this machine without /etc beyond the loader cache', () => {
    const paths = listSystemPaths().map((entry) => entry.path);
    assert.ok(paths.includes('/usr'));
    assert.deepEqual(
      paths.filter((p) => p.startsWith('/etc')),
      paths.includes('/etc/ld.so.cache') ? ['/etc/ld.so.cache'] : [],
    );
  });
});

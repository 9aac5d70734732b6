// Runs the given test files with node's test runner, in the order given (the `--test` command line
// sorts them), two at a time, TAP on stdout; exits 1 when any test fails. scripts/test.mjs starts
// it with tsx and the polyfill loaded, which every test file's process inherits.
import { run } from 'node:test';
import { tap } from 'node:test/reporters';

const stream = run({ files: process.argv.slice(2), concurrency: 2 });
stream.on('test:fail', () => {
  process.exitCode = 1;
});
stream.compose(tap).pipe(process.stdout);

// A hostile app for the sandbox tests: each mode tries one thing the sandbox must prevent and
// prints, as one JSON line, what happened. It never decides whether it was contained; the tests do.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

const [mode, ...rest] = process.argv.slice(2);
const outcome = (fn) => {
  try {
    const value = fn();
    return value === undefined ? 'ok' : value;
  } catch (error) {
    return `error ${error.code ?? error.message}`;
  }
};

async function network(port) {
  const viaNet = await new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port: Number(port) });
    socket.setTimeout(3000);
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve('error timeout');
    });
    socket.once('error', (error) => resolve(`error ${error.code}`));
  });
  let viaFetch;
  try {
    const response = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(3000) });
    viaFetch = `status ${response.status}`;
  } catch (error) {
    viaFetch = `error ${error.cause?.code ?? error.name}`;
  }
  let dns;
  try {
    const response = await fetch('http://example.com/', { signal: AbortSignal.timeout(3000) });
    dns = `status ${response.status}`;
  } catch (error) {
    dns = `error ${error.cause?.code ?? error.name}`;
  }
  const interfaces = fs.readFileSync('/proc/net/dev', 'utf8');
  console.log(JSON.stringify({ net: viaNet, fetch: viaFetch, dns, interfaces }));
}

function write() {
  const targets = [
    '/iexec_in/x',
    '/iexec_in/data.csv',
    '/app/x',
    '/app/main.mjs',
    '/x',
    '/usr/x',
    '/etc/x',
    '/dev/x',
    '/home/x',
    '/root/x',
    '/proc/x',
  ];
  const results = {};
  for (const target of targets) results[target] = outcome(() => fs.writeFileSync(target, 'pwned'));
  results['/iexec_in/data.csv:append'] = outcome(() => fs.appendFileSync('/iexec_in/data.csv', 'pwned'));
  results['/iexec_in/data.csv:unlink'] = outcome(() => fs.unlinkSync('/iexec_in/data.csv'));
  results['/tmp/scratch'] = outcome(() => fs.writeFileSync('/tmp/scratch', `scratch ${rest[0] ?? ''}`));
  results['/iexec_out/ok.txt'] = outcome(() => fs.writeFileSync('/iexec_out/ok.txt', 'ok'));
  console.log(JSON.stringify(results));
}

function secrets(paths) {
  const seen = { env: process.env, uid: process.getuid(), gid: process.getgid() };
  const read = (file) => outcome(() => fs.readFileSync(file, 'utf8'));
  const list = (dir) => outcome(() => fs.readdirSync(dir).join(','));
  for (const target of paths) {
    seen[`read ${target}`] = read(target);
    seen[`list ${target}`] = list(target);
  }
  for (const dir of ['/', '/root', '/home', '/etc', '/tmp', '/run', '/var', '/work', '/proc'])
    seen[`list ${dir}`] = list(dir);
  for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    seen[`/proc/${pid}/environ`] = read(`/proc/${pid}/environ`);
    seen[`/proc/${pid}/cmdline`] = read(`/proc/${pid}/cmdline`);
  }
  seen.fds = Object.fromEntries(
    fs.readdirSync('/proc/self/fd').map((fd) => [fd, outcome(() => fs.readlinkSync(`/proc/self/fd/${fd}`))]),
  );
  console.log(JSON.stringify(seen));
}

function memory() {
  const kept = [];
  for (;;) {
    kept.push(Buffer.alloc(8 * 1024 * 1024, kept.length));
    console.log(`allocated ${kept.length * 8} MiB`);
  }
}

async function forkBomb(marker, hold) {
  if (hold === 'hold') {
    // The real bomb: every shell forks copies of itself in an endless loop, so it refills any
    // free slot (bash, unlike dash, survives a refused fork); $0 carries the marker into every copy.
    const bomb = spawn('/bin/bash', ['-c', 'b() { while :; do b & done; }; b', marker], {
      stdio: 'ignore',
      detached: true,
    });
    bomb.on('error', () => {});
    bomb.unref();
    for (;;);
  }
  // Deterministic variant: keep starting long-lived processes, one after the other, until the
  // kernel refuses a fork (libuv reports EAGAIN at once; bash would retry with backoff). No race
  // with a bomb for the CPU, so it holds on a loaded machine. argv0 carries the marker.
  for (let started = 0; started < 10_000; started++) {
    const outcome = await new Promise((resolve) => {
      const child = spawn('/bin/sleep', ['600'], { argv0: marker, detached: true, stdio: 'ignore' });
      child.once('spawn', () => {
        child.unref();
        resolve('started');
      });
      child.once('error', (error) => resolve(error.code));
    });
    if (outcome === 'EAGAIN') {
      fs.writeSync(1, `contained: fork refused with EAGAIN after ${started} processes\n`);
      return;
    }
    if (outcome !== 'started') {
      console.log(`unexpected spawn failure: ${outcome}`);
      process.exitCode = 1;
      return;
    }
  }
  console.log('not contained: forks never refused');
  process.exitCode = 1;
}

function escapeOutput(how) {
  // A computed.json whose deterministic output leaves /iexec_out: by "..", or through a link
  // that resolves to a host file once the worker reads the folder outside the sandbox.
  fs.writeFileSync('/iexec_out/result.txt', 'result');
  let declared = '/iexec_out/../../etc/passwd';
  if (how === 'link') {
    fs.symlinkSync('/etc/passwd', '/iexec_out/linked');
    declared = '/iexec_out/linked';
  }
  fs.writeFileSync('/iexec_out/computed.json', JSON.stringify({ 'deterministic-output-path': declared }));
}

if (mode === 'network') await network(rest[0]);
else if (mode === 'write') write();
else if (mode === 'secrets') secrets(rest);
else if (mode === 'spin') for (;;);
else if (mode === 'memory') memory();
else if (mode === 'forkbomb') await forkBomb(rest[0], rest[1]);
else if (mode === 'signal') process.kill(process.pid, rest[0]);
else if (mode === 'escape') escapeOutput(rest[0]);
else if (mode === 'exit') process.exit(Number(rest[0]));
else if (mode === 'env') console.log(JSON.stringify(process.env));
else {
  console.error(`unknown mode ${mode}`);
  process.exit(2);
}

// End-to-end figures of the workerpool on the devnet (anvil, instant mining), all real processes:
// 1. overhead of one trivial task: request signed → result decrypted, minus the bare app run
//    time (the same bundle in the same sandbox, no chain, no enclave), measured in the same run;
//    p50 and p95 over CONFIDE_BENCH_TASKS sequential tasks (default 20);
// 2. throughput with 2 workers (1 slot each): one deal of CONFIDE_BENCH_VOLUME tasks (default
//    40), from match to the last task settled, in tasks per minute.
// Run: npm run bench:workerpool

import { chmodSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runSandboxed, unpackBundle } from '../packages/enclave/src/index.js';
import { fetchWorkerpoolOrder } from '../packages/workerpool/src/requester/fetchWorkerpoolOrder.js';
import { runConfidentialTask } from '../packages/workerpool/src/requester/runConfidentialTask.js';
import { PRICE, publishApp, writeApp } from '../packages/workerpool/test/marketplace.js';
import { startNetwork } from '../packages/workerpool/test/network.js';

const TASKS = Number(process.env.CONFIDE_BENCH_TASKS ?? 20);
const VOLUME = BigInt(process.env.CONFIDE_BENCH_VOLUME ?? 40);
const TRIVIAL = `
import { writeFileSync } from 'node:fs';
writeFileSync(process.env.IEXEC_OUT + '/out.txt', 'ok');
writeFileSync(process.env.IEXEC_OUT + '/computed.json', JSON.stringify({ 'deterministic-output-path': process.env.IEXEC_OUT + '/out.txt' }));
`;

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
};
const ms = (v: number) => `${v.toFixed(0)} ms`;

/** The bare app run: the bundle in the sandbox, nothing else. */
async function bareRun(bundle: Uint8Array): Promise<number> {
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-bare-'));
  chmodSync(dir, 0o711);
  try {
    const bundleDir = path.join(dir, 'app');
    await unpackBundle(bundle, bundleDir);
    const inputDir = await mkdtemp(path.join(dir, 'in-'));
    const outputDir = await mkdtemp(path.join(dir, 'out-'));
    chmodSync(inputDir, 0o755);
    const started = performance.now();
    const run = await runSandboxed({
      bundleDir,
      inputDir,
      outputDir,
      env: { IEXEC_OUT: '/iexec_out', IEXEC_IN: '/iexec_in' },
      timeLimitMs: 30_000,
      memoryLimitBytes: 512 * 2 ** 20,
      maxProcesses: 64,
    });
    if (run.status !== 'exited' || run.exitCode !== 0) throw new Error(`bare run failed: ${JSON.stringify(run)}`);
    return performance.now() - started;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const net = await startNetwork({ workers: 2, workerpoolPrice: PRICE.workerpool });
try {
  const { bundle, order: appOrder } = await publishApp(net, {
    folder: await writeApp('trivial', TRIVIAL),
    name: 'trivial',
  });
  const workerpoolOrder = await fetchWorkerpoolOrder(net.scheduler.url);
  const base = {
    ...net.clients(net.roles.requester),
    hub: net.hub,
    storage: net.storage,
    appOrder,
    workerpoolOrder,
    pollMs: 20,
  };
  await runConfidentialTask(base); // Warm-up: caches, JIT, first connections.

  const overheads: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < TASKS; i++) {
    const bareMs = await bareRun(bundle);
    const started = performance.now();
    const { tasks } = await runConfidentialTask(base);
    const total = performance.now() - started;
    if (tasks[0]?.status !== 'COMPLETED') throw new Error(`task ${i} did not complete: ${JSON.stringify(tasks[0])}`);
    bare.push(bareMs);
    overheads.push(total - bareMs);
  }
  console.log(`one trivial task, ${TASKS} runs (request signed → result decrypted, minus the bare app run):`);
  console.log(`  bare app run in the sandbox (baseline): p50 ${ms(quantile(bare, 0.5))}`);
  console.log(`  overhead p50 ${ms(quantile(overheads, 0.5))}  p95 ${ms(quantile(overheads, 0.95))}`);
  console.log(
    `  end-to-end / bare run: p50 ${((quantile(overheads, 0.5) + quantile(bare, 0.5)) / quantile(bare, 0.5)).toFixed(1)}×`,
  );

  const started = performance.now();
  const { tasks } = await runConfidentialTask({ ...base, volume: VOLUME, timeoutMs: 600_000 });
  const seconds = (performance.now() - started) / 1000;
  const completed = tasks.filter((t) => t.status === 'COMPLETED').length;
  console.log(`throughput, 2 workers × 1 slot, one deal of ${VOLUME} trivial tasks:`);
  console.log(
    `  ${completed}/${tasks.length} completed in ${seconds.toFixed(1)} s = ${((completed / seconds) * 60).toFixed(0)} tasks/min` +
      ` (bare sequential runs would do ${(60_000 / quantile(bare, 0.5)).toFixed(0)} /min on one slot)`,
  );
} finally {
  await net.stop();
}

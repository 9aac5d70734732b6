import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { type Hex, isHex } from 'viem';
import {
  type CommonOptions,
  clientsFor,
  dataProtectorFor,
  parseAddress,
  parseAmount,
  parseApp,
  protocol,
  requireProtectedData,
  withNetwork,
  withOutput,
  withWallet,
} from '../context.js';
import { CliError } from '../errors.js';
import { loadNetwork, type Network } from '../network.js';
import { note, printResult, progress } from '../output.js';
import { ensureResultKey, findWallet, readResultKey, resultKeyFile, unlockWallet } from '../wallets.js';

const RUN_STEPS = [
  'FETCH_ORDERS',
  'PUSH_REQUESTER_SECRET',
  'GENERATE_ENCRYPTION_KEY',
  'REQUEST_TO_PROCESS_PROTECTED_DATA',
  'TASK_EXECUTION',
  'TASK_RESULT_DOWNLOAD',
  'TASK_RESULT_DECRYPT',
] as const;

type RunOptions = CommonOptions & {
  app: string;
  args?: string;
  secret?: string[];
  dataMaxPrice: string;
  appMaxPrice: string;
  workerpoolMaxPrice: string;
  workerpool?: string;
  out?: string;
  wait: boolean;
};

const defaultOut = (taskId: Hex) => `confide-result-${taskId.slice(2, 10)}`;

/** Writes the result's files under `out`, refusing names that would leave it. */
async function writeFiles(out: string, files: Map<string, Uint8Array>): Promise<string[]> {
  const root = path.resolve(out);
  const written: string[] = [];
  for (const [name, bytes] of files) {
    const target = path.resolve(root, name);
    if (!target.startsWith(`${root}${path.sep}`)) continue;
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, bytes);
    written.push(name);
  }
  return written.sort();
}

/** `--secret 1=value` (repeatable) → requester secrets by index. */
function parseSecrets(values: string[]): Record<number, string> {
  const secrets: Record<number, string> = {};
  for (const value of values) {
    const match = /^(\d+)=(.+)$/s.exec(value);
    if (!match) throw new CliError('CONFIDE_CLI_INVALID_INPUT', { details: '--secret must be <index>=<value>' });
    secrets[Number(match[1])] = match[2] as string;
  }
  return secrets;
}

async function taskStatus(network: Network, taskId: Hex) {
  const { confideHubAbi, TaskStatus } = await protocol();
  const task = await (await clientsFor(network)).publicClient.readContract({
    address: network.hub,
    abi: confideHubAbi,
    functionName: 'viewTask',
    args: [taskId],
  });
  return TaskStatus[task.status] ?? 'UNSET';
}

const summary = (taskId: Hex, out: string, files: string[]) => [
  `task ${taskId} completed`,
  `decrypted result in ${out}: ${files.join(', ')}`,
];

/** `confide run` and `confide result`. */
export function registerRunCommands(program: Command): void {
  withOutput(
    withWallet(
      withNetwork(
        program
          .command('run <protectedData>')
          .description(
            'Run an app on a protected data in a TEE: match the orders (paid from your escrow), follow the task, ' +
              'download and decrypt the result into --out',
          )
          .requiredOption('--app <app>', 'app address, or an app name of the network (climate-stats)')
          .option('--args <args>', 'arguments for the app')
          .option('--secret <index=value>', 'a requester secret for the app (repeatable)', (v, p: string[] = []) => [
            ...p,
            v,
          ])
          .option('--data-max-price <cfd>', 'most you pay the data owner', '0')
          .option('--app-max-price <cfd>', 'most you pay the app developer', '0')
          .option('--workerpool-max-price <cfd>', 'most you pay the workerpool', '0')
          .option('--workerpool <address>', "run on this workerpool only (default: the market's cheapest)")
          .option('--out <dir>', 'where the decrypted result goes (default ./confide-result-<task>)')
          .option('--no-wait', 'return once the task is requested (then: confide result <taskId>)'),
      ),
    ),
  ).action(async (protectedData: string, o: RunOptions) => {
    const dataset = parseAddress(protectedData, 'protectedData');
    const dataMaxPrice = parseAmount(o.dataMaxPrice, '--data-max-price');
    const appMaxPrice = parseAmount(o.appMaxPrice, '--app-max-price');
    const workerpoolMaxPrice = parseAmount(o.workerpoolMaxPrice, '--workerpool-max-price');
    const workerpool = o.workerpool === undefined ? undefined : parseAddress(o.workerpool, '--workerpool');
    const secrets = parseSecrets(o.secret ?? []);
    const network = await loadNetwork(o);
    const app = parseApp(network, o.app);
    const { account } = await unlockWallet(o);
    await requireProtectedData(network, dataset);
    const resultKey = await ensureResultKey(account.address);
    const dp = await dataProtectorFor(network, account);
    try {
      const run = await dp.processProtectedData({
        protectedData: dataset,
        app,
        dataMaxPrice,
        appMaxPrice,
        workerpoolMaxPrice,
        ...(workerpool ? { workerpool } : {}),
        ...(o.args ? { args: o.args } : {}),
        ...(Object.keys(secrets).length > 0 ? { secrets } : {}),
        resultKey,
        waitForResult: o.wait,
        onStatusUpdate: progress(o, RUN_STEPS),
      });
      const base = {
        taskId: run.taskId,
        dealId: run.dealId,
        txHash: run.txHash,
        resultKey: resultKeyFile(account.address),
      };
      if (!('files' in run) || !run.files) {
        printResult(o, base, [
          `task ${run.taskId} requested (deal ${run.dealId})`,
          `then: confide result ${run.taskId}`,
        ]);
        return;
      }
      const out = o.out ?? defaultOut(run.taskId);
      const files = await writeFiles(out, run.files);
      printResult(o, { ...base, out: path.resolve(out), files }, summary(run.taskId, out, files));
    } finally {
      await dp.close();
    }
  });

  withOutput(
    withNetwork(
      program
        .command('result <taskId>')
        .description("Wait for a task to complete, download and decrypt its result with the wallet's result key")
        .option('--out <dir>', 'where the decrypted result goes (default ./confide-result-<task>)')
        .option('--key <file>', "an age identity file (default: the wallet's result key)")
        .option('--wallet <name|address>', 'the wallet that requested the task')
        .option('--keystore <file>', 'its keystore file'),
    ),
  ).action(async (taskId: string, o: CommonOptions & { out?: string; key?: string }) => {
    if (!isHex(taskId) || taskId.length !== 66) {
      throw new CliError('CONFIDE_CLI_INVALID_INPUT', { details: 'taskId must be 32 bytes of hex' });
    }
    const network = await loadNetwork(o);
    const key = await readResultKey(o.key ?? resultKeyFile((await findWallet(o)).address));
    const status = await taskStatus(network, taskId);
    if (status === 'UNSET') {
      throw new CliError('CONFIDE_CLI_UNKNOWN_ADDRESS', { details: `no task ${taskId} on chain ${network.chainId}` });
    }
    const dp = await dataProtectorFor(network);
    try {
      if (status !== 'COMPLETED') {
        note(o, `task ${taskId} is ${status}; waiting…`);
        await dp.waitForTaskCompletion({ taskId, onStatusUpdate: progress(o, ['TASK_UPDATED']) });
      }
      const { files } = await dp.getResultFromCompletedTask({ taskId, resultIdentity: key.identity });
      const out = o.out ?? defaultOut(taskId);
      const written = await writeFiles(out, files);
      printResult(o, { taskId, out: path.resolve(out), files: written }, summary(taskId, out, written));
    } finally {
      await dp.close();
    }
  });
}

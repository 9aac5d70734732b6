// Runs the real `confide` binary (or a shell script) as a user's shell would, for the CLI tests.
import { spawn } from 'node:child_process';
import { binArgs } from '../stack/bins.js';

/** What one run printed and how it exited. */
type ProcessRun = { code: number | null; stdout: string; stderr: string };

/** Runs `command` with only PATH and `env` in its environment, and collects its output. */
export async function runProcess(
  command: string,
  args: string[],
  env: Record<string, string> = {},
  cwd?: string,
): Promise<ProcessRun> {
  const child = spawn(command, args, {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(cwd ? { cwd } : {}),
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

/** Runs `confide …args` with only PATH and `env` in its environment. */
export const runConfide = (args: string[], env: Record<string, string> = {}): Promise<ProcessRun> =>
  runProcess(process.execPath, [...binArgs('confide'), ...args], env);

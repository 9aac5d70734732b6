// The stack of `confide start` in a temporary folder on free ports, for tests and benches.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Stack, type StartStackOptions, startStack } from '../../cli/src/stack/startStack.js';

/** A running stack that removes its folder when stopped. */
export type Network = Stack;

/** Starts the whole stack as child processes in a fresh temporary folder, on free ports. */
export async function startNetwork(options: Omit<StartStackOptions, 'stateDir' | 'ports'> = {}): Promise<Network> {
  const dir = await mkdtemp(path.join(tmpdir(), 'confide-net-'));
  try {
    const stack = await startStack({ ...options, stateDir: dir, ports: 'auto' });
    return {
      ...stack,
      async stop() {
        await stack.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

import { createRequire } from 'node:module';
import type { Account, EIP1193Provider, Hex, LocalAccount } from 'viem';
import { mnemonicToAccount } from 'viem/accounts';
import { type ChainClients, createChainClients } from '../../../packages/protocol/src/index.js';

/** The well-known development mnemonic (also anvil's): never holds real value. */
const DEV_MNEMONIC = 'test test test test test test test test test test test junk';

/** An in-process EVM (Hardhat's EDR) with clients for each of its funded accounts. */
export type TestChain = {
  provider: EIP1193Provider;
  accounts: LocalAccount[];
  clientsOf: (account: Account) => ChainClients;
  snapshot: () => Promise<Hex>;
  revert: (id: Hex) => Promise<void>;
  increaseTime: (seconds: number | bigint) => Promise<void>;
  now: () => Promise<bigint>;
};

/** Starts the in-process chain of this test process (one per `node --test` file). */
export function createTestChain(accountCount = 10): TestChain {
  const require = createRequire(import.meta.url);
  const provider = withRevertData(require('hardhat').network.provider as EIP1193Provider);
  const accounts = Array.from({ length: accountCount }, (_, addressIndex) =>
    mnemonicToAccount(DEV_MNEMONIC, { addressIndex }),
  );
  const cache = new Map<string, ChainClients>();
  const request = provider.request as (args: { method: string; params?: unknown[] }) => Promise<unknown>;
  return {
    provider,
    accounts,
    clientsOf: (account) => {
      let clients = cache.get(account.address);
      if (!clients) {
        clients = createChainClients({ rpc: provider, chainId: 31337, account, pollingInterval: 5 });
        cache.set(account.address, clients);
      }
      return clients;
    },
    snapshot: async () => (await request({ method: 'evm_snapshot' })) as Hex,
    revert: async (id) => {
      await request({ method: 'evm_revert', params: [id] });
    },
    increaseTime: async (seconds) => {
      await request({ method: 'evm_increaseTime', params: [Number(seconds)] });
      await request({ method: 'evm_mine' });
    },
    now: async () => {
      const block = (await request({ method: 'eth_getBlockByNumber', params: ['latest', false] })) as {
        timestamp: Hex;
      };
      return BigInt(block.timestamp);
    },
  };
}

/**
 * Hardhat reports reverts as errors whose revert data sits on a nested cause without the
 * JSON-RPC code 3 that viem decodes; re-throw them in the standard shape.
 */
function withRevertData(inner: EIP1193Provider): EIP1193Provider {
  const request = async (args: { method: string; params?: unknown }) => {
    try {
      return await (inner.request as (a: unknown) => Promise<unknown>)(args);
    } catch (error) {
      const data = findRevertData(error);
      if (data === undefined) throw error;
      throw Object.assign(new Error((error as Error).message), { code: 3, data });
    }
  };
  return { ...inner, request } as unknown as EIP1193Provider;
}

function findRevertData(error: unknown): Hex | undefined {
  for (let e = error as { data?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 6; depth++) {
    if (typeof e.data === 'string' && e.data.startsWith('0x')) return e.data as Hex;
    if (e.data && typeof e.data === 'object' && typeof (e.data as { data?: unknown }).data === 'string') {
      return (e.data as { data: Hex }).data;
    }
    e = e.cause as typeof e;
  }
  return undefined;
}

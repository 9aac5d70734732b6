import assert from 'node:assert/strict';
import {
  type Abi,
  type Account,
  type Address,
  type ContractFunctionArgs,
  type ContractFunctionName,
  decodeErrorResult,
  type EncodeFunctionDataParameters,
  encodeFunctionData,
  type Hex,
  numberToHex,
} from 'viem';
import { confideHubAbi } from '../../../packages/protocol/src/index.js';
import type { TestChain } from './chain.js';

/** What a transaction did: succeeded, or reverted with a decoded custom error. */
export type Outcome = { ok: true } | { ok: false; errorName: string; args: readonly unknown[] };

/** Gas limit of every transaction: far above any hub call here, far below the block limit. */
const GAS = numberToHex(8_000_000);

/**
 * A lean transaction sender for long randomized runs: `eth_sendTransaction` from the node's
 * unlocked development accounts with a fixed gas limit, so one round trip replaces viem's
 * nonce, fee, gas-estimate and receipt-polling requests. The in-process chain automines, so the
 * transaction is mined when the call returns; a reverted one is mined too, and reported as its
 * decoded custom error rather than thrown. Callers must await each send before the next one.
 */
export function hubSender(chain: TestChain, hub: Address) {
  return contractSender(chain, hub, confideHubAbi);
}

/**
 * {@link hubSender} for any contract: `abi` encodes the calls and decodes the reverts, so it must
 * list the errors of every contract the calls reach (the sharing contract's client ABI lists the hub's).
 */
export function contractSender<const TAbi extends Abi>(chain: TestChain, to: Address, abi: TAbi) {
  const request = chain.provider.request as (args: { method: string; params?: unknown[] }) => Promise<unknown>;
  return async function send<F extends ContractFunctionName<TAbi, 'nonpayable'>>(
    from: Account,
    functionName: F,
    args: ContractFunctionArgs<TAbi, 'nonpayable', F>,
  ): Promise<Outcome> {
    const data = encodeFunctionData({ abi, functionName, args } as unknown as EncodeFunctionDataParameters);
    let hash: Hex;
    try {
      hash = (await request({
        method: 'eth_sendTransaction',
        params: [{ from: from.address, to, data, gas: GAS }],
      })) as Hex;
    } catch (error) {
      const revertData = (error as { data?: unknown }).data;
      if (typeof revertData !== 'string' || !revertData.startsWith('0x')) throw error;
      const decoded = decodeErrorResult({ abi: abi as Abi, data: revertData as Hex });
      return { ok: false, errorName: decoded.errorName, args: decoded.args ?? [] };
    }
    const receipt = (await request({ method: 'eth_getTransactionReceipt', params: [hash] })) as { status: Hex } | null;
    assert.equal(receipt?.status, '0x1', `${functionName} was mined and succeeded`);
    return { ok: true };
  };
}

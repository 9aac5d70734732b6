import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createWalletClient, custom, type Hex, recoverTypedDataAddress } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { foundry } from 'viem/chains';
import { walletSigner } from './walletSigner.js';

const KEY = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';
const TYPED = {
  domain: { name: 'Confide', version: '1', chainId: 31337 },
  types: { Ping: [{ name: 'n', type: 'uint256' }] },
  primaryType: 'Ping',
  message: { n: 7n },
} as const;

describe('walletSigner', () => {
  it("a browser wallet's account (JSON-RPC) signs typed data through the wallet, as a local account would", async () => {
    const local = privateKeyToAccount(KEY);
    const calls: string[] = [];
    // A stand-in for window.ethereum: it holds the key and answers eth_signTypedData_v4.
    const provider = {
      async request({ method, params }: { method: string; params?: unknown }) {
        calls.push(method);
        if (method !== 'eth_signTypedData_v4') throw new Error(`unexpected ${method}`);
        const [address, json] = params as [string, string];
        assert.equal(address.toLowerCase(), local.address.toLowerCase());
        const data = JSON.parse(json);
        return local.signTypedData({ ...data, message: { n: BigInt(data.message.n) } });
      },
    };
    const wallet = createWalletClient({ chain: foundry, transport: custom(provider), account: local.address });
    const signer = walletSigner(wallet);
    assert.equal(signer.address, local.address);
    const signature: Hex = await signer.signTypedData(TYPED);
    assert.deepEqual(calls, ['eth_signTypedData_v4']);
    assert.equal(await recoverTypedDataAddress({ ...TYPED, signature }), local.address);
    assert.equal(signature, await local.signTypedData(TYPED));
  });

  it('a local account is handed over as it is', () => {
    const local = privateKeyToAccount(KEY);
    const wallet = createWalletClient({
      chain: foundry,
      transport: custom({ request: async () => null }),
      account: local,
    });
    assert.equal(walletSigner(wallet), local);
  });
});

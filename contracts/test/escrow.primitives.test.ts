import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { getContract, keccak256, toHex } from 'viem';
import {
  confideTokenAbi,
  confideTokenBytecode,
  testEscrowHarnessAbi,
  testEscrowHarnessBytecode,
} from '../../packages/protocol/src/index.js';
import { createTestChain } from './helpers/chain.js';
import { expectRevert } from './helpers/world.js';

describe('Escrow primitives', () => {
  const chain = createTestChain(2);
  const [owner, user] = chain.accounts;
  if (!owner || !user) throw new Error('the test chain has two accounts');
  const harness = (address: `0x${string}`) => {
    const { publicClient, wallet } = chain.clientsOf(user);
    return getContract({ address, abi: testEscrowHarnessAbi, client: { public: publicClient, wallet } });
  };
  let escrow: ReturnType<typeof harness>;

  before(async () => {
    const { wallet, publicClient } = chain.clientsOf(owner);
    const deploy = async (hash: `0x${string}`) => {
      const { contractAddress } = await publicClient.waitForTransactionReceipt({ hash });
      assert.ok(contractAddress);
      return contractAddress;
    };
    const token = await deploy(
      await wallet.deployContract({ abi: confideTokenAbi, bytecode: confideTokenBytecode, args: [owner.address] }),
    );
    escrow = harness(
      await deploy(
        await wallet.deployContract({ abi: testEscrowHarnessAbi, bytecode: testEscrowHarnessBytecode, args: [token] }),
      ),
    );
    const userToken = getContract({ address: token, abi: confideTokenAbi, client: chain.clientsOf(user).wallet });
    for (const hash of [
      await userToken.write.faucet([user.address, 100n]),
      await userToken.write.approve([escrow.address, 100n]),
      await escrow.write.deposit([100n]),
      await escrow.write.lock([user.address, 40n]),
    ]) {
      await publicClient.waitForTransactionReceipt({ hash });
    }
  });

  it('error: unlocking more than is frozen', async () => {
    await expectRevert(escrow.write.unlock([user.address, 41n]), 'EscrowInsufficientFrozen', [user.address, 40n, 41n]);
  });

  it('error: seizing more than is frozen', async () => {
    const ref = keccak256(toHex('task'));
    await expectRevert(escrow.write.seize([user.address, 41n, ref]), 'EscrowInsufficientFrozen', [
      user.address,
      40n,
      41n,
    ]);
  });

  it('error: locking more than the free balance', async () => {
    await expectRevert(escrow.write.lock([user.address, 61n]), 'EscrowInsufficientBalance', [user.address, 60n, 61n]);
    assert.deepEqual(await escrow.read.viewAccount([user.address]), [60n, 40n], 'nothing moved');
  });
});

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import { type Hex, hexToBytes, recoverAddress, zeroAddress } from 'viem';
import { deployWorld, type World } from '../../../../contracts/test/helpers/world.js';
import { hashOrder } from '../../../protocol/src/index.js';
import { recoverOrderSigner } from './recoverOrderSigner.js';

const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const word = (n: bigint) => n.toString(16).padStart(64, '0');

describe('recoverOrderSigner', () => {
  let world: World;
  let hash: Hex;
  let sign: Hex;
  before(async () => {
    world = await deployWorld();
    const { app } = await world.orders();
    hash = hashOrder({ domain: world.domain, kind: 'AppOrder', order: app });
    sign = app.sign;
  });

  /** The market and the hub must agree on every signature: the hub decides at match time. */
  const agreesWithHub = async (signature: Hex) => {
    const recovered = recoverOrderSigner(hexToBytes(hash), signature);
    if (recovered !== null) {
      assert.equal(await world.hub.read.verifySignature([recovered, hash, signature]), true, signature);
      return;
    }
    // viem is laxer (v 0/1, high s): whoever it finds, the hub must refuse too.
    const lax = await recoverAddress({ hash, signature }).catch(() => null);
    if (lax) assert.equal(await world.hub.read.verifySignature([lax, hash, signature]), false, signature);
  };

  it('recovers the owner from its 65-byte signature and from the EIP-2098 64-byte form', async () => {
    assert.equal(recoverOrderSigner(hexToBytes(hash), sign), world.actors.appOwner.address.toLowerCase());
    const v = Number.parseInt(sign.slice(130), 16);
    const vs = (BigInt(`0x${sign.slice(66, 130)}`) | (BigInt(v - 27) << 255n)).toString(16).padStart(64, '0');
    const compact = `${sign.slice(0, 66)}${vs}` as Hex;
    assert.equal(recoverOrderSigner(hexToBytes(hash), compact), world.actors.appOwner.address.toLowerCase());
    assert.equal(await world.hub.read.verifySignature([world.actors.appOwner.address, hash, compact]), true);
  });

  it('refuses what the hub refuses: v not 27/28, high s, zero or overflowing r and s, other lengths', async () => {
    const r = sign.slice(2, 66);
    const s = BigInt(`0x${sign.slice(66, 130)}`);
    for (const bad of [
      `0x${r}${word(s)}00`,
      `0x${r}${word(s)}01`,
      `0x${r}${word(s)}1d`,
      `0x${r}${word(N - s)}1c`,
      `0x${r}${word(N - s)}1b`,
      `0x${word(0n)}${word(s)}1b`,
      `0x${r}${word(0n)}1b`,
      `0x${word(N)}${word(s)}1b`,
      `0x${word(2n ** 256n - 1n)}${word(s)}1c`,
      `0x${r}${word(s)}1b00`,
      '0x',
    ] as Hex[]) {
      assert.equal(recoverOrderSigner(hexToBytes(hash), bad), null, bad);
      assert.equal(await world.hub.read.verifySignature([world.actors.appOwner.address, hash, bad]), false);
    }
    assert.equal(await world.hub.read.verifySignature([zeroAddress, hash, sign]), false);
  });

  it('agrees with the hub on random 65- and 64-byte signatures (fixed seed)', async () => {
    const bytes = (n: number) =>
      fc.uint8Array({ minLength: n, maxLength: n }).map((b) => `0x${Buffer.from(b).toString('hex')}` as Hex);
    const v = fc.constantFrom('1b', '1c', '00', '01', '1d');
    const signatures = fc.oneof(
      fc.tuple(bytes(64), v).map(([rs, tail]) => `${rs}${tail}` as Hex),
      bytes(64),
    );
    await fc.assert(fc.asyncProperty(signatures, agreesWithHub), { seed: 42, numRuns: 60 });
  });
});

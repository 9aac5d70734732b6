import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import {
  concat,
  domainSeparator,
  encodeAbiParameters,
  getAddress,
  type Hex,
  hashDomain,
  hashTypedData,
  keccak256,
  type LocalAccount,
  parseSignature,
  serializeCompactSignature,
  signatureToCompactSignature,
  slice,
  toHex,
  zeroAddress,
} from 'viem';
import {
  type AppOrder,
  confideDomain,
  confideHubAbi,
  type DatasetOrder,
  encodeOrderType,
  hashOrder,
  type OrderKind,
  type OrderOf,
  OrderOperation,
  orderKinds,
  orderTypes,
  type RequestOrder,
  signOrder,
  signOrderOperation,
  type WorkerpoolOrder,
} from '../../packages/protocol/src/index.js';
import { deployWorld, expectRevert, match, type World } from './helpers/world.js';

/** PoCo's EIP-712 struct type strings, copied verbatim from PoCo's sources. */
const POCO_TYPES: Record<OrderKind, string> = {
  AppOrder:
    'AppOrder(address app,uint256 appprice,uint256 volume,bytes32 tag,address datasetrestrict,address workerpoolrestrict,address requesterrestrict,bytes32 salt)',
  DatasetOrder:
    'DatasetOrder(address dataset,uint256 datasetprice,uint256 volume,bytes32 tag,address apprestrict,address workerpoolrestrict,address requesterrestrict,bytes32 salt)',
  WorkerpoolOrder:
    'WorkerpoolOrder(address workerpool,uint256 workerpoolprice,uint256 volume,bytes32 tag,uint256 category,uint256 trust,address apprestrict,address datasetrestrict,address requesterrestrict,bytes32 salt)',
  RequestOrder:
    'RequestOrder(address app,uint256 appmaxprice,address dataset,uint256 datasetmaxprice,address workerpool,uint256 workerpoolmaxprice,address requester,uint256 volume,bytes32 tag,uint256 category,uint256 trust,address beneficiary,address callback,string params,bytes32 salt)',
};

/** One fixed order of each kind: constant addresses, prices and salts, and params with non-ASCII text. */
const FIXED: { [K in OrderKind]: OrderOf[K] } = {
  AppOrder: {
    app: '0x1000000000000000000000000000000000000001',
    appprice: 2_000_000_000n,
    volume: 10n,
    tag: '0x0000000000000000000000000000000000000000000000000000000000000001',
    datasetrestrict: '0x2000000000000000000000000000000000000002',
    workerpoolrestrict: zeroAddress,
    requesterrestrict: '0x4000000000000000000000000000000000000004',
    salt: '0x0101010101010101010101010101010101010101010101010101010101010101',
  },
  DatasetOrder: {
    dataset: '0x2000000000000000000000000000000000000002',
    datasetprice: 1_000_000_000n,
    volume: 100n,
    tag: '0x0000000000000000000000000000000000000000000000000000000000000003',
    apprestrict: '0x1000000000000000000000000000000000000001',
    workerpoolrestrict: '0x3000000000000000000000000000000000000003',
    requesterrestrict: zeroAddress,
    salt: '0x0202020202020202020202020202020202020202020202020202020202020202',
  },
  WorkerpoolOrder: {
    workerpool: '0x3000000000000000000000000000000000000003',
    workerpoolprice: 3_000_000_000n,
    volume: 7n,
    tag: '0x0000000000000000000000000000000000000000000000000000000000000003',
    category: 2n,
    trust: 1n,
    apprestrict: '0x1000000000000000000000000000000000000001',
    datasetrestrict: zeroAddress,
    requesterrestrict: '0x4000000000000000000000000000000000000004',
    salt: '0x0303030303030303030303030303030303030303030303030303030303030303',
  },
  RequestOrder: {
    app: '0x1000000000000000000000000000000000000001',
    appmaxprice: 2_000_000_000n,
    dataset: '0x2000000000000000000000000000000000000002',
    datasetmaxprice: 1_000_000_000n,
    workerpool: '0x3000000000000000000000000000000000000003',
    workerpoolmaxprice: 3_000_000_000n,
    requester: '0x4000000000000000000000000000000000000004',
    volume: 1n,
    tag: '0x0000000000000000000000000000000000000000000000000000000000000001',
    category: 2n,
    trust: 1n,
    beneficiary: '0x5000000000000000000000000000000000000005',
    callback: '0x6000000000000000000000000000000000000006',
    params: '{"iexec_args":"--city Zürich --label 東京 🌍"}',
    salt: '0x0404040404040404040404040404040404040404040404040404040404040404',
  },
};

/** A fixed domain, independent of any deployment. */
const FIXED_DOMAIN = confideDomain(31337, '0x00000000000000000000000000000000000000c0');

/**
 * Expected hashes under {@link FIXED_DOMAIN}, computed once with viem's `hashTypedData` and
 * committed: any change to the type definitions, the domain or the encoding changes them.
 */
const FIXED_DOMAIN_SEPARATOR = '0xea67ad66d33f39783f4b281b6c9068b6ed3c54f86a16bc487085dbe601d093eb';
const FIXED_HASHES: Record<OrderKind, Hex> = {
  AppOrder: '0xf47f622888c8640b4412a16f550ef522382640a868770ad3ddb40bd4dba3dff0',
  DatasetOrder: '0x91415a027aa84b27ecad68ac9251afea9aba4141f642da50205ff21eecb3025c',
  WorkerpoolOrder: '0x7c7ce64af8e6e632934b8fa331bf0769d3ce79a5f91c0fec543f72892dd8fa4e',
  RequestOrder: '0x998fe02bd03521d1a99472a82e8a90b6f6aa36ad4278f9900b8611c43249b754',
};

/** The order with an empty signature, as the contract's order structs take it. */
function unsigned<K extends OrderKind>(order: OrderOf[K]): OrderOf[K] & { sign: Hex } {
  return { ...order, sign: '0x' };
}

/** The contract's own hash of `order`, through the view function for its kind. */
async function contractHash<K extends OrderKind>(world: World, kind: K, order: OrderOf[K]): Promise<Hex> {
  const hub = world.hub.read;
  switch (kind) {
    case 'AppOrder':
      return hub.hashAppOrder([unsigned<'AppOrder'>(order as AppOrder)]);
    case 'DatasetOrder':
      return hub.hashDatasetOrder([unsigned<'DatasetOrder'>(order as DatasetOrder)]);
    case 'WorkerpoolOrder':
      return hub.hashWorkerpoolOrder([unsigned<'WorkerpoolOrder'>(order as WorkerpoolOrder)]);
    default:
      return hub.hashRequestOrder([unsigned<'RequestOrder'>(order as RequestOrder)]);
  }
}

/**
 * EIP-712 struct hash computed by hand from PoCo's literal type string: ABI-encodes the fields in
 * declaration order, `string` as its keccak256. Shares no code with viem's typed-data encoder.
 */
function handStructHash(kind: OrderKind, order: Record<string, unknown>): Hex {
  const fields = orderTypes[kind];
  const types = [{ type: 'bytes32' }, ...fields.map((f) => ({ type: f.type === 'string' ? 'bytes32' : f.type }))];
  const values = [
    keccak256(toHex(POCO_TYPES[kind])),
    ...fields.map((f) => (f.type === 'string' ? keccak256(toHex(order[f.name] as string)) : order[f.name])),
  ];
  return keccak256(encodeAbiParameters(types, values));
}

describe('EIP-712 orders', () => {
  let world: World;
  before(async () => {
    world = await deployWorld();
  });

  it('encodes each order type byte-identically to PoCo, and OrderHashing.sol holds the same literals', () => {
    const source = readFileSync(new URL('../src/libs/OrderHashing.sol', import.meta.url), 'utf8');
    for (const kind of orderKinds) {
      assert.equal(encodeOrderType(kind), POCO_TYPES[kind], `${kind} type string`);
      assert.ok(source.includes(`"${POCO_TYPES[kind]}"`), `OrderHashing.sol spells ${kind} as PoCo does`);
      assert.ok(
        source.includes(`"${kind}Operation(${kind} order,uint256 operation)"`),
        `OrderHashing.sol declares ${kind}Operation`,
      );
    }
  });

  it('hashes the fixed orders under a fixed domain to the committed hashes', () => {
    assert.equal(domainSeparator({ domain: FIXED_DOMAIN }), FIXED_DOMAIN_SEPARATOR);
    for (const kind of orderKinds) {
      const order = FIXED[kind];
      assert.equal(hashOrder({ domain: FIXED_DOMAIN, kind, order }), FIXED_HASHES[kind], `${kind} via hashOrder`);
      const viaViem = hashTypedData({
        domain: FIXED_DOMAIN,
        types: { [kind]: orderTypes[kind] } as Record<string, readonly { name: string; type: string }[]>,
        primaryType: kind,
        message: order as unknown as Record<string, unknown>,
      });
      assert.equal(viaViem, FIXED_HASHES[kind], `${kind} via viem hashTypedData`);
      const byHand = keccak256(
        concat(['0x1901', FIXED_DOMAIN_SEPARATOR, handStructHash(kind, order as unknown as Record<string, unknown>)]),
      );
      assert.equal(byHand, FIXED_HASHES[kind], `${kind} by hand from PoCo's type string`);
    }
  });

  it('hashes the fixed orders on chain exactly as viem does under the hub domain', async () => {
    assert.equal(world.domain.chainId, 31337);
    assert.equal(world.domain.verifyingContract, world.addresses.hub);
    for (const kind of orderKinds) {
      const order = FIXED[kind];
      const expected = hashOrder({ domain: confideDomain(31337, world.addresses.hub), kind, order });
      assert.notEqual(expected, FIXED_HASHES[kind], 'another verifying contract gives another hash');
      assert.equal(await contractHash(world, kind, order), expected, kind);
    }
  });

  it('changes the on-chain request hash when one character of unicode params changes', async () => {
    const order = FIXED.RequestOrder;
    const changed = { ...order, params: order.params.replace('東京', '京都') };
    const [a, b] = await Promise.all([
      contractHash(world, 'RequestOrder', order),
      contractHash(world, 'RequestOrder', changed),
    ]);
    assert.notEqual(a, b);
    assert.equal(b, hashOrder({ domain: world.domain, kind: 'RequestOrder', order: changed }));
  });

  it('exposes a domain separator equal to viem hashDomain, and eip712Domain names Confide version 1', async () => {
    const domain = confideDomain(31337, world.addresses.hub);
    const expected = domainSeparator({ domain });
    assert.equal(
      hashDomain({
        domain: { name: 'Confide', version: '1', chainId: 31337n, verifyingContract: world.addresses.hub },
        types: {
          EIP712Domain: [
            { name: 'name', type: 'string' },
            { name: 'version', type: 'string' },
            { name: 'chainId', type: 'uint256' },
            { name: 'verifyingContract', type: 'address' },
          ],
        },
      }),
      expected,
    );
    assert.equal(await world.hub.read.domainSeparator(), expected);
    const [fields, name, version, chainId, verifyingContract, salt, extensions] = await world.hub.read.eip712Domain();
    assert.equal(fields, '0x0f', 'name, version, chainId and verifyingContract are set');
    assert.equal(name, 'Confide');
    assert.equal(version, '1');
    assert.equal(chainId, 31337n);
    assert.equal(verifyingContract, getAddress(world.addresses.hub));
    assert.equal(salt, `0x${'0'.repeat(64)}`);
    assert.deepEqual(extensions, []);
  });

  it('verifySignature accepts viem signatures of each kind (65 and 64 bytes) and rejects a stranger or 63 bytes', async () => {
    const { appOwner, other } = world.actors;
    for (const kind of orderKinds) {
      const order = FIXED[kind];
      const hash = hashOrder({ domain: world.domain, kind, order });
      assert.equal(await contractHash(world, kind, order), hash);
      const { sign } = await signOrder({ signer: appOwner, domain: world.domain, kind, order });
      const { sign: strangerSign } = await signOrder({ signer: other, domain: world.domain, kind, order });
      const compact = serializeCompactSignature(signatureToCompactSignature(parseSignature(sign)));
      assert.equal(await world.hub.read.verifySignature([appOwner.address, hash, sign]), true, `${kind} 65 bytes`);
      assert.equal(await world.hub.read.verifySignature([appOwner.address, hash, compact]), true, `${kind} 64 bytes`);
      assert.equal(await world.hub.read.verifySignature([appOwner.address, hash, strangerSign]), false, kind);
      assert.equal(await world.hub.read.verifySignature([appOwner.address, hash, slice(sign, 0, 63)]), false, kind);
      const otherDomain = await signOrder({ signer: appOwner, domain: FIXED_DOMAIN, kind, order });
      assert.equal(await world.hub.read.verifySignature([appOwner.address, hash, otherDomain.sign]), false, kind);
    }
  });

  it('matchOrders accepts the four orders signed with viem', async () => {
    const orders = await world.orders({ request: { params: '{"iexec_args":"--label 東京 🌍"}' } });
    const { dealId } = await match(world, orders);
    const deal = await world.hub.read.viewDeal([dealId]);
    assert.equal(deal.requester, world.actors.requester.address);
    const [params] = await world.publicClient.getContractEvents({
      address: world.addresses.hub,
      abi: confideHubAbi,
      eventName: 'DealParams',
      args: { dealId },
      fromBlock: 0n,
    });
    assert.equal(params?.args.params, '{"iexec_args":"--label 東京 🌍"}', 'the params string is emitted intact');
  });

  describe('signed order operations relayed by a third party', () => {
    /** A registered order of each kind and the account that owns it. */
    function ownedOrders(): { [K in OrderKind]: { order: OrderOf[K]; owner: LocalAccount } } {
      const { appOwner, datasetOwner, scheduler, requester } = world.actors;
      return {
        AppOrder: { order: { ...FIXED.AppOrder, app: world.app }, owner: appOwner },
        DatasetOrder: { order: { ...FIXED.DatasetOrder, dataset: world.dataset }, owner: datasetOwner },
        WorkerpoolOrder: { order: { ...FIXED.WorkerpoolOrder, workerpool: world.workerpool }, owner: scheduler },
        RequestOrder: { order: { ...FIXED.RequestOrder, requester: requester.address }, owner: requester },
      };
    }

    /** Relays `operation` on `order` with signature `sign` through manage<Kind>Order, as `other`. */
    function relay<K extends OrderKind>(kind: K, order: OrderOf[K], operation: bigint, sign: Hex) {
      const hub = world.as(world.actors.other).hub.write;
      switch (kind) {
        case 'AppOrder':
          return hub.manageAppOrder([{ order: unsigned<'AppOrder'>(order as AppOrder), operation, sign }]);
        case 'DatasetOrder':
          return hub.manageDatasetOrder([{ order: unsigned<'DatasetOrder'>(order as DatasetOrder), operation, sign }]);
        case 'WorkerpoolOrder':
          return hub.manageWorkerpoolOrder([
            { order: unsigned<'WorkerpoolOrder'>(order as WorkerpoolOrder), operation, sign },
          ]);
        default:
          return hub.manageRequestOrder([{ order: unsigned<'RequestOrder'>(order as RequestOrder), operation, sign }]);
      }
    }

    async function presignVia<K extends OrderKind>(kind: K, order: OrderOf[K], signer: LocalAccount) {
      const sign = await signOrderOperation({
        signer,
        domain: world.domain,
        kind,
        order,
        operation: OrderOperation.Sign,
      });
      return relay(kind, order, OrderOperation.Sign, sign);
    }

    it('presign (operation 0) signed with signOrderOperation records the owner in viewPresigned', async () => {
      const owned = ownedOrders();
      for (const kind of orderKinds) {
        const { order, owner } = owned[kind];
        const hash = hashOrder({ domain: world.domain, kind, order });
        assert.equal(await world.hub.read.viewPresigned([hash]), zeroAddress, `${kind} not presigned yet`);
        await world.mined(presignVia(kind, order, owner));
        assert.equal(await world.hub.read.viewPresigned([hash]), owner.address, kind);
      }
    });

    it('presign signed by someone other than the owner reverts with OrderOperationUnauthorized', async () => {
      const owned = ownedOrders();
      const { other, sponsor } = world.actors;
      for (const kind of orderKinds) {
        const order = { ...owned[kind].order, salt: keccak256(toHex(`unauthorized ${kind}`)) };
        const hash = hashOrder({ domain: world.domain, kind, order });
        await expectRevert(presignVia(kind, order, sponsor), 'OrderOperationUnauthorized', [
          orderKinds.indexOf(kind),
          hash,
          other.address,
          owned[kind].owner.address,
        ]);
        assert.equal(await world.hub.read.viewPresigned([hash]), zeroAddress, kind);
      }
    });

    it('close (operation 1) signed with signOrderOperation consumes the whole volume', async () => {
      const owned = ownedOrders();
      for (const kind of orderKinds) {
        const { owner } = owned[kind];
        const order = { ...owned[kind].order, salt: keccak256(toHex(`close ${kind}`)) };
        const hash = hashOrder({ domain: world.domain, kind, order });
        const sign = await signOrderOperation({
          signer: owner,
          domain: world.domain,
          kind,
          order,
          operation: OrderOperation.Close,
        });
        await world.mined(relay(kind, order, OrderOperation.Close, sign));
        assert.equal(await world.hub.read.viewConsumed([hash]), order.volume, kind);
      }
    });

    it('a presigned app order with an empty signature is matched', async () => {
      const orders = await world.orders({ app: { salt: keccak256(toHex('presigned app')) } });
      const { sign: _sign, ...appOrder } = orders.app;
      await world.mined(presignVia('AppOrder', appOrder, world.actors.appOwner));
      const { dealId } = await match(world, { ...orders, app: { ...appOrder, sign: '0x' } });
      assert.equal((await world.hub.read.viewDeal([dealId])).app, world.app);
      const appHash = hashOrder({ domain: world.domain, kind: 'AppOrder', order: appOrder });
      assert.equal(await world.hub.read.viewConsumed([appHash]), 1n);
    });
  });
});

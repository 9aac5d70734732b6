import { type Address, getAddress, type Hex, zeroAddress } from 'viem';
import type { OrderKind, OrderOf, Signed } from '../../../protocol/src/index.js';
import type { AssetOrderKind } from '../chain/createChainReader.js';
import type { Market } from '../createMarket.js';
import { MarketServerError } from '../errors.js';
import { bytesToHexFast } from '../orders/createOrderHasher.js';
import { signedOrderSchemas, signerSubject } from '../orders/orderSchemas.js';
import { recoverOrderSigner } from '../orders/recoverOrderSigner.js';
import { fromU256Key, orderRow } from '../store/orderRows.js';

/** What the market answers for a publication. */
export type IngestOrderReturnType = {
  orderHash: Hex;
  /** Volume not yet used by deals. */
  remaining: bigint;
  /** The account that answers for the order: the asset's owner, or the requester. */
  signer: Address;
  /** ISO 8601, when the market first accepted this order. */
  publicationTimestamp: string;
  /** `false` when the order was already in the book (the publication is idempotent). */
  created: boolean;
};

/** The stable codes {@link ingestOrder} refuses with. */
export type IngestOrderErrorCode =
  | 'MARKET_INVALID_ORDER'
  | 'MARKET_ASSET_UNKNOWN'
  | 'MARKET_SIGNATURE_INVALID'
  | 'MARKET_NOT_OWNER'
  | 'MARKET_ORDER_CONSUMED'
  | 'MARKET_CHAIN_UNAVAILABLE';

/**
 * Checks a signed order against the chain and puts it in the book: the fields are typed; the
 * signature is the asset owner's (the requester's for a request order) by ECDSA, or the owner
 * presigned it on chain, or vouches for it by ERC-1271; some volume is left. Publishing an
 * order already in the book answers the same order hash (`created: false`).
 * @param market the market's parts
 * @param kind which order this is
 * @param input the order as JSON (bigints as decimal strings), not yet validated
 * @throws MarketServerError with a {@link IngestOrderErrorCode}
 * @example const { orderHash } = await ingestOrder(market, 'DatasetOrder', body.order)
 */
export async function ingestOrder(market: Market, kind: OrderKind, input: unknown): Promise<IngestOrderReturnType> {
  const parsed = signedOrderSchemas[kind].safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || 'order';
    throw new MarketServerError('MARKET_INVALID_ORDER', `${where}: ${issue?.message ?? 'invalid'}`);
  }
  const order = parsed.data as Signed<OrderOf[typeof kind]>;
  const digest = market.hasher.digest(kind, order);
  const orderHash = bytesToHexFast(digest);
  const commitsBefore = market.sync.commits;

  const signer = await authorize(market, kind, order, digest, orderHash);
  const remaining = order.volume - (await market.reader.consumed(orderHash));
  if (remaining <= 0n) {
    throw new MarketServerError(
      'MARKET_ORDER_CONSUMED',
      `order ${orderHash} has no volume left on chain (used by deals, or cancelled): sign a new order`,
    );
  }
  const publicationTimestamp = new Date().toISOString();
  const row = orderRow({
    kind,
    order,
    orderHash,
    chainId: market.chain.chainId,
    remaining,
    signer,
    publicationTimestamp,
  });
  if (!(await market.store.insert(row))) {
    const existing = await market.store.get(orderHash);
    if (existing?.status === 'open') {
      return {
        orderHash,
        remaining: fromU256Key(existing.remaining),
        signer: getAddress(existing.signer),
        publicationTimestamp: existing.publication_timestamp,
        created: false,
      };
    }
    // It had left the book (e.g. dead after a transfer) and passes every check again.
    await market.store.reopen(orderHash, remaining, signer);
  }
  // The follower applied a range while this order was being checked: its events may concern the
  // order but found no row to change. Check again what the chain says now.
  market.events.emit({ type: 'published', kind, orderHash, remaining: remaining.toString(), status: 'open' });
  if (market.sync.commits !== commitsBefore) await recheck(market, kind, order, { orderHash, remaining, signer });
  return { orderHash, remaining, signer: getAddress(signer), publicationTimestamp, created: true };
}

/** Who answers for the order (lowercase), or the refusal. */
async function authorize(
  market: Market,
  kind: OrderKind,
  order: Signed<OrderOf[OrderKind]>,
  digest: Uint8Array,
  orderHash: Hex,
): Promise<Address> {
  const subject = signerSubject(kind, order);
  let owner: Address;
  if (kind === 'RequestOrder') {
    if (subject === zeroAddress) {
      throw new MarketServerError('MARKET_SIGNATURE_INVALID', 'requester: the zero address cannot sign an order');
    }
    owner = subject.toLowerCase() as Address;
  } else {
    const found = await market.reader.ownerOf(kind as AssetOrderKind, subject);
    if (found === null) {
      throw new MarketServerError(
        'MARKET_ASSET_UNKNOWN',
        `${subject} is not a registered ${assetName(kind)}: register it first`,
      );
    }
    owner = found;
  }
  const recovered = recoverOrderSigner(digest, order.sign);
  if (recovered === owner) return owner;
  if (await market.reader.ownerVouches(owner, orderHash, order.sign)) return owner;
  if (recovered === null) {
    throw new MarketServerError(
      'MARKET_SIGNATURE_INVALID',
      `sign: not a valid signature of order ${orderHash} (65-byte r‖s‖v with v 27/28 or 64-byte EIP-2098, low s), ` +
        `and the order is neither presigned on chain nor valid for ${getAddress(owner)} by ERC-1271`,
    );
  }
  if (kind === 'RequestOrder') {
    throw new MarketServerError(
      'MARKET_SIGNATURE_INVALID',
      `the order was signed by ${getAddress(recovered)}, not by its requester ${getAddress(owner)} ` +
        '(or it was changed after signing)',
    );
  }
  throw new MarketServerError(
    'MARKET_NOT_OWNER',
    `the order was signed by ${getAddress(recovered)}, but ${assetName(kind)} ${subject} belongs to ` +
      `${getAddress(owner)}: sign with the owner's key (or the order was changed after signing)`,
  );
}

/** Re-reads consumed volume and ownership, fresh from the chain, and applies what changed. */
async function recheck(
  market: Market,
  kind: OrderKind,
  order: Signed<OrderOf[OrderKind]>,
  published: { orderHash: Hex; remaining: bigint; signer: Address },
): Promise<void> {
  const { orderHash, signer } = published;
  const [consumed = 0n] = await market.reader.consumedAt([orderHash]);
  const remaining = order.volume > consumed ? order.volume - consumed : 0n;
  let status: 'open' | 'filled' | 'dead' = remaining > 0n ? 'open' : 'filled';
  if (kind !== 'RequestOrder') {
    const asset = signerSubject(kind, order);
    market.reader.forgetOwner(kind as AssetOrderKind, asset);
    const owner = await market.reader.ownerOf(kind as AssetOrderKind, asset);
    if (owner !== signer && !(owner && (await market.reader.ownerVouches(owner, orderHash, order.sign)))) {
      status = 'dead';
    }
  }
  if (status === 'open' && remaining === published.remaining) return;
  await market.store.apply([{ orderHash, remaining, status }]);
  const type = status === 'open' ? 'updated' : 'removed';
  market.events.emit({ type, kind, orderHash, remaining: remaining.toString(), status });
}

function assetName(kind: OrderKind): string {
  return { AppOrder: 'app', DatasetOrder: 'dataset', WorkerpoolOrder: 'workerpool', RequestOrder: 'request' }[kind];
}

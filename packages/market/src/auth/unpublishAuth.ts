import { type Address, bytesToHex, getAddress, type Hex, hashTypedData, recoverTypedDataAddress } from 'viem';
import type { MarketDb } from '../db/openMarketDatabase.js';
import { MarketServerError } from '../errors.js';
import type { MarketBook } from '../orders/orderSchemas.js';

/** The market's EIP-712 domain (not the hub's: these signatures never go on chain). */
export function marketDomain(chainId: number) {
  return { name: 'Confide Market', version: '1', chainId } as const;
}

/** EIP-712 type of an unpublish request: which orders, under which single-use challenge. */
export const unpublishTypes = {
  UnpublishOrders: [
    { name: 'book', type: 'string' },
    { name: 'target', type: 'string' },
    { name: 'orderHash', type: 'bytes32' },
    { name: 'asset', type: 'address' },
    { name: 'challenge', type: 'bytes32' },
  ],
} as const;

/** What a signer asks to remove from a book: one order, or all of theirs (on one asset). */
export type UnpublishRequest = {
  book: MarketBook;
  target: 'orderHash' | 'all';
  /** The order, for `target: 'orderHash'`; zero hash otherwise. */
  orderHash: Hex;
  /** Only orders of this asset (app for request orders) for `target: 'all'`; zero address for any. */
  asset: Address;
  challenge: Hex;
};

/**
 * The typed data a signer signs to unpublish (wallets show each field).
 * @example await account.signTypedData(unpublishTypedData(31337, request))
 */
export function unpublishTypedData(chainId: number, request: UnpublishRequest) {
  return {
    domain: marketDomain(chainId),
    types: unpublishTypes,
    primaryType: 'UnpublishOrders',
    message: request,
  } as const;
}

/** Options of {@link createUnpublishAuth}. */
export type UnpublishAuthOptions = {
  db: MarketDb;
  chainId: number;
  /** Seconds a challenge stays valid; 300 by default. */
  ttlSeconds?: number;
  /** ERC-1271 for contract signers: the hub's `verifySignature`. */
  verifySignature: (identity: Address, hash: Hex, signature: Hex) => Promise<boolean>;
  now?: () => number;
};

/**
 * Single-use, expiring challenges (kept in the database, so they survive a restart and work
 * behind several instances) and the check of a signed unpublish request.
 * @example const auth = createUnpublishAuth({ db, chainId, verifySignature }); await auth.issue(address)
 */
export function createUnpublishAuth(options: UnpublishAuthOptions) {
  const { db, chainId } = options;
  const ttl = options.ttlSeconds ?? 300;
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  return {
    /** A fresh challenge for `address`. */
    async issue(address: Address): Promise<{ challenge: Hex; expiresAt: number }> {
      const challenge = bytesToHex(globalThis.crypto.getRandomValues(new Uint8Array(32)));
      const expiresAt = now() + ttl;
      await db.deleteFrom('challenges').where('expires_at', '<', now()).execute();
      await db
        .insertInto('challenges')
        .values({ challenge, address: address.toLowerCase(), expires_at: expiresAt })
        .execute();
      return { challenge, expiresAt };
    },

    /**
     * The address that signed `request` under its challenge; the challenge is used up.
     * @throws MarketServerError MARKET_CHALLENGE_UNKNOWN, MARKET_CHALLENGE_EXPIRED, MARKET_SIGNATURE_INVALID
     */
    async verify(request: UnpublishRequest, signature: Hex): Promise<Address> {
      const row = await db
        .selectFrom('challenges')
        .select(['address', 'expires_at'])
        .where('challenge', '=', request.challenge.toLowerCase())
        .executeTakeFirst();
      if (!row) {
        throw new MarketServerError(
          'MARKET_CHALLENGE_UNKNOWN',
          'unknown or used challenge: ask GET /challenge for one',
        );
      }
      if (Number(row.expires_at) < now()) {
        throw new MarketServerError(
          'MARKET_CHALLENGE_EXPIRED',
          'the challenge expired: ask GET /challenge for a new one',
        );
      }
      const address = getAddress(row.address);
      const typedData = unpublishTypedData(chainId, request);
      const recovered = await recoverTypedDataAddress({ ...typedData, signature }).catch(() => undefined);
      if (recovered !== address && !(await options.verifySignature(address, hashTypedData(typedData), signature))) {
        throw new MarketServerError(
          'MARKET_SIGNATURE_INVALID',
          `the signature is not ${address}'s over this request and challenge`,
        );
      }
      const used = await db
        .deleteFrom('challenges')
        .where('challenge', '=', request.challenge.toLowerCase())
        .executeTakeFirst();
      if (Number(used.numDeletedRows) !== 1) {
        throw new MarketServerError(
          'MARKET_CHALLENGE_UNKNOWN',
          'the challenge was just used: ask GET /challenge for one',
        );
      }
      return address;
    },
  };
}

/** The challenge issuer and verifier of a market. */
export type UnpublishAuth = ReturnType<typeof createUnpublishAuth>;

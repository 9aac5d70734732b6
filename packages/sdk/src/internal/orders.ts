import { type Address, type Hex, isHex, toHex, zeroAddress, zeroHash } from 'viem';
import { z } from 'zod';
import {
  type OrderKind,
  type OrderOf,
  orderKinds,
  orderTypes,
  type Signed,
  TAG_TEE,
} from '../../../protocol/src/index.js';
import { addressSchema, bytes32Schema, uintSchema } from './validate.js';

/** A tag: 32-byte hex, or a list of named bits (`['tee']`), as iExec accepts. */
export type TagInput = Hex | readonly 'tee'[];

/** Validates a tag and returns its bytes32 form. */
export const tagSchema = z
  .union([bytes32Schema, z.array(z.literal('tee'))])
  .transform((tag): Hex => (typeof tag === 'string' ? tag : tag.length > 0 ? TAG_TEE : zeroHash));

const fieldSchema = {
  address: addressSchema,
  uint256: uintSchema,
  bytes32: bytes32Schema,
  string: z.string().max(16_384),
};

/** The order kinds, checked. */
export const orderKindSchema = z.enum(orderKinds);

const signSchema = z.string().refine((value) => isHex(value), 'must be 0x-hex');

/** Schema of an order of `kind`, unsigned or with its `sign`. */
export function orderSchema<K extends OrderKind, S extends boolean>(kind: K, signed: S) {
  const shape: Record<string, z.ZodType> = {};
  for (const field of orderTypes[kind]) shape[field.name] = fieldSchema[field.type];
  if (signed) shape.sign = signSchema;
  else shape.sign = signSchema.optional();
  return z.strictObject(shape) as unknown as z.ZodType<S extends true ? Signed<OrderOf[K]> : OrderOf[K]>;
}

/** Schema of `{ kind, order }` for any kind, the order signed or not. */
export function kindAndOrderSchema(signed: boolean) {
  return z.union(
    orderKinds.map((kind) =>
      z.strictObject({ kind: z.literal(kind), order: orderSchema(kind, signed) }),
    ) as unknown as [z.ZodType, z.ZodType],
  ) as z.ZodType<{ [K in OrderKind]: { kind: K; order: Signed<OrderOf[K]> } }[OrderKind]>;
}

/** Defaults every order shares, as iExec's `create…order`: volume 1, tag 0, open restrictions. */
export const ORDER_DEFAULTS = { volume: 1n, tag: zeroHash as Hex, restrict: zeroAddress as Address };

/**
 * A random 32-byte salt from Web Crypto (Node and browsers alike; the protocol's `randomSalt`
 * goes through Node's `Buffer`).
 */
export function randomSalt(): Hex {
  return toHex(globalThis.crypto.getRandomValues(new Uint8Array(32)));
}

import { type Address, type Hex, keccak256, recoverTypedDataAddress, stringToHex } from 'viem';

/**
 * What an owner may ask the SMS to do. `READ_DATASET_KEY` (the owner reads its dataset's key back,
 * to rotate it) signs {@link READ_VALUE_HASH}; `ROTATE_DATASET_KEY` replaces the key and destroys
 * the old one.
 */
export const SmsActions = [
  'PUT_DATASET_KEY',
  'PUT_APP_SECRET',
  'PUT_REQUESTER_SECRET',
  'READ_DATASET_KEY',
  'ROTATE_DATASET_KEY',
] as const;
/** One of {@link SmsActions}. */
export type SmsAction = (typeof SmsActions)[number];

/** EIP-712 type of the request an owner signs: what, on what, which value, under which challenge. */
export const smsRequestTypes = {
  SmsRequest: [
    { name: 'action', type: 'string' },
    { name: 'subject', type: 'address' },
    { name: 'name', type: 'string' },
    { name: 'valueHash', type: 'bytes32' },
    { name: 'challenge', type: 'bytes32' },
    { name: 'expiresAt', type: 'uint256' },
  ],
} as const;

/** The fields of a signed SMS request. */
export type SmsRequest = {
  action: SmsAction;
  subject: Address;
  name: string;
  valueHash: Hex;
  challenge: Hex;
  expiresAt: bigint;
};

/** The `valueHash` of a read request, which carries no value: 32 zero bytes. */
export const READ_VALUE_HASH: Hex = `0x${'00'.repeat(32)}`;

/** The SMS's EIP-712 domain on a chain. */
export function smsDomain(chainId: number) {
  return { name: 'Confide SMS', version: '1', chainId } as const;
}

/** keccak256 of a secret's UTF-8 bytes: what the owner signs instead of the value itself. */
export function secretValueHash(value: string): Hex {
  return keccak256(stringToHex(value));
}

/**
 * The typed data an owner signs for a request (wallets show each field).
 * @example await account.signTypedData(smsRequestTypedData(31337, request))
 */
export function smsRequestTypedData(chainId: number, request: SmsRequest) {
  return { domain: smsDomain(chainId), types: smsRequestTypes, primaryType: 'SmsRequest', message: request } as const;
}

/** Who signed `request`. */
export function recoverSmsRequestSigner(chainId: number, request: SmsRequest, signature: Hex): Promise<Address> {
  return recoverTypedDataAddress({ ...smsRequestTypedData(chainId, request), signature });
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Account, Chain, PublicClient, Transport, WalletClient } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { createDataProtector } from './createDataProtector.js';

// Bad parameters are refused before any service is reached: every client here throws if used.
const unreachable = new Proxy(
  {},
  {
    get: (_t, key) => {
      if (key === 'then') return undefined;
      return () => {
        throw new Error(`service called: ${String(key)}`);
      };
    },
  },
);
const account = privateKeyToAccount(`0x${'42'.repeat(32)}`);
const dp = createDataProtector({
  publicClient: unreachable as PublicClient<Transport, Chain>,
  wallet: { ...(unreachable as object), account } as unknown as WalletClient<Transport, Chain, Account>,
  hub: '0x0000000000000000000000000000000000000001',
  dataProtector: '0x0000000000000000000000000000000000000002',
  services: {
    storageUrl: 'http://127.0.0.1:9',
    smsUrl: 'http://127.0.0.1:9',
    marketUrl: 'http://127.0.0.1:9',
    indexerUrl: 'http://127.0.0.1:9',
  },
});
const APP = '0x00000000000000000000000000000000000000aa';

const cases: [string, () => Promise<unknown>, RegExp][] = [
  ['protectData with an array', () => dp.protectData({ data: [] as never }), /./],
  ['protectData with a key that is not [A-Za-z0-9_-]', () => dp.protectData({ data: { 'a.b': 1 } }), /./],
  ['protectData with a function value', () => dp.protectData({ data: { f: (() => 1) as never } }), /./],
  ['protectData with a name that is not a string', () => dp.protectData({ data: { a: 1 }, name: 7 as never }), /name/],
  ['grantAccess without protectedData', () => dp.grantAccess({} as never), /protectedData/],
  ['rotateKey without protectedData', () => dp.rotateKey({} as never), /protectedData/],
  [
    'rotateKey of something that is not an address',
    () => dp.rotateKey({ protectedData: 'pd' as never }),
    /protectedData/,
  ],
  [
    'rotateKey with an onStatusUpdate that is not a function',
    () => dp.rotateKey({ protectedData: APP, onStatusUpdate: 'log' as never }),
    /onStatusUpdate/,
  ],
  [
    'revokeAllAccess with a rotateKey that is not a boolean',
    () => dp.revokeAllAccess({ protectedData: APP, rotateKey: 'yes' as never }),
    /rotateKey/,
  ],
  [
    'grantAccess to the zero app',
    () => dp.grantAccess({ protectedData: APP, authorizedApp: `0x${'0'.repeat(40)}` }),
    /zero address/,
  ],
  [
    'grantAccess with 0 accesses',
    () => dp.grantAccess({ protectedData: APP, authorizedApp: APP, numberOfAccess: 0 }),
    /numberOfAccess/,
  ],
  [
    'grantAccess with a negative price',
    () => dp.grantAccess({ protectedData: APP, authorizedApp: APP, pricePerAccess: -1 }),
    /pricePerAccess/,
  ],
  [
    'grantAccess to a user that is not an address',
    () => dp.grantAccess({ protectedData: APP, authorizedApp: APP, authorizedUser: 'bob' as never }),
    /authorizedUser/,
  ],
  [
    'grantAccess with allowBulk and a price (bulk access is free)',
    () => dp.grantAccess({ protectedData: APP, authorizedApp: APP, allowBulk: true, pricePerAccess: 1 }),
    /pricePerAccess must be 0 with allowBulk/,
  ],
  [
    'grantAccess with allowBulk and a number of accesses (bulk access is unlimited)',
    () => dp.grantAccess({ protectedData: APP, authorizedApp: APP, allowBulk: true, numberOfAccess: 5 }),
    /numberOfAccess cannot be set with allowBulk/,
  ],
  [
    'grantAccess with allowBulk that is not a boolean',
    () => dp.grantAccess({ protectedData: APP, authorizedApp: APP, allowBulk: 'yes' as never }),
    /allowBulk/,
  ],
  [
    'processBulkRequest with something that is not a bulk request',
    () => dp.processBulkRequest({ bulkRequest: { app: APP } as never }),
    /bulkRequest/,
  ],
  [
    'inspectBulkRequest with something that is not a bulk request',
    () => dp.inspectBulkRequest({ bulkRequest: 'nope' as never }),
    /bulkRequest/,
  ],
  ['getProtectedData with pageSize 5', () => dp.getProtectedData({ pageSize: 5 }), /pageSize/],
  [
    'getProtectedData with an owner that is not an address',
    () => dp.getProtectedData({ owner: '0x12' as never }),
    /owner/,
  ],
  [
    'processProtectedData with an app that is not an address',
    () => dp.processProtectedData({ protectedData: APP, app: 'x' as never }),
    /app/,
  ],
  [
    'processProtectedData with a fractional max price',
    () => dp.processProtectedData({ protectedData: APP, app: APP, appMaxPrice: 0.5 }),
    /appMaxPrice/,
  ],
  [
    'processProtectedData with a workerpool that is not an address',
    () => dp.processProtectedData({ protectedData: APP, app: APP, workerpool: 'pool' as never }),
    /workerpool/,
  ],
  [
    'processProtectedData with args that are not a string',
    () => dp.processProtectedData({ protectedData: APP, app: APP, args: ['a'] as never }),
    /args/,
  ],
  [
    'transferOwnership to a non-address',
    () => dp.transferOwnership({ protectedData: APP, newOwner: 'nobody' as never }),
    /newOwner/,
  ],
];

describe('DataProtector refuses bad parameters before calling any service', () => {
  for (const [name, call, details] of cases) {
    it(`${name} → CONFIDE_DATAPROTECTOR_INVALID_PARAMETER`, async () => {
      await assert.rejects(call(), (error: Error & { code?: string; details?: unknown }) => {
        assert.equal(error.name, 'DataProtectorError');
        assert.equal(error.code, 'CONFIDE_DATAPROTECTOR_INVALID_PARAMETER', error.message);
        assert.match(String(error.details), details);
        return true;
      });
    });
  }
});

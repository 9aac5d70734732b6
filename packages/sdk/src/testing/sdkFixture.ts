// Test fixture: the Confide contracts on a real in-process EVM, a real SMS and a real market
// (their hono apps with SQLite, reached through `services.fetch` instead of a socket), and SDK
// clients for each actor. Not exported from the package.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Account, type Address, custom } from 'viem';
import { deployWorld, type World } from '../../../../contracts/test/helpers/world.js';
import { marketFixture } from '../../../market/src/testing/marketFixture.js';
import { createOwnershipReader } from '../../../sms/src/chain/createOwnershipReader.js';
import { createTaskReader } from '../../../sms/src/chain/createTaskReader.js';
import { createSmsServer } from '../../../sms/src/createSmsServer.js';
import { openSecretStore } from '../../../sms/src/store/openSecretStore.js';
import type { ConfideServices } from '../client.js';
import { type ConfideClientWithActions, createConfideClient } from '../createConfideClient.js';
import { ConfideSdkError, type SdkErrorCode } from '../errors.js';

/** Base URLs the fixture's fetch routes to the in-process services. */
const SMS_URL = 'http://sms.confide.test';
const MARKET_URL = 'http://market.confide.test';

/** Deploys a world and starts an SMS and a market on it. */
export async function sdkFixture() {
  const world: World = await deployWorld();
  const dir = mkdtempSync(path.join(tmpdir(), 'sdk-sms-'));
  const store = openSecretStore({ path: path.join(dir, 'sms.db'), masterKey: `0x${'33'.repeat(32)}` });
  const hub = world.addresses.hub;
  const sms = createSmsServer({
    config: { mode: 'development', chainId: 31337, challengeTtlSeconds: 300, simPlatformKeys: [] },
    store,
    ownership: createOwnershipReader({ client: world.publicClient, hub }),
    tasks: createTaskReader({ client: world.publicClient, hub }),
    logDestination: { write: () => undefined },
  });
  const market = await marketFixture({ world });
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input instanceof Request ? input.url : input);
    if (url.startsWith(SMS_URL)) return sms.app.request(url, init);
    if (url.startsWith(MARKET_URL)) return market.app.request(url, init);
    throw new TypeError(`fetch failed: nothing listens at ${url}`);
  }) as typeof globalThis.fetch;
  const services: ConfideServices = { smsUrl: SMS_URL, marketUrl: MARKET_URL, fetch };

  /** An SDK client for `account` (or read-only), with every service unless others are given. */
  const clientOf = (account?: Account | Address, overrides: ConfideServices = services): ConfideClientWithActions =>
    createConfideClient({
      chain: world.chain.clientsOf(world.actors.deployer).chain,
      transport: custom(world.chain.provider, { retryCount: 0 }),
      ...(account ? { account } : {}),
      hub,
      services: overrides,
      pollingInterval: 5,
    });
  return { world, market, sms, services, fetch, clientOf };
}

/** A started fixture. */
export type SdkFixture = Awaited<ReturnType<typeof sdkFixture>>;

/**
 * Awaits `promise` (or calls `fn`) and checks it failed with a ConfideSdkError of `code` (and `reason`).
 * @returns the error, for more assertions
 */
export async function expectSdkError(
  promise: Promise<unknown> | (() => unknown),
  code: SdkErrorCode,
  reason?: string,
): Promise<ConfideSdkError> {
  let error: unknown;
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (caught) {
    error = caught;
  }
  assert.ok(error instanceof ConfideSdkError, `expected ConfideSdkError ${code}, got ${String(error)}`);
  assert.equal(error.name, 'ConfideSdkError');
  assert.equal(error.code, code, error.message);
  if (reason !== undefined) assert.equal(error.reason, reason);
  return error;
}

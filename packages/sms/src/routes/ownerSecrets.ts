import { Hono } from 'hono';
import { type Address, getAddress, type Hex, isAddress, isHex } from 'viem';
import { z } from 'zod';
import { READ_VALUE_HASH, recoverSmsRequestSigner, type SmsAction, secretValueHash } from '../auth/smsRequest.js';
import type { OwnershipReader } from '../chain/createOwnershipReader.js';
import { SmsError } from '../errors.js';
import type { SecretKind, SecretStore } from '../store/openSecretStore.js';

const address = z.string().refine(isAddress, 'must be an address (0x…, 20 bytes)');
const secretName = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must match [A-Za-z0-9_-]{1,64}');
const challengeBody = z.object({ address });
const signedBody = z.object({
  challenge: z.string().refine((v) => isHex(v) && v.length === 66, 'must be the 32-byte challenge'),
  signature: z.string().refine(isHex, 'must be 0x-hex'),
});
const putBody = signedBody.extend({ value: z.string().min(1, 'must not be empty') });

/** Dependencies of {@link ownerSecretRoutes}. */
type OwnerSecretRoutesOptions = {
  store: SecretStore;
  ownership: OwnershipReader;
  chainId: number;
  challengeTtlSeconds: number;
  now?: () => number;
  log: (event: string, fields: Record<string, unknown>) => void;
};

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new SmsError('SMS_INVALID_INPUT', `${issue?.path.join('.') || 'input'}: ${issue?.message ?? 'invalid'}`);
  }
  return result.data;
}

async function jsonBody(c: { req: { json: () => Promise<unknown> } }): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    throw new SmsError('SMS_INVALID_INPUT', 'the body must be JSON');
  }
}

/**
 * Challenges and the owners' write and existence-check routes. Writes need an EIP-712
 * `SmsRequest` signature under a fresh single-use challenge, by the on-chain owner. A dataset's
 * owner may also read its key back and rotate it (docs/architecture.md, "Key rotation").
 */
export function ownerSecretRoutes(options: OwnerSecretRoutesOptions) {
  const { store, ownership, chainId, challengeTtlSeconds, log } = options;
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  const app = new Hono();

  app.post('/challenges', async (c) => {
    const { address: who } = parse(challengeBody, await jsonBody(c));
    const expiresAt = now() + challengeTtlSeconds;
    const challenge = store.createChallenge(who, expiresAt);
    return c.json({ challenge, expiresAt }, 201);
  });

  /** Checks the signed request and that its signer owns the subject; consumes the challenge. */
  const authorize = async (
    body: { challenge: string; signature: string },
    valueHash: Hex,
    target: { action: SmsAction; subject: Address; name: string },
    owner: () => Promise<Address>,
  ): Promise<Address> => {
    const challenge = body.challenge as Hex;
    const signer = await recoverSmsRequestSigner(
      chainId,
      {
        action: target.action,
        subject: getAddress(target.subject),
        name: target.name,
        valueHash,
        challenge,
        expiresAt: BigInt(challengeExpiry(store, challenge)),
      },
      body.signature as Hex,
    ).catch(() => {
      throw new SmsError('SMS_SIGNATURE_INVALID', 'the signature does not match this request');
    });
    store.consumeChallenge(challenge, signer, now());
    const expected = await owner();
    if (signer !== expected) {
      log('refused', { reason: 'SMS_NOT_OWNER', action: target.action, subject: target.subject, signer });
      throw new SmsError(
        'SMS_NOT_OWNER',
        `only ${expected} may ${describe(target.action)}; it was signed by ${signer}`,
      );
    }
    return signer;
  };

  const put = async (
    input: unknown,
    target: { action: SmsAction; kind: SecretKind; subject: Address; name: string },
    owner: () => Promise<Address>,
  ) => {
    const body = parse(putBody, input);
    const signer = await authorize(body, secretValueHash(body.value), target, owner);
    store.putSecret({ kind: target.kind, owner: target.subject, name: target.name }, Buffer.from(body.value, 'utf8'));
    log('stored', { action: target.action, subject: target.subject, name: target.name, signer });
  };

  app.put('/datasets/:dataset/key', async (c) => {
    const dataset = getAddress(parse(address, c.req.param('dataset')));
    const target = { action: 'PUT_DATASET_KEY', kind: 'dataset-key', subject: dataset, name: '' } as const;
    await put(await jsonBody(c), target, () => ownership.datasetOwner(dataset));
    return c.body(null, 204);
  });

  // The owner reads its dataset's key back (to re-encrypt under a new one): it made the key and
  // can already have any app of its choosing process the data, so this grants nothing new.
  app.post('/datasets/:dataset/key/read', async (c) => {
    const dataset = getAddress(parse(address, c.req.param('dataset')));
    const body = parse(signedBody, await jsonBody(c));
    const target = { action: 'READ_DATASET_KEY', subject: dataset, name: '' } as const;
    const signer = await authorize(body, READ_VALUE_HASH, target, () => ownership.datasetOwner(dataset));
    const key = store.getSecret({ kind: 'dataset-key', owner: dataset, name: '' });
    if (!key) throw new SmsError('SMS_SECRET_NOT_FOUND', `${dataset} has no key in this SMS`);
    log('read', { action: target.action, subject: dataset, signer });
    c.header('cache-control', 'no-store');
    return c.json({ value: Buffer.from(key).toString('utf8') });
  });

  // Rotation: the new key replaces the old one, which is destroyed (never returned or kept).
  app.post('/datasets/:dataset/key/rotate', async (c) => {
    const dataset = getAddress(parse(address, c.req.param('dataset')));
    const body = parse(putBody, await jsonBody(c));
    const target = { action: 'ROTATE_DATASET_KEY', subject: dataset, name: '' } as const;
    const signer = await authorize(body, secretValueHash(body.value), target, () => ownership.datasetOwner(dataset));
    const { purged } = store.replaceSecret(
      { kind: 'dataset-key', owner: dataset, name: '' },
      Buffer.from(body.value, 'utf8'),
    );
    log('rotated', { action: target.action, subject: dataset, signer, purged });
    return c.body(null, 204);
  });

  app.put('/apps/:app/secret', async (c) => {
    const appAddress = getAddress(parse(address, c.req.param('app')));
    const target = { action: 'PUT_APP_SECRET', kind: 'app-secret', subject: appAddress, name: '' } as const;
    await put(await jsonBody(c), target, () => ownership.appOwner(appAddress));
    return c.body(null, 204);
  });

  app.put('/requesters/:requester/secrets/:name', async (c) => {
    const requester = getAddress(parse(address, c.req.param('requester')));
    const name = parse(secretName, c.req.param('name'));
    const target = { action: 'PUT_REQUESTER_SECRET', kind: 'requester-secret', subject: requester, name } as const;
    await put(await jsonBody(c), target, async () => requester);
    return c.body(null, 204);
  });

  // Existence checks answer GET and HEAD (hono serves HEAD through GET): 204 present, 404 absent.
  const exists = (kind: SecretKind, owner: string, name: string) =>
    store.hasSecret({ kind, owner: getAddress(parse(address, owner)), name });
  app.get('/datasets/:dataset/key', (c) => c.body(null, exists('dataset-key', c.req.param('dataset'), '') ? 204 : 404));
  app.get('/apps/:app/secret', (c) => c.body(null, exists('app-secret', c.req.param('app'), '') ? 204 : 404));
  app.get('/requesters/:requester/secrets/:name', (c) =>
    c.body(
      null,
      exists('requester-secret', c.req.param('requester'), parse(secretName, c.req.param('name'))) ? 204 : 404,
    ),
  );
  return app;
}

const describe = (action: SmsAction) =>
  ({
    PUT_DATASET_KEY: 'set this secret',
    PUT_APP_SECRET: 'set this secret',
    PUT_REQUESTER_SECRET: 'set this secret',
    READ_DATASET_KEY: 'read this key',
    ROTATE_DATASET_KEY: 'rotate this key',
  })[action];

function challengeExpiry(store: SecretStore, challenge: Hex): number {
  const expiresAt = store.challengeExpiry(challenge);
  if (expiresAt === undefined)
    throw new SmsError('SMS_CHALLENGE_UNKNOWN', 'unknown challenge: ask POST /challenges for one');
  return expiresAt;
}

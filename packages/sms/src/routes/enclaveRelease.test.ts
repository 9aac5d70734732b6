import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { before, describe, it } from 'node:test';
import { bytesToHex, type Hex, keccak256, type LocalAccount, toHex } from 'viem';
import {
  activeTask,
  deployWorld,
  FINGERPRINT,
  newEnclave,
  teeSignatures,
  type World,
} from '../../../../contracts/test/helpers/world.js';
import { generateResultKeyPair, generateSealingKeyPair, openSealedSecret } from '../../../crypto/src/index.js';
import { computeReportData, createSimPlatform, type SimPlatform } from '../../../enclave/src/index.js';
import { authorizationHash, failureMessageHash, failureReason } from '../../../protocol/src/index.js';
import { createOwnershipReader } from '../chain/createOwnershipReader.js';
import { createTaskReader } from '../chain/createTaskReader.js';
import { createSmsServer } from '../createSmsServer.js';
import { openSecretStore, type SecretStore } from '../store/openSecretStore.js';
import { enclaveSecretsRequestHash, type ReleasedSecrets } from './enclaveRelease.js';

const SECRETS = {
  datasetKey: 'DATASET-KEY-b64-q83vEjRW',
  appSecret: 'APP-SECRET-7f2c',
  requester: 'REQ-SECRET-91ad',
  other: 'OTHER-REQ-SECRET-55e0',
};
const RECIPIENT = generateResultKeyPair().recipient;
const PARAMS = JSON.stringify({
  iexec_args: '--mean "pm2_5 daily"',
  iexec_secrets: { '1': 'api-key' },
  confide_result_recipient: RECIPIENT,
});

let world: World;
let platform: SimPlatform;
let store: SecretStore;
const logs: string[] = [];
let development: ReturnType<typeof createSmsServer>['app'];
let production: ReturnType<typeof createSmsServer>['app'];

/** An enclave as the runtime makes it: a signing key (its address is the enclaveChallenge) and a sealing key. */
async function enclave() {
  const signer = newEnclave();
  const sealing = await generateSealingKeyPair();
  return { signer, sealing, sealingPublicKey: bytesToHex(sealing.publicKey) };
}
type Enclave = Awaited<ReturnType<typeof enclave>>;

type Request = {
  taskId: Hex;
  enclave: Enclave;
  worker?: LocalAccount;
  authorizer?: LocalAccount;
  workerSigner?: LocalAccount;
  measurement?: Hex;
  quoteTaskId?: Hex;
  quoteEnclave?: Enclave;
};

async function body(r: Request) {
  const worker = r.worker ?? world.actors.worker;
  const quoteEnclave = r.quoteEnclave ?? r.enclave;
  const reportData = computeReportData({
    enclaveAddress: quoteEnclave.signer.address,
    sealingPublicKey: quoteEnclave.sealingPublicKey,
    taskId: r.quoteTaskId ?? r.taskId,
  });
  const quote = bytesToHex(platform.quote({ measurement: r.measurement ?? FINGERPRINT, reportData }).bytes);
  const authorizationSign = await (r.authorizer ?? world.actors.scheduler).signMessage({
    message: { raw: authorizationHash(worker.address, r.taskId, r.enclave.signer.address) },
  });
  const requestHash = enclaveSecretsRequestHash({
    taskId: r.taskId,
    enclaveAddress: r.enclave.signer.address,
    sealingPublicKey: r.enclave.sealingPublicKey,
    quote,
  });
  const workerSign = await (r.workerSigner ?? worker).signMessage({ message: { raw: requestHash } });
  return {
    taskId: r.taskId,
    worker: worker.address,
    enclaveAddress: r.enclave.signer.address,
    sealingPublicKey: r.enclave.sealingPublicKey,
    platform: 'sim',
    quote,
    authorizationSign,
    workerSign,
  };
}

async function release(app: typeof development, payload: unknown) {
  const res = await app.request('/enclave/secrets', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(payload),
  });
  return {
    status: res.status,
    body: (await res.json()) as { sealed?: Hex; error?: { code: string; message: string } },
  };
}

async function open(e: Enclave, sealed: Hex | undefined, taskId: Hex): Promise<ReleasedSecrets> {
  assert.ok(sealed, 'a sealed payload');
  const plaintext = await openSealedSecret({
    privateKey: e.sealing.privateKey,
    sealed: Buffer.from(sealed.slice(2), 'hex'),
    taskId,
  });
  return JSON.parse(Buffer.from(plaintext).toString('utf8'));
}

async function task(overrides: Parameters<typeof activeTask>[1] = {}) {
  return (await activeTask(world, { request: { params: PARAMS }, ...overrides })).taskId;
}

/** A task that ran to COMPLETED on chain, through another enclave. */
async function completedTask(): Promise<Hex> {
  const taskId = await task();
  const e = await enclave();
  const digest = keccak256(toHex('r'));
  const sigs = await teeSignatures({
    taskId,
    worker: world.actors.worker.address,
    enclave: e.signer,
    scheduler: world.actors.scheduler,
    resultDigest: digest,
  });
  await world.mined(
    world
      .as(world.actors.worker)
      .hub.write.contributeAndFinalize([
        taskId,
        digest,
        '0x',
        '0x',
        e.signer.address,
        sigs.enclaveSign,
        sigs.authorizationSign,
      ]),
  );
  return taskId;
}

/** A task that ended FAILED on chain by a signed failure report. */
async function failedTask(): Promise<Hex> {
  const taskId = await task();
  const e = await enclave();
  const { scheduler, worker } = world.actors;
  const reason = failureReason('APP_EXIT_NONZERO');
  const authorizationSign = await scheduler.signMessage({
    message: { raw: authorizationHash(worker.address, taskId, e.signer.address) },
  });
  const enclaveSign = await e.signer.signMessage({
    message: { raw: failureMessageHash(worker.address, taskId, reason) },
  });
  await world.mined(
    world.as(worker).hub.write.reportFailure([taskId, reason, e.signer.address, enclaveSign, authorizationSign]),
  );
  return taskId;
}

describe('SMS POST /enclave/secrets', () => {
  before(async () => {
    world = await deployWorld();
    platform = createSimPlatform();
    store = openSecretStore({
      path: path.join(mkdtempSync(path.join(tmpdir(), 'sms-release-')), 'sms.db'),
      masterKey: `0x${'33'.repeat(32)}`,
    });
    store.putSecret({ kind: 'dataset-key', owner: world.dataset, name: '' }, Buffer.from(SECRETS.datasetKey));
    store.putSecret({ kind: 'app-secret', owner: world.app, name: '' }, Buffer.from(SECRETS.appSecret));
    store.putSecret(
      { kind: 'requester-secret', owner: world.actors.requester.address, name: 'api-key' },
      Buffer.from(SECRETS.requester),
    );
    store.putSecret(
      { kind: 'requester-secret', owner: world.actors.other.address, name: 'api-key' },
      Buffer.from(SECRETS.other),
    );
    const common = {
      store,
      ownership: createOwnershipReader({ client: world.publicClient, hub: world.addresses.hub }),
      tasks: createTaskReader({ client: world.publicClient, hub: world.addresses.hub }),
      logDestination: new Writable({
        write(chunk, _encoding, done) {
          logs.push(chunk.toString());
          done();
        },
      }),
    };
    const config = { chainId: 31337, challengeTtlSeconds: 300, simPlatformKeys: [platform.publicKey] };
    development = createSmsServer({ ...common, config: { ...config, mode: 'development' } }).app;
    production = createSmsServer({ ...common, config: { ...config, mode: 'production' } }).app;
  });

  it('releases every secret kind of the task, sealed to the enclave, to the attested and authorised enclave only', async () => {
    const taskId = await task();
    const e = await enclave();
    const res = await release(development, await body({ taskId, enclave: e }));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const secrets = await open(e, res.body.sealed, taskId);
    assert.deepEqual(secrets, {
      version: 1,
      taskId,
      datasetKey: SECRETS.datasetKey,
      appSecret: SECRETS.appSecret,
      requesterSecrets: { '1': SECRETS.requester },
      args: ['--mean', 'pm2_5 daily'],
      resultRecipient: RECIPIENT,
    });
    await assert.rejects(open(e, res.body.sealed, keccak256(toHex('another task'))), {
      name: 'SealedSecretInvalidError',
    });
    const stranger = await enclave();
    await assert.rejects(open(stranger, res.body.sealed, taskId));
  });

  it('a deal without dataset releases no dataset key', async () => {
    const taskId = await task({ dataset: null });
    const e = await enclave();
    const res = await release(development, await body({ taskId, enclave: e }));
    const secrets = await open(e, res.body.sealed, taskId);
    assert.equal(secrets.datasetKey, undefined);
    assert.equal(secrets.appSecret, SECRETS.appSecret);
  });

  it("releases the dataset policy's maxResultSize as the hub holds it at release, for the enclave to enforce", async () => {
    const terms = { restrictApps: false, restrictUsers: false, pricePerUse: 0n, maxUses: 0, expiry: 0 };
    const owner = world.as(world.actors.datasetOwner).hub;
    const released = async () => {
      const taskId = await task();
      const e = await enclave();
      const res = await release(development, await body({ taskId, enclave: e }));
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return { taskId, secrets: await open(e, res.body.sealed, taskId) };
    };
    try {
      await world.mined(owner.write.setPolicy([world.dataset, { ...terms, maxResultSize: 4096n }]));
      const limited = await released();
      assert.equal(limited.secrets.maxResultSize, 4096);
      assert.equal(limited.secrets.datasetKey, SECRETS.datasetKey);
      const line = logs.find((l) => l.includes('"released"') && l.includes(limited.taskId));
      assert.match(String(line), /"maxResultSize":4096/, 'the audit line names the limit');
      // Beyond 2^53 − 1 bytes no result can reach the limit: none is sent.
      await world.mined(owner.write.setPolicy([world.dataset, { ...terms, maxResultSize: 2n ** 64n - 1n }]));
      assert.equal((await released()).secrets.maxResultSize, undefined);
    } finally {
      await world.mined(owner.write.setPolicy([world.dataset, { ...terms, maxResultSize: 0n }]));
    }
    assert.equal((await released()).secrets.maxResultSize, undefined, 'a policy without a limit sends none');
    const withoutDataset = await task({ dataset: null });
    const e = await enclave();
    const res = await release(development, await body({ taskId: withoutDataset, enclave: e }));
    assert.equal((await open(e, res.body.sealed, withoutDataset)).maxResultSize, undefined);
  });

  const refusals: {
    name: string;
    code: string;
    make: () => Promise<{ app?: typeof development; payload: unknown }>;
  }[] = [
    {
      name: 'an enclave whose measurement is not the app fingerprint',
      code: 'SMS_QUOTE_BINDING',
      make: async () => ({
        payload: await body({
          taskId: await task(),
          enclave: await enclave(),
          measurement: keccak256(toHex('other app')),
        }),
      }),
    },
    {
      name: 'a sim quote when the SMS runs in production mode',
      code: 'SMS_QUOTE_REFUSED',
      make: async () => ({ app: production, payload: await body({ taskId: await task(), enclave: await enclave() }) }),
    },
    {
      name: 'a quote replayed from another task',
      code: 'SMS_QUOTE_BINDING',
      make: async () => ({
        payload: await body({ taskId: await task(), enclave: await enclave(), quoteTaskId: await task() }),
      }),
    },
    {
      name: 'a quote replayed with other enclave keys',
      code: 'SMS_QUOTE_BINDING',
      make: async () => ({
        payload: await body({ taskId: await task(), enclave: await enclave(), quoteEnclave: await enclave() }),
      }),
    },
    {
      name: 'a worker the workerpool owner did not authorise (authorization by another account)',
      code: 'SMS_NOT_AUTHORIZED',
      make: async () => ({
        payload: await body({ taskId: await task(), enclave: await enclave(), authorizer: world.actors.other }),
      }),
    },
    {
      name: 'the requester posing as the worker',
      code: 'SMS_SIGNATURE_INVALID',
      make: async () => ({
        payload: await body({ taskId: await task(), enclave: await enclave(), workerSigner: world.actors.requester }),
      }),
    },
    {
      name: 'the dataset owner asking for the task with an authorization it signed itself',
      code: 'SMS_NOT_AUTHORIZED',
      make: async () => ({
        payload: await body({
          taskId: await task(),
          enclave: await enclave(),
          worker: world.actors.datasetOwner,
          authorizer: world.actors.datasetOwner,
        }),
      }),
    },
    {
      name: 'a task that does not exist',
      code: 'SMS_TASK_NOT_ACTIVE',
      make: async () => ({
        payload: await body({ taskId: keccak256(toHex('no such task')), enclave: await enclave() }),
      }),
    },
    {
      name: 'a COMPLETED task',
      code: 'SMS_TASK_NOT_ACTIVE',
      make: async () => ({ payload: await body({ taskId: await completedTask(), enclave: await enclave() }) }),
    },
    {
      name: 'a FAILED task',
      code: 'SMS_TASK_NOT_ACTIVE',
      make: async () => ({ payload: await body({ taskId: await failedTask(), enclave: await enclave() }) }),
    },
    {
      name: 'a second release to the same enclave for the same task',
      code: 'SMS_ALREADY_RELEASED',
      make: async () => {
        const taskId = await task();
        const e = await enclave();
        assert.equal((await release(development, await body({ taskId, enclave: e }))).status, 200);
        return { payload: await body({ taskId, enclave: e }) };
      },
    },
    {
      name: 'a deal without the TEE bit',
      code: 'SMS_DEAL_NOT_TEE',
      make: async () => ({
        payload: await body({
          taskId: await task({
            app: { tag: zeroHash32() },
            dataset: { tag: zeroHash32() },
            workerpool: { tag: zeroHash32() },
            request: { tag: zeroHash32(), params: PARAMS },
          }),
          enclave: await enclave(),
        }),
      }),
    },
    {
      name: 'a requester secret the deal names but the requester never stored',
      code: 'SMS_SECRET_NOT_FOUND',
      make: async () => ({
        payload: await body({
          taskId: await task({ request: { params: JSON.stringify({ iexec_secrets: { '1': 'missing' } }) } }),
          enclave: await enclave(),
        }),
      }),
    },
    {
      name: 'deal params the enclave cannot run (an unknown key)',
      code: 'SMS_DEAL_PARAMS_INVALID',
      make: async () => ({
        payload: await body({
          taskId: await task({ request: { params: JSON.stringify({ iexec_argz: '--typo' }) } }),
          enclave: await enclave(),
        }),
      }),
    },
    { name: 'malformed input', code: 'SMS_INVALID_INPUT', make: async () => ({ payload: { taskId: '0x12' } }) },
  ];

  for (const refusal of refusals) {
    it(`error: ${refusal.name} → ${refusal.code}`, async () => {
      const { app = development, payload } = await refusal.make();
      const res = await release(app, payload);
      assert.equal(res.body.error?.code, refusal.code, JSON.stringify(res.body));
      assert.equal(res.body.sealed, undefined);
    });
  }

  it('owners and requesters can only learn whether a secret exists, never its value', async () => {
    const { requester } = world.actors;
    for (const url of [
      `/datasets/${world.dataset}/key`,
      `/apps/${world.app}/secret`,
      `/requesters/${requester.address}/secrets/api-key`,
    ]) {
      const res = await development.request(url);
      assert.equal(res.status, 204);
      assert.equal(await res.text(), '');
    }
  });

  it('never writes a secret value to its logs, and logs every release and refusal', () => {
    const all = logs.join('');
    assert.ok(all.includes('"msg":"released"'));
    assert.ok(all.includes('SMS_QUOTE_BINDING') && all.includes('SMS_NOT_AUTHORIZED'));
    for (const value of Object.values(SECRETS)) assert.equal(all.includes(value), false, value);
  });

  describe('access matrix: actor × task state; only the attested, authorised enclave of an ACTIVE task gets every kind', () => {
    const states: Record<string, () => Promise<Hex>> = {
      none: async () => keccak256(toHex(`no task ${Math.random()}`)),
      ACTIVE: () => task(),
      COMPLETED: completedTask,
      FAILED: failedTask,
    };
    const actors: {
      name: string;
      make: (taskId: Hex) => Promise<{ app?: typeof development; payload: unknown }>;
      code: string;
    }[] = [
      {
        name: 'the attested enclave of the authorised worker',
        code: 'released',
        make: async (taskId) => {
          allowed = await enclave();
          return { payload: await body({ taskId, enclave: allowed }) };
        },
      },
      {
        name: 'an enclave with the wrong fingerprint',
        code: 'SMS_QUOTE_BINDING',
        make: async (taskId) => ({
          payload: await body({ taskId, enclave: await enclave(), measurement: keccak256(toHex('other')) }),
        }),
      },
      {
        name: 'a sim quote to a production SMS',
        code: 'SMS_QUOTE_REFUSED',
        make: async (taskId) => ({ app: production, payload: await body({ taskId, enclave: await enclave() }) }),
      },
      {
        name: 'a quote replayed from another task',
        code: 'SMS_QUOTE_BINDING',
        make: async (taskId) => ({
          payload: await body({ taskId, enclave: await enclave(), quoteTaskId: keccak256(toHex('elsewhere')) }),
        }),
      },
      {
        name: 'the worker without the scheduler’s authorization (self-signed)',
        code: 'SMS_NOT_AUTHORIZED',
        make: async (taskId) => ({
          payload: await body({ taskId, enclave: await enclave(), authorizer: world.actors.worker }),
        }),
      },
      {
        name: 'the dataset owner as worker',
        code: 'SMS_NOT_AUTHORIZED',
        make: async (taskId) => ({
          payload: await body({
            taskId,
            enclave: await enclave(),
            worker: world.actors.datasetOwner,
            authorizer: world.actors.datasetOwner,
          }),
        }),
      },
      {
        name: 'another account (other requester) as worker',
        code: 'SMS_NOT_AUTHORIZED',
        make: async (taskId) => ({
          payload: await body({
            taskId,
            enclave: await enclave(),
            worker: world.actors.other,
            authorizer: world.actors.other,
          }),
        }),
      },
      {
        name: 'the requester posing as the worker',
        code: 'SMS_SIGNATURE_INVALID',
        make: async (taskId) => ({
          payload: await body({ taskId, enclave: await enclave(), workerSigner: world.actors.requester }),
        }),
      },
    ];
    let allowed: Enclave | undefined;
    for (const [state, makeTask] of Object.entries(states)) {
      it(`task ${state}: ${actors.length} actors`, async () => {
        const taskId = await makeTask();
        for (const actor of actors) {
          const expected =
            actor.code === 'SMS_SIGNATURE_INVALID' || state === 'ACTIVE' ? actor.code : 'SMS_TASK_NOT_ACTIVE';
          const { app = development, payload } = await actor.make(taskId);
          const res = await release(app, payload);
          if (expected === 'released') {
            assert.equal(res.status, 200, `${actor.name}: ${JSON.stringify(res.body)}`);
            assert.ok(allowed);
            const secrets = await open(allowed, res.body.sealed, taskId);
            assert.deepEqual(
              [secrets.datasetKey, secrets.appSecret, secrets.requesterSecrets['1']],
              [SECRETS.datasetKey, SECRETS.appSecret, SECRETS.requester],
              'every secret kind of the task',
            );
          } else {
            assert.equal(res.body.error?.code, expected, `${actor.name} on a ${state} task`);
            assert.equal(res.body.sealed, undefined);
          }
        }
      });
    }
  });
});

function zeroHash32(): Hex {
  return `0x${'0'.repeat(64)}`;
}

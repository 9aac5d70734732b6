import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Address, type Hex, recoverMessageAddress, sha256, toHex, zeroAddress } from 'viem';
import {
  activeTask,
  deployWorld,
  type OrderOverrides,
  PRICES,
  type World,
} from '../../../../contracts/test/helpers/world.js';
import {
  datasetChecksum,
  decryptResult,
  encodeDatasetKey,
  encryptDatasetBytes,
  generateDatasetKey,
  generateResultKeyPair,
} from '../../../crypto/src/index.js';
import { readZip } from '../../../crypto/src/zip.js';
import {
  authorizationHash,
  DATASET_INFINITE_VOLUME,
  encodeBulkRoot,
  encodeBulkSlice,
  failureMessageHash,
  failureReason,
  randomSalt,
  signOrder,
  TAG_TEE,
} from '../../../protocol/src/index.js';
import {
  createBulkOrderReader,
  createOwnershipReader,
  createSmsServer,
  createTaskReader,
  enclaveSecretsRequestHash,
  openSecretStore,
  type SecretStore,
} from '../../../sms/src/index.js';
import { bundleFingerprint } from '../bundle/bundleFingerprint.js';
import { packBundle } from '../bundle/packBundle.js';
import { createSimPlatform, type SimPlatform } from '../quote/createSimPlatform.js';
import { createEnclaveSession, type EnclaveRunParameters, type EnclaveSession } from './createEnclaveSession.js';

const APPS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../apps');
const LIMITS = { timeLimitMs: 20_000, memoryLimitBytes: 512 * 2 ** 20, maxProcesses: 64 };
const STAKE = (PRICES.workerpool * 30n) / 100n;
const WORKER_REWARD = (PRICES.workerpool * 99n) / 100n;
const APP_SECRET = 'APP-DEV-SECRET-e2e-4c1d';

const CSV = [
  'timestamp,station,pm25,no2',
  '2024-01-01T00:00Z,paris-1,12.5,40.1',
  '2024-01-01T01:00Z,paris-1,18.25,38.7',
  '2024-01-01T00:00Z,lyon-2,7.75,22.4',
  '2024-01-01T01:00Z,lyon-2,31.0,51.9',
  '2024-01-01T02:00Z,lille-3,9.5,19.3',
].join('\n');

let world: World;
let platform: SimPlatform;
let smsUrl: string;
let server: Server;
let scratch: string;
let store: SecretStore;
const smsLogs: string[] = [];
/** The storage the SMS reads bulk slices from: content by (fake) CID. */
const contents = new Map<string, Uint8Array>();

/** Serves a hono app over real HTTP (127.0.0.1, a free port), as the SMS runs in production. */
async function serveHttp(app: { fetch: (request: Request) => Response | Promise<Response> }): Promise<string> {
  const body = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };
  server = createServer((req, res) => {
    void (async () => {
      const payload = await body(req);
      const response = await app.fetch(
        new Request(`http://127.0.0.1${req.url}`, {
          method: req.method,
          headers: req.headers as Record<string, string>,
          ...(payload.length > 0 ? { body: payload } : {}),
        }),
      );
      response.headers.forEach((value, name) => {
        res.setHeader(name, value);
      });
      res.writeHead(response.status);
      res.end(Buffer.from(await response.arrayBuffer()));
    })().catch(() => {
      res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Registers a TEE app whose on-chain fingerprint is the fingerprint of `bundle`. */
async function registerApp(name: string, bundle: Uint8Array): Promise<Address> {
  const { appOwner } = world.actors;
  const apps = world.as(appOwner).apps;
  const args = [
    appOwner.address,
    name,
    'NODE',
    toHex(`/ipfs/bafy-${name}`),
    sha256(bundle),
    bundleFingerprint(bundle),
  ] as const;
  const address = await apps.read.predictApp(args);
  await world.mined(apps.write.createApp(args));
  return address;
}

/** The signatures a worker gathers for a session: the scheduler's authorization and its own request signature. */
async function signaturesFor(session: EnclaveSession, taskId: Hex) {
  const { scheduler, worker } = world.actors;
  return {
    authorizationSign: await scheduler.signMessage({
      message: { raw: authorizationHash(worker.address, taskId, session.enclaveAddress) },
    }),
    workerSign: await worker.signMessage({ message: { raw: session.secretsRequestHash } }),
  };
}

async function account(a: Address): Promise<[bigint, bigint]> {
  return [await world.hub.read.balanceOf([a]), await world.hub.read.frozenOf([a])];
}

/**
 * Starts a task of a deal built with `overrides`, then a session for it over `bundle`. The
 * request's params name the beneficiary's recipient (a fresh one unless given) and the args.
 */
async function startTask(
  bundle: Uint8Array,
  overrides: OrderOverrides,
  params: { recipient?: string; args?: string; bulkCid?: string } = {},
) {
  const { recipient = generateResultKeyPair().recipient, args = '' } = params;
  const { dealId, taskId } = await activeTask(world, {
    ...overrides,
    request: {
      params: JSON.stringify({
        iexec_args: args,
        confide_result_recipient: recipient,
        ...(params.bulkCid ? { bulk_cid: params.bulkCid } : {}),
      }),
    },
  });
  const session = await createEnclaveSession({ platform, bundle, taskId });
  const sigs = await signaturesFor(session, taskId);
  const base: EnclaveRunParameters = {
    sms: { url: smsUrl },
    worker: world.actors.worker.address,
    ...sigs,
    task: { dealId, taskIndex: 0, botSize: 1, botFirst: 0 },
    limits: LIMITS,
    workDir: path.join(scratch, `work-${taskId.slice(2, 12)}`),
  };
  return { taskId, session, base };
}

describe('enclave runtime, end to end (chain, SMS over HTTP, sandbox)', () => {
  before(async () => {
    world = await deployWorld();
    platform = createSimPlatform();
    scratch = mkdtempSync(path.join(tmpdir(), 'confide-e2e-'));
    chmodSync(scratch, 0o711); // The sandbox user must traverse it to reach the work dirs.
    store = openSecretStore({ path: path.join(scratch, 'sms.db'), masterKey: `0x${'44'.repeat(32)}` });
    const { app } = createSmsServer({
      config: { mode: 'development', chainId: 31337, challengeTtlSeconds: 300, simPlatformKeys: [platform.publicKey] },
      store,
      ownership: createOwnershipReader({ client: world.publicClient, hub: world.addresses.hub }),
      tasks: createTaskReader({ client: world.publicClient, hub: world.addresses.hub }),
      bulkOrders: createBulkOrderReader({ client: world.publicClient, hub: world.addresses.hub }),
      bulkSource: {
        async *get(cid: string) {
          const bytes = contents.get(cid);
          if (!bytes) throw new Error(`no content ${cid}`);
          yield bytes;
        },
      },
      logDestination: new Writable({
        write(chunk, _encoding, done) {
          smsLogs.push(chunk.toString());
          done();
        },
      }),
    });
    smsUrl = await serveHttp(app);
  });

  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(scratch, { recursive: true, force: true });
  });

  it('completes a climate-stats task on a protected dataset: paid on chain, result readable by the beneficiary only', async () => {
    const { appOwner, datasetOwner, requester, scheduler, worker } = world.actors;
    // The dataset owner encrypts its CSV with a fresh key, registers the ciphertext's checksum, pushes the key.
    const datasetKey = generateDatasetKey();
    const ciphertext = encryptDatasetBytes({ plaintext: Buffer.from(CSV), key: datasetKey });
    const datasets = world.as(datasetOwner).datasets;
    const datasetArgs = [
      datasetOwner.address,
      'air-quality-e2e.csv',
      toHex('/ipfs/bafy-e2e'),
      await datasetChecksum(ciphertext),
    ] as const;
    const dataset = await datasets.read.predictDataset(datasetArgs);
    await world.mined(datasets.write.createDataset(datasetArgs));
    store.putSecret({ kind: 'dataset-key', owner: dataset, name: '' }, Buffer.from(encodeDatasetKey(datasetKey)));

    // The app developer registers the bundle the enclave will run, and an app secret.
    const bundle = await packBundle(path.join(APPS, 'climate-stats'));
    const app = await registerApp('climate-stats-e2e', bundle);
    store.putSecret({ kind: 'app-secret', owner: app, name: '' }, Buffer.from(APP_SECRET));

    const beneficiary = generateResultKeyPair();
    const { taskId, session, base } = await startTask(
      bundle,
      { app: { app }, dataset: { dataset, apprestrict: app } },
      { recipient: beneficiary.recipient, args: '--mean pm25' },
    );
    assert.equal(
      session.secretsRequestHash,
      enclaveSecretsRequestHash({ ...session, taskId }),
      'the enclave and the SMS agree on the request hash',
    );
    assert.deepEqual(Object.keys(session).sort(), [
      'enclaveAddress',
      'platform',
      'quote',
      'run',
      'sealingPublicKey',
      'secretsRequestHash',
    ]);

    const onChainChecksum = (await datasets.read.viewDataset([dataset])).checksum;
    const before0 = {
      requester: await account(requester.address),
      worker: await account(worker.address),
      appOwner: await account(appOwner.address),
      datasetOwner: await account(datasetOwner.address),
      scheduler: await account(scheduler.address),
    };
    const outcome = await session.run({
      ...base,
      dataset: { address: dataset, ciphertext, checksum: onChainChecksum },
    });
    assert.equal(outcome.outcome, 'completed', JSON.stringify(outcome));
    assert.equal(existsSync(base.workDir), false, 'the work dir, with the plaintext dataset, is gone');

    // The worker contributes with the enclave's signature: COMPLETED, everyone paid.
    await world.mined(
      world
        .as(worker)
        .hub.write.contributeAndFinalize([
          taskId,
          outcome.resultDigest,
          toHex('/ipfs/bafy-result'),
          outcome.callbackData ?? '0x',
          session.enclaveAddress,
          outcome.enclaveSign,
          base.authorizationSign,
        ]),
    );
    assert.equal((await world.hub.read.viewTask([taskId])).status, 3, 'COMPLETED');
    assert.deepEqual(await account(worker.address), [before0.worker[0] + WORKER_REWARD, before0.worker[1]]);
    assert.equal((await account(appOwner.address))[0], before0.appOwner[0] + PRICES.app);
    assert.equal((await account(datasetOwner.address))[0], before0.datasetOwner[0] + PRICES.dataset);
    assert.equal(
      (await account(requester.address))[1],
      before0.requester[1] - PRICES.app - PRICES.dataset - PRICES.workerpool,
    );

    // The beneficiary decrypts the result and finds the statistics of the CSV.
    const files = readZip(decryptResult(outcome.encryptedResult, beneficiary.identity));
    assert.deepEqual([...files.keys()].sort(), ['chart.svg', 'computed.json', 'result.json']);
    const resultJson = files.get('result.json') ?? new Uint8Array();
    assert.equal(outcome.resultDigest, sha256(resultJson), 'the digest is the SHA-256 of the deterministic output');
    const stats = JSON.parse(Buffer.from(resultJson).toString('utf8'));
    // Expected from the CSV: one reading per station and hour, all in 2024-01, all on 2024-01-01.
    const rows = CSV.split('\n')
      .slice(1)
      .map((line) => line.split(','));
    const round = (value: number) => Math.round(value * 1000) / 1000;
    const statsOf = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      return {
        count: values.length,
        mean: round(values.reduce((a, b) => a + b, 0) / values.length),
        min: Math.min(...values),
        max: Math.max(...values),
        p95: sorted[Math.ceil(0.95 * values.length) - 1],
      };
    };
    const byStation = [...new Set(rows.map((r) => r[1] ?? ''))].sort().map((station) => {
      const column = (index: number) => rows.filter((r) => r[1] === station).map((r) => Number(r[index]));
      const aboveWho = (index: number, limit: number) => (statsOf(column(index)).mean > limit ? 1 : 0);
      return [
        station,
        {
          months: { '2024-01': { pm2_5: statsOf(column(2)), no2: statsOf(column(3)) } },
          exceedanceDays: { pm2_5: aboveWho(2, 15), no2: aboveWho(3, 25) },
        },
      ] as const;
    });
    assert.deepEqual(stats, { rows: 5, skippedRows: 0, stations: 3, byStation: Object.fromEntries(byStation) });
    assert.throws(() => decryptResult(outcome.encryptedResult, generateResultKeyPair().identity));

    await assert.rejects(session.run(base), {
      name: 'EnclaveSessionInvalidUseError',
      reason: 'ALREADY_RUN',
    });
    const logs = smsLogs.join('');
    assert.ok(logs.includes('"msg":"released"'));
    assert.equal(logs.includes(APP_SECRET) || logs.includes(encodeDatasetKey(datasetKey)), false);
  });

  it("a result over its dataset policy's maxResultSize fails RESULT_TOO_LARGE, signed, refunded, nothing encrypted; one at the limit completes", async () => {
    const { datasetOwner, requester, worker } = world.actors;
    const bundle = await packBundle(path.join(APPS, 'climate-stats'));
    const app = await registerApp('climate-stats-size', bundle);
    const key = generateDatasetKey();
    const ciphertext = encryptDatasetBytes({ plaintext: Buffer.from(CSV), key });
    const args = [
      datasetOwner.address,
      'size.csv',
      toHex('/ipfs/bafy-size'),
      await datasetChecksum(ciphertext),
    ] as const;
    const dataset = await world.as(datasetOwner).datasets.read.predictDataset(args);
    await world.mined(world.as(datasetOwner).datasets.write.createDataset(args));
    store.putSecret({ kind: 'dataset-key', owner: dataset, name: '' }, Buffer.from(encodeDatasetKey(key)));
    const setLimit = (maxResultSize: bigint) =>
      world.mined(
        world
          .as(datasetOwner)
          .hub.write.setPolicy([
            dataset,
            { restrictApps: false, restrictUsers: false, pricePerUse: 0n, maxUses: 0, expiry: 0, maxResultSize },
          ]),
      );
    const run = async () => {
      const beneficiary = generateResultKeyPair();
      const t = await startTask(
        bundle,
        { app: { app }, dataset: { dataset, apprestrict: app } },
        { recipient: beneficiary.recipient, args: '--mean pm25' },
      );
      const outcome = await t.session.run({ ...t.base, dataset: { address: dataset, ciphertext, checksum: args[3] } });
      return { ...t, beneficiary, outcome };
    };

    await setLimit(100n);
    const over = await run();
    assert.equal(over.outcome.outcome, 'failed', JSON.stringify(over.outcome));
    assert.ok(over.outcome.outcome === 'failed');
    assert.equal(over.outcome.reason, 'RESULT_TOO_LARGE');
    const size = Number(/^SIZE_(\d+)_MAX_100$/.exec(over.outcome.diagnostic)?.[1]);
    assert.ok(size > 100, `the diagnostic gives the archive's size and the limit: ${over.outcome.diagnostic}`);
    assert.equal('encryptedResult' in over.outcome, false, 'no result leaves the enclave');
    assert.equal(existsSync(over.base.workDir), false);
    const signer = await recoverMessageAddress({
      message: { raw: failureMessageHash(worker.address, over.taskId, failureReason('RESULT_TOO_LARGE')) },
      signature: over.outcome.enclaveSign,
    });
    assert.equal(signer, over.session.enclaveAddress);
    const requester0 = await account(requester.address);
    await world.mined(
      world
        .as(worker)
        .hub.write.reportFailure([
          over.taskId,
          failureReason('RESULT_TOO_LARGE'),
          over.session.enclaveAddress,
          over.outcome.enclaveSign,
          over.base.authorizationSign,
        ]),
    );
    assert.equal((await world.hub.read.viewTask([over.taskId])).status, 4, 'FAILED');
    const price = PRICES.app + PRICES.dataset + PRICES.workerpool;
    assert.deepEqual(await account(requester.address), [requester0[0] + price, requester0[1] - price], 'refunded');

    // The limit is on the plaintext archive the beneficiary gets: exactly that many bytes pass.
    await setLimit(BigInt(size));
    const at = await run();
    assert.equal(at.outcome.outcome, 'completed', JSON.stringify(at.outcome));
    assert.ok(at.outcome.outcome === 'completed');
    assert.equal(decryptResult(at.outcome.encryptedResult, at.beneficiary.identity).length, size);
  });

  it('a task whose app exits 1 ends FAILED on chain with the requester’s funds back, through reportFailure', async () => {
    const { requester, scheduler, worker } = world.actors;
    const dir = await mkdtemp(path.join(scratch, 'exit1-'));
    await writeFile(
      path.join(dir, 'confide.json'),
      JSON.stringify({ name: 'exit-one', version: '1.0.0', runtime: 'node', entrypoint: 'main.mjs' }),
    );
    await writeFile(path.join(dir, 'main.mjs'), 'console.error("boom: SECRET-LOOKING-STDERR");\nprocess.exit(1);\n');
    const bundle = await packBundle(dir);
    const app = await registerApp('exit-one', bundle);
    const { taskId, session, base } = await startTask(bundle, { app: { app }, dataset: null });

    const before0 = { requester: await account(requester.address), scheduler: await account(scheduler.address) };
    const outcome = await session.run(base);
    assert.deepEqual(
      { ...outcome, enclaveSign: undefined },
      { outcome: 'failed', reason: 'APP_EXIT_NONZERO', diagnostic: 'EXIT_CODE_1', enclaveSign: undefined },
    );
    assert.equal(JSON.stringify(outcome).includes('SECRET-LOOKING'), false, 'no app output in the outcome');
    assert.equal(existsSync(base.workDir), false);

    assert.equal(outcome.outcome, 'failed');
    await world.mined(
      world
        .as(worker)
        .hub.write.reportFailure([
          taskId,
          failureReason(outcome.reason),
          session.enclaveAddress,
          outcome.enclaveSign,
          base.authorizationSign,
        ]),
    );
    assert.equal((await world.hub.read.viewTask([taskId])).status, 4, 'FAILED');
    const price = PRICES.app + PRICES.workerpool;
    assert.deepEqual(await account(requester.address), [before0.requester[0] + price, before0.requester[1] - price]);
    assert.deepEqual(await account(scheduler.address), [before0.scheduler[0] + STAKE, before0.scheduler[1] - STAKE]);
  });

  it('an app that crashes on a signal fails as APP_EXIT_NONZERO, not as a process limit', async () => {
    const dir = await mkdtemp(path.join(scratch, 'crash-'));
    await writeFile(
      path.join(dir, 'confide.json'),
      JSON.stringify({ name: 'crash', version: '1.0.0', runtime: 'node', entrypoint: 'main.mjs' }),
    );
    await writeFile(path.join(dir, 'main.mjs'), "process.kill(process.pid, 'SIGSEGV');\n");
    const bundle = await packBundle(dir);
    const app = await registerApp('crash', bundle);
    const { session, base } = await startTask(bundle, { app: { app }, dataset: null });
    const outcome = await session.run(base);
    assert.deepEqual(
      { ...outcome, enclaveSign: undefined },
      { outcome: 'failed', reason: 'APP_EXIT_NONZERO', diagnostic: 'SIGNAL_SIGSEGV', enclaveSign: undefined },
    );
  });

  it('an enclave running another bundle than the registered app gets no secret: SECRETS_REFUSED, nothing left on disk', async () => {
    const registered = await packBundle(path.join(APPS, 'climate-stats'));
    const app = await registerApp('climate-stats-refusal', registered);
    const other = await packBundle(path.join(APPS, 'hello'));
    assert.notEqual(bundleFingerprint(other), bundleFingerprint(registered));
    const { taskId, session, base } = await startTask(other, { app: { app }, dataset: null });

    const outcome = await session.run(base);
    assert.equal(outcome.outcome, 'failed');
    assert.equal(outcome.reason, 'SECRETS_REFUSED');
    assert.equal(outcome.diagnostic, 'SMS_QUOTE_BINDING');
    assert.equal(existsSync(base.workDir), false, 'the work dir is removed');
    const signer = await recoverMessageAddress({
      message: { raw: failureMessageHash(world.actors.worker.address, taskId, failureReason('SECRETS_REFUSED')) },
      signature: outcome.enclaveSign,
    });
    assert.equal(signer, session.enclaveAddress, 'the failure is signed by the enclave key');
    await world.mined(
      world
        .as(world.actors.worker)
        .hub.write.reportFailure([
          taskId,
          failureReason('SECRETS_REFUSED'),
          session.enclaveAddress,
          outcome.enclaveSign,
          base.authorizationSign,
        ]),
    );
    assert.equal((await world.hub.read.viewTask([taskId])).status, 4, 'FAILED');
  });

  it('a bulk task decrypts every dataset of its slice, checked against the chain, and tells the app where each is', async () => {
    const bundle = await packBundle(path.join(APPS, 'hello'));
    const app = await registerApp('hello-bulk', bundle);
    // Two protected data of two owners, each granted for bulk to the app.
    const owners = [world.actors.datasetOwner, world.actors.sponsor];
    const protectedData: {
      address: Address;
      plaintext: Buffer;
      ciphertext: Uint8Array;
      order: Awaited<ReturnType<typeof signOrder<'DatasetOrder'>>>;
    }[] = [];
    for (const [i, owner] of owners.entries()) {
      const key = generateDatasetKey();
      const plaintext = Buffer.from(`dataset ${i} of ${owner.address}`);
      const ciphertext = encryptDatasetBytes({ plaintext, key });
      const datasets = world.as(owner).datasets;
      const args = [
        owner.address,
        `bulk-${i}`,
        toHex(`/ipfs/bafy-bulk-${i}`),
        await datasetChecksum(ciphertext),
      ] as const;
      const address = await datasets.read.predictDataset(args);
      await world.mined(datasets.write.createDataset(args));
      store.putSecret({ kind: 'dataset-key', owner: address, name: '' }, Buffer.from(encodeDatasetKey(key)));
      const order = await signOrder({
        domain: world.domain,
        kind: 'DatasetOrder',
        signer: owner,
        order: {
          dataset: address,
          datasetprice: 0n,
          volume: DATASET_INFINITE_VOLUME,
          tag: TAG_TEE,
          apprestrict: app,
          workerpoolrestrict: zeroAddress,
          requesterrestrict: zeroAddress,
          salt: randomSalt(),
        },
      });
      protectedData.push({ address, plaintext, ciphertext, order });
    }
    const sliceCid = `bafkreislice${'0'.repeat(20)}`;
    const rootCid = `bafkreiroot${'0'.repeat(20)}`;
    contents.set(sliceCid, encodeBulkSlice(protectedData.map((d) => d.order)));
    contents.set(rootCid, encodeBulkRoot([sliceCid]));
    const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

    const beneficiary = generateResultKeyPair();
    const { session, base } = await startTask(
      bundle,
      { app: { app }, dataset: null },
      { recipient: beneficiary.recipient, bulkCid: rootCid },
    );
    const outcome = await session.run({
      ...base,
      // The worker's files, in another order and with one extra the SMS never named: ignored.
      bulkDatasets: [
        { address: protectedData[1]?.address as Address, ciphertext: protectedData[1]?.ciphertext as Uint8Array },
        { address: zeroAddress, ciphertext: new Uint8Array(3) },
        { address: protectedData[0]?.address as Address, ciphertext: protectedData[0]?.ciphertext as Uint8Array },
      ],
    });
    assert.equal(outcome.outcome, 'completed', JSON.stringify(outcome));
    assert.equal(existsSync(base.workDir), false, 'the plaintexts are gone');
    const files = readZip(decryptResult(outcome.encryptedResult, beneficiary.identity));
    const text = Buffer.from(files.get('result.txt') ?? new Uint8Array()).toString('utf8');
    for (const [i, d] of protectedData.entries()) {
      assert.ok(
        text.includes(`bulk dataset ${i + 1} ${d.address}: ${d.plaintext.length} bytes, sha256 ${sha(d.plaintext)}`),
        text,
      );
    }
    assert.match(text, new RegExp(`input files: ${[...protectedData.map((d) => d.address)].sort().join(', ')}`));

    // A dataset of the slice the worker did not bring: the task fails, signed, nothing decrypted is left.
    const missing = await startTask(bundle, { app: { app }, dataset: null }, { bulkCid: rootCid });
    const refused = await missing.session.run({
      ...missing.base,
      bulkDatasets: [
        { address: protectedData[0]?.address as Address, ciphertext: protectedData[0]?.ciphertext as Uint8Array },
      ],
    });
    assert.equal(refused.outcome, 'failed');
    assert.equal(refused.outcome === 'failed' && refused.reason, 'INPUT_DOWNLOAD_FAILED');
    assert.equal(refused.outcome === 'failed' && refused.diagnostic, 'BULK_DATASET_MISSING');

    // A file that is not the registered ciphertext: DATASET_CHECKSUM_MISMATCH, from the SMS's checksum.
    const swapped = await startTask(bundle, { app: { app }, dataset: null }, { bulkCid: rootCid });
    const mismatch = await swapped.session.run({
      ...swapped.base,
      bulkDatasets: protectedData.map((d) => ({
        address: d.address,
        ciphertext: protectedData[0]?.ciphertext as Uint8Array,
      })),
    });
    assert.equal(mismatch.outcome === 'failed' && mismatch.reason, 'DATASET_CHECKSUM_MISMATCH');
  });
});

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, openAsBlob } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { type Address, hexToString, parseUnits } from 'viem';
import { computeClimateStats } from '../../../apps/climate-stats-data/reference.mjs';
import { offerApp } from '../../cli/src/stack/publishApp.js';
import { datasetChecksum, decryptDataset, decryptDatasetBytes, readProtectedValue } from '../../crypto/src/index.js';
import { datasetRegistryAbi } from '../../protocol/src/index.js';
import { readDatasetKey } from '../../sms/src/client/datasetKey.js';
import { escrowOf } from '../../workerpool/test/marketplace.js';
import { type Network, startNetwork } from '../../workerpool/test/network.js';
import type { DataProtector, StatusUpdate } from '../src/index.js';
import { dataProtectorOn } from './dataProtectorOn.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const TOKEN = parseUnits('1', 9);
const PRICE = { app: 2n * TOKEN, dataset: TOKEN, workerpool: 3n * TOKEN };
const SCHEMA = { csv: 'application/octet-stream' };

let net: Network;
let scientist: DataProtector;
let lab: DataProtector;
/** climate-stats, offered by the first test. */
let climateStats: Address;

/** Polls `read` until `done` holds (the market and indexer follow the chain a little behind). */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function dataProtectorOf(account: Network['roles']['requester']): DataProtector {
  return dataProtectorOn(net, account);
}

describe('001 DataProtector: the climate story through the public API, on the whole local stack', () => {
  before(async () => {
    net = await startNetwork({ workers: 2, workerpoolPrice: PRICE.workerpool });
    scientist = dataProtectorOf(net.roles.dataOwner);
    lab = dataProtectorOf(net.roles.requester);
  });
  after(async () => {
    await scientist?.close();
    await lab?.close();
    await net?.stop();
  });

  it('protect, grant 10 uses, find by schema, process 3 times, 7 remain, revoke, a 4th run refused before money moves', async () => {
    const { appOwner, dataOwner, requester, scheduler } = net.roles;
    // The app developer publishes climate-stats and offers it on the market.
    const { app } = await offerApp(net, {
      folder: path.join(ROOT, 'apps/climate-stats'),
      name: 'climate-stats',
      price: PRICE.app,
      volume: 1000n,
    });
    climateStats = app;

    // The scientist protects the CSV; the schema is inferred.
    const csv = await readFile(path.join(ROOT, 'apps/climate-stats-data/air-quality.csv'));
    const protectSteps: StatusUpdate[] = [];
    const protectedData = await scientist.protectData({
      data: { csv },
      name: 'Air quality 2024, 6 stations',
      onStatusUpdate: (u) => protectSteps.push(u),
    });
    assert.deepEqual(protectedData.schema, SCHEMA);
    assert.equal(protectedData.owner, dataOwner.address);
    assert.deepEqual(
      protectSteps.map((u) => `${u.title}:${u.isDone}`),
      [
        'EXTRACT_DATA_SCHEMA',
        'CREATE_ZIP_FILE',
        'CREATE_ENCRYPTION_KEY',
        'ENCRYPT_FILE',
        'UPLOAD_ENCRYPTED_FILE',
        'DEPLOY_PROTECTED_DATA',
        'PUSH_SECRET_TO_SMS',
      ].flatMap((t) => [`${t}:false`, `${t}:true`]),
    );

    // It grants the lab 10 uses of climate-stats at 1 token each.
    const grantSteps: string[] = [];
    const access = await scientist.grantAccess({
      protectedData: protectedData.address,
      authorizedApp: app,
      authorizedUser: requester.address,
      pricePerAccess: TOKEN,
      numberOfAccess: 10,
      onStatusUpdate: (u) => grantSteps.push(`${u.title}:${u.isDone}`),
    });
    assert.equal(access.remainingAccess, 10);
    assert.deepEqual(grantSteps, [
      'CREATE_DATASET_ORDER:false',
      'CREATE_DATASET_ORDER:true',
      'PUBLISH_DATASET_ORDER:false',
      'PUBLISH_DATASET_ORDER:true',
    ]);
    await assert.rejects(
      scientist.grantAccess({
        protectedData: protectedData.address,
        authorizedApp: app,
        authorizedUser: requester.address,
      }),
      { name: 'DataProtectorError', code: 'CONFIDE_DATAPROTECTOR_ACCESS_EXISTS' },
    );

    // The lab finds it by the schema it needs.
    const found = await eventually(
      () => lab.getProtectedData({ requiredSchema: SCHEMA }),
      (list) => list.some((d) => d.address === protectedData.address),
    );
    assert.equal(found.find((d) => d.address === protectedData.address)?.owner, dataOwner.address);

    // Three runs, each with correct statistics.
    const parties: Address[] = [requester.address, dataOwner.address, appOwner.address, scheduler.address];
    const before0 = await Promise.all(parties.map((a) => escrowOf(net, a)));
    const expected = `${JSON.stringify(computeClimateStats(csv.toString('utf8')), null, 2)}\n`;
    const processSteps: string[][] = [];
    for (let run = 0; run < 3; run++) {
      const steps: string[] = [];
      const { result } = await lab.processProtectedData({
        protectedData: protectedData.address,
        app,
        dataMaxPrice: PRICE.dataset,
        appMaxPrice: PRICE.app,
        workerpoolMaxPrice: PRICE.workerpool,
        path: 'result.json',
        // The first run also hands the app a requester secret (pushed to the SMS under a fresh name).
        ...(run === 0 ? { secrets: { 1: 'lab-api-token' } } : {}),
        onStatusUpdate: (u) => steps.push(`${u.title}:${u.isDone}`),
      });
      assert.equal(Buffer.from(result as Uint8Array).toString('utf8'), expected);
      processSteps.push(steps);
    }
    for (const [run, steps] of processSteps.entries()) {
      assert.deepEqual(
        steps,
        [
          'FETCH_ORDERS',
          ...(run === 0 ? ['PUSH_REQUESTER_SECRET'] : []),
          'GENERATE_ENCRYPTION_KEY',
          'REQUEST_TO_PROCESS_PROTECTED_DATA',
          'TASK_EXECUTION',
          'TASK_RESULT_DOWNLOAD',
          'TASK_RESULT_DECRYPT',
        ].flatMap((t) => [`${t}:false`, `${t}:true`]),
      );
    }

    // 7 uses remain.
    const granted = await eventually(
      () => scientist.getGrantedAccess({ protectedData: protectedData.address }),
      (g) => g.grantedAccess[0]?.remainingAccess === 7,
    );
    assert.equal(granted.count, 1);

    // Balances exact to the unit.
    const after0 = await Promise.all(parties.map((a) => escrowOf(net, a)));
    const total = (e: { balance: bigint; frozen: bigint }) => e.balance + e.frozen;
    const delta = after0.map((e, i) => total(e) - total(before0[i] ?? { balance: 0n, frozen: 0n }));
    assert.deepEqual(delta.slice(0, 3), [
      -3n * (PRICE.app + PRICE.dataset + PRICE.workerpool),
      3n * PRICE.dataset,
      3n * PRICE.app,
    ]);

    // The scientist revokes; the 4th run is refused before any money moves.
    const revoked = await scientist.revokeAllAccess({ protectedData: protectedData.address });
    assert.equal(revoked.length, 1);
    await eventually(
      () => scientist.getGrantedAccess({ protectedData: protectedData.address }),
      (g) => g.count === 0,
    );
    const beforeRefusal = await escrowOf(net, requester.address);
    await assert.rejects(
      lab.processProtectedData({
        protectedData: protectedData.address,
        app,
        dataMaxPrice: PRICE.dataset,
        appMaxPrice: PRICE.app,
        workerpoolMaxPrice: PRICE.workerpool,
      }),
      { name: 'DataProtectorError', code: 'CONFIDE_DATAPROTECTOR_NO_ACCESS' },
    );
    assert.deepEqual(await escrowOf(net, requester.address), beforeRefusal, 'no money moved');
  });

  it('rotateKey: re-encrypted under a new key, a task succeeds; the key the SMS releases no longer opens the old ciphertext, whose key is gone from its store', async () => {
    const { dataOwner, requester } = net.roles;
    const csv = await readFile(path.join(ROOT, 'apps/climate-stats-data/air-quality.csv'));
    const protectedData = await scientist.protectData({ data: { csv }, name: 'Air quality, rotated' });
    await scientist.grantAccess({
      protectedData: protectedData.address,
      authorizedApp: climateStats,
      authorizedUser: requester.address,
      pricePerAccess: TOKEN,
      numberOfAccess: 2,
    });
    const bytesOf = async (multiaddr: string) => {
      const chunks: Uint8Array[] = [];
      for await (const chunk of net.storage.get(multiaddr.replace('/ipfs/', ''))) chunks.push(chunk);
      return Buffer.concat(chunks);
    };
    const oldCiphertext = await bytesOf(protectedData.multiaddr);
    const smsDb = path.join(net.dir, 'sms.db');
    const sealedKey = () => {
      const db = new Database(smsDb, { readonly: true });
      try {
        const row = db
          .prepare("SELECT ciphertext FROM secrets WHERE kind = 'dataset-key' AND owner = ?")
          .get(protectedData.address.toLowerCase()) as { ciphertext: Buffer };
        return row.ciphertext;
      } finally {
        db.close();
      }
    };
    const oldSealed = sealedKey();

    const steps: string[] = [];
    const rotated = await scientist.rotateKey({
      protectedData: protectedData.address,
      onStatusUpdate: (u) => steps.push(`${u.title}:${u.isDone}`),
    });
    assert.deepEqual(
      steps,
      [
        'READ_ENCRYPTION_KEY',
        'CREATE_ENCRYPTION_KEY',
        'REENCRYPT_FILE',
        'PUSH_SECRET_TO_SMS',
        'UPDATE_PROTECTED_DATA',
      ].flatMap((t) => [`${t}:false`, `${t}:true`]),
    );
    assert.notEqual(rotated.multiaddr, protectedData.multiaddr);
    const { publicClient } = net.clients(dataOwner);
    const onChain = await publicClient.readContract({
      address: net.devnet.addresses.datasetRegistry,
      abi: datasetRegistryAbi,
      functionName: 'viewDataset',
      args: [protectedData.address],
    });
    assert.deepEqual([hexToString(onChain.multiaddr), onChain.checksum], [rotated.multiaddr, rotated.checksum]);
    const newCiphertext = await bytesOf(rotated.multiaddr);
    assert.equal(await datasetChecksum(newCiphertext), rotated.checksum);

    // A workerpool with no order on the market is refused before anything is paid.
    const beforeRefusal = await escrowOf(net, requester.address);
    await assert.rejects(
      lab.processProtectedData({
        protectedData: protectedData.address,
        app: climateStats,
        dataMaxPrice: PRICE.dataset,
        appMaxPrice: PRICE.app,
        workerpoolMaxPrice: PRICE.workerpool,
        workerpool: requester.address,
      }),
      (error: Error & { code?: string; details?: string }) =>
        error.code === 'CONFIDE_DATAPROTECTOR_NO_WORKERPOOL_ORDER' && String(error.details).includes(requester.address),
    );
    assert.deepEqual(await escrowOf(net, requester.address), beforeRefusal, 'no money moved');

    // A task after the rotation, on the stack's workerpool by name: the enclave fetches the new
    // ciphertext and gets the new key.
    const expected = `${JSON.stringify(computeClimateStats(csv.toString('utf8')), null, 2)}\n`;
    const { result } = await lab.processProtectedData({
      protectedData: protectedData.address,
      app: climateStats,
      dataMaxPrice: PRICE.dataset,
      appMaxPrice: PRICE.app,
      workerpoolMaxPrice: PRICE.workerpool,
      workerpool: net.workerpool,
      path: 'result.json',
    });
    assert.equal(Buffer.from(result as Uint8Array).toString('utf8'), expected);

    // The key the SMS holds (and releases) is a new one: it opens the new ciphertext, not the old.
    const released = await readDatasetKey({
      smsUrl: net.sms.url,
      chainId: net.devnet.chainId,
      account: dataOwner,
      dataset: protectedData.address,
    });
    assert.notEqual(released, protectedData.encryptionKey);
    assert.equal(
      readProtectedValue(
        decryptDatasetBytes({ ciphertext: newCiphertext, key: released }),
        'csv',
        'application/octet-stream',
      ).length,
      csv.length,
    );
    assert.throws(() => decryptDatasetBytes({ ciphertext: oldCiphertext, key: released }), {
      name: 'DatasetChunkTamperedError',
      code: 'CONFIDE_CRYPTO_CHUNK_TAMPERED',
    });
    // The old key is gone from the SMS's store: its sealed row is in neither the database nor the WAL.
    assert.notDeepEqual(sealedKey(), oldSealed);
    const raw = Buffer.concat([await readFile(smsDb), await readFile(`${smsDb}-wal`).catch(() => Buffer.alloc(0))]);
    assert.equal(raw.includes(oldSealed), false, 'the old sealed key survives nowhere in the SMS files');
    assert.ok(net.sms.logs.some((line) => line.includes('"rotated"') && line.includes('"purged":true')));
    assert.equal(net.sms.logs.join('\n').includes(released), false, 'keys are never logged');

    // revokeAllAccess with rotateKey: the last access is revoked, and the key rotated once more.
    const revokeSteps: string[] = [];
    const revoked = await scientist.revokeAllAccess({
      protectedData: protectedData.address,
      rotateKey: true,
      onStatusUpdate: (u) => revokeSteps.push(u.isDone ? u.title : ''),
    });
    assert.equal(revoked.length, 1);
    assert.deepEqual(revokeSteps.filter(Boolean), [
      'RETRIEVE_ALL_GRANTED_ACCESS',
      'REVOKE_ONE_ACCESS',
      'READ_ENCRYPTION_KEY',
      'CREATE_ENCRYPTION_KEY',
      'REENCRYPT_FILE',
      'PUSH_SECRET_TO_SMS',
      'UPDATE_PROTECTED_DATA',
    ]);
    const again = await publicClient.readContract({
      address: net.devnet.addresses.datasetRegistry,
      abi: datasetRegistryAbi,
      functionName: 'viewDataset',
      args: [protectedData.address],
    });
    assert.notEqual(again.checksum, rotated.checksum);

    // Only the owner may rotate.
    await assert.rejects(lab.rotateKey({ protectedData: protectedData.address }), {
      name: 'DataProtectorError',
      code: 'CONFIDE_DATAPROTECTOR_NOT_OWNER',
    });
  });

  it('protectData streams a 64 MiB file from disk: bounded memory, same bytes back after decryption', async () => {
    const MiB = 1024 * 1024;
    const size = 64 * MiB;
    const dir = await mkdtemp(path.join(tmpdir(), 'dp-large-'));
    try {
      // A deterministic file, written in 1 MiB pieces.
      const file = path.join(dir, 'large.bin');
      const piece = (i: number) => createHash('sha512').update(String(i)).digest().subarray(0, 64);
      await pipeline(
        Readable.from(
          (function* () {
            for (let i = 0; i < size / MiB; i++) yield Buffer.concat(Array.from({ length: MiB / 64 }, () => piece(i)));
          })(),
        ),
        createWriteStream(file),
      );
      const expected = createHash('sha256');
      for await (const chunk of createReadStream(file)) expected.update(chunk);

      // Peak resident memory while protecting, sampled: it must stay far below the file's size.
      global.gc?.();
      const baseline = process.memoryUsage().rss;
      let peak = baseline;
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss);
      }, 10);
      const steps: string[] = [];
      const protectedData = await scientist
        .protectData({
          data: { file: await openAsBlob(file), label: 'large' },
          name: 'large file',
          onStatusUpdate: (u) => steps.push(`${u.title}:${u.isDone}`),
        })
        .finally(() => clearInterval(sampler));
      const grownMiB = (peak - baseline) / MiB;
      assert.ok(grownMiB < 48, `RSS grew by ${grownMiB.toFixed(0)} MiB while streaming a 64 MiB file`);
      assert.deepEqual(protectedData.schema, { file: 'application/octet-stream', label: 'string' });
      assert.equal(protectedData.zipFile, undefined);
      assert.equal(steps.length, 14);

      // What storage holds is what the chain's checksum names, and decrypts to the same file.
      const encrypted = path.join(dir, 'large.cfds');
      await pipeline(
        Readable.from(net.storage.get(protectedData.multiaddr.replace('/ipfs/', ''))),
        createWriteStream(encrypted),
      );
      const { publicClient } = net.clients(net.roles.dataOwner);
      const onChain = await publicClient.readContract({
        address: net.devnet.addresses.datasetRegistry,
        abi: datasetRegistryAbi,
        functionName: 'viewDataset',
        args: [protectedData.address],
      });
      assert.equal(await datasetChecksum(createReadStream(encrypted)), onChain.checksum);
      const zipPath = path.join(dir, 'large.zip');
      await pipeline(
        createReadStream(encrypted),
        decryptDataset({ key: protectedData.encryptionKey }),
        createWriteStream(zipPath),
      );
      const zip = await readFile(zipPath);
      assert.equal(readProtectedValue(zip, 'label', 'string'), 'large');
      const content = readProtectedValue(zip, 'file', 'application/octet-stream');
      assert.equal(content.length, size);
      assert.equal(createHash('sha256').update(content).digest('hex'), expected.digest('hex'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

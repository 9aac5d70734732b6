import {
  type Account,
  type Address,
  type Chain,
  type Hex,
  type PublicClient,
  parseEventLogs,
  type Transport,
  toHex,
  type WalletClient,
  zeroAddress,
} from 'viem';
// Modules, not package indexes: what this imports must run in browsers too (see browser.e2e.test.ts).
import { toHexString } from '../../crypto/src/bytes.js';
import { datasetChecksum } from '../../crypto/src/datasetChecksum.js';
import { encryptDatasetBytes, encryptDatasetChunks } from '../../crypto/src/datasetSealer.js';
import { encodeDatasetKey } from '../../crypto/src/encodeDatasetKey.js';
import { generateDatasetKey } from '../../crypto/src/generateDatasetKey.js';
import { generateResultKeyPair } from '../../crypto/src/generateResultKeyPair.js';
import {
  type ProtectedData,
  type ProtectedDataSchema,
  type ProtectedDataStreamInput,
  serializeProtectedData,
  serializeProtectedDataStream,
} from '../../crypto/src/serializeProtectedData.js';
import { createSha256 } from '../../crypto/src/sha256.js';
import { createIndexerClient } from '../../indexer/src/client/createIndexerClient.js';
import { createMarketClient } from '../../market/src/client/createMarketClient.js';
import {
  appRegistryAbi,
  BULK_MIN_VOLUME,
  confideDomain,
  confideHubAbi,
  DATASET_INFINITE_VOLUME,
  type DatasetOrder,
  dataProtectorAbi,
  datasetRegistryAbi,
  OrderOperation,
  randomSalt,
  type Signed,
  signOrder,
  TAG_TEE,
  walletSigner,
} from '../../protocol/src/index.js';
import { pushSecret } from '../../sms/src/client/pushSecret.js';
import { createKuboStorage } from '../../storage/src/createKuboStorage.js';
import type { Storage } from '../../storage/src/storage.js';
import {
  fetchTaskResult,
  requestConfidentialTask,
  waitForTask,
} from '../../workerpool/src/requester/runConfidentialTask.js';
import type { BulkContext } from './bulk/bulkRequest.js';
import { type InspectBulkRequestParameters, inspectBulkRequest } from './bulk/inspectBulkRequest.js';
import { type PrepareBulkRequestParameters, prepareBulkRequest } from './bulk/prepareBulkRequest.js';
import { type ProcessBulkRequestParameters, processBulkRequest } from './bulk/processBulkRequest.js';
import { DataProtectorError } from './errors.js';
import { marketApi } from './market.js';
import { pushRequesterSecrets } from './pushRequesterSecrets.js';
import { type RotateKeyParameters, rotateKey, withKeyRotation } from './rotateKey.js';
import { type ProcessRoute, sharingApi } from './sharing.js';
import { createSharingReads } from './sharingReads.js';
import { type OnStatusUpdate, step } from './statusUpdates.js';
import { address, count, invalid, price, service } from './validate.js';

/** Where the Confide services of a network are. */
export type DataProtectorServices = {
  /** Kubo RPC API of an IPFS node (`confide-storage` serves it). */
  storageUrl: string;
  smsUrl: string;
  marketUrl: string;
  indexerUrl: string;
};

/** Parameters of {@link createDataProtector}. */
export type CreateDataProtectorParameters = {
  publicClient: PublicClient<Transport, Chain>;
  /** The user's wallet; a local account (viem `privateKeyToAccount`) or a browser wallet. */
  wallet: WalletClient<Transport, Chain, Account>;
  hub: Address;
  dataProtector: Address;
  /** The DataSharing contract (network.json `dataSharing`); the sharing methods need it. */
  dataSharing?: Address;
  services: DataProtectorServices;
};

/** A protected data as `getProtectedData` lists it. */
export type ProtectedDataEntry = {
  name: string;
  address: Address;
  owner: Address;
  schema: ProtectedDataSchema;
  creationTimestamp: number;
  multiaddr?: string;
};

/** Parameters of `getProtectedData`, as iExec's. */
export type GetProtectedDataParameters = {
  protectedDataAddress?: Address;
  /** Keys (nested allowed) and types the data must have; an array lists accepted types. */
  requiredSchema?: Record<string, unknown>;
  owner?: Address;
  createdAfterTimestamp?: number;
  page?: number;
  pageSize?: number;
};

/** An access: a signed dataset order and how many uses remain. */
export type GrantedAccess = {
  dataset: Address;
  datasetprice: string;
  volume: string;
  tag: Hex;
  apprestrict: Address;
  workerpoolrestrict: Address;
  requesterrestrict: Address;
  salt: Hex;
  sign: Hex;
  remainingAccess: number;
};

type ProtectStep =
  | 'EXTRACT_DATA_SCHEMA'
  | 'CREATE_ZIP_FILE'
  | 'CREATE_ENCRYPTION_KEY'
  | 'ENCRYPT_FILE'
  | 'UPLOAD_ENCRYPTED_FILE'
  | 'DEPLOY_PROTECTED_DATA'
  | 'PUSH_SECRET_TO_SMS';
type GrantStep = 'CREATE_DATASET_ORDER' | 'PUBLISH_DATASET_ORDER' | 'CREATE_BULK_ORDER' | 'PUBLISH_BULK_ORDER';
type RevokeStep = 'RETRIEVE_ALL_GRANTED_ACCESS' | 'REVOKE_ONE_ACCESS';
type ProcessStep =
  | 'FETCH_ORDERS'
  | 'PUSH_REQUESTER_SECRET'
  | 'GENERATE_ENCRYPTION_KEY'
  | 'REQUEST_TO_PROCESS_PROTECTED_DATA'
  | 'TASK_EXECUTION'
  | 'TASK_RESULT_DOWNLOAD'
  | 'TASK_RESULT_DECRYPT';

/** An order usable in bulk requests: free and (practically) unlimited, as the SMS requires. */
const isBulkAccess = (order: DatasetOrder) => order.datasetprice === 0n && order.volume >= BULK_MIN_VOLUME;

/** Whether protected data holds a Blob anywhere (then it is streamed rather than zipped in memory). */
function hasBlob(node: unknown, seen = new Set<object>()): boolean {
  if (node instanceof Blob) return true;
  if (typeof node !== 'object' || node === null || ArrayBuffer.isView(node) || node instanceof ArrayBuffer)
    return false;
  if (seen.has(node)) return false;
  seen.add(node);
  return Object.values(node).some((value) => hasBlob(value, seen));
}

/**
 * The encrypted dataset as a stream, from the zip's plan: encrypted chunk by chunk, hashed on
 * the way for the on-chain checksum (SHA-256 of the ciphertext), so nothing is held whole.
 */
function encryptingStream(zip: { stream: () => AsyncIterable<Uint8Array> }, key: Uint8Array) {
  const hash = createSha256();
  let sourceError: unknown;
  const source = (async function* () {
    try {
      yield* zip.stream();
    } catch (error) {
      sourceError = error;
      throw error;
    }
  })();
  const encrypted = encryptDatasetChunks({ source, key });
  return {
    chunks: (async function* () {
      for await (const chunk of encrypted) {
        hash.update(chunk);
        yield chunk;
      }
    })(),
    checksum: (): Hex => `0x${toHexString(hash.digest())}`,
    /** The data's own failure (a file changed or removed while read), if that is what stopped the stream. */
    sourceError: () => sourceError,
  };
}

const toAccess = (entry: { order: Signed<DatasetOrder>; remaining: bigint }): GrantedAccess => ({
  dataset: entry.order.dataset,
  datasetprice: entry.order.datasetprice.toString(),
  volume: entry.order.volume.toString(),
  tag: entry.order.tag,
  apprestrict: entry.order.apprestrict,
  workerpoolrestrict: entry.order.workerpoolrestrict,
  requesterrestrict: entry.order.requesterrestrict,
  salt: entry.order.salt,
  sign: entry.order.sign,
  remainingAccess: Number(entry.remaining),
});

const fromAccess = (access: GrantedAccess): Signed<DatasetOrder> => ({
  dataset: address(access.dataset, 'dataset'),
  datasetprice: BigInt(access.datasetprice),
  volume: BigInt(access.volume),
  tag: access.tag,
  apprestrict: address(access.apprestrict, 'apprestrict'),
  workerpoolrestrict: address(access.workerpoolrestrict, 'workerpoolrestrict'),
  requesterrestrict: address(access.requesterrestrict, 'requesterrestrict'),
  salt: access.salt,
  sign: access.sign,
});

/**
 * The DataProtector API with iExec's method names, parameters, return shapes and status titles:
 * protect, grant, process — and the rest. Results are age-encrypted to a key the caller holds
 * (generated when not given); every failure is a {@link DataProtectorError} with a code.
 * @example
 * const dp = createDataProtector({ publicClient, wallet, hub, dataProtector, services })
 * const { address } = await dp.protectData({ data: { csv: bytes }, name: 'air quality 2024' })
 * await dp.grantAccess({ protectedData: address, authorizedApp: climateStats, authorizedUser: lab, numberOfAccess: 10, pricePerAccess: 1_000_000_000 })
 */
export function createDataProtector(p: CreateDataProtectorParameters) {
  const { publicClient, wallet, hub, services } = p;
  const account = wallet.account;
  const signer = walletSigner(wallet);
  const storage: Storage = createKuboStorage({ url: services.storageUrl });
  const market = marketApi(createMarketClient({ url: services.marketUrl }));
  const indexer = createIndexerClient({ url: services.indexerUrl });
  const chainId = () => publicClient.getChainId();
  const registry = (name: 'appRegistry' | 'datasetRegistry') =>
    publicClient.readContract({ address: hub, abi: confideHubAbi, functionName: name });
  const mined = async (hash: Hex) => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== 'success') {
      throw new DataProtectorError('CONFIDE_DATAPROTECTOR_SERVICE_FAILED', { details: `transaction ${hash} reverted` });
    }
    return receipt;
  };
  const ownerOf = async (dataset: Address) =>
    publicClient.readContract({
      address: await registry('datasetRegistry'),
      abi: datasetRegistryAbi,
      functionName: 'ownerOfAsset',
      args: [dataset],
    });

  async function protectData(params: {
    /** The data; `Blob` leaves (a browser `File`, Node's `fs.openAsBlob(path)`) are streamed, any size up to 4 GiB. */
    data: ProtectedDataStreamInput;
    name?: string;
    onStatusUpdate?: OnStatusUpdate<ProtectStep>;
  }) {
    const { data, name = '', onStatusUpdate } = params ?? {};
    if (typeof name !== 'string') throw invalid('name must be a string');
    const streamed = hasBlob(data);
    const serialized = await step(onStatusUpdate, 'EXTRACT_DATA_SCHEMA', async () => {
      try {
        return streamed ? await serializeProtectedDataStream(data) : serializeProtectedData(data as ProtectedData);
      } catch (cause) {
        throw new DataProtectorError('CONFIDE_DATAPROTECTOR_INVALID_PARAMETER', {
          details: cause instanceof Error ? cause.message.split('\n')[0] : 'data is not a protectable object',
          cause,
        });
      }
    });
    // In memory: the zip's bytes. Streamed: its plan, read from the Blobs' sources while encrypting.
    const zipFile = await step(onStatusUpdate, 'CREATE_ZIP_FILE', () => serialized.zip);
    const key = await step(onStatusUpdate, 'CREATE_ENCRYPTION_KEY', () => generateDatasetKey());
    const encrypted = await step(onStatusUpdate, 'ENCRYPT_FILE', () =>
      zipFile instanceof Uint8Array ? encryptDatasetBytes({ plaintext: zipFile, key }) : encryptingStream(zipFile, key),
    );
    const { cid, checksum } = await step(
      onStatusUpdate,
      'UPLOAD_ENCRYPTED_FILE',
      () =>
        service('uploading to storage', async () => {
          if (encrypted instanceof Uint8Array) {
            const { cid } = await storage.put(encrypted);
            return { cid, checksum: await datasetChecksum(encrypted) };
          }
          try {
            const { cid } = await storage.put(encrypted.chunks);
            return { cid, checksum: encrypted.checksum() };
          } catch (cause) {
            const failure = encrypted.sourceError();
            if (!failure) throw cause;
            throw new DataProtectorError('CONFIDE_DATAPROTECTOR_INVALID_PARAMETER', {
              details: `data: ${failure instanceof Error ? failure.message.split('\n')[0] : 'could not be read'}`,
              cause: failure,
            });
          }
        }),
      (r) => ({ cid: r.cid }),
    );
    const multiaddr = `/ipfs/${cid}`;
    const schema = JSON.stringify(serialized.schema);
    const deployed = await step(
      onStatusUpdate,
      'DEPLOY_PROTECTED_DATA',
      async () => {
        const hash = await service('creating the protected data on chain', async () =>
          wallet.writeContract({
            address: p.dataProtector,
            abi: dataProtectorAbi,
            functionName: 'createDatasetWithSchema',
            args: [account.address, name || 'protected data', schema, toHex(multiaddr), checksum],
          }),
        );
        const receipt = await mined(hash);
        const [event] = parseEventLogs({ abi: dataProtectorAbi, logs: receipt.logs, eventName: 'DatasetSchema' });
        if (!event)
          throw new DataProtectorError('CONFIDE_DATAPROTECTOR_SERVICE_FAILED', { details: 'no DatasetSchema event' });
        const block = await publicClient.getBlock({ blockHash: receipt.blockHash });
        return { address: event.args.dataset, txHash: hash, creationTimestamp: Number(block.timestamp) };
      },
      (r) => ({
        address: r.address,
        owner: account.address,
        txHash: r.txHash,
        creationTimestamp: String(r.creationTimestamp),
      }),
    );
    const encryptionKey = encodeDatasetKey(key);
    await step(onStatusUpdate, 'PUSH_SECRET_TO_SMS', () =>
      service('pushing the key to the SMS', async () =>
        pushSecret({
          smsUrl: services.smsUrl,
          chainId: await chainId(),
          account: signer,
          target: { kind: 'dataset-key', dataset: deployed.address },
          value: encryptionKey,
        }),
      ),
    );
    return {
      name: name || 'protected data',
      address: deployed.address,
      owner: account.address,
      schema: serialized.schema,
      creationTimestamp: deployed.creationTimestamp,
      transactionHash: deployed.txHash,
      // iExec returns the zip; a streamed one was never whole in memory, so there is none to return.
      zipFile: zipFile instanceof Uint8Array ? zipFile : undefined,
      encryptionKey,
      multiaddr,
    };
  }

  async function getProtectedData(params: GetProtectedDataParameters = {}): Promise<ProtectedDataEntry[]> {
    const pageSize = params.pageSize ?? 1000;
    if (pageSize < 10 || pageSize > 1000) throw invalid('pageSize must be between 10 and 1000');
    if (params.page !== undefined) count(params.page, 'page', 0);
    if (params.owner !== undefined) address(params.owner, 'owner');
    if (params.protectedDataAddress !== undefined) address(params.protectedDataAddress, 'protectedDataAddress');
    return service(
      'querying the indexer',
      () => indexer.getProtectedData({ ...params, pageSize } as never) as Promise<ProtectedDataEntry[]>,
    );
  }

  async function grantedAccessOf(filters: {
    protectedData?: Address;
    authorizedApp?: Address;
    authorizedUser?: Address;
    page?: number;
    pageSize?: number;
    /** Only accesses usable in bulk requests (price 0, volume ≥ 2^53 − 2); `count` is then of this page. */
    bulkOnly?: boolean;
  }) {
    const { count: total, orders } = await service('querying the market', () =>
      market.listDatasetOrders({
        ...(filters.protectedData ? { dataset: filters.protectedData } : {}),
        ...(filters.authorizedApp ? { app: filters.authorizedApp } : {}),
        ...(filters.authorizedUser ? { requester: filters.authorizedUser } : {}),
        page: filters.page ?? 0,
        pageSize: filters.pageSize ?? 100,
      }),
    );
    if (!filters.bulkOnly) return { count: total, grantedAccess: orders.map(toAccess) };
    const bulk = orders.filter((o) => isBulkAccess(o.order));
    return { count: bulk.length, grantedAccess: bulk.map(toAccess) };
  }

  async function grantAccess(params: {
    protectedData: Address;
    authorizedApp: Address;
    authorizedUser?: Address;
    pricePerAccess?: bigint | number;
    numberOfAccess?: number;
    /**
     * Lets the user process this data in bulk requests (many protected data per task): the order
     * is free and unlimited (price 0, volume `DATASET_INFINITE_VOLUME`) until revoked.
     */
    allowBulk?: boolean;
    onStatusUpdate?: OnStatusUpdate<GrantStep>;
  }): Promise<GrantedAccess> {
    const dataset = address(params?.protectedData, 'protectedData');
    const app = address(params.authorizedApp, 'authorizedApp');
    if (app === zeroAddress) throw invalid('authorizedApp must be an app, not the zero address');
    const user = params.authorizedUser === undefined ? zeroAddress : address(params.authorizedUser, 'authorizedUser');
    const bulk = params.allowBulk ?? false;
    if (typeof bulk !== 'boolean') throw invalid('allowBulk must be a boolean');
    const datasetprice = price(params.pricePerAccess ?? 0, 'pricePerAccess');
    if (bulk && datasetprice !== 0n) throw invalid('pricePerAccess must be 0 with allowBulk: bulk access is free');
    if (bulk && params.numberOfAccess !== undefined) {
      throw invalid('numberOfAccess cannot be set with allowBulk: bulk access is unlimited until revoked');
    }
    const volume = bulk ? DATASET_INFINITE_VOLUME : BigInt(count(params.numberOfAccess ?? 1, 'numberOfAccess', 1));
    const registered = await service('reading the app registry', async () =>
      publicClient.readContract({
        address: await registry('appRegistry'),
        abi: appRegistryAbi,
        functionName: 'isRegistered',
        args: [app],
      }),
    );
    if (!registered)
      throw new DataProtectorError('CONFIDE_DATAPROTECTOR_APP_UNKNOWN', { details: `${app} is not an app` });
    if ((await ownerOf(dataset)) !== account.address) {
      throw new DataProtectorError('CONFIDE_DATAPROTECTOR_NOT_OWNER', {
        details: `${account.address} does not own ${dataset}`,
      });
    }
    const existing = await grantedAccessOf({ protectedData: dataset, authorizedApp: app, authorizedUser: user });
    if (existing.grantedAccess.some((a) => a.apprestrict === app && a.requesterrestrict === user)) {
      throw new DataProtectorError('CONFIDE_DATAPROTECTOR_ACCESS_EXISTS', {
        details: `${dataset} is already granted to app ${app} for ${user === zeroAddress ? 'any user' : user}`,
      });
    }
    const order = await step(params.onStatusUpdate, bulk ? 'CREATE_BULK_ORDER' : 'CREATE_DATASET_ORDER', async () =>
      signOrder({
        domain: confideDomain(await chainId(), hub),
        kind: 'DatasetOrder',
        signer,
        order: {
          dataset,
          datasetprice,
          volume,
          tag: TAG_TEE,
          apprestrict: app,
          workerpoolrestrict: zeroAddress,
          requesterrestrict: user,
          salt: randomSalt(),
        },
      }),
    );
    await step(params.onStatusUpdate, bulk ? 'PUBLISH_BULK_ORDER' : 'PUBLISH_DATASET_ORDER', () =>
      service('publishing to the market', () => market.publishDatasetOrder(order)),
    );
    return toAccess({ order, remaining: volume });
  }

  async function revokeOneAccess(access: GrantedAccess) {
    const order = fromAccess(access);
    const txHash = await service('cancelling the order on chain', () =>
      wallet.writeContract({
        address: hub,
        abi: confideHubAbi,
        functionName: 'manageDatasetOrder',
        args: [{ order, operation: OrderOperation.Close, sign: '0x' }],
      }),
    );
    await mined(txHash);
    return { access, txHash };
  }

  async function revokeAllAccess(params: {
    protectedData: Address;
    authorizedApp?: Address;
    authorizedUser?: Address;
    onStatusUpdate?: OnStatusUpdate<RevokeStep>;
  }) {
    const dataset = address(params?.protectedData, 'protectedData');
    const { grantedAccess } = await step(params.onStatusUpdate, 'RETRIEVE_ALL_GRANTED_ACCESS', () =>
      grantedAccessOf({
        protectedData: dataset,
        ...(params.authorizedApp ? { authorizedApp: address(params.authorizedApp, 'authorizedApp') } : {}),
        ...(params.authorizedUser ? { authorizedUser: address(params.authorizedUser, 'authorizedUser') } : {}),
        pageSize: 1000,
      }),
    );
    const revoked = [];
    for (const access of grantedAccess) {
      revoked.push(
        await step(
          params.onStatusUpdate,
          'REVOKE_ONE_ACCESS',
          () => revokeOneAccess(access),
          (r) => ({ txHash: r.txHash, dataset: access.dataset }),
        ),
      );
    }
    return revoked;
  }

  async function transferOwnership(params: { protectedData: Address; newOwner: Address }) {
    const dataset = address(params?.protectedData, 'protectedData');
    const to = address(params.newOwner, 'newOwner');
    if ((await ownerOf(dataset)) !== account.address) {
      throw new DataProtectorError('CONFIDE_DATAPROTECTOR_NOT_OWNER', {
        details: `${account.address} does not own ${dataset}`,
      });
    }
    const txHash = await service('transferring the protected data', async () =>
      wallet.writeContract({
        address: await registry('datasetRegistry'),
        abi: datasetRegistryAbi,
        functionName: 'transferFrom',
        args: [account.address, to, BigInt(dataset)],
      }),
    );
    await mined(txHash);
    return { address: dataset, to, txHash };
  }

  /**
   * processProtectedData's path; `route`, when given, replaces the market's dataset order and the
   * hub's match (consumeProtectedData: DataSharing authorizes the dataset order as its holder).
   */
  async function runProcess(
    params: {
      protectedData: Address;
      app: Address;
      dataMaxPrice?: bigint | number;
      appMaxPrice?: bigint | number;
      workerpoolMaxPrice?: bigint | number;
      /** Run on this workerpool only (its orders on the market); any workerpool when absent. */
      workerpool?: Address;
      args?: string;
      secrets?: Record<number, string>;
      /** The beneficiary's age key pair; a fresh one when absent (returned). */
      resultKey?: { identity: string; recipient: string };
      waitForResult?: boolean;
      /** A file of the result to return instead of the whole zip's files. */
      path?: string;
      onStatusUpdate?: OnStatusUpdate<ProcessStep>;
    },
    route?: ProcessRoute,
  ) {
    const dataset = address(params?.protectedData, 'protectedData');
    const app = address(params.app, 'app');
    const maxData = price(params.dataMaxPrice ?? 0, 'dataMaxPrice');
    const maxApp = price(params.appMaxPrice ?? 0, 'appMaxPrice');
    const maxPool = price(params.workerpoolMaxPrice ?? 0, 'workerpoolMaxPrice');
    const workerpool = params.workerpool === undefined ? undefined : address(params.workerpool, 'workerpool');
    if (params.args !== undefined && typeof params.args !== 'string') throw invalid('args must be a string');
    const orders = await step(params.onStatusUpdate, 'FETCH_ORDERS', async () => {
      const [apps, datasets, pools] = await service('querying the market', () =>
        Promise.all([
          market.listAppOrders({ app, minTag: TAG_TEE, maxPrice: maxApp, page: 0, pageSize: 20 }),
          route
            ? route.datasetOrder(maxData).then((order) => ({ count: 1, orders: [{ order }] }))
            : market.listDatasetOrders({
                dataset,
                app,
                requester: account.address,
                maxPrice: maxData,
                page: 0,
                pageSize: 20,
              }),
          market.listWorkerpoolOrders({
            minTag: TAG_TEE,
            maxPrice: maxPool,
            ...(workerpool ? { workerpool } : {}),
            page: 0,
            pageSize: 20,
          }),
        ]),
      );
      const datasetOrder = datasets.orders.find((o) => o.order.datasetprice <= maxData);
      if (!datasetOrder) {
        throw new DataProtectorError('CONFIDE_DATAPROTECTOR_NO_ACCESS', {
          details: `no open access to ${dataset} for app ${app} and ${account.address} at or under ${maxData}`,
        });
      }
      const appOrder = apps.orders.find((o) => o.order.appprice <= maxApp);
      if (!appOrder)
        throw new DataProtectorError('CONFIDE_DATAPROTECTOR_NO_APP_ORDER', { details: `app ${app} ≤ ${maxApp}` });
      const workerpoolOrder = pools.orders.find((o) => o.order.workerpoolprice <= maxPool);
      if (!workerpoolOrder) {
        throw new DataProtectorError('CONFIDE_DATAPROTECTOR_NO_WORKERPOOL_ORDER', {
          details: `${workerpool ? `from workerpool ${workerpool} ` : ''}≤ ${maxPool}`,
        });
      }
      return { appOrder: appOrder.order, datasetOrder: datasetOrder.order, workerpoolOrder: workerpoolOrder.order };
    });
    const secretNames = await pushRequesterSecrets({
      smsUrl: services.smsUrl,
      chainId: await chainId(),
      account: signer,
      secrets: params.secrets,
      onStatusUpdate: params.onStatusUpdate,
    });
    const resultKey = await step(
      params.onStatusUpdate,
      'GENERATE_ENCRYPTION_KEY',
      () => params.resultKey ?? generateResultKeyPair(),
      (k) => ({ recipient: k.recipient }),
    );
    const { dealId, taskIds, txHash } = await step(
      params.onStatusUpdate,
      'REQUEST_TO_PROCESS_PROTECTED_DATA',
      () =>
        service('matching the orders', () =>
          requestConfidentialTask({
            publicClient,
            wallet,
            hub,
            ...orders,
            resultKey,
            ...(params.args ? { args: params.args } : {}),
            ...(secretNames ? { secrets: secretNames } : {}),
            ...(route ? { match: route.match } : {}),
          }),
        ),
      (r) => ({ txHash: r.txHash, dealId: r.dealId, taskId: r.taskIds[0] ?? '' }),
    );
    const taskId = taskIds[0] as Hex;
    if (params.waitForResult === false) return { txHash, dealId, taskId, resultKey };
    const end = await step(params.onStatusUpdate, 'TASK_EXECUTION', () =>
      service('following the task', () => waitForTask({ publicClient, hub, taskId })),
    );
    if (end.status === 'FAILED') {
      throw new DataProtectorError('CONFIDE_DATAPROTECTOR_TASK_FAILED', {
        reason: end.reason,
        details: `task ${taskId}: ${end.reason}`,
      });
    }
    const files = await step(params.onStatusUpdate, 'TASK_RESULT_DOWNLOAD', () =>
      service('downloading the result', () =>
        fetchTaskResult({ storage, taskId, identity: resultKey.identity, location: end.location }),
      ),
    );
    const result = await step(params.onStatusUpdate, 'TASK_RESULT_DECRYPT', () => pick(files, params.path));
    return { txHash, dealId, taskId, result, files, resultKey };
  }

  const processProtectedData = (params: Parameters<typeof runProcess>[0]) => runProcess(params);

  async function waitForTaskCompletion(params: { taskId: Hex; onStatusUpdate?: OnStatusUpdate<'TASK_UPDATED'> }) {
    const end = await service('following the task', () =>
      waitForTask({
        publicClient,
        hub,
        taskId: params.taskId,
        onStatus: (e) =>
          params.onStatusUpdate?.({
            title: 'TASK_UPDATED',
            isDone: false,
            payload: { taskId: params.taskId, status: e.step },
          }),
      }),
    );
    params.onStatusUpdate?.({
      title: 'TASK_UPDATED',
      isDone: true,
      payload: { taskId: params.taskId, status: end.status },
    });
    return {
      status: end.status,
      success: end.status === 'COMPLETED',
      ...(end.status === 'FAILED' ? { reason: end.reason } : {}),
    };
  }

  async function getResultFromCompletedTask(params: { taskId: Hex; resultIdentity: string; path?: string }) {
    const end = await service('reading the task', () =>
      waitForTask({ publicClient, hub, taskId: params.taskId, timeoutMs: 0 }),
    );
    if (end.status !== 'COMPLETED') {
      throw new DataProtectorError('CONFIDE_DATAPROTECTOR_TASK_FAILED', {
        reason: end.reason,
        details: `task ${params.taskId}`,
      });
    }
    const files = await service('downloading the result', () =>
      fetchTaskResult({ storage, taskId: params.taskId, identity: params.resultIdentity, location: end.location }),
    );
    return { result: pick(files, params.path), files };
  }

  const bulk: BulkContext = { publicClient, wallet, hub, storage, market, smsUrl: services.smsUrl };

  return {
    protectData,
    getProtectedData,
    grantAccess,
    getGrantedAccess: grantedAccessOf,
    revokeOneAccess,
    revokeAllAccess: withKeyRotation({ ...bulk, dataSharing: p.dataSharing }, revokeAllAccess),
    rotateKey: (params: RotateKeyParameters) => rotateKey({ ...bulk, dataSharing: p.dataSharing }, params),
    transferOwnership,
    processProtectedData,
    waitForTaskCompletion,
    getResultFromCompletedTask,
    prepareBulkRequest: (params: PrepareBulkRequestParameters) => prepareBulkRequest(bulk, params),
    processBulkRequest: (params: ProcessBulkRequestParameters) => processBulkRequest(bulk, params),
    inspectBulkRequest: (params: InspectBulkRequestParameters) => inspectBulkRequest(bulk, params),
    ...sharingApi({ publicClient, wallet, hub, dataSharing: p.dataSharing, registry, process: runProcess }),
    ...createSharingReads(indexer),
    /** Releases the storage client's connections. */
    close: () => storage.close(),
  };
}

/** The whole result zip's files, or one of them by path. */
function pick(files: Map<string, Uint8Array>, path: string | undefined): Uint8Array | Map<string, Uint8Array> {
  if (path === undefined) return files;
  const file = files.get(path);
  if (!file) throw invalid(`the result has no file '${path}' (it has ${[...files.keys()].join(', ')})`);
  return file;
}

/** What {@link createDataProtector} returns. */
export type DataProtector = ReturnType<typeof createDataProtector>;

import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { bytesToHex, type Hex, keccak256, toHex, zeroAddress } from 'viem';
import { generateSealingKeyPair, sealSecret } from '../../../crypto/src/index.js';
import { requestSecrets } from './requestSecrets.js';
import { TaskFailure } from './taskFailure.js';

// The enclave's side of the release: what it accepts of the SMS's sealed answer. A real HTTP
// server on loopback plays the SMS and seals what each test chooses with real HPKE.
const TASK: Hex = keccak256(toHex('task'));
let server: Server;
let url: string;
let sealing: Awaited<ReturnType<typeof generateSealingKeyPair>>;
/** What the fake SMS seals next. */
let payload: unknown;

function ask() {
  return requestSecrets({
    smsUrl: url,
    sealingPrivateKey: sealing.privateKey,
    body: {
      taskId: TASK,
      worker: zeroAddress,
      enclaveAddress: zeroAddress,
      sealingPublicKey: bytesToHex(sealing.publicKey),
      platform: 'sim',
      quote: '0x00',
      authorizationSign: '0x',
      workerSign: '0x',
    },
  });
}

const secrets = (extra: Record<string, unknown>) => ({
  version: 1,
  taskId: TASK,
  requesterSecrets: {},
  args: [],
  ...extra,
});

describe('requestSecrets: the result size limit the SMS seals with the secrets', () => {
  before(async () => {
    sealing = await generateSealingKeyPair();
    server = createServer((_req, res) => {
      void sealSecret({
        recipientPublicKey: bytesToHex(sealing.publicKey),
        plaintext: JSON.stringify(payload),
        taskId: TASK,
      }).then((sealed) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ sealed: bytesToHex(sealed) }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('passes a positive byte count on, and no limit when the SMS sends none', async () => {
    payload = secrets({ maxResultSize: 4096 });
    assert.equal((await ask()).maxResultSize, 4096);
    payload = secrets({});
    assert.equal((await ask()).maxResultSize, undefined);
  });

  for (const bad of [0, -1, 1.5, '4096', 2 ** 53, null]) {
    it(`error: maxResultSize ${JSON.stringify(bad)} is not a limit the enclave can apply → SECRETS_REFUSED (SEALED_SECRETS_INVALID)`, async () => {
      payload = secrets({ maxResultSize: bad });
      await assert.rejects(ask(), (error: unknown) => {
        assert.ok(error instanceof TaskFailure);
        assert.deepEqual([error.reason, error.diagnostic], ['SECRETS_REFUSED', 'SEALED_SECRETS_INVALID']);
        return true;
      });
    });
  }
});

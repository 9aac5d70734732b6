import type { Address, Hex } from 'viem';
import type { EnclaveCompletedOutcome, EnclaveFailedOutcome, EnclaveRunParameters } from './createEnclaveSession.js';

/** What the worker sends to the enclave process, one JSON object per line. */
export type EnclaveRequest =
  | {
      type: 'open';
      taskId: Hex;
      /** The canonical bundle the worker downloaded; the enclave measures these bytes. */
      bundleFile: string;
      /** The sim platform's private key (hex seed), readable by the enclave process. */
      platformKeyFile: string;
    }
  | {
      type: 'run';
      params: Omit<EnclaveRunParameters, 'dataset' | 'bulkDatasets'> & {
        dataset?: { address: Address; file: string; checksum: Hex };
        /** A bulk task's encrypted datasets, as downloaded by the worker. */
        bulkDatasets?: { address: Address; file: string }[];
      };
      /** Where the enclave writes the age-encrypted result (created, never overwritten). */
      resultFile: string;
    };

/** The signed outcome, without the encrypted result (it is in `resultFile`). */
export type EnclaveProcessOutcome = Omit<EnclaveCompletedOutcome, 'encryptedResult'> | EnclaveFailedOutcome;

/** What the enclave process answers, one JSON object per line. */
export type EnclaveReply =
  | {
      type: 'identity';
      enclaveAddress: Address;
      sealingPublicKey: Hex;
      quote: Hex;
      platform: 'sim';
      secretsRequestHash: Hex;
    }
  | { type: 'outcome'; outcome: EnclaveProcessOutcome }
  | { type: 'error'; name: string; code?: string; reason?: string | undefined; message: string };

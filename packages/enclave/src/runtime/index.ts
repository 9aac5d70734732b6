export {
  type CreateEnclaveSessionParameters,
  createEnclaveSession,
  type EnclaveCompletedOutcome,
  type EnclaveFailedOutcome,
  type EnclaveRunOutcome,
  type EnclaveRunParameters,
  type EnclaveSession,
} from './createEnclaveSession.js';
export type { EnclaveProcessOutcome } from './enclaveProtocol.js';
export { type ReleasedSecretsV1, type SecretsRequestBody, secretsRequestHash } from './requestSecrets.js';
export {
  type EnclaveProcess,
  type EnclaveProcessRunParameters,
  type StartEnclaveProcessParameters,
  startEnclaveProcess,
} from './startEnclaveProcess.js';
export { archiveOutput } from './taskFiles.js';

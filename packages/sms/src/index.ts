export * from './auth/smsRequest.js';
export * from './chain/createOwnershipReader.js';
export * from './chain/createTaskReader.js';
export * from './client/pushSecret.js';
export * from './config.js';
export * from './createSmsServer.js';
export * from './errors.js';
export { enclaveSecretsRequestHash, type ReleasedSecrets } from './routes/enclaveRelease.js';
export * from './store/openSecretStore.js';

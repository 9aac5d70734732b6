// @confide/crypto: everything in ./browser.ts (which runs in browsers too), and what needs Node.
export * from './browser.js';
export * from './computeResultDigest.js';
export * from './decryptDataset.js';
export * from './encryptDataset.js';
export * from './generateSealingKeyPair.js';
export * from './openSealedSecret.js';
export {
  SEALED_SECRET_INFO_PREFIX,
  type SealSecretErrorType,
  type SealSecretParameters,
  type SealSecretReturnType,
  sealSecret,
} from './sealSecret.js';

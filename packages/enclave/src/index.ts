export {
  type BuildAppEnvironmentErrorType,
  type BuildAppEnvironmentParameters,
  type BuildAppEnvironmentReturnType,
  buildAppEnvironment,
  IEXEC_IN,
  IEXEC_OUT,
  inputFileName,
  MAX_SECRET_BYTES,
} from './app/buildAppEnvironment.js';
export { type ComputeResultDigestErrorType, computeResultDigest } from './app/computeResultDigest.js';
export {
  type ComputedJson,
  MAX_COMPUTED_JSON_BYTES,
  type ReadComputedJsonErrorType,
  readComputedJson,
} from './app/readComputedJson.js';
export { bundleFingerprint } from './bundle/bundleFingerprint.js';
export {
  BUNDLE_FORMAT_VERSION,
  BUNDLE_LIMITS,
  BUNDLE_MAGIC,
  BUNDLE_MANIFEST_PATH,
  type BundleEntry,
  type BundleLimits,
} from './bundle/bundleFormat.js';
export { type PackBundleErrorType, type PackBundleParameters, packBundle } from './bundle/packBundle.js';
export {
  type BundleManifest,
  type ParseBundleManifestErrorType,
  parseBundleManifest,
} from './bundle/parseBundleManifest.js';
export {
  type ReadBundleErrorType,
  type ReadBundleParameters,
  type ReadBundleReturnType,
  readBundle,
} from './bundle/readBundle.js';
export { type UnpackBundleErrorType, type UnpackBundleParameters, unpackBundle } from './bundle/unpackBundle.js';
export * from './errors.js';
export * from './quote/index.js';
export * from './runtime/index.js';
export {
  type RunSandboxedErrorType,
  type RunSandboxedParameters,
  type RunSandboxedReturnType,
  runSandboxed,
  SANDBOX_TAIL_BYTES,
  SANDBOX_UID,
  type SandboxStatus,
} from './sandbox/runSandboxed.js';

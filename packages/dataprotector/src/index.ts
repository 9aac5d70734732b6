// @confide/dataprotector: the DataProtector API (./browser.ts, which runs in browsers too) and the
// in-enclave deserializer (Node).
export * from './browser.js';
export { DataProtectorDeserializer, type DataProtectorDeserializerOptions } from './deserializer.js';

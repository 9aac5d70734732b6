/**
 * The DataProtector API with iExec's method names: protect, grant, revoke, transfer, process
 * (one protected data or many in bulk), results (all of it runs in browsers too, from
 * `./browser.ts`), and the deserializer for apps (Node).
 *
 * @module @confide/dataprotector
 */
export * from './browser.js';
export { DataProtectorDeserializer, type DataProtectorDeserializerOptions } from './deserializer.js';

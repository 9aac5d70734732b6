import { primitives } from '#primitives';
import type { Sha256 } from './primitives/types.js';

/**
 * An incremental SHA-256 over the runtime's primitives (node:crypto in Node, @noble in browsers),
 * for packages that hash streams and must run in both (storage's content checks).
 * @example const digest = createSha256().update(a).update(b).digest()
 */
export const createSha256 = (): Sha256 => primitives.createSha256();

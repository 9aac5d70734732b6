import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import type { Hex } from 'viem';
import { SmsError } from '../errors.js';

/** The kinds of secret an SMS keeps. */
export type SecretKind = 'dataset-key' | 'app-secret' | 'requester-secret';

/** Where a secret lives: its kind, the address it belongs to, and a name (empty when there is one per address). */
export type SecretRef = { kind: SecretKind; owner: string; name: string };

/** Secrets encrypted at rest, challenges and release records, in one SQLite file. */
export type SecretStore = ReturnType<typeof openSecretStore>;

/** Most bytes a secret may have (as iExec's SMS). */
export const SECRET_MAX_BYTES = 4096;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS secrets (
  kind TEXT NOT NULL, owner TEXT NOT NULL, name TEXT NOT NULL,
  nonce BLOB NOT NULL, ciphertext BLOB NOT NULL, created_at INTEGER NOT NULL,
  PRIMARY KEY (kind, owner, name)
) STRICT;
CREATE TABLE IF NOT EXISTS releases (
  task_id TEXT NOT NULL, enclave TEXT NOT NULL, released_at INTEGER NOT NULL,
  PRIMARY KEY (task_id, enclave)
) STRICT;
CREATE TABLE IF NOT EXISTS challenges (
  id TEXT PRIMARY KEY, address TEXT NOT NULL, expires_at INTEGER NOT NULL, used_at INTEGER
) STRICT;
`;

/**
 * Opens (or creates) the store at `path`. Values are sealed with AES-256-GCM under `masterKey`,
 * with the secret's identity (kind, owner, name) as associated data: a row copied under another
 * identity does not decrypt.
 * @example const store = openSecretStore({ path: 'sms.db', masterKey })
 */
export function openSecretStore({ path, masterKey }: { path: string; masterKey: Hex }) {
  const key = Buffer.from(masterKey.slice(2), 'hex');
  if (key.length !== 32) throw new SmsError('SMS_INVALID_INPUT', 'the master key must be 32 bytes');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // Freed and replaced content is zeroed on disk, not left in free pages (see replaceSecret).
  db.pragma('secure_delete = ON');
  db.exec(SCHEMA);
  const aad = (ref: SecretRef) => Buffer.from(`${ref.kind}\n${ref.owner.toLowerCase()}\n${ref.name}`);

  const insertSecret = db.prepare(
    'INSERT INTO secrets (kind, owner, name, nonce, ciphertext, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const updateSecret = db.prepare(
    'UPDATE secrets SET nonce = ?, ciphertext = ?, created_at = ? WHERE kind = ? AND owner = ? AND name = ?',
  );
  const selectSecret = db.prepare('SELECT nonce, ciphertext FROM secrets WHERE kind = ? AND owner = ? AND name = ?');
  const insertChallenge = db.prepare('INSERT INTO challenges (id, address, expires_at) VALUES (?, ?, ?)');
  const useChallenge = db.prepare('UPDATE challenges SET used_at = ? WHERE id = ? AND used_at IS NULL');
  const insertRelease = db.prepare('INSERT INTO releases (task_id, enclave, released_at) VALUES (?, ?, ?)');
  const selectChallenge = db.prepare('SELECT address, expires_at, used_at FROM challenges WHERE id = ?');

  const seal = (ref: SecretRef, value: Uint8Array) => {
    if (value.length > SECRET_MAX_BYTES) {
      throw new SmsError('SMS_SECRET_TOO_LARGE', `a secret may have at most ${SECRET_MAX_BYTES} bytes`);
    }
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, nonce).setAAD(aad(ref));
    return { nonce, sealed: Buffer.concat([cipher.update(value), cipher.final(), cipher.getAuthTag()]) };
  };
  const open = (ref: SecretRef): Buffer | undefined => {
    const row = selectSecret.get(ref.kind, ref.owner.toLowerCase(), ref.name) as
      | { nonce: Buffer; ciphertext: Buffer }
      | undefined;
    if (!row) return undefined;
    const decipher = createDecipheriv('aes-256-gcm', key, row.nonce).setAAD(aad(ref));
    decipher.setAuthTag(row.ciphertext.subarray(row.ciphertext.length - 16));
    return Buffer.concat([decipher.update(row.ciphertext.subarray(0, row.ciphertext.length - 16)), decipher.final()]);
  };
  const replace = db.transaction((ref: SecretRef, value: Uint8Array) => {
    const current = open(ref);
    if (!current) throw new SmsError('SMS_SECRET_NOT_FOUND', `there is no ${ref.kind} to replace`);
    if (current.equals(value))
      throw new SmsError('SMS_INVALID_INPUT', 'the new value must differ from the current one');
    current.fill(0);
    const { nonce, sealed } = seal(ref, value);
    updateSecret.run(nonce, sealed, Date.now(), ref.kind, ref.owner.toLowerCase(), ref.name);
  });

  return {
    /** Stores a new secret; an existing one is never overwritten (SMS_SECRET_EXISTS). */
    putSecret(ref: SecretRef, value: Uint8Array): void {
      const { nonce, sealed } = seal(ref, value);
      try {
        insertSecret.run(ref.kind, ref.owner.toLowerCase(), ref.name, nonce, sealed, Date.now());
      } catch (error) {
        if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
          throw new SmsError('SMS_SECRET_EXISTS', `this ${ref.kind} is already set and cannot be replaced`);
        }
        throw error;
      }
    },
    /** Whether the secret exists. */
    hasSecret(ref: SecretRef): boolean {
      return selectSecret.get(ref.kind, ref.owner.toLowerCase(), ref.name) !== undefined;
    },
    /** The secret's plaintext, or undefined. Throws if the row was tampered with. */
    getSecret(ref: SecretRef): Uint8Array | undefined {
      return open(ref);
    },
    /**
     * Replaces an existing secret (a rotated dataset key) and destroys the old value: one
     * transaction overwrites the row in place (secure_delete zeroes any freed space), then a
     * TRUNCATE checkpoint moves the new page into the database file and empties the WAL, so no
     * copy of the old sealed value is left in either file. SMS_SECRET_NOT_FOUND if there is none,
     * SMS_INVALID_INPUT if the value is unchanged.
     * @returns whether the WAL was emptied (false only if another connection held it; the next
     * checkpoint then overwrites the old frames)
     */
    replaceSecret(ref: SecretRef, value: Uint8Array): { purged: boolean } {
      replace(ref, value);
      const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
      return { purged: result?.busy === 0 };
    },
    /** Records a fresh challenge for `address`, valid until `expiresAt` (unix seconds). */
    createChallenge(address: string, expiresAt: number): Hex {
      const id = `0x${randomBytes(32).toString('hex')}` as Hex;
      insertChallenge.run(id, address.toLowerCase(), expiresAt);
      return id;
    },
    /** When a challenge expires (unix seconds), or undefined if unknown. */
    challengeExpiry(id: string): number | undefined {
      const row = selectChallenge.get(id) as { expires_at: number } | undefined;
      return row?.expires_at;
    },
    /** Consumes a challenge once; says why it cannot be used otherwise. */
    consumeChallenge(id: string, address: string, now: number): void {
      const row = selectChallenge.get(id) as
        | { address: string; expires_at: number; used_at: number | null }
        | undefined;
      if (!row || row.address !== address.toLowerCase()) {
        throw new SmsError('SMS_CHALLENGE_UNKNOWN', 'unknown challenge: ask POST /challenges for one');
      }
      if (row.used_at !== null)
        throw new SmsError('SMS_CHALLENGE_USED', 'this challenge was already used: ask a new one');
      if (now > row.expires_at) throw new SmsError('SMS_CHALLENGE_EXPIRED', 'this challenge expired: ask a new one');
      if (useChallenge.run(now, id).changes !== 1) {
        throw new SmsError('SMS_CHALLENGE_USED', 'this challenge was already used: ask a new one');
      }
    },
    /** Records that secrets of `taskId` went to `enclave`; a second time is SMS_ALREADY_RELEASED. */
    recordRelease(taskId: string, enclave: string, now: number): void {
      try {
        insertRelease.run(taskId.toLowerCase(), enclave.toLowerCase(), now);
      } catch (error) {
        if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
          throw new SmsError('SMS_ALREADY_RELEASED', 'secrets were already released to this enclave for this task');
        }
        throw error;
      }
    },
    close(): void {
      db.close();
    },
  };
}

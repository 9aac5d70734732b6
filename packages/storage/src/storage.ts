/**
 * Content to store: bytes, or a stream of bytes (a Node `Readable` without encoding is one).
 * @example const source: StorageSource = createReadStream('dataset.zip.enc')
 */
export type StorageSource = AsyncIterable<Uint8Array> | Uint8Array;

/**
 * What `put` returns.
 * @example const { cid, size }: PutResult = await storage.put(bytes)
 */
export type PutResult = {
  /** CIDv1 in base32 (`bafk…` for content of one chunk, `bafy…` above). */
  cid: string;
  /** Bytes stored. */
  size: number;
};

/**
 * Options of the calls that may take long.
 * @example storage.get(cid, { signal: AbortSignal.timeout(60_000) })
 */
export type StorageCallOptions = { signal?: AbortSignal };

/**
 * Content-addressed storage for encrypted datasets, app bundles and results.
 *
 * Every backend gives the same CID for the same bytes (see `CONFIDE_IMPORT_PARAMETERS`) and
 * checks every byte it returns against the CID asked for.
 * @example
 * const storage = await createStorage({ kind: 'embedded', directory: '.confide/ipfs' })
 * const { cid } = await storage.put(new TextEncoder().encode('hello'))
 * for await (const chunk of storage.get(cid)) process.stdout.write(chunk)
 * await storage.close()
 */
export interface Storage {
  /**
   * Stores and pins content, streaming: memory stays bounded whatever the size.
   * @throws `CONFIDE_STORAGE_SOURCE_INVALID`, `CONFIDE_STORAGE_CONTENT_MISMATCH` (a node announced another CID),
   * `CONFIDE_STORAGE_UNREACHABLE`, `CONFIDE_STORAGE_REQUEST_FAILED`, `CONFIDE_STORAGE_CLOSED`
   */
  put(source: StorageSource, options?: StorageCallOptions): Promise<PutResult>;
  /**
   * Streams content, verified against `cid`. Errors surface while iterating: `CONFIDE_STORAGE_CID_INVALID`,
   * `CONFIDE_STORAGE_NOT_FOUND`, `CONFIDE_STORAGE_CONTENT_MISMATCH` (raised before the last chunk is given),
   * `CONFIDE_STORAGE_UNREACHABLE`, `CONFIDE_STORAGE_REQUEST_FAILED`, `CONFIDE_STORAGE_CLOSED`.
   */
  get(cid: string, options?: StorageCallOptions): AsyncIterable<Uint8Array>;
  /** Whether the root block of `cid` is held here (a `put` writes the root last). Never fetches. */
  has(cid: string, options?: StorageCallOptions): Promise<boolean>;
  /** Protects content from garbage collection; idempotent. */
  pin(cid: string, options?: StorageCallOptions): Promise<void>;
  /** Releases files, sockets and handles; later calls throw `CONFIDE_STORAGE_CLOSED`. */
  close(): Promise<void>;
}

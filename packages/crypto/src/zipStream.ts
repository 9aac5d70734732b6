import { primitives } from '#primitives';
import { joinBytes } from './bytes.js';
import { ProtectedDataInvalidError } from './errors.js';

// Internal: the one writer of protected-data zips, whole in memory (`writeStoredZip`) or as a
// stream for entries too large to hold (`planZipStream`); both write the same bytes (STORE, DOS date 1980-01-01 00:00, no extra fields, no data
// descriptors), which needs every entry's CRC-32 in its local header before the data: a `Blob`
// entry (a `File` in a browser, `fs.openAsBlob` in Node: read from disk, not held in memory) is
// therefore read twice, once for its CRC and once to stream it.

/** One file of a streamed zip: bytes in memory, or a Blob read when the zip is streamed. */
export type ZipStreamEntry = { name: string; data: Uint8Array | Blob };

/** What {@link planZipStream} returns: the zip's exact size, and its bytes on demand. */
export type ZipStreamPlan = { size: number; stream: () => AsyncGenerator<Uint8Array> };

const MAX_ENTRIES = 0xffff;
const MAX_U32 = 0xffffffff;
const DOS_DATE_1980_01_01 = 0x0021;

const invalid = (details: string) => new ProtectedDataInvalidError({ path: '', details });

/** The chunks of a Blob; a source that cannot be read (Node's file Blobs refuse a file modified since) is named. */
async function* chunksOf(blob: Blob, name: string): AsyncGenerator<Uint8Array> {
  const reader = blob.stream().getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      yield value;
    }
  } catch (cause) {
    throw new ProtectedDataInvalidError({
      path: name.split('/').join('.'),
      details: `could not be read (${cause instanceof Error ? cause.name : 'error'}): was the file changed or removed?`,
      cause,
    });
  } finally {
    // A consumer that stops early (an upload that failed) must not leave the file open.
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

async function crcOf(data: Uint8Array | Blob, name: string): Promise<number> {
  if (data instanceof Uint8Array) return crc32(data);
  let crc = 0;
  for await (const chunk of chunksOf(data, name)) crc = crc32(chunk, crc);
  return crc;
}

const { crc32 } = primitives;
const utf8 = new TextEncoder();

function header(kind: 'local' | 'central', name: Uint8Array, crc: number, size: number, offset: number): Uint8Array {
  const central = kind === 'central';
  const out = new Uint8Array((central ? 46 : 30) + name.length);
  const view = new DataView(out.buffer);
  let at = 0;
  const u16 = (value: number) => {
    view.setUint16(at, value, true);
    at += 2;
  };
  const u32 = (value: number) => {
    view.setUint32(at, value >>> 0, true);
    at += 4;
  };
  u32(central ? 0x02014b50 : 0x04034b50);
  if (central) u16(20); // made by: version 2.0, MS-DOS
  u16(20); // needed to extract: 2.0
  u16(0); // flags
  u16(0); // STORE
  u16(0); // time 00:00:00
  u16(DOS_DATE_1980_01_01);
  u32(crc);
  u32(size); // compressed
  u32(size); // uncompressed
  u16(name.length);
  u16(0); // extra field length
  if (central) {
    u16(0); // comment length
    u16(0); // disk number
    u16(0); // internal attributes
    u32(0); // external attributes
    u32(offset); // local header offset
  }
  out.set(name, at);
  return out;
}

/** An entry placed in the zip: its encoded name, CRC-32, size and local header offset. */
type PlacedEntry = {
  name: Uint8Array;
  text: string;
  data: Uint8Array | Blob;
  crc: number;
  size: number;
  offset: number;
};

/** A name JavaScript treats as an array index (`0`, `9`, `10`…, below 2^32 − 1). */
const isArrayIndex = (name: string) => /^(0|[1-9]\d*)$/.test(name) && Number(name) < 0xffffffff;

/**
 * The entries in the order the format has always had (it was first written through an object,
 * whose keys come in this order): names that are array indices first, in numeric order, then the
 * others in the order given.
 */
function inObjectKeyOrder<T extends { name: string }>(entries: readonly T[]): T[] {
  const indices = entries.filter((e) => isArrayIndex(e.name)).sort((a, b) => Number(a.name) - Number(b.name));
  return [...indices, ...entries.filter((e) => !isArrayIndex(e.name))];
}

/** Places entries one after another and checks that the zip needs no zip64. */
function layOut(unordered: readonly { name: string; data: Uint8Array | Blob; crc: number }[]) {
  const entries = inObjectKeyOrder(unordered);
  if (entries.length > MAX_ENTRIES) throw invalid(`${entries.length} entries, a zip without zip64 holds at most 65535`);
  const files: PlacedEntry[] = [];
  const names = new Set<string>();
  let offset = 0;
  for (const { name, data, crc } of entries) {
    if (names.has(name)) throw invalid(`entry "${name}" appears twice`);
    names.add(name);
    const encoded = utf8.encode(name);
    const size = data instanceof Uint8Array ? data.length : data.size;
    files.push({ name: encoded, text: name, data, crc, size, offset });
    offset += 30 + encoded.length + size;
  }
  const centralSize = files.reduce((sum, f) => sum + 46 + f.name.length, 0);
  const size = offset + centralSize + 22;
  if (size > MAX_U32) throw invalid('the zip would exceed 4 GiB; split the data or protect it as several datasets');
  return { files, centralOffset: offset, centralSize, size };
}

/** The central directory and its end record. */
function* centralDirectory({ files, centralOffset, centralSize }: ReturnType<typeof layOut>): Generator<Uint8Array> {
  for (const file of files) yield header('central', file.name, file.crc, file.size, file.offset);
  const end = new Uint8Array(22);
  const view = new DataView(end.buffer);
  view.setUint32(0, 0x06054b50, true);
  view.setUint16(8, files.length, true);
  view.setUint16(10, files.length, true);
  view.setUint32(12, centralSize, true);
  view.setUint32(16, centralOffset, true);
  yield end;
}

/**
 * Writes in-memory entries (in the order given, array-index names first) as a deterministic STORE zip: the bytes
 * {@link planZipStream} streams for the same contents.
 * @throws ProtectedDataInvalidError when the zip would need zip64, or a name appears twice
 */
export function writeStoredZip(entries: readonly { name: string; data: Uint8Array }[]): Uint8Array {
  const layout = layOut(entries.map(({ name, data }) => ({ name, data, crc: crc32(data) })));
  const parts: Uint8Array[] = [];
  for (const file of layout.files) {
    parts.push(header('local', file.name, file.crc, file.size, file.offset), file.data as Uint8Array);
  }
  parts.push(...centralDirectory(layout));
  return joinBytes(parts);
}

/**
 * Prepares a deterministic STORE zip of `entries` (in the order given, array-index names first) without reading them into
 * memory: reads each Blob once for its CRC-32, then `stream()` yields the zip, Blob contents
 * streamed from their source. The bytes equal {@link writeStoredZip} of the same contents.
 * @throws ProtectedDataInvalidError when the zip would need zip64 (over 65,535 entries or 4 GiB),
 *   and, while streaming, when a Blob changed between the two reads
 */
export async function planZipStream(entries: readonly ZipStreamEntry[]): Promise<ZipStreamPlan> {
  const measured = [];
  for (const { name, data } of entries) measured.push({ name, data, crc: await crcOf(data, name) });
  const layout = layOut(measured);

  async function* stream(): AsyncGenerator<Uint8Array> {
    for (const file of layout.files) {
      yield header('local', file.name, file.crc, file.size, file.offset);
      if (file.data instanceof Uint8Array) {
        yield file.data;
        continue;
      }
      let read = 0;
      let crc = 0;
      for await (const chunk of chunksOf(file.data, file.text)) {
        read += chunk.length;
        crc = crc32(chunk, crc);
        yield chunk;
      }
      if (read !== file.size || crc !== file.crc) throw invalid(`entry "${file.text}" changed while it was read`);
    }
    yield* centralDirectory(layout);
  }
  return { size: layout.size, stream };
}

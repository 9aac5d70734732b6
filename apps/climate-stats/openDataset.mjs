// Opens the dataset as a stream of CSV bytes: the file itself, or, when it is a Confide protected
// data zip (docs/formats.md), the entry that holds the CSV — read with a small zip reader over
// node:zlib, streamed so that a large entry is never held in memory.
import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { pipeline, Readable, Transform } from 'node:stream';
import { constants, crc32, createInflateRaw, inflateRawSync } from 'node:zlib';
import { DatasetError } from './aggregateReadings.mjs';

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const STORE = 0;
const DEFLATE = 8;
/** Entries of at most this size are protected-data bool (1 byte), f64 (8) or i128 (16) leaves. */
const MAX_SCALAR_BYTES = 16;

/** Reads up to `length` bytes at `position`. */
function readAt(fd, position, length) {
  const buffer = Buffer.alloc(length);
  return buffer.subarray(0, readSync(fd, buffer, 0, length, position));
}

/** The entries listed in the zip's central directory (zip64 is not supported). */
function readCentralDirectory(fd, size) {
  const tailLength = Math.min(size, 22 + 0xffff);
  const tail = readAt(fd, size - tailLength, tailLength);
  let end = tail.length - 22;
  while (end >= 0 && tail.readUInt32LE(end) !== END_OF_CENTRAL_DIRECTORY) end--;
  if (end < 0) throw new DatasetError('the dataset starts like a zip but has no central directory (truncated?)');
  const count = tail.readUInt16LE(end + 10);
  const directorySize = tail.readUInt32LE(end + 12);
  const directoryOffset = tail.readUInt32LE(end + 16);
  if (count === 0xffff || directoryOffset === 0xffffffff || directoryOffset + directorySize > size) {
    throw new DatasetError('the dataset zip is zip64 or its central directory is out of bounds; it cannot be read');
  }
  const directory = readAt(fd, directoryOffset, directorySize);
  const entries = [];
  let at = 0;
  for (let index = 0; index < count; index++) {
    if (at + 46 > directory.length || directory.readUInt32LE(at) !== CENTRAL_HEADER) {
      throw new DatasetError(`the dataset zip's central directory is damaged at entry ${index}`);
    }
    const nameLength = directory.readUInt16LE(at + 28);
    entries.push({
      name: directory.toString('utf8', at + 46, at + 46 + nameLength),
      flags: directory.readUInt16LE(at + 8),
      method: directory.readUInt16LE(at + 10),
      crc: directory.readUInt32LE(at + 16),
      compressedSize: directory.readUInt32LE(at + 20),
      size: directory.readUInt32LE(at + 24),
      localHeaderOffset: directory.readUInt32LE(at + 42),
    });
    at += 46 + nameLength + directory.readUInt16LE(at + 30) + directory.readUInt16LE(at + 32);
  }
  return entries.filter((entry) => !entry.name.endsWith('/'));
}

/** Where the entry's data starts, after its local header; checks what the entry can be read with. */
function locateData(fd, entry) {
  if (entry.flags & 1) throw new DatasetError(`zip entry "${entry.name}" is encrypted; only plain entries are read`);
  if (entry.method !== STORE && entry.method !== DEFLATE) {
    throw new DatasetError(`zip entry "${entry.name}" uses compression method ${entry.method}; only STORE and DEFLATE`);
  }
  if (entry.method === STORE && entry.compressedSize !== entry.size) {
    throw new DatasetError(`stored zip entry "${entry.name}" has two different sizes`);
  }
  const header = readAt(fd, entry.localHeaderOffset, 30);
  if (header.length < 30 || header.readUInt32LE(0) !== LOCAL_HEADER) {
    throw new DatasetError(`zip entry "${entry.name}" has no local header where the directory says`);
  }
  return entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
}

/** The first bytes of an entry, uncompressed (a partial inflate for DEFLATE). */
function peek(fd, entry, dataOffset) {
  const raw = readAt(fd, dataOffset, Math.min(entry.compressedSize, 64 * 1024));
  if (entry.method === STORE) return raw.subarray(0, 4);
  try {
    return inflateRawSync(raw, { finishFlush: constants.Z_SYNC_FLUSH }).subarray(0, 4);
  } catch (cause) {
    throw new DatasetError(`zip entry "${entry.name}" does not inflate: ${cause.code ?? cause.message}`);
  }
}

/**
 * A protected-data string leaf is Borsh-encoded: u32-LE byte length ‖ UTF-8. A raw CSV file would
 * have to start with 4 characters that spell its own size minus 4 to be taken for one.
 */
const isBorshString = (entry, head) => head.length === 4 && head.readUInt32LE(0) === entry.size - 4;

/**
 * The entry holding the CSV: the key `csv`, else `data` (a string or a file), else the only entry
 * holding raw bytes (not a Borsh string, longer than a bool, f64 or i128 leaf).
 */
function chooseEntry(fd, entries) {
  const named = entries.find((entry) => entry.name === 'csv') ?? entries.find((entry) => entry.name === 'data');
  const located = (entry) => {
    const dataOffset = locateData(fd, entry);
    return { entry, dataOffset, string: isBorshString(entry, peek(fd, entry, dataOffset)) };
  };
  if (named) return located(named);
  const files = entries
    .filter((entry) => entry.size > MAX_SCALAR_BYTES)
    .map(located)
    .filter((candidate) => !candidate.string);
  if (files.length === 1) return files[0];
  const keys = entries.map((entry) => entry.name).join(', ') || 'no entry';
  throw new DatasetError(
    `the protected data has no CSV: expected a key "csv" or "data", or exactly one file entry (found ${files.length}; keys: ${keys})`,
  );
}

/** Drops the first `skip` bytes; checks that the entry's size and CRC-32 are those of its header. */
function checkedBytes(entry, skip) {
  let seen = 0;
  let crc = 0;
  return new Transform({
    transform(chunk, _encoding, done) {
      const start = Math.max(0, Math.min(chunk.length, skip - seen));
      seen += chunk.length;
      crc = crc32(chunk, crc);
      done(null, chunk.subarray(start));
    },
    flush(done) {
      if (seen !== entry.size) {
        done(new DatasetError(`zip entry "${entry.name}" holds ${seen} bytes, its header says ${entry.size}`));
      } else if (crc !== entry.crc) done(new DatasetError(`zip entry "${entry.name}" does not match its CRC-32`));
      else done();
    },
  });
}

/**
 * Opens the dataset file for reading.
 * @param file the decrypted dataset, `$IEXEC_IN/$IEXEC_DATASET_FILENAME`
 * @returns a stream of the CSV's bytes
 * @throws DatasetError when the file cannot be read, or is a zip without a readable CSV entry
 * @example
 * for await (const line of createInterface({ input: openDataset(file), crlfDelay: Infinity })) …
 */
export function openDataset(file) {
  let fd;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    throw new DatasetError(`cannot read the dataset: ${error.code ?? error.message}`);
  }
  try {
    const size = fstatSync(fd).size;
    if (!readAt(fd, 0, 4).equals(Buffer.from('PK\x03\x04', 'latin1'))) return createReadStream(file);
    const { entry, dataOffset, string } = chooseEntry(fd, readCentralDirectory(fd, size));
    if (dataOffset + entry.compressedSize > size) {
      throw new DatasetError(`zip entry "${entry.name}" runs past the end of the file`);
    }
    const raw =
      entry.compressedSize === 0
        ? Readable.from([])
        : createReadStream(file, { start: dataOffset, end: dataOffset + entry.compressedSize - 1 });
    const check = checkedBytes(entry, string ? 4 : 0);
    const stages = entry.method === DEFLATE ? [raw, createInflateRaw(), check] : [raw, check];
    return pipeline(...stages, () => {});
  } finally {
    closeSync(fd);
  }
}

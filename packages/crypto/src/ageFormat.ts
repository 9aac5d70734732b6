import { primitives } from '#primitives';
import { concatBytes, fromBase64, joinBytes, latin1Bytes, latin1Text, timingSafeEqual, toBase64 } from './bytes.js';
import { ResultDecryptError } from './errors.js';
import { generateX25519KeyPair, x25519, x25519PublicKey } from './x25519.js';

// Internal: the age v1 file format (https://age-encryption.org/v1, C2SP age.md) with X25519
// recipients, over the runtime's primitives (node:crypto in Node, @noble in browsers). Interoperability with the `age` CLI is checked by tests.

const VERSION_LINE = 'age-encryption.org/v1';
const X25519_LABEL = 'age-encryption.org/v1/X25519';
const CHUNK_SIZE = 64 * 1024;
const TAG_LENGTH = 16;
const ARMOR_BEGIN = '-----BEGIN AGE ENCRYPTED FILE-----';
const ARMOR_END = '-----END AGE ENCRYPTED FILE-----';

type Stanza = { args: string[]; body: Uint8Array };

const fail = (details: string, cause?: unknown) => new ResultDecryptError({ details, cause });
const hkdf = (ikm: Uint8Array, salt: Uint8Array, info: string) =>
  primitives.hkdfSha256(ikm, salt, latin1Bytes(info), 32);
const b64 = (bytes: Uint8Array) => toBase64(bytes).replace(/=+$/, '');

function unb64(text: string, what: string): Uint8Array {
  const bytes = /^[A-Za-z0-9+/]*$/.test(text) ? fromBase64(text) : undefined;
  if (!bytes || b64(bytes) !== text) throw fail(`${what} is not canonical unpadded base64`);
  return bytes;
}

const seal = (key: Uint8Array, nonce: Uint8Array, data: Uint8Array) =>
  concatBytes(primitives.chacha20Poly1305(key).seal(nonce, undefined, [data]));

/** Throws unless the tag verifies. */
const open = (key: Uint8Array, nonce: Uint8Array, data: Uint8Array, tag: Uint8Array) =>
  concatBytes(primitives.chacha20Poly1305(key).open(nonce, undefined, [data], tag));

const headerMac = (fileKey: Uint8Array, header: string) =>
  primitives.hmacSha256(hkdf(fileKey, new Uint8Array(0), 'header'), latin1Bytes(header));

function payloadNonce(index: number, final: boolean): Uint8Array {
  const nonce = new Uint8Array(12);
  new DataView(nonce.buffer).setBigUint64(3, BigInt(index));
  nonce[11] = final ? 1 : 0;
  return nonce;
}

/** Encrypts `plaintext` to X25519 recipients (raw public keys) as an age v1 file. */
export function ageEncrypt(plaintext: Uint8Array, recipients: readonly Uint8Array[]): Uint8Array {
  const fileKey = primitives.randomBytes(16);
  let header = `${VERSION_LINE}\n`;
  for (const recipient of recipients) {
    const ephemeral = generateX25519KeyPair();
    const shared = x25519(ephemeral.privateKey, recipient);
    if (!shared) throw new RangeError('recipient is a low-order X25519 point');
    const wrapKey = hkdf(shared, concatBytes([ephemeral.publicKey, recipient]), X25519_LABEL);
    const body = b64(seal(wrapKey, new Uint8Array(12), fileKey));
    header += `-> X25519 ${b64(ephemeral.publicKey)}\n${(body.match(/.{1,64}/g) ?? []).join('\n')}\n`;
    if (body.length % 64 === 0) header += '\n';
  }
  header += '---';
  header += ` ${b64(headerMac(fileKey, header))}\n`;
  const nonce = primitives.randomBytes(16);
  const key = hkdf(fileKey, nonce, 'payload');
  const parts: Uint8Array[] = [latin1Bytes(header), nonce];
  const count = Math.max(1, Math.ceil(plaintext.length / CHUNK_SIZE));
  for (let i = 0; i < count; i++) {
    const chunk = plaintext.subarray(i * CHUNK_SIZE, (i + 1) * CHUNK_SIZE);
    parts.push(seal(key, payloadNonce(i, i === count - 1), chunk));
  }
  return joinBytes(parts);
}

/** Wraps an age file in its ASCII armor (PEM-like, 64 columns). */
export function ageArmor(file: Uint8Array): string {
  const lines = toBase64(file).match(/.{1,64}/g) ?? [];
  return `${ARMOR_BEGIN}\n${lines.map((line) => `${line}\n`).join('')}${ARMOR_END}\n`;
}

function unarmor(bytes: Uint8Array): Uint8Array {
  const head = latin1Text(bytes.subarray(0, 64)).trimStart();
  if (!head.startsWith(ARMOR_BEGIN)) return bytes;
  const text = latin1Text(bytes).trim();
  if (!text.endsWith(ARMOR_END)) throw fail('armored file lacks its END line (truncated?)');
  const body = text.slice(ARMOR_BEGIN.length, -ARMOR_END.length).replace(/\r?\n/g, '');
  const decoded = fromBase64(body);
  if (!decoded) throw fail('armored body is not base64');
  return decoded;
}

function parseHeader(file: Uint8Array): { stanzas: Stanza[]; macInput: string; mac: Uint8Array; payloadAt: number } {
  let at = 0;
  const line = () => {
    const end = file.indexOf(0x0a, at);
    if (end < 0) throw fail('the age header is incomplete');
    const text = latin1Text(file, at, end);
    at = end + 1;
    return text;
  };
  if (line() !== VERSION_LINE) throw fail(`not an age v1 file (first line is not "${VERSION_LINE}")`);
  const stanzas: Stanza[] = [];
  for (;;) {
    const lineStart = at;
    const text = line();
    if (text.startsWith('--- ')) {
      const mac = unb64(text.slice(4), 'header MAC');
      if (mac.length !== 32) throw fail('header MAC is not 32 bytes');
      return { stanzas, macInput: latin1Text(file, 0, lineStart + 3), mac, payloadAt: at };
    }
    if (!text.startsWith('-> ')) throw fail('malformed age header line');
    const args = text.slice(3).split(' ');
    if (args.some((arg) => !/^[\x21-\x7e]+$/.test(arg))) throw fail('malformed age stanza arguments');
    const body: Uint8Array[] = [];
    for (;;) {
      const bodyLine = line();
      if (bodyLine.length > 64) throw fail('age stanza body line longer than 64 columns');
      body.push(unb64(bodyLine, 'stanza body'));
      if (bodyLine.length < 64) break;
    }
    stanzas.push({ args, body: joinBytes(body) });
  }
}

function unwrapFileKey(stanzas: Stanza[], identities: readonly Uint8Array[]): Uint8Array {
  if (stanzas.some((s) => s.args[0] === 'scrypt')) {
    throw fail('the file is passphrase-encrypted (scrypt); decrypt it with `age -d` and the passphrase');
  }
  const x25519Stanzas = stanzas.filter((s) => s.args[0] === 'X25519');
  for (const identity of identities) {
    const publicKey = x25519PublicKey(identity);
    for (const { args, body } of x25519Stanzas) {
      const share = args.length === 2 ? unb64(args[1] as string, 'X25519 share') : undefined;
      if (share?.length !== 32 || body.length !== 32) throw fail('malformed X25519 stanza');
      const shared = x25519(identity, share);
      if (!shared) throw fail('X25519 stanza carries a low-order share');
      const wrapKey = hkdf(shared, concatBytes([share, publicKey]), X25519_LABEL);
      try {
        return open(wrapKey, new Uint8Array(12), body.subarray(0, 16), body.subarray(16));
      } catch {
        // not for this identity: try the next stanza
      }
    }
  }
  throw fail(`none of the ${identities.length} identity(ies) matches the ${x25519Stanzas.length} X25519 recipient(s)`);
}

/** Decrypts an age v1 file (binary or armored) with raw X25519 private keys. */
export function ageDecrypt(input: Uint8Array, identities: readonly Uint8Array[]): Uint8Array {
  const file = unarmor(input);
  const { stanzas, macInput, mac, payloadAt } = parseHeader(file);
  const fileKey = unwrapFileKey(stanzas, identities);
  if (!timingSafeEqual(headerMac(fileKey, macInput), mac)) throw fail('the header MAC does not match: header modified');
  if (file.length - payloadAt < 16 + TAG_LENGTH) throw fail('the payload is truncated');
  const key = hkdf(fileKey, file.subarray(payloadAt, payloadAt + 16), 'payload');
  const parts: Uint8Array[] = [];
  let at = payloadAt + 16;
  for (let index = 0; ; index++) {
    const final = file.length - at <= CHUNK_SIZE + TAG_LENGTH;
    const end = final ? file.length : at + CHUNK_SIZE + TAG_LENGTH;
    if (end - at < TAG_LENGTH) throw fail(`payload chunk ${index} is truncated`);
    try {
      parts.push(
        open(
          key,
          payloadNonce(index, final),
          file.subarray(at, end - TAG_LENGTH),
          file.subarray(end - TAG_LENGTH, end),
        ),
      );
    } catch (cause) {
      throw fail(`payload chunk ${index} fails authentication: modified or truncated`, cause);
    }
    if (final && index > 0 && end - at === TAG_LENGTH) throw fail('the last payload chunk is empty');
    if (final) break;
    at = end;
  }
  return joinBytes(parts);
}

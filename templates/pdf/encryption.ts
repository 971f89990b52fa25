/**
 * PDF protection: the standard security handler, AES-256 (ISO 32000-2 §7.6.4, R6 / V5 / AESV3) or AES-128
 * (R4 / V4 / AESV2, for readers older than PDF 2.0), applied by our own writer to every string and stream of
 * every object except the /Encrypt dictionary itself (the trailer's /ID is not an object and stays clear).
 *
 * Hand-written rather than taken from @cantoo/pdf-lib: its PDFSecurity draws the file key, the salts and
 * every IV from its own random source (the project needs the same bytes for the same inputs) and works on
 * its object model, not on our serialised objects; its crypto helpers are not reachable through the
 * package's exports map. The algorithms are short (2, 2.A, 2.B, 3, 5, 8, 9, 10) and are checked against qpdf
 * and poppler in test/templates/pdf/encryption.test.ts.
 *
 * Determinism: nothing here is random. A seed is HMAC-SHA256 over the caller's secret key material (per
 * tenant, derived from the installation's secret by the server), the document id, the cipher, the
 * permissions and the passwords; HKDF-SHA256 draws from it the AES-256 file key, the /Perms filler and the
 * key for IVs (the R6 salts come from the secret and the passwords: see r6PasswordEntries); each string or stream gets IV = HMAC(ivKey, object number ‖ position) — unique
 * per encrypted item and unpredictable to anyone without the secret, which is what CBC needs. What this gives
 * up against fresh randomness: the same document rendered twice is the same file (the point), and a
 * different document never shares a key or an IV because the document id is in the seed.
 */
import { createCipheriv, createHash, createHmac, hkdfSync } from 'node:crypto';
import type { ObjectPart } from './objects';
import { HEX2 } from './syntax';

export type PdfCipher = 'aes-256' | 'aes-128';

/** What a reader opening the document with the user password (or none) may do. Absent: not allowed. */
export interface PdfPermissions {
  print?: boolean;
  /** Print at full quality (without it, printing is limited to a low-resolution rendering). */
  printHighQuality?: boolean;
  modify?: boolean;
  copy?: boolean;
  annotate?: boolean;
  fillForms?: boolean;
  /** Extract text and graphics for accessibility (screen readers). */
  extractForAccessibility?: boolean;
  assemble?: boolean;
}

export interface PdfProtection {
  cipher: PdfCipher;
  permissions: PdfPermissions;
  /** Needed to open the document; absent, anyone opens it (and the permissions apply). */
  userPassword?: string;
  /** Lifts the permissions; absent, one is derived from `secret` and the document id (never guessable). */
  ownerPassword?: string;
  /** Secret key material (at least 16 bytes) the deterministic keys, salts and IVs derive from. */
  secret: Uint8Array;
}

export type PdfProtectionCode = 'PDF_PROTECTION_SECRET_TOO_SHORT' | 'PDF_PROTECTION_PASSWORD_NOT_LATIN1';

export class PdfProtectionError extends Error {
  constructor(
    readonly code: PdfProtectionCode,
    message: string,
  ) {
    super(message);
    this.name = 'PdfProtectionError';
  }
}

/** The /P value (ISO 32000-2 Table 22), as the signed 32-bit integer the dictionary holds. */
export function permissionFlags(p: PdfPermissions): number {
  let flags = 0xfffff0c0;
  if (p.print || p.printHighQuality) flags |= 1 << 2;
  if (p.modify) flags |= 1 << 3;
  if (p.copy) flags |= 1 << 4;
  if (p.annotate) flags |= 1 << 5;
  if (p.fillForms) flags |= 1 << 8;
  if (p.extractForAccessibility) flags |= 1 << 9;
  if (p.assemble) flags |= 1 << 10;
  if (p.printHighQuality) flags |= 1 << 11;
  return flags | 0;
}

/** The owner password used when none is given: from the secret alone (a tenant's), 32 characters. */
export function derivedOwnerPassword(secret: Uint8Array): string {
  return createHmac('sha256', secret).update('attest/pdf/owner-password').digest('base64url').slice(0, 32);
}

interface R6Entries {
  U: Buffer;
  O: Buffer;
  /** Algorithm 2.B of the key salts: what wraps the file key as UE and OE. */
  userKey: Buffer;
  ownerKey: Buffer;
}
const r6Known = new Map<string, R6Entries>();

/**
 * Algorithms 8 and 9 without the file key: U, O and the keys that wrap it. Algorithm 2.B is slow on
 * purpose (about 3 ms each, four per document), so the entries for one secret and pair of passwords are
 * computed once and kept (a few dozen); the salts come from the secret and the passwords, so they are the
 * same for every document of those settings — still secret-dependent, which is what salts are for here.
 */
function r6PasswordEntries(secret: Uint8Array, user: string, owner: string): R6Entries {
  const id = createHmac('sha256', secret)
    .update(JSON.stringify(['attest/pdf/r6-entries/v1', user, owner]), 'utf8')
    .digest();
  const key = id.toString('hex');
  const known = r6Known.get(key);
  if (known) return known;
  const salts = Buffer.from(hkdfSync('sha256', id, EMPTY, 'salts', 32));
  const u = saslPassword(user);
  const o = saslPassword(owner);
  // Algorithm 8: U = hash ‖ validation salt ‖ key salt; UE = the file key wrapped with the key salt's hash.
  const U = Buffer.concat([hash2B(u, salts.subarray(0, 8), EMPTY), salts.subarray(0, 16)]);
  // Algorithm 9: the same for the owner, over U.
  const O = Buffer.concat([hash2B(o, salts.subarray(16, 24), U), salts.subarray(16, 32)]);
  const entries = { U, O, userKey: hash2B(u, salts.subarray(8, 16), EMPTY), ownerKey: hash2B(o, salts.subarray(24, 32), U) };
  if (r6Known.size >= 64) r6Known.delete(r6Known.keys().next().value!);
  r6Known.set(key, entries);
  return entries;
}

/** Encrypts objects for one document; built once per save. */
export class PdfEncryptor {
  /** The /Encrypt dictionary, written as it is (never encrypted). */
  readonly dictionary: string;
  private readonly fileKey: Buffer;
  private readonly ivKey: Buffer;
  private readonly aes: 'aes-256-cbc' | 'aes-128-cbc';

  constructor(
    protection: PdfProtection,
    documentId: string,
    /** The first element of the trailer's /ID (R4 mixes it into the key). */
    fileId: Uint8Array,
  ) {
    if (protection.secret.length < 16) {
      throw new PdfProtectionError('PDF_PROTECTION_SECRET_TOO_SHORT', 'PDF protection needs at least 16 bytes of secret key material');
    }
    const user = protection.userPassword ?? '';
    const owner = protection.ownerPassword || derivedOwnerPassword(protection.secret);
    const P = permissionFlags(protection.permissions);
    const seed = createHmac('sha256', protection.secret)
      .update(JSON.stringify(['attest/pdf/protection/v1', documentId, protection.cipher, P, user, owner]), 'utf8')
      .digest();
    const draw = (label: string, length: number) => Buffer.from(hkdfSync('sha256', seed, Buffer.from(documentId, 'utf8'), label, length));
    this.ivKey = draw('iv', 32);
    if (protection.cipher === 'aes-256') {
      this.aes = 'aes-256-cbc';
      this.fileKey = draw('file-key', 32);
      const entries = r6PasswordEntries(protection.secret, user, owner);
      const UE = aesNoPad('aes-256-cbc', entries.userKey, this.fileKey);
      const OE = aesNoPad('aes-256-cbc', entries.ownerKey, this.fileKey);
      const { U, O } = entries;
      // Algorithm 10: P, 0xFFFFFFFF, "T" (metadata encrypted), "adb", 4 filler bytes; one block, ECB.
      const perms = Buffer.alloc(16);
      perms.writeInt32LE(P, 0);
      perms.writeUInt32LE(0xffffffff, 4);
      perms.write('Tadb', 8, 'latin1');
      draw('perms', 4).copy(perms, 12);
      const Perms = aesNoPad('aes-256-ecb', this.fileKey, perms);
      this.dictionary =
        `<< /Filter /Standard /V 5 /R 6 /Length 256 /CF << /StdCF << /AuthEvent /DocOpen /CFM /AESV3 /Length 32 >> >>` +
        ` /StmF /StdCF /StrF /StdCF /O <${hex(O)}> /U <${hex(U)}> /OE <${hex(OE)}> /UE <${hex(UE)}> /P ${P} /Perms <${hex(Perms)}> >>`;
    } else {
      this.aes = 'aes-128-cbc';
      const u = padPassword(user);
      const o = padPassword(owner);
      // Algorithm 3: O from the owner and user passwords.
      let digest = md5(o);
      for (let i = 0; i < 50; i++) digest = md5(digest);
      const O = rc4Rounds(digest, u);
      // Algorithm 2: the file key from the user password, O, P and the file id.
      const p4 = Buffer.alloc(4);
      p4.writeInt32LE(P, 0);
      let key = md5(Buffer.concat([u, O, p4, fileId]));
      for (let i = 0; i < 50; i++) key = md5(key);
      this.fileKey = key;
      // Algorithm 5: U = 20 RC4 rounds over MD5(padding ‖ id), then 16 filler bytes.
      const U = Buffer.concat([rc4Rounds(key, md5(Buffer.concat([PADDING, fileId]))), draw('u-filler', 16)]);
      this.dictionary =
        `<< /Filter /Standard /V 4 /R 4 /Length 128 /CF << /StdCF << /AuthEvent /DocOpen /CFM /AESV2 /Length 16 >> >>` +
        ` /StmF /StdCF /StrF /StdCF /O <${hex(O)}> /U <${hex(U)}> /P ${P} >>`;
    }
  }

  /** AES-CBC with a derived IV in front and PKCS#7 padding: a string's or a stream's encrypted bytes. */
  private encrypt(num: number, position: number, data: Uint8Array): Buffer {
    const where = Buffer.alloc(8);
    where.writeUInt32BE(num, 0);
    where.writeUInt32BE(position, 4);
    const iv = createHmac('sha256', this.ivKey).update(where).digest().subarray(0, 16);
    const key = this.aes === 'aes-256-cbc' ? this.fileKey : this.objectKey(num);
    const c = createCipheriv(this.aes, key, iv);
    return Buffer.concat([iv, c.update(data), c.final()]);
  }

  /** Algorithm 1 with the AESV2 salt: the per-object key for R4. */
  private objectKey(num: number): Buffer {
    const tail = Buffer.from([num & 0xff, (num >> 8) & 0xff, (num >> 16) & 0xff, 0, 0, 0x73, 0x41, 0x6c, 0x54]);
    return md5(Buffer.concat([this.fileKey, tail]));
  }

  /**
   * One object's body with every string replaced by its encrypted hex form and every stream's data
   * encrypted (its /Length updated). `parts` are already resolved: text (latin1) and stream data.
   */
  encryptObject(num: number, parts: readonly (string | Uint8Array)[]): ObjectPart[] {
    const out: ObjectPart[] = [];
    let position = 0;
    let text = '';
    for (const p of parts) {
      if (typeof p === 'string') {
        text += p;
        continue;
      }
      // Stream data: the text before it ends with the stream dictionary and "stream\n".
      let body = this.encryptStrings(num, text, () => position++);
      const data = this.encrypt(num, position++, p);
      const at = body.lastIndexOf('/Length ');
      if (at >= 0) body = body.slice(0, at) + body.slice(at).replace(/^\/Length\s+\d+/, `/Length ${data.length}`);
      out.push(body, data);
      text = '';
    }
    out.push(this.encryptStrings(num, text, () => position++));
    return out;
  }

  /** Literal and hex strings in object syntax, each replaced by <encrypted hex>. */
  private encryptStrings(num: number, s: string, next: () => number): string {
    if (s.indexOf('(') < 0 && !/<[^<]/.test(s.replace(/<</g, ''))) return s;
    let out = '';
    let i = 0;
    while (i < s.length) {
      const c = s[i]!;
      if (c === '(') {
        const { bytes, end } = readLiteral(s, i);
        out += `<${hex(this.encrypt(num, next(), bytes))}>`;
        i = end;
      } else if (c === '<' && s[i + 1] === '<') {
        out += '<<';
        i += 2;
      } else if (c === '<') {
        const end = s.indexOf('>', i);
        const digits = s.slice(i + 1, end).replace(/\s+/g, '');
        const bytes = Buffer.from(digits.length % 2 ? digits + '0' : digits, 'hex');
        out += `<${hex(this.encrypt(num, next(), bytes))}>`;
        i = end + 1;
      } else if (c === '%') {
        // A comment runs to the end of the line; none of ours carry strings.
        const end = s.slice(i).search(/[\r\n]/);
        const stop = end < 0 ? s.length : i + end;
        out += s.slice(i, stop);
        i = stop;
      } else {
        out += c;
        i++;
      }
    }
    return out;
  }
}

const ESCAPES: Record<string, number> = { n: 10, r: 13, t: 9, b: 8, f: 12, '(': 40, ')': 41, '\\': 92 };

/** A literal string's bytes (PDF 1.7 §7.3.4.2) and the index after its closing parenthesis. */
function readLiteral(s: string, start: number): { bytes: Buffer; end: number } {
  const bytes: number[] = [];
  let depth = 1;
  let i = start + 1;
  while (i < s.length) {
    const c = s[i]!;
    if (c === '\\') {
      const n = s[i + 1] ?? '';
      if (n in ESCAPES) {
        bytes.push(ESCAPES[n]!);
        i += 2;
      } else if (n >= '0' && n <= '7') {
        let j = i + 1;
        let v = 0;
        while (j < i + 4 && s[j]! >= '0' && s[j]! <= '7') v = v * 8 + Number(s[j++]);
        bytes.push(v & 0xff);
        i = j;
      } else if (n === '\r') {
        i += s[i + 2] === '\n' ? 3 : 2;
      } else if (n === '\n') {
        i += 2;
      } else {
        i += 1; // a backslash before any other character is ignored
      }
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return { bytes: Buffer.from(bytes), end: i + 1 };
    bytes.push(c.charCodeAt(0) & 0xff);
    i++;
  }
  throw new Error('PDF literal string without its closing parenthesis');
}

const EMPTY = Buffer.alloc(0);
const PADDING = Buffer.from('28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A', 'hex');

function hex(b: Uint8Array): string {
  let h = '';
  for (const x of b) h += HEX2[x];
  return h;
}

function md5(b: Uint8Array): Buffer {
  return createHash('md5').update(b).digest();
}

function aesNoPad(algorithm: 'aes-256-cbc' | 'aes-256-ecb' | 'aes-128-cbc', key: Uint8Array, data: Uint8Array, iv?: Uint8Array): Buffer {
  const c = createCipheriv(algorithm, key, algorithm === 'aes-256-ecb' ? null : (iv ?? Buffer.alloc(16)));
  c.setAutoPadding(false);
  return Buffer.concat([c.update(data), c.final()]);
}

/** RC4 (only for the R4 password entries: OpenSSL 3 keeps it in the legacy provider). */
function rc4(key: Uint8Array, data: Uint8Array): Buffer {
  const s = new Uint8Array(256);
  for (let i = 0; i < 256; i++) s[i] = i;
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i]! + key[i % key.length]!) & 0xff;
    [s[i], s[j]] = [s[j]!, s[i]!];
  }
  const out = Buffer.alloc(data.length);
  for (let k = 0, i = 0, j = 0; k < data.length; k++) {
    i = (i + 1) & 0xff;
    j = (j + s[i]!) & 0xff;
    [s[i], s[j]] = [s[j]!, s[i]!];
    out[k] = data[k]! ^ s[(s[i]! + s[j]!) & 0xff]!;
  }
  return out;
}

/** RC4 with the key, then 19 more times with the key XOR the round number (Algorithms 3 and 5). */
function rc4Rounds(key: Uint8Array, data: Uint8Array): Buffer {
  let out = rc4(key, data);
  const k = Buffer.alloc(key.length);
  for (let round = 1; round <= 19; round++) {
    for (let j = 0; j < key.length; j++) k[j] = key[j]! ^ round;
    out = rc4(k, out);
  }
  return out;
}

/** Algorithm 2 step a: a PDFDocEncoding password padded or truncated to 32 bytes. */
function padPassword(password: string): Buffer {
  if (/[^\x00-\xff]/.test(password)) {
    throw new PdfProtectionError(
      'PDF_PROTECTION_PASSWORD_NOT_LATIN1',
      'AES-128 passwords are limited to Latin-1 characters; use AES-256 for other characters',
    );
  }
  const b = Buffer.from(password, 'latin1').subarray(0, 32);
  return Buffer.concat([b, PADDING.subarray(0, 32 - b.length)]);
}

/** Algorithm 2.A step a: the password normalised (NFKC, SASLprep's main step), UTF-8, at most 127 bytes. */
function saslPassword(password: string): Buffer {
  const b = Buffer.from(password.normalize('NFKC'), 'utf8');
  if (b.length <= 127) return b;
  let end = 127;
  while (end > 0 && (b[end]! & 0xc0) === 0x80) end--; // never cut a character in half
  return b.subarray(0, end);
}

/** Algorithm 2.B: the R6 password hash (SHA-256/384/512 rounds over AES-128-CBC). */
function hash2B(password: Buffer, salt: Uint8Array, userKey: Uint8Array): Buffer {
  let k = createHash('sha256').update(password).update(salt).update(userKey).digest();
  let e: Buffer = Buffer.alloc(0);
  for (let round = 0; round < 64 || e[e.length - 1]! > round - 32; round++) {
    const block = Buffer.concat([password, k, userKey]); // the whole of K: 32, 48 or 64 bytes
    const k1 = Buffer.alloc(block.length * 64);
    for (let j = 0; j < 64; j++) block.copy(k1, j * block.length);
    e = aesNoPad('aes-128-cbc', k.subarray(0, 16), k1, k.subarray(16, 32));
    let sum = 0;
    for (let j = 0; j < 16; j++) sum += e[j]!;
    k = createHash(['sha256', 'sha384', 'sha512'][sum % 3]!)
      .update(e)
      .digest();
  }
  return k.subarray(0, 32);
}

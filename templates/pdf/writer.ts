import { createHash } from 'node:crypto';
import type { PdfEncryptor } from './encryption';
import { LocalRef, type ObjectGroup, type ObjectPart } from './objects';

const HEADER = '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n';

/** A group's objects written from a given first number: one entry per group, for the number last asked. */
const serialized = new WeakMap<ObjectGroup, { base: number; bytes: Uint8Array; offsets: number[] }>();

function serializedGroup(group: ObjectGroup, base: number): { bytes: Uint8Array; offsets: number[] } {
  const known = serialized.get(group);
  if (known && known.base === base) return known;
  // The same writeObject as a document's own objects, into a writer of its own (no header).
  const w = new PdfWriter('');
  const offsets: number[] = [];
  for (let i = 0; i < group.objects.length; i++) {
    offsets.push(w.currentPosition);
    w.writeObject(base + i, group.objects[i]!, base);
  }
  const entry = { base, bytes: w.bodyBytes(), offsets };
  serialized.set(group, entry);
  return entry;
}

/**
 * Appends objects to the file body and keeps their offsets for the cross-reference table. Text is gathered
 * in a string and turned into bytes only when binary data (a stream) comes, so small objects cost one copy.
 */
export class PdfWriter {
  private readonly chunks: Uint8Array[] = [];
  private pending: string;
  private flushed = 0;
  private readonly offsets: number[] = [0];
  /** Set on a protected document: every object written after it is encrypted (the /Encrypt one is not). */
  encryptor: PdfEncryptor | undefined;

  constructor(header = HEADER) {
    this.pending = header;
  }

  get currentPosition(): number {
    return this.position;
  }

  /** Object numbers are handed out in call order, so the same calls give the same numbers. */
  allocate(): number {
    this.offsets.push(-1);
    return this.offsets.length - 1;
  }

  allocateMany(count: number): number {
    const first = this.offsets.length;
    for (let i = 0; i < count; i++) this.offsets.push(-1);
    return first;
  }

  private get position(): number {
    return this.flushed + this.pending.length;
  }

  private text(s: string): void {
    this.pending += s;
  }

  private bytes(b: Uint8Array): void {
    if (this.pending) {
      this.chunks.push(Buffer.from(this.pending, 'latin1'));
      this.flushed += this.pending.length;
      this.pending = '';
    }
    this.chunks.push(b);
    this.flushed += b.length;
  }

  /** Writes object `num`; local references in `parts` are resolved against `base` (the group's first number). */
  writeObject(num: number, parts: readonly ObjectPart[], base = 0): void {
    if (this.encryptor) {
      const resolved = parts.map((p) => (p instanceof LocalRef ? `${base + p.index} 0 R` : p));
      parts = this.encryptor.encryptObject(num, resolved);
    }
    this.offsets[num] = this.position;
    this.text(`${num} 0 obj\n`);
    for (const p of parts) {
      if (typeof p === 'string') this.text(p);
      else if (p instanceof LocalRef) this.text(`${base + p.index} 0 R`);
      else this.bytes(p);
    }
    this.text('\nendobj\n');
  }

  /**
   * A signature dictionary: its strings encrypted like any other object's, but not /Contents (ISO 32000-1
   * §7.6.1), which the signer fills after the file is written; nothing with strings comes after it.
   */
  writeSignatureObject(num: number, dictionary: { head: string; contents: string; tail: string }): void {
    const head = this.encryptor ? this.encryptor.encryptObject(num, [dictionary.head]) : [dictionary.head];
    this.offsets[num] = this.position;
    this.text(`${num} 0 obj\n`);
    for (const p of head) if (typeof p === 'string') this.text(p);
    this.text(dictionary.contents + dictionary.tail + '\nendobj\n');
  }

  /** The bytes written so far, as one array (a group serialised on its own). */
  bodyBytes(): Uint8Array {
    this.bytes(new Uint8Array(0));
    return Buffer.concat(this.chunks);
  }

  /**
   * Copies a ready group into the file and returns the number of its first object (the one to point at).
   * A group's objects come out as the same bytes whenever its first number is the same, which it is for
   * every document of a template (objects are numbered in drawing order): those bytes are kept on the
   * group for that number and copied whole, instead of written object by object.
   */
  writeGroup(group: ObjectGroup): number {
    const base = this.allocateMany(group.objects.length);
    if (this.encryptor) {
      // Encrypted bytes depend on the document's key: written object by object, never cached.
      for (let i = 0; i < group.objects.length; i++) this.writeObject(base + i, group.objects[i]!, base);
      return base;
    }
    const ready = serializedGroup(group, base);
    this.bytes(ready.bytes);
    const start = this.flushed - ready.bytes.length;
    for (let i = 0; i < ready.offsets.length; i++) this.offsets[base + i] = start + ready.offsets[i]!;
    return base;
  }

  /** Cross-reference table and trailer; `/ID` comes from the document id so identical calls give identical files. */
  finish(rootNum: number, infoNum: number | undefined, documentId: string): Uint8Array {
    let encryptNum: number | undefined;
    if (this.encryptor) {
      const dictionary = this.encryptor.dictionary;
      this.encryptor = undefined; // the /Encrypt dictionary itself is never encrypted
      encryptNum = this.allocate();
      this.writeObject(encryptNum, [dictionary]);
    }
    const xref = this.position;
    const count = this.offsets.length;
    let table = `xref\n0 ${count}\n0000000000 65535 f \n`;
    for (let i = 1; i < count; i++) {
      const offset = this.offsets[i]!;
      if (offset < 0) throw new Error(`PDF object ${i} was allocated but never written`);
      table += `${String(offset).padStart(10, '0')} 00000 n \n`;
    }
    const id = Buffer.from(fileId(documentId)).toString('hex').toUpperCase();
    this.text(table);
    this.text(`trailer\n<< /Size ${count} /Root ${rootNum} 0 R`);
    if (infoNum !== undefined) this.text(` /Info ${infoNum} 0 R`);
    if (encryptNum !== undefined) this.text(` /Encrypt ${encryptNum} 0 R`);
    this.text(` /ID [<${id}> <${id}>] >>\nstartxref\n${xref}\n%%EOF\n`);
    this.chunks.push(Buffer.from(this.pending, 'latin1'));
    this.pending = '';
    return Buffer.concat(this.chunks);
  }
}

/** The file identifier (both /ID entries): the first 16 bytes of SHA-256 of the document id. */
export function fileId(documentId: string): Uint8Array {
  return createHash('sha256').update(documentId, 'utf8').digest().subarray(0, 16);
}

/**
 * Ready objects: PDF objects serialized once (per process, per asset) whose references to each other are
 * left as local indexes, so copying them into a document only writes the final object numbers around
 * bytes that already exist.
 */

/** A reference to another object of the same group, by its position in the group. */
export class LocalRef {
  constructor(readonly index: number) {}
}

/** One object body: text (latin1) and bytes written as they are, local references resolved when written. */
export type ObjectPart = string | Uint8Array | LocalRef;

/** Objects that travel together; object 0 is the one a document points at (a font, an image, a form). */
export class ObjectGroup {
  constructor(readonly objects: readonly (readonly ObjectPart[])[]) {}
  get byteLength(): number {
    let n = 0;
    for (const o of this.objects) for (const p of o) n += typeof p === 'string' ? p.length : p instanceof Uint8Array ? p.length : 12;
    return n;
  }
}

/** A stream object's parts: the dictionary entries (without << >>), then the already encoded data. */
export function streamParts(dictEntries: readonly ObjectPart[], data: Uint8Array): ObjectPart[] {
  return ['<<', ...dictEntries, ` /Length ${data.length} >>\nstream\n`, data, '\nendstream'];
}

export class GroupBuilder {
  private readonly objects: ObjectPart[][] = [];
  /** Reserves a slot so objects can point at each other before they are written. */
  reserve(): LocalRef {
    this.objects.push([]);
    return new LocalRef(this.objects.length - 1);
  }
  set(ref: LocalRef, parts: ObjectPart[]): void {
    this.objects[ref.index] = parts;
  }
  add(parts: ObjectPart[]): LocalRef {
    this.objects.push(parts);
    return new LocalRef(this.objects.length - 1);
  }
  build(): ObjectGroup {
    return new ObjectGroup(this.objects);
  }
}

import { createHash } from 'node:crypto';
import { suggestion } from '../../variables/suggest';
import { BUNDLED_FACES, BUNDLED_FAMILIES } from './bundled';
import type { FaceDescriptor, FontFace, FontStyle } from './face';
import { fontError, parseFace } from './face';

interface Entry {
  weight: number;
  style: FontStyle;
  load(): FontFace;
}

/** Family names match whatever their case and spacing: "EB Garamond", "eb-garamond" and "ebgaramond" are one. */
export function familyKey(name: string): string {
  return name.toLowerCase().replace(/[\s_-]+/g, '');
}

/** Custom faces parsed from the same bytes are shared between templates, as bundled faces are. */
const customFaces = new Map<string, FontFace>();
const CUSTOM_FACE_LIMIT = 256;

/**
 * The faces a template can use: the bundled families plus the template's own font assets. Cheap to create
 * (one per template version); faces themselves are parsed once per process.
 */
export class FontLibrary {
  private readonly families = new Map<string, { name: string; entries: Entry[] }>();
  /** Every name a family can be called by, aliases included, for "did you mean". */
  private readonly names = new Set<string>();
  /**
   * What the library holds, as text: two libraries with the same identity resolve every family, weight and
   * style to faces parsed from the same bytes, so what is derived from one serves the other (roles.ts).
   */
  private faces: string;

  constructor(options: { bundled?: boolean } = {}) {
    this.faces = options.bundled === false ? 'none' : 'bundled';
    if (options.bundled === false) return;
    for (const face of BUNDLED_FACES) this.register(face.family, face);
    for (const { family, aliases } of BUNDLED_FAMILIES) {
      const target = this.families.get(familyKey(family));
      for (const alias of aliases) {
        if (!target) continue;
        this.families.set(familyKey(alias), target);
        this.names.add(alias);
      }
    }
  }

  get identity(): string {
    return this.faces;
  }

  /** The same faces, in a library that faces added to this one later do not change. */
  copy(): FontLibrary {
    const copy = new FontLibrary({ bundled: false });
    // Aliases share their family's record: copied once, shared the same way.
    const copied = new Map<object, { name: string; entries: Entry[] }>();
    for (const [key, family] of this.families) {
      let c = copied.get(family);
      if (!c) copied.set(family, (c = { name: family.name, entries: [...family.entries] }));
      copy.families.set(key, c);
    }
    for (const name of this.names) copy.names.add(name);
    copy.faces = this.faces;
    return copy;
  }

  /** Names designers can write, as first declared. */
  familyNames(): string[] {
    return [...new Set([...this.families.values()].map((f) => f.name))];
  }

  hasFamily(family: string): boolean {
    return this.families.has(familyKey(family));
  }

  /**
   * Adds a face from an uploaded TTF/OTF asset. Throws a DiagnosticError (FONT_UNSUPPORTED_FORMAT,
   * FONT_INVALID) instead of letting fontkit crash later. A custom face can extend a bundled family
   * (e.g. add a 300 weight) or replace one of its faces.
   */
  addFace(bytes: Uint8Array, descriptor: { family: string; weight?: number; style?: FontStyle }): FontFace {
    const d: FaceDescriptor = {
      family: descriptor.family,
      weight: descriptor.weight ?? 400,
      style: descriptor.style ?? 'normal',
    };
    const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 24);
    const key = `asset-${hash}-${d.weight}-${d.style}`;
    let face = customFaces.get(key);
    if (!face || face.family !== d.family) {
      face = parseFace(bytes, d, key);
      if (customFaces.size >= CUSTOM_FACE_LIMIT) customFaces.delete(customFaces.keys().next().value!);
      customFaces.set(key, face);
    }
    const parsed = face;
    this.register(d.family, { weight: d.weight, style: d.style, load: () => parsed }, true);
    this.faces += `\u0000${d.family}\u0001${key}`;
    return parsed;
  }

  /**
   * The face of `family` nearest to the weight and style asked for, by CSS font matching: same style
   * first; then for a bold request the next heavier weights, then lighter ones (and the reverse for light).
   */
  resolve(family: string, weight = 400, style: FontStyle = 'normal'): FontFace {
    const found = this.families.get(familyKey(family));
    if (!found) {
      throw fontError(
        'FONT_UNKNOWN_FAMILY',
        `There is no font family "${family}".${suggestion(family, this.names)} ` +
          `Bundled families: ${BUNDLED_FAMILIES.map((f) => f.family).join(', ')}; other fonts can be added as assets.`,
      );
    }
    const sameStyle = found.entries.filter((e) => e.style === style);
    const candidates = sameStyle.length > 0 ? sameStyle : found.entries;
    return nearestWeight(candidates, weight).load();
  }

  private register(family: string, entry: Entry, replace = false): void {
    const k = familyKey(family);
    let f = this.families.get(k);
    if (!f) {
      f = { name: family, entries: [] };
      this.families.set(k, f);
      this.names.add(family);
    }
    if (replace) f.entries = f.entries.filter((e) => e.weight !== entry.weight || e.style !== entry.style);
    f.entries.push(entry);
  }
}

function nearestWeight(entries: Entry[], wanted: number): Entry {
  const exact = entries.find((e) => e.weight === wanted);
  if (exact) return exact;
  const by = (pick: (e: Entry) => boolean, order: 1 | -1): Entry | undefined =>
    entries.filter(pick).sort((a, b) => order * (a.weight - b.weight))[0];
  let found: Entry | undefined;
  if (wanted >= 400 && wanted <= 500) {
    found = by((e) => e.weight > wanted && e.weight <= 500, 1) ?? by((e) => e.weight < wanted, -1) ?? by((e) => e.weight > 500, 1);
  } else if (wanted < 400) {
    found = by((e) => e.weight < wanted, -1) ?? by((e) => e.weight > wanted, 1);
  } else {
    found = by((e) => e.weight > wanted, 1) ?? by((e) => e.weight < wanted, -1);
  }
  return found ?? entries[0]!;
}

import { DiagnosticError } from '../../variables/diagnostics';
import type { Diagnostic } from '../../variables/diagnostics';
import { BUNDLED_FAMILIES, GLOBAL_FALLBACK } from './bundled';
import { familyKey } from './library';
import type { FontFace, FontStyle } from './face';
import type { FontLibrary } from './library';
import { Lru } from '../text/lru';

/** What a template's front matter says about one role (body, title, name, …). */
export interface FontRoleSpec {
  family: string;
  weight?: number | 'normal' | 'bold';
  style?: FontStyle;
  fallback?: string[];
}

export interface FontRole {
  name: string;
  family: string;
  weight: number;
  style: FontStyle;
  /** The role's own fallback families, then the global chain; duplicates removed. */
  fallback: readonly string[];
}

/**
 * The roles of one template, resolved against its library. `chain` gives the faces tried in order for a
 * character: the role's face, its fallbacks, then the global fallback faces. Chains are built on first
 * use (so only faces that are used get parsed) and then kept.
 */
export interface FontRoles {
  readonly roles: ReadonlyMap<string, FontRole>;
  has(role: string): boolean;
  /** Unknown roles fall back to `body`; callers that care check `has` first. */
  chain(role: string, bold: boolean, italic: boolean): readonly FontFace[];
}

export const DEFAULT_ROLES: Readonly<Record<string, FontRoleSpec>> = {
  body: { family: 'serif' },
};

export const BOLD_WEIGHT = 700;

function weightOf(w: FontRoleSpec['weight']): number {
  if (w === undefined || w === 'normal') return 400;
  if (w === 'bold') return BOLD_WEIGHT;
  return w;
}

/**
 * Checks every family named by the roles at once (one FONT_UNKNOWN_FAMILY per unknown name) and returns
 * the resolved roles. Roles the template does not define get the defaults (body = serif).
 */
export function resolveRoles(library: FontLibrary, specs: Readonly<Record<string, FontRoleSpec>> = {}): FontRoles {
  // Every compile makes a new library; a template being edited (a compile per keystroke in the live
  // preview) keeps its roles object, and with it the static paragraphs already laid out for them
  // (text/paragraph.ts keeps those per roles object). Same faces and same specs give the same roles.
  const key = `${library.identity}\u0002${JSON.stringify(specs)}`;
  let found = resolvedRoles.get(key);
  if (!found) {
    // Kept roles resolve faces lazily: from a copy, so faces added to the caller's library afterwards
    // cannot reach a template that shares them.
    found = resolveAfresh(library.copy(), specs);
    resolvedRoles.set(key, found);
  }
  return found;
}

/** Roles objects kept across compiles; each holds its laid-out paragraphs, so few are kept. */
const resolvedRoles = new Lru<string, FontRoles>(64);

function resolveAfresh(library: FontLibrary, specs: Readonly<Record<string, FontRoleSpec>>): FontRoles {
  const roles = new Map<string, FontRole>();
  const problems: Diagnostic[] = [];
  for (const [name, spec] of Object.entries({ ...DEFAULT_ROLES, ...specs })) {
    for (const family of [spec.family, ...(spec.fallback ?? [])]) {
      if (!library.hasFamily(family)) {
        try {
          library.resolve(family);
        } catch (error) {
          if (error instanceof DiagnosticError) problems.push(...error.diagnostics.map((d) => ({ ...d, path: `fonts.${name}` })));
          else throw error;
        }
      }
    }
    const own = spec.fallback ?? BUNDLED_FAMILIES.find((f) => familyKey(f.family) === familyKey(spec.family))?.fallback ?? [];
    const fallback = [...new Set([...own, ...GLOBAL_FALLBACK])].filter((f) => f !== spec.family);
    roles.set(name, { name, family: spec.family, weight: weightOf(spec.weight), style: spec.style ?? 'normal', fallback });
  }
  if (problems.length > 0) throw new DiagnosticError(problems);

  const chains = new Map<string, readonly FontFace[]>();
  const body = roles.get('body')!;
  return {
    roles,
    has: (role) => roles.has(role),
    chain(roleName, bold, italic) {
      const cacheKey = `${roleName}\u0000${bold ? 1 : 0}${italic ? 1 : 0}`;
      let chain = chains.get(cacheKey);
      if (!chain) {
        const role = roles.get(roleName) ?? body;
        const weight = bold ? Math.max(role.weight, BOLD_WEIGHT) : role.weight;
        const style: FontStyle = italic ? 'italic' : role.style;
        const faces: FontFace[] = [];
        for (const family of [role.family, ...role.fallback]) {
          const face = library.resolve(family, weight, style);
          if (!faces.includes(face)) faces.push(face);
        }
        chain = faces;
        chains.set(cacheKey, chain);
      }
      return chain;
    },
  };
}

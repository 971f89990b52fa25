import { analyzeTemplate } from '../../variables/analyzer/index';
import { bind } from '../../variables/bind';
import { catalogue } from '../../variables/catalogue';
import type { Schema } from '../../variables/types';
import { compileFragment, createEngine } from '../../templates/liquid/engine';
import type { Problem } from './errors';

/**
 * File naming, in one place: every name a document gets outside Attest (a download's Content-Disposition,
 * a mail attachment, an entry of a ZIP from the API or of `attest export`) is made here, from the
 * certificate's `file_name` pattern (Liquid over the catalogue's typed variables) or the default
 * "<certificate> <code>.pdf", and made safe for every file system:
 *
 * - Unicode normalised to NFC (macOS and Windows would otherwise see two names as one, or one as two);
 * - no control, bidirectional-override, private-use or unassigned character (the joiners scripts need stay);
 * - no separator or character Windows, macOS or a ZIP reader refuses (`<>:"/\|?*`), each replaced by `_`,
 *   so `../../etc/passwd` is one harmless name;
 * - no name Windows reserves (CON, PRN, AUX, NUL, COM1…COM9, LPT1…LPT9, with any extension): prefixed `_`;
 * - no leading or trailing dot or space (Windows drops trailing ones; a leading dot hides a file);
 * - at most MAX_FILE_NAME_BYTES of UTF-8, cut between graphemes (never inside a letter and its accent);
 * - never empty (the fallback, the verification code, is used), always ending in `.pdf`.
 */

/** The most bytes of UTF-8 a document's file name takes, `.pdf` and a `~N` suffix included (file systems allow 255). */
export const MAX_FILE_NAME_BYTES = 200;
const EXTENSION = '.pdf';
/** Room kept for the `~N` a ZIP adds to tell two equal names apart. */
const SUFFIX_ROOM = 8;

const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });
/** Controls, lone surrogates, private use, unassigned, line/paragraph separators; invisible format characters but the joiners scripts need. */
const INVISIBLE = /[\p{Cc}\p{Cs}\p{Co}\p{Cn}\u2028\u2029]|(?![\u200C\u200D])\p{Cf}/gu;
/** What Windows, macOS or a ZIP reader takes as a separator or refuses in a name. */
const FORBIDDEN = /[/\\:*?"<>|]/g;
/** Device names Windows will not create as files, with any extension. */
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$|clock\$)(\s*\..*)?$/i;

/** At most `maxBytes` of UTF-8, cut between graphemes (never inside a letter and its accent, or an emoji). */
function truncate(s: string, maxBytes: number): string {
  if (Buffer.byteLength(s) <= maxBytes) return s;
  let out = '';
  let bytes = 0;
  for (const { segment } of graphemes.segment(s)) {
    const n = Buffer.byteLength(segment);
    if (bytes + n > maxBytes) break;
    out += segment;
    bytes += n;
  }
  return out;
}

const clean = (s: string): string =>
  s
    .normalize('NFC')
    .replace(INVISIBLE, '')
    .replace(FORBIDDEN, '_')
    .replace(/\s+/gu, ' ')
    .replace(/^[\s.]+|[\s.]+$/gu, '');

/**
 * One safe component of a path, in any script: no separator, no `..`, no control or bidirectional
 * override character, no name Windows reserves, no leading or trailing dot or space, not empty, at most
 * `maxBytes` of UTF-8.
 */
export function safeComponent(raw: string, fallback: string, maxBytes = 80): string {
  let s = clean(truncate(clean(raw), maxBytes));
  if (!s) s = clean(truncate(clean(fallback), maxBytes)) || 'document';
  if (RESERVED.test(s)) s = truncate(`_${s}`, maxBytes);
  return s;
}

/** A document's file name from any text: safe (see the module's comment), ending in `.pdf`, `fallback` when nothing is left. */
export function safeFileName(raw: string, fallback: string, maxBytes = MAX_FILE_NAME_BYTES): string {
  const base = raw.replace(/\.pdf[\s.]*$/i, '');
  return `${safeComponent(base, fallback, maxBytes - SUFFIX_ROOM - EXTENSION.length)}${EXTENSION}`;
}

/** How file systems that ignore case (Windows, macOS) or normalisation see a name: over-folding only costs a suffix. */
const folded = (path: string): string => path.normalize('NFKC').toUpperCase().toLowerCase();

/**
 * Names unique within one archive as a case-insensitive file system compares them: a name taken already
 * gets `~2`, `~3`, … before its extension (two learners with the same name, a pattern without the code).
 */
export class UniqueNames {
  private readonly taken = new Set<string>();

  take(path: string): string {
    const dot = path.toLowerCase().endsWith(EXTENSION) ? path.length - EXTENSION.length : path.length;
    const base = path.slice(0, dot);
    const ext = path.slice(dot);
    let candidate = path;
    for (let n = 2; this.taken.has(folded(candidate)); n++) candidate = `${base}~${n}${ext}`;
    this.taken.add(folded(candidate));
    return candidate;
  }
}

/**
 * The entry names of one `attest export`, unique across all its archives whatever the learner ids and
 * names hold (archives unpacked into one folder do not overwrite each other):
 * `<tenant>/<certificate>/<file>`, where the file is the certificate's pattern when it has one, else
 * `<learner>-<code>.pdf`. The verification code, unique across tenants, keeps default names apart already.
 */
export class EntryNames {
  private readonly names = new UniqueNames();

  name(record: { tenant: string; certificate: string; learnerId: string; learnerName: string; code: string; fileName?: string }): string {
    const tenant = safeComponent(record.tenant, 'tenant', 63);
    const certificate = safeComponent(record.certificate, 'certificate', 80);
    const file =
      record.fileName ??
      `${safeComponent(record.learnerName || record.learnerId, 'learner', 80)}-${safeComponent(record.code, 'document', 40)}${EXTENSION}`;
    return this.names.take(`${tenant}/${certificate}/${file}`);
  }
}

// The certificate's pattern ----------------------------------------------------------------------------

/** What a file-name pattern may use: the catalogue (learner, course, certificate, organization, …). */
export const FILE_NAME_SCHEMA: Schema = catalogue;

/** The analyzer's errors in a pattern, as problems at `path` (warnings, such as an optional value without a default, do not stop a save). */
export function fileNamePatternProblems(pattern: string, path: string): Problem[] {
  const out: Problem[] = [];
  for (const d of analyzeTemplate({ body: pattern, bodyStart: { line: 1, column: 1 }, schema: FILE_NAME_SCHEMA }))
    if (d.severity === 'error')
      out.push({
        path,
        code: 'FILE_NAME_PATTERN_INVALID',
        message: `${d.message}${d.range ? ` (column ${d.range.start.column})` : ''}`,
        params: { detail: d.message, diagnostic: d.code },
      });
  return out;
}

const engines = new Map<string, ReturnType<typeof createEngine>>();
const engineFor = (locale: string) => {
  let e = engines.get(locale);
  if (!e)
    engines.set(
      locale,
      (e = createEngine({ locale, mode: 'text', limits: { parseLimit: 2_000, renderLimit: 500, memoryLimit: 100_000 } })),
    );
  return e;
};

interface CompiledPattern {
  render?: (data: Record<string, unknown>) => string;
  /** The catalogue's namespaces the pattern names (a superset: any word that is one): only they are bound. */
  schema: Schema;
}

/** Patterns parsed once per process (a few per tenant): a download does not parse its certificate's pattern again. */
const compiled = new Map<string, CompiledPattern>();
function compiledPattern(pattern: string, locale: string): CompiledPattern {
  const key = `${locale}\u0000${pattern}`;
  let c = compiled.get(key);
  if (!c) {
    if (compiled.size >= 500) compiled.clear();
    const fragment = compileFragment(engineFor(locale), pattern, { fileText: pattern, offset: 0, what: 'file_name' });
    const words = new Set(pattern.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []);
    const schema: Schema = Object.fromEntries(Object.entries(FILE_NAME_SCHEMA).filter(([k]) => words.has(k)));
    compiled.set(key, (c = { ...(fragment.render ? { render: fragment.render } : {}), schema }));
  }
  return c;
}

/** The pattern rendered with the issue's data bound to the catalogue (as a document's data is), or undefined when it cannot be. */
export function renderFileNamePattern(pattern: string, data: Record<string, unknown>, locale = 'fr'): string | undefined {
  const fragment = compiledPattern(pattern, locale);
  if (!fragment.render) return undefined;
  try {
    // Bound as a document's data is (derived fields, normal forms), but only the namespaces it names: a
    // download names its file at the cost of a few fields, not of the whole catalogue.
    const named: Record<string, unknown> = {};
    for (const k of Object.keys(fragment.schema)) if (k in data) named[k] = data[k];
    return fragment.render(bind(fragment.schema, named).data);
  } catch {
    return undefined;
  }
}

/**
 * The file name of an issue's document: the certificate's `file_name` pattern rendered with the data the
 * document was made with, else "<certificate name> <code>"; made safe, the code when nothing is left.
 */
export function documentFileName(
  certificate: { name: string; settings: { file_name?: string | undefined } },
  issue: { code: string; data: string | Record<string, unknown>; id?: string; revision?: number },
  locale = 'fr',
): string {
  const pattern = certificate.settings.file_name;
  if (pattern === undefined) return safeFileName(`${certificate.name} ${issue.code}`, issue.code);
  // An issue's data changes only with its revision: its name is kept for the next download of it.
  const key = issue.id !== undefined && issue.revision !== undefined ? `${issue.id}:${issue.revision}:${locale}:${pattern}` : undefined;
  const known = key === undefined ? undefined : recent.get(key);
  if (known !== undefined) return known;
  const name = patternFileName(pattern, issue, locale);
  if (key !== undefined) {
    if (recent.size >= 10_000) recent.clear();
    recent.set(key, name);
  }
  return name;
}

const recent = new Map<string, string>();

function patternFileName(pattern: string, issue: { code: string; data: string | Record<string, unknown> }, locale: string): string {
  let data: Record<string, unknown>;
  try {
    data = typeof issue.data === 'string' ? (JSON.parse(issue.data) as Record<string, unknown>) : issue.data;
  } catch {
    data = {};
  }
  return safeFileName(renderFileNamePattern(pattern, data, locale) ?? '', issue.code);
}

// HTTP --------------------------------------------------------------------------------------------------

/** RFC 5987 `ext-value` characters: what encodeURIComponent leaves alone but `'()*`. */
const rfc5987 = (s: string): string => encodeURIComponent(s).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * A Content-Disposition header for a file name made here: `filename="…"` in ASCII for old clients (other
 * characters as `_`), and `filename*=UTF-8''…` (RFC 5987/6266) with the name as it is.
 */
export function contentDisposition(disposition: 'inline' | 'attachment', fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%]/g, '_');
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${rfc5987(fileName)}`;
}

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, errorMessage, LOCALES, PROBLEM_CODES, type ErrorCodeEntry } from '../../../server/domain/error-codes';
import { REASON_CODES } from '../../../server/domain/reasons';
import { NOTE_CODES } from '../../../server/migrate/pdcertificate/convert';
import { STATUS } from '../../../server/http/problems';

/**
 * The catalogue is the one list of what the server can answer: a code thrown anywhere in server/ (by
 * whoever adds it) and not in the catalogue fails here, before a client meets a code the README and the
 * API document do not know, or a French caller reads English.
 */
const ROOT = new URL('../../../', import.meta.url).pathname;

function sources(dir: string): { file: string; text: string }[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => {
      const file = join(e.parentPath, e.name);
      return { file: file.slice(ROOT.length), text: readFileSync(file, 'utf8') };
    });
}

const SERVER = sources('server');

/** UPPER_SNAKE literals of server/ that are not answers: Node's and the storage layer's codes, environment variables, diagnostic codes (they travel in `details.diagnostics`, with their stage), LinkedIn's add-to-profile task name. */
const NOT_ANSWERS =
  /^(STORAGE_[A-Z_]+|SQLITE_[A-Z_]+|ATTEST_[A-Z0-9_]+|HPE_[A-Z_]+|ERR_[A-Z_]+|EAI_AGAIN|RENDER_FAILED|RENDER_TIMEOUT|RENDER_WORKER_DIED|SOURCE_UNREADABLE|TEMPLATE_NOT_LOADED|CERTIFICATION_NAME)$/;

const ZOD_CODES = [
  'invalid_type',
  'too_big',
  'too_small',
  'invalid_format',
  'not_multiple_of',
  'unrecognized_keys',
  'invalid_union',
  'invalid_key',
  'invalid_element',
  'invalid_value',
];

function matches(pattern: RegExp): { file: string; groups: string[] }[] {
  return SERVER.flatMap(({ file, text }) => [...text.matchAll(pattern)].map((m) => ({ file, groups: m.slice(1) })));
}

describe('the error catalogue', () => {
  it('has every code a throw site in server/ names, with the kind it is thrown with', () => {
    const missing: string[] = [];
    const wrongKind: string[] = [];
    const check = (file: string, code: string, kind?: string) => {
      const entry = (ERROR_CODES as Record<string, ErrorCodeEntry>)[code];
      if (!entry) missing.push(`${code} (${file})`);
      else if (kind && entry.kind !== kind) wrongKind.push(`${code} thrown as ${kind} in ${file}, catalogued as ${entry.kind}`);
    };
    for (const { file, groups } of matches(/new DomainError\(\s*'([\w-]+)',\s*'([A-Z][A-Z0-9_]*)'/g)) check(file, groups[1]!, groups[0]);
    for (const { file, groups } of matches(/\binvalid\(\s*'([A-Z][A-Z0-9_]*)'/g)) check(file, groups[0]!, 'invalid');
    for (const { file, groups } of matches(/\bnotFound\(([^()]|\([^()]*\))*?(?:,\s*'([A-Z][A-Z0-9_]*)')?\)/g))
      check(file, groups[1] ?? 'NOT_FOUND', 'not-found');
    for (const { file, groups } of matches(/(?:simpleError\(|\[)\s*(\d{3}),\s*'([A-Z][A-Z0-9_]*)'/g)) {
      check(file, groups[1]!);
      const entry = (ERROR_CODES as Record<string, ErrorCodeEntry>)[groups[1]!];
      if (entry && STATUS[entry.kind] !== Number(groups[0]))
        wrongKind.push(`${groups[1]} answered ${groups[0]} in ${file}, catalogued as ${STATUS[entry.kind]}`);
    }
    for (const code of REASON_CODES) check('server/domain/reasons.ts', code);
    expect(missing).toEqual([]);
    expect(wrongKind).toEqual([]);
  });

  it('knows every UPPER_SNAKE code in server/, as an error code, a problem code or an import note', () => {
    const unknown = new Set<string>();
    const notes = new Set<string>(NOTE_CODES);
    for (const { file, groups } of matches(/['"`]([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)['"`]/g)) {
      const code = groups[0]!;
      if (file.startsWith('server/migrate/pdcertificate/') && notes.has(code)) continue;
      if (!Object.hasOwn(ERROR_CODES, code) && !Object.hasOwn(PROBLEM_CODES, code) && !NOT_ANSWERS.test(code))
        unknown.add(`${code} (${file})`);
    }
    expect([...unknown]).toEqual([]);
  });

  it('explains every note code of the pdcertificate import in its documentation', () => {
    const doc = readFileSync(join(ROOT, 'docs/scripts/pdcert.md'), 'utf8');
    expect(NOTE_CODES.filter((c) => !doc.includes(`\`${c}\``))).toEqual([]);
  });

  it('has a problem message for every zod issue code and every code binding reports', () => {
    const bindCodes = sources('variables').flatMap(({ text }) => [...text.matchAll(/'(BIND_[A-Z_]+)'/g)].map((m) => m[1]!));
    const missing = [...ZOD_CODES.map((c) => c.toUpperCase()), 'INVALID', ...bindCodes].filter((c) => !Object.hasOwn(PROBLEM_CODES, c));
    expect(missing).toEqual([]);
  });

  it('says every code in English and French, differently, with a meaning', () => {
    for (const [code, entry] of Object.entries(ERROR_CODES) as [string, ErrorCodeEntry][]) {
      const [en, fr] = LOCALES.map((l) => errorMessage(code, l, {}));
      expect(en, code).toMatch(/\S/);
      expect(fr, code).toMatch(/\S/);
      expect(fr, code).not.toBe(en);
      expect(entry.meaning, code).toMatch(/\S/);
      expect(STATUS[entry.kind], code).toBeGreaterThanOrEqual(400);
    }
  });

  it('renders the named parameters a message takes', () => {
    expect(errorMessage('CAPABILITY_REQUIRED', 'fr', { capability: 'issues:manage' })).toBe(
      'Il faut pour cela la capacité "issues:manage".',
    );
    expect(errorMessage('GRADE_TOO_LOW', 'en', { args: ['40', '50'] })).toBe('The course grade (40 %) is below the required 50 %.');
    expect(errorMessage('NO_SUCH_CODE', 'en')).toBeUndefined();
  });
});

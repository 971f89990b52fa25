import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { EntryNames, safeComponent } from '../../../server/domain/file-names';
import {
  exportDocuments,
  exported,
  MANIFEST_COLUMNS,
  parseSize,
  selectedRecords,
  type ExportOptions,
  type ExportReport,
} from '../../../server/domain/exports';
import { requestDocument, revokeIssue, setLocked, type IssueView } from '../../../server/domain/issues';
import { pdftotext, writeTemp } from '../../templates/pdf/helpers';
import { readZip } from '../../support/zip';
import {
  ENGINES,
  domainFailure,
  freshServices,
  learnerData,
  setupTenant,
  useRenderPool,
  type TenantFixture,
  type TestServices,
} from '../../support/storage';

const pool = useRenderPool(1);
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const folder = () => join(mkdtempSync(join(tmpdir(), 'attest-export-')), 'out');
/** How a case-insensitive, normalising file system sees a path. */
const fold = (p: string) => p.normalize('NFKC').toUpperCase().toLowerCase();

interface Manifest {
  format: string;
  archive: string;
  documents: Record<(typeof MANIFEST_COLUMNS)[number], string | number | boolean | null>[];
}
type CsvRow = Record<(typeof MANIFEST_COLUMNS)[number], string>;
const parseCsv = (text: string | Buffer): CsvRow[] => parse<CsvRow>(text, { columns: true, bom: true });

/** Every archive of an export, read back: entries, manifests, and the checks every export must pass. */
async function readExport(out: string, report: ExportReport) {
  const files = readdirSync(out).sort();
  expect(files).toEqual([...report.archives.map((a) => a.name), 'index.csv', 'index.json'].sort());
  const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8')) as ExportReport;
  expect(index.archives).toEqual(report.archives);
  const indexRows = parseCsv(readFileSync(join(out, 'index.csv')));
  expect(indexRows).toHaveLength(report.documents);
  const documents = new Map<string, { archive: string; bytes: Buffer; row: Manifest['documents'][number] }>();
  for (const a of report.archives) {
    const path = join(out, a.name);
    expect(statSync(path).size).toBe(a.size);
    expect(sha(readFileSync(path))).toBe(a.sha256);
    const entries = await readZip(path);
    const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8')) as Manifest;
    expect(manifest).toMatchObject({ format: 'attest-export/1', archive: a.name });
    expect(manifest.documents).toHaveLength(a.documents);
    const csv = parseCsv(entries.get('manifest.csv')!);
    expect(csv.map((r) => r.file)).toEqual(manifest.documents.map((d) => d.file));
    expect([...entries.keys()].filter((k) => !k.startsWith('manifest.')).sort()).toEqual(
      manifest.documents.map((d) => String(d.file)).sort(),
    );
    for (const row of manifest.documents) {
      const bytes = entries.get(String(row.file))!;
      expect(sha(bytes)).toBe(row.sha256);
      expect(bytes.length).toBe(row.size);
      expect(row.archive).toBe(a.name);
      expect(documents.has(String(row.code))).toBe(false);
      documents.set(String(row.code), { archive: a.name, bytes, row });
    }
  }
  expect(indexRows.map((r) => r.code).sort()).toEqual([...documents.keys()].sort());
  // Names stay apart on a case-insensitive file system, across archives (unpacked into one folder).
  const names = [...documents.values()].map((d) => String(d.row.file));
  expect(new Set(names.map(fold)).size).toBe(names.length);
  return { documents, index, indexRows };
}

describe('names inside an archive', () => {
  it('makes one safe component of anything, in any script', () => {
    expect(safeComponent('../../etc/passwd', 'x')).toBe('_.._etc_passwd');
    expect(safeComponent('..', 'learner')).toBe('learner');
    expect(safeComponent('a\u0000b\u001b[31mc', 'x')).toBe('ab[31mc');
    expect(safeComponent('evil\u202Efdp.exe', 'x')).toBe('evilfdp.exe');
    expect(safeComponent('C:\\Windows\\win.ini', 'x')).toBe('C__Windows_win.ini');
    expect(safeComponent('CON', 'x')).toBe('_CON');
    expect(safeComponent('nul.txt', 'x')).toBe('_nul.txt');
    expect(safeComponent('com1', 'x')).toBe('_com1');
    expect(safeComponent('console', 'x')).toBe('console');
    expect(safeComponent('trailing. . ', 'x')).toBe('trailing');
    expect(safeComponent('   ', 'learner')).toBe('learner');
    expect(safeComponent('Nguyễn Thị Ánh Tuyết', 'x')).toBe('Nguyễn Thị Ánh Tuyết');
    expect(safeComponent('محمد بن سلمان', 'x')).toBe('محمد بن سلمان');
    expect(safeComponent('山田 太郎', 'x')).toBe('山田 太郎');
    expect(safeComponent('e\u0301cole', 'x')).toBe('école');
    const long = safeComponent('é'.repeat(300), 'x', 80);
    expect(Buffer.byteLength(long)).toBe(80);
    // A family emoji is one grapheme: never cut in the middle.
    const family = '👨‍👩‍👧';
    expect(safeComponent(`${'a'.repeat(75)}${family}`, 'x', 80)).toBe('a'.repeat(75));
  });

  it('keeps every name unique, even for the same code and names that differ by case only', () => {
    const names = new EntryNames();
    const base = { tenant: 't', certificate: 'SST', learnerId: '1', code: 'ABCDE' };
    const a = names.name({ ...base, learnerName: 'a/b' });
    const b = names.name({ ...base, learnerName: 'a\\b' });
    const c = names.name({ ...base, learnerName: 'A/B' });
    expect(a).toBe('t/SST/a_b-ABCDE.pdf');
    expect(b).toBe('t/SST/a_b-ABCDE~2.pdf');
    expect(c).toBe('t/SST/A_B-ABCDE~3.pdf');
    expect(names.name({ ...base, learnerName: '', learnerId: 'CON', code: 'FGHIJ' })).toBe('t/SST/_CON-FGHIJ.pdf');
  });

  it('reads sizes as operators write them', () => {
    expect(parseSize('500MB')).toBe(500_000_000);
    expect(parseSize('2GiB')).toBe(2 * 1024 ** 3);
    expect(parseSize('1.5 kb')).toBe(1500);
    expect(parseSize('250000')).toBe(250_000);
    for (const bad of ['', '0', '-5MB', '12XB', 'MB', '1e6']) expect(parseSize(bad)).toBeUndefined();
  });

  it('exports current documents that are neither revoked nor locked unless asked', () => {
    expect(exported({ state: 'issued', locked: false })).toBe(true);
    expect(exported({ state: 'expired', locked: false })).toBe(true);
    expect(exported({ state: 'revoked', locked: false })).toBe(false);
    expect(exported({ state: 'issued', locked: true })).toBe(false);
    expect(exported({ state: 'revoked', locked: false }, { revoked: true })).toBe(true);
    expect(exported({ state: 'revoked', locked: true }, { revoked: true })).toBe(false);
    expect(exported({ state: 'issued', locked: true }, { locked: true })).toBe(true);
  });
});

/** Learners whose ids and names are what a hostile or careless LMS could send. */
const HOSTILE: [string, string][] = [
  ['../../etc/passwd', '../../etc/passwd'],
  ['a/b', 'Jean/Luc Picard'],
  ['a\\b', 'Jean\\Luc Picard'],
  ['CON', 'CON'],
  ['émile', 'Émile Zola'],
  ['ÉMILE', 'émile zola'],
  ['rtl', 'evil\u202Efdp.exe'],
  ['long', `Wolfeschlegelsteinhausenbergerdorff ${'Bartholomew '.repeat(20)}`.trim()],
  ['arabic', 'محمد الأمين'],
  ['cjk', '山田 太郎'],
  ['=formula', '=HYPERLINK("https://evil.example","click")'],
  ['plus', '+33 6 12 34 56'],
];

describe.each(ENGINES)('attest export, in the domain (%s)', (engine) => {
  let s: TestServices;
  let fx: TenantFixture;
  const issued = new Map<string, IssueView>();
  const options = (overrides: Partial<ExportOptions> = {}): ExportOptions => ({
    scopes: [{ tenant: fx.tenant, actor: fx.system }],
    selection: {},
    out: folder(),
    maxArchiveBytes: 500_000_000,
    ...overrides,
  });
  const issue = async (learnerId: string, fullname: string) => {
    const base = learnerData();
    const data = { ...base, learner: { ...(base.learner as Record<string, unknown>), fullname } };
    const r = await requestDocument(s, fx.lms, { certificateId: fx.certificate.id, learnerId, data, available: true });
    issued.set(r.issue.code, r.issue);
    return r.issue;
  };

  /** What one document takes in an archive, on average: from a dry run. */
  const averageSize = async () => (await exportDocuments(s, { ...options(), dryRun: true })).archives[0]!.size / HOSTILE.length;

  beforeAll(async () => {
    s = await freshServices(engine, { pool: pool() });
    fx = await setupTenant(s);
    for (const [id, name] of HOSTILE) await issue(id, name);
  });

  it('writes every document once, each entry the stored bytes (SHA-256), its name printed in it, names unique and safe', async () => {
    const opts = options();
    const report = await exportDocuments(s, opts);
    expect(report).toMatchObject({ selected: HOSTILE.length, documents: HOSTILE.length, notDelivered: 0, problems: [], warnings: [] });
    expect(report.archives).toHaveLength(1);
    const { documents, indexRows } = await readExport(opts.out, report);
    expect([...documents.keys()].sort()).toEqual([...issued.keys()].sort());
    for (const [code, d] of documents) {
      expect(d.row.sha256).toBe(issued.get(code)!.sha256);
      const file = String(d.row.file);
      const parts = file.split('/');
      expect(parts).toHaveLength(3);
      expect(parts[0]).toBe(fx.tenant.slug);
      for (const p of parts) {
        expect(p).not.toMatch(/^\.|[\\:*?"<>|\p{Cc}\u202E]|[. ]$/u);
        expect(p).not.toMatch(/^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i);
        expect(Buffer.byteLength(p)).toBeLessThanOrEqual(255);
      }
      expect(file.endsWith(`-${code}.pdf`)).toBe(true);
    }
    const byLearner = new Map([...documents.values()].map((d) => [String(d.row.learner_id), d]));
    expect(String(byLearner.get('a/b')!.row.file)).toMatch(/\/Jean_Luc Picard-[^/]+\.pdf$/);
    expect(String(byLearner.get('a\\b')!.row.file)).toMatch(/\/Jean_Luc Picard-[^/]+\.pdf$/);
    expect(String(byLearner.get('CON')!.row.file)).toMatch(/\/_CON-/);
    for (const id of ['cjk', 'a/b', 'émile']) {
      const d = byLearner.get(id)!;
      expect(pdftotext(writeTemp(d.bytes))).toContain(String(d.row.learner_name));
    }
    // The manifest says who and what, and the CSV keeps a formula as text.
    expect(byLearner.get('cjk')!.row).toMatchObject({ tenant: fx.tenant.slug, learner_name: '山田 太郎', state: 'issued', revision: 1 });
    expect(byLearner.get('cjk')!.row.template_version).toBe(1);
    // Every field is guarded, the learner id too.
    const formula = indexRows.find((r) => r.learner_id === "'=formula")!;
    expect(formula.learner_name).toBe(`'=HYPERLINK("https://evil.example","click")`);
    expect(indexRows.find((r) => r.learner_id === 'plus')!.learner_name).toBe(`'+33 6 12 34 56`);
  });

  it('splits into several archives under the size limit; a document larger than the limit gets an archive of its own', async () => {
    const limit = Math.round((await averageSize()) * 3.5);
    const opts = options({ maxArchiveBytes: limit });
    const report = await exportDocuments(s, opts);
    expect(report.archives.length).toBeGreaterThanOrEqual(4);
    expect(report.warnings).toEqual([]);
    for (const a of report.archives) expect(a.size).toBeLessThanOrEqual(limit);
    const { documents } = await readExport(opts.out, report);
    expect(documents.size).toBe(HOSTILE.length);

    const tiny = options({ maxArchiveBytes: 1000 });
    const alone = await exportDocuments(s, tiny);
    expect(alone.archives).toHaveLength(HOSTILE.length);
    expect(alone.warnings).toHaveLength(HOSTILE.length);
    expect(alone.warnings[0]).toMatchObject({ code: 'EXPORT_DOCUMENT_OVER_LIMIT', limit: 1000, archive: 'attest-export-0001.zip' });
    expect((await readExport(tiny.out, alone)).documents.size).toBe(HOSTILE.length);
  });

  it('plans the same archives in a dry run, and writes nothing', async () => {
    const opts = options({ maxArchiveBytes: 400_000 });
    const planned = await exportDocuments(s, { ...opts, dryRun: true });
    expect(existsSync(opts.out)).toBe(false);
    const written = await exportDocuments(s, opts);
    expect(planned.archives.map(({ name, documents, size }) => ({ name, documents, size }))).toEqual(
      written.archives.map(({ name, documents, size }) => ({ name, documents, size })),
    );
    expect(planned.archives.every((a) => a.sha256 === null)).toBe(true);
  });

  it('leaves revoked and locked documents out unless asked, and refuses a selection of what it leaves out', async () => {
    const extra = await issue('to-revoke', 'Révoqué Martin');
    const held = await issue('to-lock', 'Verrouillé Martin');
    await revokeIssue(s, fx.admin, extra.code, 'erreur de saisie');
    await setLocked(s, fx.admin, [held.code], true, 'unpaid');
    const codes = async (o: Partial<ExportOptions>) => {
      const opts = options(o);
      const report = await exportDocuments(s, opts);
      return { report, codes: [...(await readExport(opts.out, report)).documents.keys()] };
    };
    const plain = await codes({});
    expect(plain.report).toMatchObject({ selected: HOSTILE.length + 2, notDelivered: 2, documents: HOSTILE.length });
    expect(plain.codes).not.toContain(extra.code);
    expect(plain.codes).not.toContain(held.code);
    const all = await codes({ include: { locked: true, revoked: true } });
    expect(all.codes).toEqual(expect.arrayContaining([extra.code, held.code]));
    const revoked = await codes({ selection: { states: ['revoked'] }, include: { revoked: true } });
    expect(revoked.codes).toEqual([extra.code]);
    const e = await domainFailure(() => exportDocuments(s, options({ selection: { states: ['locked'] } })));
    expect(e.code).toBe('EXPORT_STATE_EXCLUDED');
    await revokeIssue(s, fx.admin, held.code, 'cleanup');
  });

  it('refuses a folder that is not empty, and leaves no archive behind when it stops halfway', async () => {
    const out = folder();
    mkdirSync(out);
    writeFileSync(join(out, 'keep.txt'), 'x');
    expect((await domainFailure(() => exportDocuments(s, options({ out })))).code).toBe('EXPORT_FOLDER_NOT_EMPTY');

    const opts = options({ maxArchiveBytes: Math.round((await averageSize()) * 2.5) });
    let n = 0;
    await expect(
      exportDocuments(s, {
        ...opts,
        onIssue: () => {
          if (++n === 8) throw new Error('stopped');
        },
      }),
    ).rejects.toThrow('stopped');
    // What is there is complete: finished archives only, no partial file, no index (the export did not end).
    const left = readdirSync(opts.out);
    expect(left.every((f) => /^attest-export-\d{4}\.zip$/.test(f))).toBe(true);
    for (const f of left) expect((await readZip(join(opts.out, f))).has('manifest.json')).toBe(true);
  });

  it('lists the selection page by page, every issue once', async () => {
    const seen: string[] = [];
    for await (const r of selectedRecords(s, fx.system, fx.tenant, {}, { pageSize: 5 })) seen.push(r.code);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(HOSTILE.length + 2);
  });

  it('reports a corrupted stored document and writes the others', async () => {
    const victim = [...issued.values()].find((i) => i.learnerId === 'cjk')!;
    const damaged = Buffer.from('%PDF-1.7 not the document that was issued');
    if (engine === 'sqlite') writeFileSync(join(`${s.url}.documents`, victim.sha256.slice(0, 2), `${victim.sha256}.pdf`), damaged);
    else await s.storage.db.updateTable('document_bytes').set({ pdf: damaged }).where('sha256', '=', victim.sha256).execute();
    const opts = options();
    const report = await exportDocuments(s, opts);
    expect(report.problems).toEqual([
      expect.objectContaining({ code: victim.code, learnerId: 'cjk', error: 'DOCUMENT_CORRUPT', tenant: fx.tenant.slug }),
    ]);
    const { documents } = await readExport(opts.out, report);
    expect(documents.has(victim.code)).toBe(false);
    expect(documents.size).toBe(HOSTILE.length - 1);
    expect(report.documents).toBe(HOSTILE.length - 1);
  });
});

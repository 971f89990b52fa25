import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../server/cli/main';
import type { ExportReport } from '../../../server/domain/exports';
import { requestDocument, type IssueView } from '../../../server/domain/issues';
import { readZip } from '../../support/zip';
import {
  ENGINES,
  freshServices,
  learnerData,
  setupTenant,
  useRenderPool,
  type TenantFixture,
  type TestServices,
} from '../../support/storage';

const pool = useRenderPool(1);
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

async function attest(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => void (out += s), err: (s) => void (err += s) });
  return { code, out, err };
}

describe.each(ENGINES)('attest export (%s)', (engine) => {
  let s: TestServices;
  let fx: TenantFixture;
  const docs: IssueView[] = [];
  const out = () => join(mkdtempSync(join(tmpdir(), 'attest-cli-export-')), 'out');
  const exportArgs = (...more: string[]) => ['export', '--tenant', fx.tenant.slug, '--database', s.url, ...more];

  beforeAll(async () => {
    s = await freshServices(engine, { pool: pool() });
    fx = await setupTenant(s);
    for (const [id, name] of [
      ['1', 'Camille Martin'],
      ['2', 'Jean/Luc Picard'],
      ['3', 'Jean\\Luc Picard'],
    ]) {
      const base = learnerData();
      const data = { ...base, learner: { ...(base.learner as Record<string, unknown>), fullname: name } };
      docs.push((await requestDocument(s, fx.lms, { certificateId: fx.certificate.id, learnerId: id!, data, available: true })).issue);
    }
  });

  it('says how to use it, with examples', async () => {
    const help = await attest('export', '--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('--max-archive-size');
    expect(help.out).toContain('--include-locked');
    expect(help.out).toMatch(/Examples:\n {2}\$ attest export --tenant/);
  });

  it('writes the archives and the index, and --json reports them', async () => {
    const dir = out();
    const r = await attest(...exportArgs('--out', dir, '--json'));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as ExportReport;
    expect(report).toMatchObject({ documents: 3, selected: 3, problems: [], dryRun: false, tenants: [fx.tenant.slug] });
    expect(readdirSync(dir).sort()).toEqual(['attest-export-0001.zip', 'index.csv', 'index.json']);
    const entries = await readZip(join(dir, 'attest-export-0001.zip'));
    const pdfs = [...entries.keys()].filter((k) => k.endsWith('.pdf'));
    expect(pdfs).toHaveLength(3);
    expect(pdfs.map((p) => sha(entries.get(p)!)).sort()).toEqual(docs.map((d) => d.sha256).sort());
    expect(JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'))).toMatchObject({ documents: 3, archives: report.archives });

    const text = await attest(...exportArgs('--out', out()));
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^wrote 3 documents in 1 archive to .*\n {2}attest-export-0001\.zip {2}3 documents/);
  });

  it('exports every tenant with --all-tenants, each in its own folder, and records it in each audit trail', async () => {
    const other = await setupTenant(s);
    await requestDocument(s, other.lms, { certificateId: other.certificate.id, learnerId: '1', data: learnerData(), available: true });
    const dir = out();
    const r = await attest('export', '--all-tenants', '--database', s.url, '--out', dir, '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as ExportReport;
    expect(report.tenants.sort()).toEqual([fx.tenant.slug, other.tenant.slug].sort());
    const entries = await readZip(join(dir, 'attest-export-0001.zip'));
    const folders = new Set([...entries.keys()].filter((k) => k.endsWith('.pdf')).map((k) => k.split('/')[0]));
    expect([...folders].sort()).toEqual([fx.tenant.slug, other.tenant.slug].sort());
    const audit = await s.storage.db
      .selectFrom('audit')
      .select(['tenant_id', 'details'])
      .where('action', '=', 'exported')
      .where('tenant_id', '=', other.tenant.id)
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.details!)).toMatchObject({ documents: 1, archives: ['attest-export-0001.zip'] });
  });

  it('splits by --max-archive-size, warning about a document larger than the limit', async () => {
    const dir = out();
    const r = await attest(...exportArgs('--out', dir, '--max-archive-size', '1KB'));
    expect(r.code).toBe(0);
    expect(r.err.match(/warning EXPORT_DOCUMENT_OVER_LIMIT/g)).toHaveLength(3);
    expect(readdirSync(dir).filter((f) => f.endsWith('.zip'))).toHaveLength(3);
  });

  it('writes no file with --dry-run', async () => {
    const dir = out();
    const r = await attest(...exportArgs('--out', dir, '--dry-run'));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^would write 3 documents in 1 archive/);
    expect(existsSync(dir)).toBe(false);
  });

  it('exits 1 for an unknown tenant, a folder that is not empty or a state it leaves out; 2 for a wrong command line', async () => {
    const unknown = await attest('export', '--tenant', 'nowhere', '--database', s.url, '--out', out());
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('no tenant "nowhere"');
    const full = mkdtempSync(join(tmpdir(), 'attest-cli-full-'));
    writeFileSync(join(full, 'x'), '');
    const notEmpty = await attest(...exportArgs('--out', full));
    expect(notEmpty.code).toBe(1);
    expect(notEmpty.err).toContain('EXPORT_FOLDER_NOT_EMPTY');
    const revoked = await attest(...exportArgs('--out', out(), '--state', 'revoked'));
    expect(revoked.code).toBe(1);
    expect(revoked.err).toContain('EXPORT_STATE_EXCLUDED');
    expect((await attest(...exportArgs('--out', out(), '--state', 'lost'))).code).toBe(1);
    expect((await attest(...exportArgs('--out', out(), '--max-archive-size', '12XB'))).code).toBe(2);
    expect((await attest('export', '--database', s.url, '--out', out())).code).toBe(2);
    expect((await attest(...exportArgs())).code).toBe(2);
  });

  it('killed halfway (SIGKILL), leaves only complete archives under their own names', async () => {
    const dir = out();
    // One archive per document: many files written and renamed one after the other.
    const child = spawn('node', ['bin/attest.mjs', ...exportArgs('--out', dir, '--max-archive-size', '1KB')], { stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // Waits, a bounded number of short polls, for the first archive or partial file, then kills at once.
    for (let i = 0; i < 3000 && !(existsSync(dir) && readdirSync(dir).length); i++) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGKILL');
    await exited;
    const left = readdirSync(dir);
    expect(left.length).toBeGreaterThan(0);
    expect(left).not.toContain('index.json');
    for (const f of left) {
      expect(f).toMatch(/^attest-export-\d{4}\.zip(\.partial)?$|^index\.csv\.partial$/);
      if (!f.endsWith('.zip')) continue;
      const entries = await readZip(join(dir, f));
      const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8')) as { documents: { file: string; sha256: string }[] };
      for (const d of manifest.documents) expect(sha(entries.get(d.file)!)).toBe(d.sha256);
    }
  });

  it('reports a corrupted stored document, writes the others and exits 4', async () => {
    const victim = docs[1]!;
    const damaged = Buffer.from('%PDF-1.7 damaged');
    if (engine === 'sqlite') writeFileSync(join(`${s.url}.documents`, victim.sha256.slice(0, 2), `${victim.sha256}.pdf`), damaged);
    else await s.storage.db.updateTable('document_bytes').set({ pdf: damaged }).where('sha256', '=', victim.sha256).execute();
    const dir = out();
    const r = await attest(...exportArgs('--out', dir, '--json'));
    expect(r.code).toBe(4);
    expect(r.err).toContain(`error DOCUMENT_CORRUPT: ${fx.tenant.slug} ${victim.code}`);
    const report = JSON.parse(r.out) as ExportReport;
    expect(report.problems).toEqual([expect.objectContaining({ code: victim.code, error: 'DOCUMENT_CORRUPT' })]);
    const entries = await readZip(join(dir, 'attest-export-0001.zip'));
    expect([...entries.keys()].filter((k) => k.endsWith('.pdf'))).toHaveLength(2);
    expect([...entries.keys()].some((k) => k.includes(victim.code))).toBe(false);
  });
});

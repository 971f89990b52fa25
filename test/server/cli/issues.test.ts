import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { main } from '../../../server/cli/main';
import { ISSUE_COLUMNS } from '../../../server/cli/commands/issues';
import type { IssueRecord } from '../../../server/domain/exports';
import { requestDocument } from '../../../server/domain/issues';
import type { IssueTable } from '../../../server/storage/schema';
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

async function attest(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => void (out += s), err: (s) => void (err += s) });
  return { code, out, err };
}

type Row = Record<(typeof ISSUE_COLUMNS)[number], string>;
const parseCsv = (text: string | Buffer) => parse<Row>(text, { columns: true, bom: true });

/** Names a spreadsheet would run as formulas or a terminal would obey (a name is read trimmed: "\t=1" is "=1"). */
const NAMES = ['=1+1', '+SUM(A1:A9)', '-2+3', '@SUM(A1)', '\t=1', 'Ada \u001b[31mred\u001b[0m Lovelace', 'Émile Zola'];

/** Issues written straight into the table (no PDF): what listing and CSV read, in the numbers an installation has. */
async function bulkIssues(s: TestServices, fx: TenantFixture, n: number, prefix: string): Promise<void> {
  const at = '2026-03-10T09:00:00.000Z';
  for (let start = 0; start < n; start += 500) {
    const rows: IssueTable[] = [];
    for (let i = start; i < Math.min(n, start + 500); i++)
      rows.push({
        id: `${prefix}-${String(i).padStart(7, '0')}`,
        tenant_id: fx.tenant.id,
        certificate_id: fx.certificate.id,
        learner_id: `learner-${i}`,
        code: `${prefix}-${String(i).padStart(7, '0')}`,
        state: i % 10 === 0 ? 'revoked' : 'issued',
        locked: 0,
        issued_on: '2026-03-10',
        achieved_on: null,
        expires_on: null,
        data: JSON.stringify({ learner: { fullname: NAMES[i % NAMES.length] } }),
        template_version_id: fx.version.id,
        revision: 1,
        pdf_sha256: 'f'.repeat(64),
        created_at: at,
        rendered_at: at,
        first_delivered_at: null,
        first_delivery_channel: null,
        revoked_at: i % 10 === 0 ? at : null,
        revoked_reason: i % 10 === 0 ? 'test' : null,
      });
    await s.storage.db.insertInto('issues').values(rows).execute();
  }
}

describe.each(ENGINES)('attest issues (%s)', (engine) => {
  let s: TestServices;
  let fx: TenantFixture;
  let bulk: TenantFixture;
  const BULK = 1_234;
  const dir = mkdtempSync(join(tmpdir(), 'attest-cli-issues-'));
  const db = () => ['--database', s.url];

  beforeAll(async () => {
    s = await freshServices(engine, { pool: pool() });
    fx = await setupTenant(s);
    bulk = await setupTenant(s);
    const base = learnerData();
    for (const [id, name] of [
      ['1', '=HYPERLINK("https://evil.example","x")'],
      ['2', 'Camille Martin'],
    ]) {
      const data = { ...base, learner: { ...(base.learner as Record<string, unknown>), fullname: name } };
      await requestDocument(s, fx.lms, { certificateId: fx.certificate.id, learnerId: id!, data, available: true });
    }
    await bulkIssues(s, bulk, BULK, `B${engine[0]}`);
  });

  it('says how to use them, with examples', async () => {
    for (const sub of ['list', 'export']) {
      const help = await attest('issues', sub, '--help');
      expect(help.code).toBe(0);
      expect(help.out).toMatch(new RegExp(`Examples:\\n {2}\\$ attest issues ${sub} --tenant`));
      expect(help.out).toContain('--learner <id>');
    }
  });

  it('lists every issue of the selection, page after page, as a table or JSON', async () => {
    const table = await attest('issues', 'list', '--tenant', fx.tenant.slug, ...db());
    expect(table.code).toBe(0);
    const lines = table.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^CODE\s+TENANT\s+STATE\s+LOCKED\s+ISSUED\s+REV\s+CERTIFICATE\s+LEARNER ID\s+LEARNER$/);
    expect(lines).toHaveLength(3);
    expect(table.out).toContain('Camille Martin');
    expect(table.err).toBe('2 issues\n');

    const json = await attest('issues', 'list', '--tenant', bulk.tenant.slug, '--json', ...db());
    expect(json.code).toBe(0);
    const records = JSON.parse(json.out) as IssueRecord[];
    expect(records).toHaveLength(BULK);
    expect(new Set(records.map((r) => r.code)).size).toBe(BULK);
    expect(records.filter((r) => r.state === 'revoked')).toHaveLength(Math.ceil(BULK / 10));
    // Nothing a learner's name holds reaches the terminal as an escape sequence.
    const bulkTable = await attest('issues', 'list', '--tenant', bulk.tenant.slug, ...db());
    expect(bulkTable.out.split('\n').filter(Boolean)).toHaveLength(BULK + 1);
    expect(bulkTable.out).not.toContain('\u001b');

    const revoked = await attest('issues', 'list', '--tenant', bulk.tenant.slug, '--state', 'revoked', '--limit', '5', '--json', ...db());
    expect((JSON.parse(revoked.out) as IssueRecord[]).map((r) => r.state)).toEqual(Array(5).fill('revoked'));
    const both = await attest('issues', 'list', '--all-tenants', '--json', ...db());
    expect(JSON.parse(both.out)).toHaveLength(BULK + 2);
    expect(JSON.parse((await attest('issues', 'list', '--tenant', fx.tenant.slug, '--learner', 'nobody', '--json', ...db())).out)).toEqual(
      [],
    );
  });

  it('writes CSV that parses back, with formulas written as text', async () => {
    const file = join(dir, `issues-${engine}.csv`);
    const r = await attest('issues', 'export', '--tenant', fx.tenant.slug, '--tenant', bulk.tenant.slug, '--csv', file, ...db());
    expect(r.code).toBe(0);
    expect(r.err).toContain(`${BULK + 2} rows written`);
    const text = readFileSync(file);
    expect(text.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const rows = parseCsv(text);
    expect(Object.keys(rows[0]!)).toEqual([...ISSUE_COLUMNS]);
    expect(rows).toHaveLength(BULK + 2);
    const names = new Set(rows.map((row) => row.learner_name));
    for (const guarded of ['\'=HYPERLINK("https://evil.example","x")', "'=1+1", "'+SUM(A1:A9)", "'-2+3", "'@SUM(A1)", "'=1"])
      expect(names).toContain(guarded);
    expect(names).toContain('Émile Zola');
    for (const row of rows) expect(row.learner_name).not.toMatch(/^[=+\-@\t\r]/);
    const camille = rows.find((row) => row.learner_name === 'Camille Martin')!;
    expect(camille).toMatchObject({ tenant: fx.tenant.slug, state: 'issued', locked: 'false', revision: '1', template_version: '1' });
    expect(camille.sha256).toMatch(/^[0-9a-f]{64}$/);

    const stdout = await attest('issues', 'export', '--tenant', fx.tenant.slug, '--csv', '-', ...db());
    expect(stdout.code).toBe(0);
    expect(parseCsv(stdout.out)).toHaveLength(2);
  });

  it('writes nothing with --dry-run, and exits 1 for an unknown tenant', async () => {
    const file = join(dir, 'never.csv');
    const r = await attest('issues', 'export', '--tenant', bulk.tenant.slug, '--csv', file, '--dry-run', ...db());
    expect(r.code).toBe(0);
    expect(r.err).toContain(`would write ${BULK} rows`);
    expect(existsSync(file)).toBe(false);
    for (const argv of [
      ['issues', 'list', '--tenant', 'nowhere'],
      ['issues', 'export', '--tenant', 'nowhere', '--csv', file],
    ]) {
      const u = await attest(...argv, ...db());
      expect(u.code).toBe(1);
      expect(u.err).toContain('no tenant "nowhere"');
    }
    expect((await attest('issues', 'list', '--tenant', bulk.tenant.slug, '--limit', 'x', ...db())).code).toBe(2);
    expect((await attest('issues', 'export', '--tenant', bulk.tenant.slug, ...db())).code).toBe(2);
  });

  it('streams 100,000 rows to CSV', async () => {
    const n = engine === 'sqlite' ? 100_000 : 20_000;
    const big = await setupTenant(s);
    await bulkIssues(s, big, n, `C${engine[0]}`);
    const file = join(dir, `big-${engine}.csv`);
    const started = performance.now();
    const r = await attest('issues', 'export', '--tenant', big.tenant.slug, '--csv', file, ...db());
    const seconds = (performance.now() - started) / 1000;
    expect(r.code).toBe(0);
    const rows = parseCsv(readFileSync(file));
    expect(rows).toHaveLength(n);
    expect(new Set(rows.map((row) => row.code)).size).toBe(n);
    console.info(`issues export --csv: ${n} rows on ${engine} in ${seconds.toFixed(1)} s`);
  }, 180_000);
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { attest } from './attest';
import { ENGINES, freshServices, setupTenant, useRenderPool, type TenantFixture, type TestServices } from '../../support/storage';

/** `attest issue --csv`: the dry run, then `--confirm`, the work done by the command's own queue workers. */
const pool = useRenderPool(1);

describe.each(ENGINES)('attest issue (%s)', (engine) => {
  let s: TestServices;
  let fx: TenantFixture;
  const dir = mkdtempSync(join(tmpdir(), 'attest-issue-'));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const maps = [
    '--map',
    'Prénom=learner.firstname',
    '--map',
    'Nom=learner.lastname',
    '--map',
    'Terminé=completion.completed',
    '--map',
    'Date=completion.date',
    '--map',
    'Cours=course.fullname',
  ];

  beforeAll(async () => {
    s = await freshServices(engine, { pool: pool() });
    fx = await setupTenant(s);
  }, 60_000);

  it('dry-runs a file, then issues exactly what it said with --confirm', async () => {
    const csv = file('ok.csv', 'id;Prénom;Nom;Cours;Terminé;Date\r\nc1;Zoé;Durand;SST;1;2026-02-03\r\nc2;Pas;Fini;SST;0;\r\n');
    const base = ['--database', s.url, '--tenant', fx.tenant.slug];
    const dry = await attest('issue', ...base, '--certificate', fx.certificate.id, '--csv', csv, ...maps, '--json');
    expect(dry.code, JSON.stringify(dry.err)).toBe(0);
    const run = JSON.parse(dry.out) as { id: string; fingerprint: string; counts: Record<string, number> };
    expect(run.counts).toMatchObject({ total: 2, wouldIssue: 1, refused: 1 });
    const text = await attest('issue', ...base, '--certificate', fx.certificate.id, '--csv', csv, ...maps);
    expect(text.out).toContain('1 to issue, 0 already issued, 1 refused');
    expect(text.out).toContain('row 3 c2: refused (COURSE_NOT_COMPLETED)');

    const done = await attest('issue', ...base, '--confirm', run.id, '--fingerprint', run.fingerprint, '--workers', '1', '--json');
    expect(done.code, done.err).toBe(0);
    const after = JSON.parse(done.out) as { state: string; progress: Record<string, number> };
    expect(after.state).toBe('complete');
    expect(after.progress).toMatchObject({ toIssue: 1, issued: 1, failed: 0 });
    const issued = await s.storage.db.selectFrom('issues').select('learner_id').where('learner_id', 'in', ['c1', 'c2']).execute();
    expect(issued.map((r) => r.learner_id)).toEqual(['c1']);
  });

  it('says every bad cell and exits 1; refuses a confirm without its fingerprint', async () => {
    const csv = file('bad.csv', 'id,Prénom,Nom,Cours,Terminé,Date\nx1,A,B,SST,peut-être,hier\n');
    const r = await attest(
      'issue',
      '--database',
      s.url,
      '--tenant',
      fx.tenant.slug,
      '--certificate',
      fx.certificate.id,
      '--csv',
      csv,
      ...maps,
    );
    expect(r.code).toBe(1);
    expect(r.err).toContain('BULK_CSV_INVALID');
    expect(r.err).toContain('rows[2]["Terminé"]: BIND_TYPE');
    expect(r.err).toContain('rows[2]["Date"]: BIND_FORMAT');
    const usage = await attest('issue', '--database', s.url, '--tenant', fx.tenant.slug, '--confirm', 'x');
    expect(usage.code).toBe(2);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { bulkRunFinished, confirmBulk, dryRunBulk, dryRunCsv, getBulkRun, type BulkRunView } from '../../../server/domain/bulk-issue';
import { DEFAULT_ROLES } from '../../../server/domain/capabilities';
import { updateCertificate } from '../../../server/domain/certificates';
import { requestDocument } from '../../../server/domain/issues';
import { openQueue, type JobQueue } from '../../../server/jobs/queue';
import { workQueue } from '../../../server/jobs/workers';
import type { CsvUpload } from '../../../server/domain/bulk-csv';
import { grantBulkIssue } from '../../../server/storage/migrations/012-bulk-issue';
import type { Kysely } from 'kysely';
import {
  actorWith,
  domainFailure,
  ENGINES,
  freshServices,
  learnerData,
  setupTenant,
  useRenderPool,
  type TenantFixture,
  type TestServices,
} from '../../support/storage';

const pool = useRenderPool(2);

/** Works the queue until the run is finished (the loop ends when the run does). */
async function finish(s: TestServices, queue: JobQueue, runId: string): Promise<void> {
  await workQueue(s, queue, { idleMs: 10, recoverEvery: 5, until: () => bulkRunFinished(s, runId) });
}

const named = (firstname: string, lastname: string, extra: Record<string, unknown> = {}) => {
  const data = learnerData();
  data.learner = { ...(data.learner as object), firstname, lastname, fullname: `${firstname} ${lastname}` };
  return { ...data, ...extra };
};

const csvUpload = (text: string | Uint8Array, more: Partial<CsvUpload> = {}): CsvUpload => ({
  bytes: typeof text === 'string' ? new TextEncoder().encode(text) : text,
  learnerIdColumn: 'id',
  mapping: {
    Prénom: 'learner.firstname',
    Nom: 'learner.lastname',
    Cours: 'course.fullname',
    Terminé: 'completion.completed',
    Date: 'completion.date',
  },
  available: true,
  ...more,
});

describe.each(ENGINES)('bulk issue (%s)', (engine) => {
  let s: TestServices;
  let fx: TenantFixture;
  let other: TenantFixture;
  let queue: JobQueue;
  const count = async (table: 'issues' | 'bulk_runs' | 'refusals') =>
    Number(
      (
        await s.storage.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    process.env.ATTEST_BULK_CHUNK = '2';
    s = await freshServices(engine, { pool: pool() });
    fx = await setupTenant(s);
    other = await setupTenant(s);
    queue = await openQueue(s);
    await requestDocument(s, fx.lms, { certificateId: fx.certificate.id, learnerId: 'had', data: learnerData(), available: true });
  }, 60_000);

  let dry: BulkRunView;

  it('a dry run says who would get what, who has one, who is refused and why, whose data does not fit; and writes nothing else', async () => {
    const [issues, refusals] = [await count('issues'), await count('refusals')];
    dry = await dryRunBulk(s, fx.admin, fx.certificate.id, [
      { learnerId: 'had', data: learnerData(), available: true },
      { learnerId: 'b1', data: named('Aïcha', 'Benali'), available: true },
      { learnerId: 'b2', data: named('Jean', 'Refusé', { completion: { completed: false } }), available: true },
      {
        learnerId: 'b3',
        data: named('Paul', 'Faux', { completion: { completed: true, date: 'hier' }, grade: { value: 'beaucoup' } }),
        available: true,
      },
      { learnerId: 'b4', data: named('<b>{{ 7*7 }}</b>', 'Literal'), available: true },
      { learnerId: 'b5', data: named('Zoé', 'Fermée'), available: false, unavailableReason: 'Groupe clos' },
      { learnerId: 'b1', data: named('Aïcha', 'Benali'), available: true },
    ]);
    expect(dry.state).toBe('dry-run');
    expect(dry.items.map((i) => [i.learnerId, i.expected])).toEqual([
      ['had', 'already'],
      ['b1', 'issue'],
      ['b2', 'refused'],
      ['b3', 'invalid'],
      ['b4', 'issue'],
      ['b5', 'refused'],
      ['b1', 'invalid'],
    ]);
    expect(dry.counts).toEqual({ total: 7, wouldIssue: 2, already: 1, refused: 2, invalid: 2 });
    expect(dry.items[0]!.code).toMatch(/^[0-9A-Z-]+$/);
    expect(dry.items[2]!.reasons?.map((r) => r.code)).toEqual(['COURSE_NOT_COMPLETED']);
    expect(dry.items[5]!.reasons?.map((r) => r.code)).toEqual(['NOT_AVAILABLE']);
    expect(dry.items[5]!.reasons?.[0]?.message).toContain('Groupe clos');
    const problems = dry.items[3]!.problems!.map((p) => [p.path, p.code]);
    expect(problems).toEqual(
      expect.arrayContaining([
        ['data.completion.date', 'BIND_FORMAT'],
        ['data.grade.value', 'BIND_TYPE'],
      ]),
    );
    expect(dry.items[6]!.problems?.[0]?.code).toBe('DUPLICATE_LEARNER');
    expect(await count('issues')).toBe(issues);
    expect(await count('refusals')).toBe(refusals);
  });

  it('confirming needs the dry run’s fingerprint, issues exactly what it promised in the queue, and twice is once', async () => {
    expect((await domainFailure(() => confirmBulk(s, fx.admin, dry.id, 'not-it'))).code).toBe('BULK_FINGERPRINT_MISMATCH');
    const enqueue = (trx: Parameters<NonNullable<Parameters<typeof confirmBulk>[4]>>[0], run: { id: string }, chunks: number[]) =>
      queue.enqueue({ id: run.id, kind: 'bulk-issue' }, chunks, { trx });
    const first = await confirmBulk(s, fx.admin, dry.id, dry.fingerprint, enqueue);
    expect(first.created).toBe(true);
    expect(first.run.state).toBe('running');
    expect(first.run.progress).toMatchObject({ toIssue: 2, pending: 2, done: 0 });
    const again = await confirmBulk(s, fx.admin, dry.id, dry.fingerprint, enqueue);
    expect(again.created).toBe(false);
    await finish(s, queue, dry.id);
    const done = await getBulkRun(s, fx.admin, dry.id);
    expect(done.state).toBe('complete');
    expect(done.progress).toEqual({ toIssue: 2, pending: 0, done: 2, issued: 2, already: 0, refused: 0, invalid: 0, failed: 0 });
    expect(done.items.filter((i) => i.status === 'issued').map((i) => i.learnerId)).toEqual(['b1', 'b4']);
    expect(done.items.every((i) => !i.changed)).toBe(true);
    const rows = await s.storage.db
      .selectFrom('issues')
      .select(['learner_id', 'code'])
      .where('learner_id', 'in', ['b1', 'b4', 'b2', 'b3'])
      .execute();
    expect(rows.map((r) => r.learner_id).sort()).toEqual(['b1', 'b4']);
    expect(rows.find((r) => r.learner_id === 'b1')?.code).toBe(done.items[1]!.code);
    // What was sent for the learners is not kept once they are issued.
    const payloads = await s.storage.db.selectFrom('bulk_items').select('payload').where('run_id', '=', dry.id).execute();
    expect(payloads.every((p) => p.payload === null)).toBe(true);
    // Confirmed again after the end: the same run, nothing more.
    const late = await confirmBulk(s, fx.admin, dry.id, dry.fingerprint, enqueue);
    expect(late.created).toBe(false);
    expect(await s.storage.db.selectFrom('issues').select('id').where('learner_id', '=', 'b1').execute()).toHaveLength(1);
  });

  it('says what changed: a document made between dry run and run is the same code, marked changed', async () => {
    const run = await dryRunBulk(s, fx.admin, fx.certificate.id, [{ learnerId: 'c1', data: learnerData(), available: true }]);
    const meanwhile = await requestDocument(s, fx.lms, {
      certificateId: fx.certificate.id,
      learnerId: 'c1',
      data: learnerData(),
      available: true,
    });
    s.clock.advance(1000);
    await confirmBulk(s, fx.admin, run.id, run.fingerprint, (trx, r, chunks) =>
      queue.enqueue({ id: r.id, kind: 'bulk-issue' }, chunks, { trx }),
    );
    await finish(s, queue, run.id);
    const item = (await getBulkRun(s, fx.admin, run.id)).items[0]!;
    expect(item).toMatchObject({ expected: 'issue', status: 'already', changed: true, code: meanwhile.issue.code });
  });

  it('refuses a confirm when the certificate changed since the dry run, or the dry run is a day old', async () => {
    const run = await dryRunBulk(s, fx.admin, fx.certificate.id, [{ learnerId: 'd1', data: learnerData(), available: true }]);
    await updateCertificate(s, fx.system, fx.certificate.id, { name: 'SST (2)' });
    const changed = await domainFailure(() => confirmBulk(s, fx.admin, run.id, run.fingerprint));
    expect(changed.code).toBe('BULK_CHANGED');
    expect(changed.extra.details?.parts).toEqual(['certificate']);
    const old = await dryRunBulk(s, fx.admin, fx.certificate.id, [{ learnerId: 'd2', data: learnerData(), available: true }]);
    s.clock.advance(25 * 3600_000);
    expect((await domainFailure(() => confirmBulk(s, fx.admin, old.id, old.fingerprint))).code).toBe('BULK_DRY_RUN_EXPIRED');
    // The next dry run deletes dry runs a day old, with what they held.
    await dryRunBulk(s, fx.admin, fx.certificate.id, [{ learnerId: 'd3', data: learnerData(), available: true }]);
    expect((await domainFailure(() => getBulkRun(s, fx.admin, old.id))).code).toBe('BULK_RUN_NOT_FOUND');
  });

  it('is not a learner’s, nor another tenant’s', async () => {
    const learner = actorWith(fx.tenant.id, DEFAULT_ROLES.learner!);
    const me = [{ learnerId: 'me', data: learnerData(), available: true }];
    expect((await domainFailure(() => dryRunBulk(s, learner, fx.certificate.id, me))).code).toBe('CAPABILITY_REQUIRED');
    // An LMS token without issues:bulk neither.
    expect((await domainFailure(() => dryRunBulk(s, fx.lms, fx.certificate.id, me))).code).toBe('CAPABILITY_REQUIRED');
    expect((await domainFailure(() => dryRunBulk(s, other.admin, fx.certificate.id, me))).code).toBe('CERTIFICATE_NOT_FOUND');
    expect((await domainFailure(() => getBulkRun(s, other.admin, dry.id))).code).toBe('BULK_RUN_NOT_FOUND');
    expect((await domainFailure(() => confirmBulk(s, other.admin, dry.id, dry.fingerprint))).code).toBe('BULK_RUN_NOT_FOUND');
    expect(DEFAULT_ROLES.manager).toContain('issues:bulk');
  });

  it('migration 012 gives issues:bulk to the admin and manager roles of existing tenants, to no other', async () => {
    const db = s.storage.db;
    const roles = await db.selectFrom('roles').select(['id', 'name', 'capabilities']).where('tenant_id', '=', fx.tenant.id).execute();
    for (const r of roles) {
      const without = (JSON.parse(r.capabilities) as string[]).filter((c) => c !== 'issues:bulk');
      await db
        .updateTable('roles')
        .set({ capabilities: JSON.stringify(without) })
        .where('id', '=', r.id)
        .execute();
    }
    await grantBulkIssue(db as unknown as Kysely<unknown>);
    const after = await db.selectFrom('roles').select(['name', 'capabilities']).where('tenant_id', '=', fx.tenant.id).execute();
    const holding = after.filter((r) => (JSON.parse(r.capabilities) as string[]).includes('issues:bulk')).map((r) => r.name);
    expect(holding.sort()).toEqual(['admin', 'manager']);
  });

  describe('from a CSV file', () => {
    it('reads BOM, `;`, quotes, CRLF and UTF-8 names; a formula-like cell is text, said once', async () => {
      const text =
        '\uFEFFid;Prénom;Nom;Cours;Terminé;Date\r\n' +
        'e1;فاطمة;الزهراء;"SST; initiale";1;2026-02-03\r\n' +
        'e2;"Yūki ""Yu""";山田;SST;true;2026-02-03\r\n' +
        "e3;=cmd|' /C calc'!A0;Dupont;SST;1;2026-02-03\r\n";
      const run = await dryRunCsv(s, fx.admin, fx.certificate.id, csvUpload(text));
      expect(run.source).toBe('csv');
      expect(run.items.map((i) => [i.row, i.learnerId, i.expected])).toEqual([
        [2, 'e1', 'issue'],
        [3, 'e2', 'issue'],
        [4, 'e3', 'issue'],
      ]);
      expect(run.items[2]!.warnings).toEqual([expect.objectContaining({ code: 'CSV_FORMULA_LIKE', path: 'rows[4]["Prénom"]' })]);
      const payload = await s.storage.db
        .selectFrom('bulk_items')
        .select('payload')
        .where('run_id', '=', run.id)
        .orderBy('position')
        .execute();
      const data = payload.map(
        (p) => (JSON.parse(p.payload!) as { data: { learner: { firstname: string }; course: { fullname: string } } }).data,
      );
      expect(data.map((d) => d.learner.firstname)).toEqual(['فاطمة', 'Yūki "Yu"', "=cmd|' /C calc'!A0"]);
      expect(data[0]!.course.fullname).toBe('SST; initiale');
    });

    it('lists every bad cell with its row and column, and keeps nothing', async () => {
      const runs = await count('bulk_runs');
      const text =
        'id,Prénom,Nom,Cours,Terminé,Date\n' +
        'f1,Anne,Bon,SST,1,2026-02-03\n' +
        'f2,Marc,Mal,SST,peut-être,03/02/2026\n' +
        ',Sans,Id,SST,1,2026-02-03\n' +
        'f4,Trop,De,SST,1,2026-02-03,extra\n';
      const e = await domainFailure(() => dryRunCsv(s, fx.admin, fx.certificate.id, csvUpload(text)));
      expect(e.code).toBe('BULK_CSV_INVALID');
      const cells = (e.extra.details?.cells as { row: number; column: string | null; code: string }[]).map((c) => [
        c.row,
        c.column,
        c.code,
      ]);
      expect(cells).toEqual(
        expect.arrayContaining([
          [3, 'Terminé', 'BIND_TYPE'],
          [3, 'Date', 'BIND_FORMAT'],
          [4, 'id', 'CSV_LEARNER_ID_MISSING'],
          [5, null, 'CSV_ROW_WIDTH'],
        ]),
      );
      expect(cells.some((c) => c[0] === 2)).toBe(false);
      expect(e.extra.problems?.map((p) => p.path)).toContain('rows[3]["Date"]');
      expect(await count('bulk_runs')).toBe(runs);
    });

    it('refuses a mapping to columns or variables that do not exist, or that the server fills', async () => {
      const e = await domainFailure(() =>
        dryRunCsv(
          s,
          fx.admin,
          fx.certificate.id,
          csvUpload('id,Nom\nx,Y\n', { mapping: { Nom: 'learner.lastnam', Absent: 'learner.firstname', id: 'certificate.code' } }),
        ),
      );
      expect(e.code).toBe('BULK_MAPPING_INVALID');
      expect(e.extra.problems?.map((p) => [p.path, p.code])).toEqual([
        ['mapping["Nom"]', 'MAPPING_UNKNOWN_VARIABLE'],
        ['mapping["Absent"]', 'MAPPING_UNKNOWN_COLUMN'],
        ['mapping["id"]', 'MAPPING_SERVER_FIELD'],
      ]);
    });

    it('refuses a file not in UTF-8, one over the byte limit, one with too many rows', async () => {
      const latin1 = Uint8Array.from([...Buffer.from('id,Prénom\n'.replace('é', '')), ...Buffer.from('x,Ren'), 0xe9, 0x0a]);
      const e = await domainFailure(() =>
        dryRunCsv(s, fx.admin, fx.certificate.id, csvUpload(latin1, { mapping: { Prnom: 'learner.firstname' } })),
      );
      expect(e.code).toBe('BULK_CSV_NOT_UTF8');
      expect(e.extra.details?.line).toBe(2);
      const rows = 'id,Nom\n' + Array.from({ length: 5001 }, (_, i) => `r${i},N`).join('\n');
      const many = await domainFailure(() =>
        dryRunCsv(s, fx.admin, fx.certificate.id, csvUpload(rows, { mapping: { Nom: 'learner.lastname' } })),
      );
      expect(many.code).toBe('BULK_TOO_MANY_ROWS');
      expect(many.kind).toBe('too-large');
      const big = await domainFailure(() => dryRunCsv(s, fx.admin, fx.certificate.id, csvUpload('id,Nom\n' + 'x'.repeat(1_000_001))));
      expect(big.code).toBe('BULK_CSV_TOO_LARGE');
    });
  });
});

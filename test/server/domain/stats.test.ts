import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCertificate } from '../../../server/domain/certificates';
import { requestDocument, retrieveDocument, setLocked } from '../../../server/domain/issues';
import { deliveryStats } from '../../../server/domain/stats';
import { openStorage } from '../../../server/storage/database';
import { checkUploadedDocument, verifyCode } from '../../../server/domain/verification';
import {
  ENGINES,
  actorWith,
  domainFailure,
  freshServices,
  learnerData,
  setupTenant,
  useRenderPool,
  type TenantFixture,
  type TestServices,
} from '../../support/storage';

const pool = useRenderPool(1);

/**
 * The dashboard's numbers, on both engines, from real issues, refusals, deliveries and public checks
 * moved through a test clock: weeks start on Monday (UTC), the range's ends are days included.
 */
describe.each(ENGINES)('the delivery dashboard (%s)', (engine) => {
  let s: TestServices;
  let fx: TenantFixture;
  let strict: string;
  let first: string;
  let second: string;

  const request = (learnerId: string, certificateId: string, available = true, data = learnerData()) =>
    requestDocument(s, fx.lms, { certificateId, learnerId, data, available });

  beforeAll(async () => {
    s = await freshServices(engine, { pool: pool() });
    fx = await setupTenant(s, { settings: { delivery_lock: true } });
    strict = (
      await createCertificate(s, fx.system, {
        name: 'Habilitation électrique',
        templateVersionId: fx.version.id,
        courseId: 'course-2',
        settings: { min_grade_percent: 90, window_end: '2026-01-31' },
      })
    ).id;

    // Week of Monday 9 March: one document (locked by the tenant), checked twice; two refusals.
    s.clock.set('2026-03-10T09:00:00.000Z');
    first = (await request('l-1', fx.certificate.id)).issue.code;
    await verifyCode(s, first);
    await verifyCode(s, first);
    await domainFailure(() => request('l-2', strict));
    await domainFailure(() => request('l-3', fx.certificate.id, false));

    // Week of Monday 16 March: one more document, unlocked and delivered, checked once by uploading it.
    s.clock.set('2026-03-17T10:00:00.000Z');
    second = (await request('l-4', fx.certificate.id)).issue.code;
    await setLocked(s, fx.admin, [second], false, 'paid');
    const { pdf } = await retrieveDocument(s, fx.admin, second, 'api');
    s.clock.set('2026-03-18T10:00:00.000Z');
    await checkUploadedDocument(s, second, pdf);
    await domainFailure(() => request('l-5', strict));
  });

  it('counts issued, delivered, locked and verified per week', async () => {
    const stats = await deliveryStats(s, fx.admin, { from: '2026-03-09', to: '2026-03-22' });
    expect(stats.from).toBe('2026-03-09');
    expect(stats.to).toBe('2026-03-22');
    expect(stats.weeks).toEqual([
      { week: '2026-03-09', issued: 1, delivered: 0, locked: 1, verified: 2 },
      { week: '2026-03-16', issued: 1, delivered: 1, locked: 1, verified: 1 },
    ]);
    expect(stats.totals).toEqual({ issued: 2, delivered: 1, locked: 2, verified: 3, refused: 3 });
  });

  it('counts refusals by reason and names the certificates that refuse most', async () => {
    const stats = await deliveryStats(s, fx.admin, { from: '2026-03-09', to: '2026-03-22' });
    expect(stats.refusalsByReason).toEqual([
      { code: 'GRADE_TOO_LOW', count: 2 },
      { code: 'WINDOW_CLOSED', count: 2 },
      { code: 'NOT_AVAILABLE', count: 1 },
    ]);
    expect(stats.failingCertificates).toEqual([
      { certificateId: strict, name: 'Habilitation électrique', refusals: 2 },
      { certificateId: fx.certificate.id, name: 'Sauveteur secouriste du travail', refusals: 1 },
    ]);
  });

  it('gives each document’s verification count in the range, most checked first', async () => {
    const all = await deliveryStats(s, fx.admin, { from: '2026-03-09', to: '2026-03-22' });
    expect(all.verifiedDocuments).toEqual([
      { code: first, certificateId: fx.certificate.id, learnerId: 'l-1', verifications: 2 },
      { code: second, certificateId: fx.certificate.id, learnerId: 'l-4', verifications: 1 },
    ]);
    const later = await deliveryStats(s, fx.admin, { from: '2026-03-18', to: '2026-03-18' });
    expect(later.verifiedDocuments.map((d) => d.code)).toEqual([second]);
  });

  it('cuts the first week to the range and leaves out what happened outside it', async () => {
    const stats = await deliveryStats(s, fx.admin, { from: '2026-03-11', to: '2026-03-17' });
    expect(stats.weeks).toEqual([
      { week: '2026-03-11', issued: 0, delivered: 0, locked: 0, verified: 0 },
      { week: '2026-03-16', issued: 1, delivered: 1, locked: 1, verified: 0 },
    ]);
    expect(stats.totals.refused).toBe(0);
  });

  it('covers the twelve weeks up to today by default', async () => {
    s.clock.set('2026-03-18T12:00:00.000Z');
    const stats = await deliveryStats(s, fx.admin, {});
    expect(stats.to).toBe('2026-03-18');
    expect(stats.from).toBe('2025-12-29');
    expect(stats.weeks).toHaveLength(12);
    expect(stats.weeks.at(-1)).toEqual({ week: '2026-03-16', issued: 1, delivered: 1, locked: 1, verified: 1 });
  });

  it('counts concurrent checks of one document without losing any', async () => {
    s.clock.set('2026-04-01T08:00:00.000Z');
    await Promise.all(Array.from({ length: 20 }, () => verifyCode(s, first)));
    const stats = await deliveryStats(s, fx.admin, { from: '2026-04-01', to: '2026-04-01' });
    expect(stats.totals.verified).toBe(20);
  });

  it('adds up the checks counted by several processes, each written at the latest when its storage closes', async () => {
    s.clock.set('2026-04-02T08:00:00.000Z');
    // A second replica on the same database: its checks are counted in its memory until it closes.
    const replica = await openStorage(s.url);
    const other: TestServices = { ...s, storage: replica };
    await Promise.all(Array.from({ length: 7 }, () => verifyCode(other, first)));
    await verifyCode(s, first);
    await replica.close();
    const stats = await deliveryStats(s, fx.admin, { from: '2026-04-02', to: '2026-04-02' });
    expect(stats.totals.verified).toBe(8);
    const rows = await s.storage.db.selectFrom('verification_counts').select(['count']).where('day', '=', '2026-04-02').execute();
    expect(rows.map((r) => Number(r.count))).toEqual([8]);
  });

  it('keeps how many checks, never who checked', async () => {
    const columns =
      engine === 'postgres'
        ? (
            await sql<{
              name: string;
            }>`SELECT column_name AS name FROM information_schema.columns WHERE table_name = 'verification_counts'`.execute(s.storage.db)
          ).rows
        : (await sql<{ name: string }>`SELECT name FROM pragma_table_info('verification_counts')`.execute(s.storage.db)).rows;
    expect(columns.map((c) => c.name).sort()).toEqual(['count', 'day', 'issue_id', 'tenant_id']);
  });

  it('validates the range, listing every problem', async () => {
    const reversed = await domainFailure(() => deliveryStats(s, fx.admin, { from: '2026-03-22', to: '2026-03-09' }));
    expect(reversed.code).toBe('REQUEST_INVALID');
    expect(reversed.extra.problems?.map((p) => [p.path, p.code])).toEqual([['query.to', 'RANGE_REVERSED']]);
    const bad = await domainFailure(() => deliveryStats(s, fx.admin, { from: 'yesterday', to: '2026-02-30', by: 'week' }));
    expect(bad.extra.problems?.map((p) => [p.path, p.code]).sort()).toEqual([
      ['query.by', 'UNRECOGNIZED_KEYS'],
      ['query.from', 'INVALID_FORMAT'],
      ['query.to', 'INVALID_FORMAT'],
    ]);
    const long = await domainFailure(() => deliveryStats(s, fx.admin, { from: '2000-01-01', to: '2026-01-01' }));
    expect(long.extra.problems?.map((p) => p.code)).toEqual(['RANGE_TOO_LONG']);
    const future = await domainFailure(() => deliveryStats(s, fx.admin, { from: '2099-01-01' }));
    expect(future.extra.problems?.map((p) => p.code)).toEqual(['RANGE_REVERSED']);
  });

  it('needs issues:manage, and shows nothing of another tenant', async () => {
    const e = await domainFailure(() => deliveryStats(s, actorWith(fx.tenant.id, ['tenant:manage']), {}));
    expect(e.code).toBe('CAPABILITY_REQUIRED');
    const other = await setupTenant(s);
    const stats = await deliveryStats(s, other.admin, { from: '2026-03-09', to: '2026-04-05' });
    expect(stats.totals).toEqual({ issued: 0, delivered: 0, locked: 0, verified: 0, refused: 0 });
    expect(stats.verifiedDocuments).toEqual([]);
    expect(stats.failingCertificates).toEqual([]);
  });
});

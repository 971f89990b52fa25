import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { requestDocument, retrieveDocument } from '../../../server/domain/issues';
import type { RenderJob, RenderPool } from '../../../server/render/pool';
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
const HOUR = 3_600_000;

describe.each(ENGINES)('the bytes of issued documents (%s)', (engine) => {
  let s: TestServices;
  let fx: TenantFixture;
  const request = (services: TestServices, learnerId: string) =>
    requestDocument(services, fx.lms, { certificateId: fx.certificate.id, learnerId, data: learnerData(), available: true });
  const referenced = async () => new Set((await s.storage.db.selectFrom('documents').select('sha256').execute()).map((r) => r.sha256));
  /** Every PDF the store holds, by SHA-256: files beside SQLite, rows in PostgreSQL. */
  const stored = async (): Promise<string[]> => {
    if (engine === 'postgres') return (await s.storage.db.selectFrom('document_bytes').select('sha256').execute()).map((r) => r.sha256);
    const dir = `${s.url}.documents`;
    return readdirSync(dir).flatMap((folder) =>
      readdirSync(join(dir, folder))
        .filter((f) => f.endsWith('.pdf'))
        .map((f) => f.slice(0, -4)),
    );
  };

  beforeAll(async () => {
    s = await freshServices(engine, { pool: pool() });
    fx = await setupTenant(s);
  });

  it('a document that loses the race for its learner leaves no bytes behind', async () => {
    const kept = await request(s, 'first');
    const winner = await s.storage.db.selectFrom('issues').selectAll().where('code', '=', kept.issue.code).executeTakeFirstOrThrow();
    // Another process records this learner's issue while ours is being rendered.
    const real = s.renderer;
    const racing = Object.assign(Object.create(real) as RenderPool, {
      render: async (job: RenderJob) => {
        await s.storage.db
          .insertInto('issues')
          .values({ ...winner, id: crypto.randomUUID(), learner_id: 'racer', code: 'WINNER-CODE' })
          .execute();
        return real.render(job);
      },
    });
    const answer = await request({ ...s, renderer: racing }, 'racer');
    expect(answer).toMatchObject({ created: false, issue: { code: 'WINNER-CODE' } });
    const refs = await referenced();
    expect((await stored()).filter((sha) => !refs.has(sha))).toEqual([]);
  });

  it('sweeps bytes no document refers to, and keeps recorded and recent ones', async () => {
    const issued = await request(s, 'kept');
    const orphanOld = 'ab'.padEnd(64, '0');
    const orphanNew = 'ab'.padEnd(64, '1');
    if (engine === 'sqlite') {
      const folder = join(`${s.url}.documents`, 'ab');
      mkdirSync(folder, { recursive: true });
      const old = new Date(Date.now() - HOUR);
      for (const name of [`${orphanOld}.pdf`, `${orphanOld}.pdf.3f2a.tmp`]) {
        writeFileSync(join(folder, name), '%PDF-1.7 a learner’s name');
        utimesSync(join(folder, name), old, old);
      }
      writeFileSync(join(folder, `${orphanNew}.pdf`), '%PDF-1.7 being recorded now');
      const { removed } = await s.storage.documents.sweep(s.storage.db, new Date(Date.now() - 10 * 60_000));
      expect(removed).toBe(2);
      expect(existsSync(join(folder, `${orphanOld}.pdf`))).toBe(false);
      expect(existsSync(join(folder, `${orphanOld}.pdf.3f2a.tmp`))).toBe(false);
      // Younger than the grace period: perhaps another process is about to record it.
      expect(existsSync(join(folder, `${orphanNew}.pdf`))).toBe(true);
    } else {
      await s.storage.db
        .insertInto('document_bytes')
        .values({ sha256: orphanOld, pdf: new Uint8Array([37, 80, 68, 70]) })
        .execute();
      const { removed } = await s.storage.documents.sweep(s.storage.db, new Date(Date.now() - 10 * 60_000));
      expect(removed).toBe(1);
      expect(await stored()).not.toContain(orphanOld);
    }
    const refs = await referenced();
    for (const sha of refs) expect(await stored()).toContain(sha);
    const file = await retrieveDocument(s, fx.lms, issued.issue.code, 'api');
    expect(Buffer.from(file.pdf.subarray(0, 5)).toString()).toBe('%PDF-');
  });

  it('leaves every recorded document in place, whatever the grace period', async () => {
    // A grace period ending in the future: every unreferenced byte goes, every referenced one stays.
    await s.storage.documents.sweep(s.storage.db, new Date(Date.now() + HOUR));
    const refs = await referenced();
    expect(refs.size).toBeGreaterThan(0);
    expect(new Set(await stored())).toEqual(refs);
  });
});

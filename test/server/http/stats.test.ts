import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../../server/domain/tokens';
import {
  ENGINES,
  freshServices,
  learnerData,
  setupTenant,
  useRenderPool,
  type TenantFixture,
  type TestServices,
} from '../../support/storage';
import { call, list, startApp, type Running } from '../../support/http';

/**
 * GET /api/v1/stats over HTTP on both engines: the public verification endpoints (JSON, page, page form)
 * each count one check; the range is validated with every problem listed; issues:manage is required;
 * the issue list names the learners.
 */
const pool = useRenderPool(1);

describe.each(ENGINES)('the delivery dashboard over HTTP (%s)', (engine) => {
  let services: TestServices;
  let app: Running;
  let t: TenantFixture;
  let manager: string;
  let code: string;

  beforeAll(async () => {
    services = await freshServices(engine, { pool: pool() });
    app = await startApp(services);
    t = await setupTenant(services);
    manager = (await createToken(services, t.system, { name: 'manager', capabilities: ['issues:manage'] })).token;
    const lms = (
      await createToken(services, t.system, {
        name: 'lms',
        capabilities: ['certificate:view', 'certificate:apply', 'learners:supply-data'],
      })
    ).token;
    services.clock.set('2026-03-10T09:00:00.000Z');
    const issued = await call(app.base, 'POST', `/api/v1/certificates/${t.certificate.id}/issues`, {
      token: lms,
      body: { learner_id: 'L1', available: true, data: learnerData() },
    });
    expect(issued.status).toBe(201);
    code = String(issued.json.issue?.code);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  it('counts each public check once, whichever endpoint made it', async () => {
    expect((await call(app.base, 'GET', `/api/v1/verify/${code}`)).status).toBe(200);
    expect((await call(app.base, 'GET', `/verify/${code}`)).status).toBe(200);
    const form = new FormData();
    form.append('document', new Blob([new Uint8Array([37, 80, 68, 70])], { type: 'application/pdf' }), 'x.pdf');
    const res = await fetch(`${app.base}/verify/${code}/document`, { method: 'POST', body: form });
    expect(res.status).toBe(200);
    // An unknown code counts nothing (there is no document to count it against).
    expect((await call(app.base, 'GET', '/api/v1/verify/AAAA-BBBB-CCCC-DDDD-EEEE')).status).toBe(404);

    const r = await call(app.base, 'GET', '/api/v1/stats?from=2026-03-09&to=2026-03-15', { token: manager });
    expect(r.status).toBe(200);
    expect(list(r.json.weeks)).toEqual([{ week: '2026-03-09', issued: 1, delivered: 0, locked: 0, verified: 3 }]);
    expect(list(r.json.verifiedDocuments)).toEqual([{ code, certificateId: t.certificate.id, learnerId: 'L1', verifications: 3 }]);
  });

  it('lists every problem of a bad range (422 REQUEST_INVALID)', async () => {
    const r = await call(app.base, 'GET', '/api/v1/stats?from=2026-03-15&to=2026-03-01&week=1', { token: manager });
    expect(r.status).toBe(422);
    expect(r.json.error?.code).toBe('REQUEST_INVALID');
    expect(
      list(r.json.error?.problems)
        .map((p) => `${String(p.path)} ${String(p.code)}`)
        .sort(),
    ).toEqual(['query.to RANGE_REVERSED', 'query.week UNRECOGNIZED_KEYS']);
    const fr = await call(app.base, 'GET', '/api/v1/stats?from=1990-01-01&to=2026-03-01', {
      token: manager,
      headers: { 'accept-language': 'fr' },
    });
    expect(list(fr.json.error?.problems)[0]).toMatchObject({
      path: 'query.to',
      code: 'RANGE_TOO_LONG',
      message: 'Une période couvre au plus 3660 jours.',
    });
  });

  it('needs issues:manage', async () => {
    const lmsOnly = (await createToken(services, t.system, { name: 'viewer', capabilities: ['certificate:view'] })).token;
    const r = await call(app.base, 'GET', '/api/v1/stats', { token: lmsOnly });
    expect(r.status).toBe(403);
    expect(r.json.error?.code).toBe('CAPABILITY_REQUIRED');
    expect((await call(app.base, 'GET', '/api/v1/stats')).status).toBe(401);
  });

  it('names the learner of each listed document, and filters by certificate', async () => {
    const r = await call(app.base, 'GET', `/api/v1/issues?certificate=${t.certificate.id}`, { token: manager });
    expect(r.status).toBe(200);
    expect(list(r.json.issues).map((i) => [i.learnerId, i.learnerName, i.verifications])).toEqual([['L1', 'Camille Martin', 3]]);
    const none = await call(app.base, 'GET', '/api/v1/issues?certificate=nope', { token: manager });
    expect(list(none.json.issues)).toEqual([]);
  });
});

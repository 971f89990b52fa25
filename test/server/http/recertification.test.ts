import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CAPABILITIES } from '../../../server/domain/capabilities';
import { spawn } from 'node:child_process';
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
 * The re-issue chain (recertification) end to end over HTTP on both engines: asking again gives the same
 * document; a later completion date inside the renewal window makes a new one (its own code) that
 * supersedes it; every earlier code still verifies and points to the newer (JSON and page) without the
 * learner's other data; the chain is listed; a manager's re-issue of two processes at once makes one.
 */
const pool = useRenderPool(1);

describe.each(ENGINES)('recertification (%s)', (engine) => {
  let services: TestServices;
  let app: Running;
  let t: TenantFixture;
  let admin: string;
  let lms: string;

  const ask = (learner: string, completed: string, base = app.base) =>
    call(base, 'POST', `/api/v1/certificates/${t.certificate.id}/issues`, {
      token: lms,
      body: { learner_id: learner, available: true, data: learnerData({ completion: { completed: true, date: completed } }) },
    });
  const at = (day: string) => services.clock.set(`${day}T09:00:00.000Z`);

  beforeAll(async () => {
    services = await freshServices(engine, { pool: pool() });
    app = await startApp(services);
    // Valid a year; a newer completion renews it in the last 60 days (or once expired).
    t = await setupTenant(services, { certificate: { validity_days: 365, recertification: { renew_within_days: 60 } } });
    admin = (await createToken(services, t.system, { name: 'admin', capabilities: [...ALL_CAPABILITIES] })).token;
    lms = (
      await createToken(services, t.system, {
        name: 'lms',
        capabilities: ['certificate:view', 'certificate:apply', 'learners:supply-data', 'certificate:retrieve-own'],
      })
    ).token;
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  it('re-issues on a newer achievement in the renewal window, and the older code verifies as superseded', async () => {
    at('2026-03-10');
    const first = await ask('l1', '2026-02-03');
    expect(first.status).toBe(201);
    const a = String(first.json.issue?.code);
    expect(first.json.issue?.expiresOn).toBe('2027-02-03');
    // Asking twice gives the same document; so does a newer completion outside the renewal window.
    expect((await ask('l1', '2026-02-03')).json.issue?.code).toBe(a);
    const early = await ask('l1', '2026-03-09');
    expect([early.status, early.json.created, early.json.issue?.code]).toEqual([200, false, a]);

    // In the window (the document expires in 24 days), the course retaken.
    at('2027-01-10');
    const renewed = await ask('l1', '2027-01-09');
    expect(renewed.status).toBe(201);
    const b = String(renewed.json.issue?.code);
    expect(b).not.toBe(a);
    expect(renewed.json.issue).toMatchObject({ issuedOn: '2027-01-10', achievedOn: '2027-01-09', expiresOn: '2028-01-09' });
    // The same completion again, or the old one: the newest document.
    for (const again of ['2027-01-09', '2026-02-03']) {
      const r = await ask('l1', again);
      expect([r.status, r.json.created, r.json.issue?.code]).toEqual([200, false, b]);
    }

    // The older code still verifies, says it was superseded and points to the newer; nothing else of it.
    const old = await call(app.base, 'GET', `/api/v1/verify/${a}`);
    expect(old.status).toBe(200);
    expect(old.json.status).toBe('valid');
    expect(old.json.supersededBy).toEqual({ code: b, issuedOn: '2027-01-10', url: `${services.baseUrl}/verify/${b}` });
    expect(old.json.supersededOn).toBe('2027-01-10');
    expect(old.text).not.toContain('2028-01-09');
    const current = await call(app.base, 'GET', `/api/v1/verify/${b}`);
    expect(current.json.status).toBe('valid');
    expect(current.json.supersededBy).toBeUndefined();
    const page = await call(app.base, 'GET', `/verify/${a}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Remplacé par une attestation plus récente');
    expect(page.text).toContain(`href="${services.baseUrl}/verify/${b}"`);
    expect(page.text).toContain('délivrée le 10 janvier 2027');
    // Once the older one expires it says so, and still points to the newer.
    at('2027-02-10');
    const expired = await call(app.base, 'GET', `/api/v1/verify/${a}`);
    expect([expired.json.status, (expired.json.supersededBy as { code?: string } | undefined)?.code]).toEqual(['expired', b]);

    // The chain, from either end; each document says where it stands.
    for (const code of [a, b]) {
      const chain = await call(app.base, 'GET', `/api/v1/issues/${code}/chain`, { token: admin });
      expect(chain.status).toBe(200);
      expect(list(chain.json).map((l) => [l.code, l.current, l.supersededAt === null])).toEqual([
        [a, false, false],
        [b, true, true],
      ]);
    }
    expect((await call(app.base, 'GET', `/api/v1/issues/${a}`, { token: admin })).json).toMatchObject({ supersededBy: b });
    expect((await call(app.base, 'GET', `/api/v1/issues/${b}`, { token: admin })).json).toMatchObject({
      supersedes: a,
      supersededAt: null,
    });
    expect((await call(app.base, 'GET', `/api/v1/issues/${a}/chain`, { token: lms })).status).toBe(403);

    // The older document's history says what replaced it; the newer's `issued` names the one it supersedes.
    const audit = list((await call(app.base, 'GET', `/api/v1/issues/${a}/audit`, { token: admin })).json);
    expect(audit.find((e) => String(e.action) === 'superseded')?.details).toMatchObject({ by: b, manual: false });
    // The webhook event of the re-issue is an `issued` of the new document whose payload names the older.
    const events = await services.storage.db
      .selectFrom('issue_events')
      .innerJoin('issues', 'issues.id', 'issue_events.issue_id')
      .select(['issue_events.payload'])
      .where('issues.code', '=', b)
      .where('issue_events.event', '=', 'issued')
      .execute();
    expect(events.map((e) => JSON.parse(e.payload) as Record<string, unknown>)).toMatchObject([{ code: b, supersedes: a }]);
  });

  it('lets a manager re-issue; two processes at once make one new document', async () => {
    at('2026-03-10');
    const first = String((await ask('l2', '2026-02-03')).json.issue?.code);
    const denied = await call(app.base, 'POST', `/api/v1/issues/${first}/reissue`, { token: lms, body: {} });
    expect(denied.status).toBe(403);

    // On PostgreSQL a second server process (a replica) on the same database and this one, twice, asked
    // to re-issue at the same moment; on SQLite (one machine, one process) three requests at once.
    const reissue = () => call(app.base, 'POST', `/api/v1/issues/${first}/reissue`, { token: admin, body: { reason: 'course retaken' } });
    let theirs: { created?: boolean; code?: string; error?: string; details?: unknown } | undefined;
    let answers: Awaited<ReturnType<typeof reissue>>[];
    if (engine === 'postgres') {
      const child = spawn(
        'node',
        ['--import', 'tsx', 'test/server/http/reissue-process.ts', services.url, admin, first, services.now().toISOString()],
        {
          stdio: ['pipe', 'pipe', 'pipe'],
        },
      );
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.resume();
      try {
        for (let i = 0; i < 600 && !out.includes('ready\n') && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 50));
        expect(out).toContain('ready');
        child.stdin.write('go\n');
        answers = await Promise.all([reissue(), reissue()]);
        for (let i = 0; i < 600 && out.split('\n').length < 3 && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 50));
        theirs = JSON.parse(out.split('\n')[1]!) as typeof theirs;
      } finally {
        // Ended by its own pid, the one this test started.
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      }
    } else answers = await Promise.all([reissue(), reissue(), reissue()]);
    const chain = list((await call(app.base, 'GET', `/api/v1/issues/${first}/chain`, { token: admin })).json);
    // One new document, whoever made it; every answer names it.
    expect(chain).toHaveLength(2);
    const newer = String(chain[1]!.code);
    expect(answers.filter((r) => r.status === 201).length + (theirs?.created ? 1 : 0)).toBe(1);
    for (const r of answers) {
      if (r.status === 409) expect([r.json.error?.code, r.json.error?.details]).toEqual(['ISSUE_SUPERSEDED', { newerCode: newer }]);
      else expect(r.json.issue?.code).toBe(newer);
    }
    if (theirs?.error) expect([theirs.error, theirs.details]).toEqual(['ISSUE_SUPERSEDED', { newerCode: newer }]);
    else if (theirs) expect(theirs.code).toBe(newer);

    const superseded = await call(app.base, 'POST', `/api/v1/issues/${first}/reissue`, { token: admin, body: {} });
    expect(superseded.status).toBe(409);
    expect(superseded.json.error?.code).toBe('ISSUE_SUPERSEDED');
    expect(superseded.json.error?.details).toEqual({ newerCode: newer });
    // The LMS asking again gets the newest document.
    expect((await ask('l2', '2026-02-03')).json.issue?.code).toBe(newer);
  }, 60_000);

  it('never re-issues a revoked document, and keeps asking-twice without recertification', async () => {
    at('2026-03-10');
    const code = String((await ask('l3', '2026-02-03')).json.issue?.code);
    expect((await call(app.base, 'POST', `/api/v1/issues/${code}/revoke`, { token: admin, body: { reason: 'fraud' } })).status).toBe(200);
    const refused = await call(app.base, 'POST', `/api/v1/issues/${code}/reissue`, { token: admin, body: {} });
    expect([refused.status, refused.json.error?.code]).toEqual([409, 'REISSUE_REVOKED']);
    at('2027-01-10');
    const again = await ask('l3', '2027-01-09');
    expect([again.status, again.json.issue?.code, again.json.issue?.state]).toEqual([200, code, 'revoked']);

    // A certificate without recertification: a later completion changes nothing.
    const plain = await call(app.base, 'POST', '/api/v1/certificates', {
      token: admin,
      body: { name: 'Sans recertification', template_version_id: t.version.id, course_id: 'course-2', settings: { validity_days: 365 } },
    });
    expect(plain.status).toBe(201);
    const askPlain = (completed: string) =>
      call(app.base, 'POST', `/api/v1/certificates/${String(plain.json.id)}/issues`, {
        token: lms,
        body: { learner_id: 'l4', available: true, data: learnerData({ completion: { completed: true, date: completed } }) },
      });
    at('2026-03-10');
    const kept = String((await askPlain('2026-02-03')).json.issue?.code);
    at('2028-06-01');
    expect((await askPlain('2028-05-30')).json.issue?.code).toBe(kept);
  });
});

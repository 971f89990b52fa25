import { beforeAll, describe, expect, it } from 'vitest';
import {
  getIssue,
  issueAudit,
  issueDataForPreview,
  listIssues,
  requestDocument,
  retrieveDocument,
  setLocked,
  type IssueView,
} from '../../../server/domain/issues';
import { createDownloadLink, retrieveByLink } from '../../../server/domain/links';
import { previewTemplate } from '../../../server/domain/preview';
import { checkUploadedDocument, verifyCode } from '../../../server/domain/verification';
import { receiveShopWebhook, signWebhook, WEBHOOK_TOLERANCE_SECONDS } from '../../../server/domain/webhook';
import { createAdministrator, createPerson } from '../../../server/domain/people';
import { setRoleCapabilities } from '../../../server/domain/roles';
import { signIn } from '../../../server/domain/sessions';
import { webhookSecret } from '../../../server/domain/tenants';
import { createCertificate } from '../../../server/domain/certificates';
import { DEFAULT_ROLES } from '../../../server/domain/capabilities';
import type { Actor } from '../../../server/domain/context';
import { pdftotext, writeTemp } from '../../templates/pdf/helpers';
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

const LOCKED = 'Le document est délivré mais verrouillé : il sera disponible une fois le verrou levé (par exemple après paiement).';

describe.each(ENGINES)('the delivery lock (%s)', (engine) => {
  let s: TestServices;
  let fx: TenantFixture;
  let adminPerson: Actor;
  const request = async (learnerId: string, certificateId = fx.certificate.id): Promise<IssueView> =>
    (await requestDocument(s, fx.lms, { certificateId, learnerId, data: learnerData(), available: true })).issue;
  const isLocked = async (code: string) => (await getIssue(s, fx.admin, code)).locked;
  const linkParts = (url: string) => {
    const u = new URL(url);
    const [, d, tenant, code] = u.pathname.split('/');
    expect(d).toBe('d');
    return { tenant: tenant!, code: code!, expires: u.searchParams.get('expires') ?? '', sig: u.searchParams.get('sig') ?? '' };
  };

  beforeAll(async () => {
    s = await freshServices(engine, { pool: pool() });
    fx = await setupTenant(s, { settings: { delivery_lock: true } });
    await createAdministrator(s, fx.tenant.id, 'root', 'a long enough password');
    adminPerson = (await signIn(s, { tenant: fx.tenant.slug, username: 'root', password: 'a long enough password' })).actor;
  });

  it('creates every new document locked, and says so', async () => {
    const issue = await request('locked-1');
    expect(issue.locked).toBe(true);
    const audit = await issueAudit(s, fx.admin, issue.code);
    expect(audit.map((a) => a.action)).toEqual(['eligible', 'issued', 'rendered', 'locked']);
    expect(audit[3]!.details).toEqual({ by: 'tenant delivery lock' });
    expect((await listIssues(s, fx.admin, { locked: true })).issues.map((i) => i.code)).toContain(issue.code);
  });

  it('withholds a locked document on the API, for the learner and for staff alike (423)', async () => {
    const issue = await request('locked-api');
    for (const actor of [fx.lms, fx.admin, adminPerson]) {
      const e = await domainFailure(() => retrieveDocument(s, actor, issue.code, 'api'));
      expect(e.kind).toBe('locked');
      expect(e.code).toBe('DOCUMENT_LOCKED');
      expect(e.extra.reasons).toEqual([{ code: 'DOCUMENT_LOCKED', message: LOCKED }]);
    }
    // Withholding is not delivering.
    expect((await getIssue(s, fx.admin, issue.code)).firstDeliveredAt).toBeNull();
  });

  it('withholds it through a signed download link, which works once unlocked', async () => {
    const issue = await request('locked-link');
    const link = await createDownloadLink(s, fx.lms, issue.code, 60);
    expect(link.url.startsWith(`https://attest.test/d/${fx.tenant.slug}/${issue.code}?`)).toBe(true);
    const parts = linkParts(link.url);
    const e = await domainFailure(() => retrieveByLink(s, parts));
    expect(e.kind).toBe('locked');
    expect(e.code).toBe('DOCUMENT_LOCKED');

    await setLocked(s, fx.admin, [issue.code], false, 'paid at the desk');
    const file = await retrieveByLink(s, parts);
    expect(pdftotext(writeTemp(file.pdf))).toContain('Camille Martin');
    expect(file.issue.firstDeliveryChannel).toBe('link');
    expect((await issueAudit(s, fx.admin, issue.code)).find((a) => a.action === 'delivered')?.actor).toBe(`link:${issue.code}`);

    // A forged signature, another code under the same signature, or an expired link open nothing.
    expect(
      (await domainFailure(() => retrieveByLink(s, { ...parts, sig: parts.sig.replace(/.$/, (c) => (c === '0' ? '1' : '0')) }))).code,
    ).toBe('LINK_INVALID');
    const other = await request('locked-link-other');
    await setLocked(s, fx.admin, [other.code], false, undefined);
    expect((await domainFailure(() => retrieveByLink(s, { ...parts, code: other.code }))).code).toBe('LINK_INVALID');
    expect((await domainFailure(() => retrieveByLink(s, { ...parts, expires: String(Number(parts.expires) + 3600) }))).code).toBe(
      'LINK_INVALID',
    );
    s.clock.advance(61 * 60_000);
    expect((await domainFailure(() => retrieveByLink(s, parts))).kind).toBe('forbidden');
  });

  it('withholds a locked issue’s data from previews', async () => {
    const issue = await request('locked-preview');
    const e = await domainFailure(() => issueDataForPreview(s, fx.admin, issue.code));
    expect(e.kind).toBe('locked');
    const p = await domainFailure(() => previewTemplate(s, fx.admin, { templateId: fx.templateId, version: 1, issue: issue.code }));
    expect(p.kind).toBe('locked');
    expect(p.code).toBe('DOCUMENT_LOCKED');
    const draft = await domainFailure(() => previewTemplate(s, fx.admin, { templateId: fx.templateId, issue: issue.code }));
    expect(draft.kind).toBe('locked');

    await setLocked(s, fx.admin, [issue.code], false, 'ok');
    // A designer previews with sample learners, not with a real learner's data.
    const designer = actorWith(fx.tenant.id, ['templates:edit', 'templates:publish', 'templates:preview']);
    expect(
      (await domainFailure(() => previewTemplate(s, designer, { templateId: fx.templateId, version: 1, issue: issue.code }))).kind,
    ).toBe('forbidden');
    expect((await previewTemplate(s, designer, { templateId: fx.templateId, version: 1, persona: 'accents' })).pdf).toBeDefined();
    const preview = await previewTemplate(s, fx.admin, { templateId: fx.templateId, version: 1, issue: issue.code });
    const text = pdftotext(writeTemp(preview.pdf!));
    expect(text).toContain('Camille Martin');
    expect(text).toContain('SPECIMEN');
    // A preview is never stored and is not a delivery.
    expect((await getIssue(s, fx.admin, issue.code)).firstDeliveredAt).toBeNull();
  });

  it('lets the verification page say only that a locked document exists', async () => {
    const issue = await request('locked-verify');
    expect(await verifyCode(s, issue.code)).toEqual({ status: 'locked', code: issue.code, locale: 'fr' });
    const file = await domainFailure(() => retrieveDocument(s, fx.admin, issue.code, 'api'));
    expect(file.kind).toBe('locked');
    const stored = await s.storage.db
      .selectFrom('documents')
      .innerJoin('issues', 'issues.id', 'documents.issue_id')
      .select('documents.sha256')
      .where('issues.code', '=', issue.code)
      .executeTakeFirstOrThrow();
    const pdf = await s.storage.documents.read(s.storage.db, stored.sha256);
    expect(pdf?.length).toBeGreaterThan(1000);
    const check = await checkUploadedDocument(s, issue.code, pdf!);
    expect(check).toEqual({ verification: { status: 'locked', code: issue.code, locale: 'fr' }, match: 'none' });
  });

  it('unlocks many at once: a bad code stops nothing, and each unlock records who, when and why', async () => {
    const a = await request('many-a');
    const b = await request('many-b');
    const foreign = await setupTenant(s);
    const theirs = (
      await requestDocument(s, foreign.lms, { certificateId: foreign.certificate.id, learnerId: 'x', data: learnerData(), available: true })
    ).issue;
    s.clock.advance(5_000);
    const at = s.now().toISOString();
    const results = await setLocked(
      s,
      adminPerson,
      [a.code, 'NOT-A-CODE', theirs.code, b.code.toLowerCase()],
      false,
      'invoice 2026-114 paid',
    );
    expect(results.map((r) => [r.ok, r.error?.code ?? null])).toEqual([
      [true, null],
      [false, 'ISSUE_NOT_FOUND'],
      [false, 'ISSUE_NOT_FOUND'],
      [true, null],
    ]);
    expect(results[0]!.issue?.locked).toBe(false);
    expect(await isLocked(a.code)).toBe(false);
    expect(await isLocked(b.code)).toBe(false);
    const entry = (await issueAudit(s, fx.admin, a.code)).find((x) => x.action === 'unlocked');
    expect(entry).toEqual({
      action: 'unlocked',
      actor: `person:${adminPerson.kind === 'person' ? adminPerson.id : ''}`,
      actorName: 'Administrator',
      at,
      reason: 'invoice 2026-114 paid',
      details: null,
    });
    // Unlocking what is unlocked changes nothing and records nothing.
    await setLocked(s, adminPerson, [a.code], false, 'again');
    expect((await issueAudit(s, fx.admin, a.code)).filter((x) => x.action === 'unlocked')).toHaveLength(1);
    // The other tenant's document was not touched.
    expect((await getIssue(s, foreign.admin, theirs.code)).locked).toBe(false);
    // And a manager can lock again.
    await setLocked(s, adminPerson, [a.code], true, 'chargeback');
    expect(await isLocked(a.code)).toBe(true);
    expect((await domainFailure(() => retrieveDocument(s, fx.lms, a.code, 'api'))).kind).toBe('locked');
  });

  it('records one unlock when two managers unlock the same document at once', async () => {
    const issue = await request('double-unlock');
    const results = await Promise.all([
      setLocked(s, fx.admin, [issue.code], false, 'first'),
      setLocked(s, adminPerson, [issue.code], false, 'second'),
    ]);
    expect(results.flat().every((r) => r.ok && r.issue?.locked === false)).toBe(true);
    expect((await issueAudit(s, fx.admin, issue.code)).filter((x) => x.action === 'unlocked')).toHaveLength(1);
  });

  it('refuses to unlock for a manager whose role lacks issues:unlock', async () => {
    await setRoleCapabilities(
      s,
      fx.system,
      'manager',
      DEFAULT_ROLES.manager!.filter((c) => c !== 'issues:unlock'),
    );
    await createPerson(s, fx.system, { username: 'mgr', displayName: 'Manager', password: 'manager password 1', roles: ['manager'] });
    const { actor } = await signIn(s, { tenant: fx.tenant.slug, username: 'mgr', password: 'manager password 1' });
    const issue = await request('mgr-locked');
    const e = await domainFailure(() => setLocked(s, actor, [issue.code], false, 'please'));
    expect(e.kind).toBe('forbidden');
    expect(e.code).toBe('CAPABILITY_REQUIRED');
    expect(await isLocked(issue.code)).toBe(true);
    // A manager still manages: the lock holds even for them.
    expect((await domainFailure(() => retrieveDocument(s, actor, issue.code, 'api'))).kind).toBe('locked');
    // Links and the LMS cannot unlock either.
    expect((await domainFailure(() => setLocked(s, fx.lms, [issue.code], false, undefined))).kind).toBe('forbidden');
  });

  describe('the shop’s webhook', () => {
    let secret: string;
    const send = (body: string, options: { ts?: number; secret?: string; signature?: string } = {}) => {
      const ts = options.ts ?? Math.floor(s.now().getTime() / 1000);
      const signature = options.signature ?? signWebhook(options.secret ?? secret, ts, body);
      return receiveShopWebhook(s, { tenant: fx.tenant.slug, timestamp: String(ts), signature, body: new TextEncoder().encode(body) });
    };

    beforeAll(async () => {
      secret = await webhookSecret(s, fx.admin);
    });

    it('unlocks the learner’s locked documents, recorded as the shop with the order reference', async () => {
      const mine = await request('buyer');
      const otherCourse = await createCertificate(s, fx.system, {
        name: 'Other course',
        templateVersionId: fx.version.id,
        courseId: 'course-2',
      });
      const mine2 = await request('buyer', otherCourse.id);
      const someoneElse = await request('not-buyer');
      s.clock.advance(1000);
      const at = s.now().toISOString();
      const { unlocked } = await send(JSON.stringify({ learner_id: 'buyer', reference: 'ORD-42' }));
      expect(unlocked.map((u) => [u.code, u.ok]).sort()).toEqual(
        [
          [mine.code, true],
          [mine2.code, true],
        ].sort(),
      );
      expect(await isLocked(mine.code)).toBe(false);
      expect(await isLocked(mine2.code)).toBe(false);
      expect(await isLocked(someoneElse.code)).toBe(true);
      const entry = (await issueAudit(s, fx.admin, mine.code)).find((x) => x.action === 'unlocked');
      expect(entry).toMatchObject({ actor: 'webhook:shop', at, reason: 'payment ORD-42' });
      const file = await retrieveDocument(s, fx.lms, mine.code, 'api');
      expect(pdftotext(writeTemp(file.pdf))).toContain('Camille Martin');
    });

    it('unlocks only the course, or only the codes, it names', async () => {
      const c2 = await createCertificate(s, fx.system, { name: 'Course 3', templateVersionId: fx.version.id, courseId: 'course-3' });
      const inCourse1 = await request('scoped');
      const inCourse3 = await request('scoped', c2.id);
      s.clock.advance(1000);
      const r = await send(JSON.stringify({ learner_id: 'scoped', course_id: 'course-3' }));
      expect(r.unlocked.map((u) => u.code)).toEqual([inCourse3.code]);
      expect(await isLocked(inCourse1.code)).toBe(true);
      const someoneElse = await request('scoped-other');
      s.clock.advance(1000);
      // A code of another learner is not unlocked by this learner's payment.
      const r2 = await send(JSON.stringify({ learner_id: 'scoped', codes: [inCourse1.code.toLowerCase(), someoneElse.code] }));
      expect(r2.unlocked.map((u) => u.code)).toEqual([inCourse1.code]);
      expect(await isLocked(inCourse1.code)).toBe(false);
      expect(await isLocked(someoneElse.code)).toBe(true);
    });

    it('refuses bad signatures, stale or future timestamps and replays, unlocking nothing', async () => {
      const issue = await request('attacker');
      const body = JSON.stringify({ learner_id: 'attacker' });
      const now = Math.floor(s.now().getTime() / 1000);

      const forged = await domainFailure(() => send(body, { secret: 'not the secret' }));
      expect([forged.kind, forged.code]).toEqual(['unauthenticated', 'WEBHOOK_SIGNATURE_INVALID']);
      const missing = await domainFailure(() =>
        receiveShopWebhook(s, {
          tenant: fx.tenant.slug,
          timestamp: String(now),
          signature: undefined,
          body: new TextEncoder().encode(body),
        }),
      );
      expect(missing.code).toBe('WEBHOOK_SIGNATURE_INVALID');
      // Signed for another body.
      const tampered = await domainFailure(() =>
        send(JSON.stringify({ learner_id: 'someone' }), { signature: signWebhook(secret, now, body) }),
      );
      expect(tampered.code).toBe('WEBHOOK_SIGNATURE_INVALID');
      // Signed with the right secret but for another timestamp.
      const shifted = await domainFailure(() => send(body, { ts: now, signature: signWebhook(secret, now - 1, body) }));
      expect(shifted.code).toBe('WEBHOOK_SIGNATURE_INVALID');
      const noTs = await domainFailure(() =>
        receiveShopWebhook(s, {
          tenant: fx.tenant.slug,
          timestamp: undefined,
          signature: signWebhook(secret, now, body),
          body: new TextEncoder().encode(body),
        }),
      );
      expect(noTs.code).toBe('WEBHOOK_TIMESTAMP_INVALID');
      const stale = await domainFailure(() => send(body, { ts: now - WEBHOOK_TOLERANCE_SECONDS - 1 }));
      expect([stale.kind, stale.code]).toEqual(['unauthenticated', 'WEBHOOK_TIMESTAMP_STALE']);
      const future = await domainFailure(() => send(body, { ts: now + WEBHOOK_TOLERANCE_SECONDS + 1 }));
      expect(future.code).toBe('WEBHOOK_TIMESTAMP_STALE');
      const unknownTenant = await domainFailure(() =>
        receiveShopWebhook(s, {
          tenant: 'no-such-tenant',
          timestamp: String(now),
          signature: signWebhook(secret, now, body),
          body: new TextEncoder().encode(body),
        }),
      );
      expect(unknownTenant.code).toBe('WEBHOOK_SIGNATURE_INVALID');
      expect(await isLocked(issue.code)).toBe(true);

      // The genuine request works once; the same request again, at once or a minute later, is refused.
      const ts = now;
      const first = await send(body, { ts });
      expect(first.unlocked.map((u) => u.code)).toEqual([issue.code]);
      await setLocked(s, fx.admin, [issue.code], true, 'test: lock again');
      const replay = await domainFailure(() => send(body, { ts }));
      expect([replay.kind, replay.code]).toEqual(['conflict', 'WEBHOOK_REPLAYED']);
      s.clock.advance(60_000);
      expect((await domainFailure(() => send(body, { ts }))).code).toBe('WEBHOOK_REPLAYED');
      expect(await isLocked(issue.code)).toBe(true);
      // After the tolerance, the captured request is simply stale.
      s.clock.advance(WEBHOOK_TOLERANCE_SECONDS * 1000);
      expect((await domainFailure(() => send(body, { ts }))).code).toBe('WEBHOOK_TIMESTAMP_STALE');
      expect(await isLocked(issue.code)).toBe(true);
    });

    it('accepts one of two identical deliveries racing', async () => {
      const issue = await request('racer');
      s.clock.advance(1000);
      const body = JSON.stringify({ learner_id: 'racer' });
      const ts = Math.floor(s.now().getTime() / 1000);
      const outcomes = await Promise.allSettled([send(body, { ts }), send(body, { ts }), send(body, { ts })]);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect(await isLocked(issue.code)).toBe(false);
      expect((await issueAudit(s, fx.admin, issue.code)).filter((x) => x.action === 'unlocked')).toHaveLength(1);
    });

    it('answers an unreadable body as malformed and a wrong one as invalid, listing the problems at their body paths', async () => {
      const issue = await request('malformed');
      s.clock.advance(1000);
      const notJson = await domainFailure(() => send('{"learner_id": "malformed"'));
      expect([notJson.kind, notJson.code]).toEqual(['malformed', 'BODY_NOT_JSON']);
      const wrong = await domainFailure(() => send(JSON.stringify({ learner: 'malformed', codes: 'all' })));
      expect([wrong.kind, wrong.code]).toEqual(['invalid', 'WEBHOOK_BODY_INVALID']);
      const paths = (wrong.extra.problems ?? []).map((p) => p.path);
      expect(paths).toEqual(expect.arrayContaining(['learner_id', 'codes', 'learner']));
      // A NUL (PostgreSQL refuses it in text) is a named problem of the body, not a database failure.
      const nul = await domainFailure(() => send(JSON.stringify({ learner_id: 'mal\u0000formed' })));
      expect([nul.code, (nul.extra.problems ?? []).map((p) => [p.path, p.code])]).toEqual([
        'WEBHOOK_BODY_INVALID',
        [['learner_id', 'TEXT_INVALID']],
      ]);
      expect(await isLocked(issue.code)).toBe(true);
    });
  });
});

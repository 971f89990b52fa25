import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  deleteIssue,
  getIssue,
  issueAudit,
  issueDataForPreview,
  listIssues,
  regenerateIssue,
  requestDocument,
  retrieveDocument,
  revokeIssue,
  type IssueView,
} from '../../../server/domain/issues';
import { checkUploadedDocument, verifyCode } from '../../../server/domain/verification';
import { previewTemplate } from '../../../server/domain/preview';
import { createDownloadLink, retrieveByLink } from '../../../server/domain/links';
import { publishTemplate, updateTemplate, getTemplate } from '../../../server/domain/templates';
import { updateTenantSettings } from '../../../server/domain/tenants';
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

describe.each(ENGINES)('a document’s life: revoke, regenerate, verify, expire (%s)', (engine) => {
  let s: TestServices;
  let fx: TenantFixture;
  const request = async (learnerId: string, data = learnerData()): Promise<IssueView> =>
    (await requestDocument(s, fx.lms, { certificateId: fx.certificate.id, learnerId, data, available: true })).issue;
  const fetchPdf = async (code: string) => (await retrieveDocument(s, fx.admin, code, 'api')).pdf;

  beforeAll(async () => {
    s = await freshServices(engine, { pool: pool() });
    // Completion on 2026-02-03 and a validity of one year: the documents expire on 2027-02-03.
    fx = await setupTenant(s, { certificate: { validity_days: 365 } });
  });

  it('revokes with a reason only, then withholds the file (410) and says so on verification', async () => {
    const issue = await request('revoked');
    const noReason = await domainFailure(() => revokeIssue(s, fx.admin, issue.code, '   '));
    expect([noReason.kind, noReason.code]).toEqual(['invalid', 'REASON_REQUIRED']);
    expect((await getIssue(s, fx.admin, issue.code)).state).toBe('issued');
    const unlockOnly = actorWith(fx.tenant.id, ['issues:unlock', 'issues:manage']);
    expect((await domainFailure(() => revokeIssue(s, unlockOnly, issue.code, 'fraud'))).kind).toBe('forbidden');

    const link = await createDownloadLink(s, fx.admin, issue.code);
    s.clock.advance(1000);
    const at = s.now().toISOString();
    const revoked = await revokeIssue(s, fx.admin, issue.code, 'identity fraud');
    expect(revoked).toMatchObject({ state: 'revoked', revokedAt: at, revokedReason: 'identity fraud' });

    for (const actor of [fx.lms, fx.admin]) {
      const e = await domainFailure(() => retrieveDocument(s, actor, issue.code, 'api'));
      expect([e.kind, e.code]).toEqual(['gone', 'DOCUMENT_REVOKED']);
      expect(e.extra.reasons?.[0]?.message).toBe('Le document a été révoqué.');
    }
    expect((await domainFailure(() => issueDataForPreview(s, fx.admin, issue.code))).kind).toBe('gone');
    expect(
      (await domainFailure(() => previewTemplate(s, fx.admin, { templateId: fx.templateId, version: 1, issue: issue.code }))).code,
    ).toBe('DOCUMENT_REVOKED');
    // A link made before the revocation stops working; a new one is not made.
    expect((await domainFailure(() => createDownloadLink(s, fx.admin, issue.code))).code).toBe('DOCUMENT_REVOKED');
    const u = new URL(link.url);
    const [, , tenant, code] = u.pathname.split('/');
    const viaLink = await domainFailure(() =>
      retrieveByLink(s, { tenant: tenant!, code: code!, expires: u.searchParams.get('expires')!, sig: u.searchParams.get('sig')! }),
    );
    expect([viaLink.kind, viaLink.code]).toEqual(['gone', 'DOCUMENT_REVOKED']);
    const v = await verifyCode(s, issue.code);
    expect(v).toMatchObject({ status: 'revoked', code: issue.code, revokedOn: at.slice(0, 10), learner: 'Camille Martin' });
    const entry = (await issueAudit(s, fx.admin, issue.code)).find((x) => x.action === 'revoked');
    expect(entry).toMatchObject({ at, reason: 'identity fraud', actor: `token:${fx.admin.kind === 'token' ? fx.admin.id : ''}` });
    expect((await domainFailure(() => revokeIssue(s, fx.admin, issue.code, 'twice'))).code).toBe('ALREADY_REVOKED');
    expect((await domainFailure(() => regenerateIssue(s, fx.admin, issue.code))).kind).toBe('conflict');
    expect((await listIssues(s, fx.admin, { state: 'revoked' })).issues.map((i) => i.code)).toEqual([issue.code]);
    // Asking again does not make a new document behind the revocation.
    const again = await requestDocument(s, fx.lms, {
      certificateId: fx.certificate.id,
      learnerId: 'revoked',
      data: learnerData(),
      available: true,
    });
    expect(again).toMatchObject({ created: false, issue: { code: issue.code, state: 'revoked' } });
  });

  it('regenerates with the same code and issue date, a new revision, and records the template version', async () => {
    const issue = await request('regen');
    const oldPdf = await fetchPdf(issue.code);
    s.clock.advance(24 * 3600_000);

    // Same version first: revision 2, same code and date.
    const r2 = await regenerateIssue(s, fx.admin, issue.code, { reason: 'typo in the course name' });
    expect(r2).toMatchObject({
      code: issue.code,
      issuedOn: issue.issuedOn,
      expiresOn: issue.expiresOn,
      revision: 2,
      templateVersionId: fx.version.id,
      renderedAt: s.now().toISOString(),
    });
    const audit = await issueAudit(s, fx.admin, issue.code);
    const regenerated = audit.filter((a) => a.action === 'regenerated');
    expect(regenerated).toHaveLength(1);
    expect(regenerated[0]).toMatchObject({
      reason: 'typo in the course name',
      details: { revision: 2, templateVersion: 1, sha256: r2.sha256 },
    });

    // Then with a newer version of the template.
    const draft = await getTemplate(s, fx.admin, fx.templateId);
    await updateTemplate(s, fx.admin, fx.templateId, {
      source: draft.source.replace('Nous, soussignés,', 'Nous, soussignés (édition 2),'),
    });
    const { version: v2 } = await publishTemplate(s, fx.admin, fx.templateId);
    expect(v2.number).toBe(2);
    const r3 = await regenerateIssue(s, fx.admin, issue.code, { templateVersionId: v2.id });
    expect(r3).toMatchObject({ code: issue.code, issuedOn: issue.issuedOn, revision: 3, templateVersionId: v2.id });
    expect((await issueAudit(s, fx.admin, issue.code)).filter((a) => a.action === 'regenerated').map((a) => a.details)).toEqual([
      expect.objectContaining({ revision: 2, templateVersion: 1 }),
      expect.objectContaining({ revision: 3, templateVersion: 2 }),
    ]);
    const newPdf = await fetchPdf(issue.code);
    const text = pdftotext(writeTemp(newPdf));
    expect(text).toContain('édition 2');
    expect(text).toContain('Camille Martin');
    expect(text).toContain(issue.code);
    expect(text).toContain('3 février 2026');

    // Uploaded copies: the current one, an older revision, and something else.
    expect((await checkUploadedDocument(s, issue.code, newPdf)).match).toBe('current');
    const old = await checkUploadedDocument(s, issue.code, oldPdf);
    expect(old.match).toBe('superseded');
    expect(old.verification).toMatchObject({ status: 'valid', revision: 3 });
    expect((await checkUploadedDocument(s, issue.code, randomBytes(4096))).match).toBe('none');
    expect((await domainFailure(() => checkUploadedDocument(s, 'AAAAA-AAAAA-AAAAA-AAAAA', newPdf))).code).toBe('VERIFICATION_CODE_UNKNOWN');

    // Regenerating needs its own capability.
    expect((await domainFailure(() => regenerateIssue(s, actorWith(fx.tenant.id, ['issues:manage']), issue.code))).kind).toBe('forbidden');
  });

  it('serializes concurrent regenerations and revocations of one document', async () => {
    const issue = await request('racing');
    const regenerations = await Promise.allSettled([1, 2, 3].map(() => regenerateIssue(s, fx.admin, issue.code, { reason: 'race' })));
    expect(regenerations.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    const revisions = regenerations.map((r) => (r.status === 'fulfilled' ? r.value.revision : 0)).sort();
    expect(revisions).toEqual([2, 3, 4]);
    const row = await s.storage.db
      .selectFrom('issues')
      .select(['id', 'revision', 'pdf_sha256'])
      .where('code', '=', issue.code)
      .executeTakeFirstOrThrow();
    expect(row.revision).toBe(4);
    const docs = await s.storage.db
      .selectFrom('documents')
      .select(['revision', 'sha256'])
      .where('issue_id', '=', row.id)
      .orderBy('revision')
      .execute();
    expect(docs.map((d) => d.revision)).toEqual([1, 2, 3, 4]);
    expect(docs.at(-1)!.sha256).toBe(row.pdf_sha256);
    expect(
      (await issueAudit(s, fx.admin, issue.code))
        .filter((a) => a.action === 'regenerated')
        .map((a) => (a.details as { revision: number }).revision)
        .sort(),
    ).toEqual([2, 3, 4]);

    const revocations = await Promise.allSettled([1, 2, 3].map((i) => revokeIssue(s, fx.admin, issue.code, `reason ${i}`)));
    expect(revocations.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of revocations) if (r.status === 'rejected') expect(r.reason).toMatchObject({ kind: 'conflict', code: 'ALREADY_REVOKED' });
    expect((await issueAudit(s, fx.admin, issue.code)).filter((a) => a.action === 'revoked')).toHaveLength(1);
  });

  it('verifies by code, as people type it, showing what the tenant allows', async () => {
    const issue = await request('verified');
    const v = await verifyCode(s, issue.code);
    expect(v).toEqual({
      status: 'valid',
      code: issue.code,
      certificate: fx.certificate.name,
      organization: expect.any(String),
      learner: 'Camille Martin',
      course: 'Sauveteur secouriste du travail (SST) — formation initiale',
      // The day it was issued (the test clock's), not the completion date the validity runs from.
      issuedOn: s.now().toISOString().slice(0, 10),
      expiresOn: '2027-02-03',
      locale: 'fr',
      revision: 1,
      // Documents are tagged unless a setting says otherwise (server/domain/tagging.ts).
      tagged: true,
    });
    const typed = issue.code.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o');
    expect((await verifyCode(s, typed)).code).toBe(issue.code);
    expect(await verifyCode(s, 'ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ')).toEqual({ status: 'unknown', locale: 'en' });
    expect(await verifyCode(s, 'nonsense')).toEqual({ status: 'unknown', locale: 'en' });

    await updateTenantSettings(s, fx.admin, { verification_shows: { learner_name: false } });
    const hidden = await verifyCode(s, issue.code);
    expect(hidden.status).toBe('valid');
    expect(hidden).not.toHaveProperty('learner');
    expect(JSON.stringify(hidden)).not.toContain('Camille');
    expect(hidden.course).toBeDefined();
    await updateTenantSettings(s, fx.admin, { verification_shows: { learner_name: true, course: false, dates: false } });
    const minimal = await verifyCode(s, issue.code);
    expect(minimal.learner).toBe('Camille Martin');
    expect(minimal).not.toHaveProperty('course');
    expect(minimal).not.toHaveProperty('issuedOn');
    await updateTenantSettings(s, fx.admin, { verification_shows: { learner_name: true, course: true, dates: true } });
  });

  it('expires by the calendar: the state, the verification page, the audit trail and the filters', async () => {
    const issue = await request('expiring');
    expect(issue).toMatchObject({ state: 'issued', expiresOn: '2027-02-03' });
    s.clock.set('2027-02-03T23:59:00.000Z');
    expect((await getIssue(s, fx.admin, issue.code)).state).toBe('issued');
    expect((await verifyCode(s, issue.code)).status).toBe('valid');
    s.clock.set('2027-02-04T00:00:01.000Z');
    expect((await getIssue(s, fx.admin, issue.code)).state).toBe('expired');
    expect((await verifyCode(s, issue.code)).status).toBe('expired');
    const audit = await issueAudit(s, fx.admin, issue.code);
    expect(audit.at(-1)).toEqual({
      action: 'expired',
      actor: 'system',
      actorName: 'Attest',
      at: '2027-02-03T00:00:00.000Z',
      reason: null,
      details: null,
    });
    const expired = (await listIssues(s, fx.admin, { state: 'expired' })).issues.map((i) => i.code);
    expect(expired).toContain(issue.code);
    expect((await listIssues(s, fx.admin, { state: 'issued' })).issues.map((i) => i.code)).not.toContain(issue.code);
    s.clock.set('2026-03-10T09:00:00.000Z');
  });

  it('deletes an issue with issues:delete, keeping its audit trail', async () => {
    const issue = await request('deleted');
    const row = await s.storage.db.selectFrom('issues').select('id').where('code', '=', issue.code).executeTakeFirstOrThrow();
    expect((await domainFailure(() => deleteIssue(s, actorWith(fx.tenant.id, ['issues:manage']), issue.code, 'x'))).kind).toBe('forbidden');
    const sha = issue.sha256;
    expect(await s.storage.documents.read(s.storage.db, sha)).toBeDefined();
    await deleteIssue(s, fx.admin, issue.code, 'duplicate learner account');
    // The PDF is personal data: its bytes go with the issue.
    expect(await s.storage.documents.read(s.storage.db, sha)).toBeUndefined();
    expect((await domainFailure(() => getIssue(s, fx.admin, issue.code))).kind).toBe('not-found');
    expect(await s.storage.db.selectFrom('documents').select('revision').where('issue_id', '=', row.id).execute()).toEqual([]);
    const trail = await s.storage.db
      .selectFrom('audit')
      .select(['action', 'reason'])
      .where('subject_id', '=', row.id)
      .orderBy('id')
      .execute();
    expect(trail.map((t) => t.action)).toEqual(['eligible', 'issued', 'rendered', 'deleted']);
    expect(trail.at(-1)!.reason).toBe('duplicate learner account');
    expect((await verifyCode(s, issue.code)).status).toBe('unknown');
  });
});

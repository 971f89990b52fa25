import { beforeAll, describe, expect, it } from 'vitest';
import { authenticateSession, signIn, signOut } from '../../../server/domain/sessions';
import { authenticateToken, createToken, listTokens, revokeToken } from '../../../server/domain/tokens';
import { createPerson, listPeople } from '../../../server/domain/people';
import { createTenant, updateTenantSettings, webhookSecret } from '../../../server/domain/tenants';
import { getCertificate, createCertificate, listCertificates, updateCertificate } from '../../../server/domain/certificates';
import {
  getTemplate,
  listTemplates,
  publishTemplate,
  putAsset,
  updateTemplate,
  deleteTemplate,
  findVersion,
  readAsset,
} from '../../../server/domain/templates';
import {
  getIssue,
  issueAudit,
  issueDataForPreview,
  listIssues,
  listRefusals,
  regenerateIssue,
  enterLearnerRecord,
  requestDocument,
  requestFromRecord,
  retrieveDocument,
  revokeIssue,
  setLocked,
  deleteIssue,
} from '../../../server/domain/issues';
import { createDownloadLink } from '../../../server/domain/links';
import { linkLearner } from '../../../server/domain/learners';
import { previewTemplate } from '../../../server/domain/preview';
import { DEFAULT_ROLES } from '../../../server/domain/capabilities';
import type { Actor } from '../../../server/domain/context';
import {
  ENGINES,
  actorWith,
  domainFailure,
  freshServices,
  learnerData,
  setupTenant,
  uniqueSlug,
  useRenderPool,
  type TenantFixture,
  type TestServices,
} from '../../support/storage';

const pool = useRenderPool(1);

describe.each(ENGINES)('tenants, people, tokens and isolation (%s)', (engine) => {
  let s: TestServices;
  let a: TenantFixture;
  let b: TenantFixture;

  beforeAll(async () => {
    s = await freshServices(engine, { pool: pool() });
    [a, b] = [await setupTenant(s), await setupTenant(s)];
  });

  describe('tokens', () => {
    it('authenticates a token as its tenant with exactly its capabilities; stores only a hash', async () => {
      const { token, info } = await createToken(s, a.system, { name: 'moodle', capabilities: ['certificate:view', 'certificate:apply'] });
      expect(token).toMatch(/^att_[0-9a-f-]{36}_[A-Za-z0-9_-]{43}$/);
      const actor = await authenticateToken(s, token);
      expect(actor).toMatchObject({ kind: 'token', id: info.id, tenantId: a.tenant.id, name: 'moodle' });
      expect(actor.kind === 'token' && [...actor.capabilities].sort()).toEqual(['certificate:apply', 'certificate:view']);
      const row = await s.storage.db.selectFrom('tokens').selectAll().where('id', '=', info.id).executeTakeFirstOrThrow();
      // The secret is all that follows the id: it may itself hold '_' (base64url).
      const secret = token.slice('att_'.length + 37);
      expect(secret).toHaveLength(43);
      expect(row.secret_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(row)).not.toContain(secret);
      expect(row.last_used_at).toBe(s.now().toISOString());
    });

    it('refuses revoked, forged, malformed and mismatched tokens alike (unauthenticated)', async () => {
      const { token, info } = await createToken(s, a.system, { name: 'to revoke', capabilities: ['certificate:view'] });
      const { token: other } = await createToken(s, b.system, { name: 'other', capabilities: ['certificate:view'] });
      const secretOf = (t: string) => t.slice(t.length - 43);
      const forged = [
        token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'),
        `att_${info.id}_${secretOf(other)}`, // another token's secret under this id
        `att_00000000-0000-4000-8000-000000000000_${secretOf(token)}`,
        'att_nonsense',
        '',
        token + 'x',
      ];
      for (const t of forged) {
        const e = await domainFailure(() => authenticateToken(s, t));
        expect([e.kind, e.code]).toEqual(['unauthenticated', 'TOKEN_INVALID']);
      }
      await authenticateToken(s, token);
      await revokeToken(s, a.admin, info.id);
      const e = await domainFailure(() => authenticateToken(s, token));
      expect([e.kind, e.code]).toEqual(['unauthenticated', 'TOKEN_INVALID']);
      expect((await listTokens(s, a.admin)).find((t) => t.id === info.id)?.revokedAt).toBe(s.now().toISOString());
      // The other tenant's token still works, and is of the other tenant.
      expect((await authenticateToken(s, other)).tenantId).toBe(b.tenant.id);
    });

    it('gives a token only capabilities its creator holds', async () => {
      const manager = actorWith(a.tenant.id, ['tenant:manage', 'certificate:view']);
      const e = await domainFailure(() =>
        createToken(s, manager, { name: 'too much', capabilities: ['certificate:view', 'issues:unlock', 'no:such'] }),
      );
      expect([e.kind, e.code]).toEqual(['invalid', 'TOKEN_CAPABILITIES_INVALID']);
      expect(e.extra.problems).toEqual([
        { path: 'capabilities[1]', code: 'CAPABILITY_NOT_HELD', message: expect.stringContaining('issues:unlock') },
        { path: 'capabilities[2]', code: 'CAPABILITY_UNKNOWN', message: expect.stringContaining('no:such') },
      ]);
      const ok = await createToken(s, manager, { name: 'fine', capabilities: ['certificate:view'] });
      expect(ok.info.capabilities).toEqual(['certificate:view']);
      const noManage = actorWith(a.tenant.id, ['certificate:view']);
      expect((await domainFailure(() => createToken(s, noManage, { name: 'x', capabilities: [] }))).kind).toBe('forbidden');
    });
  });

  describe('people and passwords', () => {
    it('signs in with the right password only, as an actor with the capabilities of its roles', async () => {
      const person = await createPerson(s, a.system, {
        username: 'marie',
        displayName: 'Marie Curie',
        email: 'marie@example.org',
        password: 'radium and polonium',
        roles: ['teacher', 'signatory'],
      });
      for (const attempt of [
        { tenant: a.tenant.slug, username: 'marie', password: 'radium and polonium!' },
        { tenant: a.tenant.slug, username: 'marie', password: '' },
        { tenant: b.tenant.slug, username: 'marie', password: 'radium and polonium' },
        { tenant: a.tenant.slug, username: 'pierre', password: 'radium and polonium' },
        { tenant: 'no-such-tenant', username: 'marie', password: 'radium and polonium' },
      ]) {
        const e = await domainFailure(() => signIn(s, attempt));
        expect([e.kind, e.code]).toEqual(['unauthenticated', 'SIGN_IN_FAILED']);
      }
      const { cookie, expiresAt, actor } = await signIn(s, { tenant: a.tenant.slug, username: 'marie', password: 'radium and polonium' });
      expect(actor).toMatchObject({ kind: 'person', id: person.id, tenantId: a.tenant.id, name: 'Marie Curie' });
      const caps = actor.kind === 'person' ? [...actor.capabilities].sort() : [];
      expect(caps).toEqual([...new Set([...DEFAULT_ROLES.teacher!, ...DEFAULT_ROLES.signatory!])].sort());
      expect(expiresAt.getTime()).toBe(s.now().getTime() + 12 * 3600_000);
      expect((await authenticateSession(s, cookie)).tenantId).toBe(a.tenant.id);

      // What is stored is not the secret: an scrypt hash for the password, a SHA-256 for the session.
      const row = await s.storage.db.selectFrom('people').select('password_hash').where('id', '=', person.id).executeTakeFirstOrThrow();
      expect(row.password_hash).toMatch(/^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/);
      expect(row.password_hash).not.toContain('radium');
      const sessions = await s.storage.db.selectFrom('sessions').selectAll().where('person_id', '=', person.id).execute();
      expect(sessions).toHaveLength(1);
      expect(sessions[0]!.id_hash).not.toBe(cookie);
      expect(JSON.stringify(sessions)).not.toContain(cookie);

      // Sessions end with time and with signing out.
      s.clock.advance(12 * 3600_000 + 1);
      expect((await domainFailure(() => authenticateSession(s, cookie))).kind).toBe('unauthenticated');
      s.clock.advance(-(12 * 3600_000 + 1));
      await signOut(s, cookie);
      expect((await domainFailure(() => authenticateSession(s, cookie))).kind).toBe('unauthenticated');
    });

    it('refuses short passwords, unknown roles and taken usernames', async () => {
      expect(
        (await domainFailure(() => createPerson(s, a.system, { username: 'short', displayName: 'S', password: 'short', roles: [] }))).code,
      ).toBe('PASSWORD_TOO_SHORT');
      expect((await domainFailure(() => createPerson(s, a.system, { username: 'r', displayName: 'R', roles: ['wizard'] }))).code).toBe(
        'ROLE_UNKNOWN',
      );
      await createPerson(s, a.system, { username: 'twin', displayName: 'Twin', roles: [] });
      expect((await domainFailure(() => createPerson(s, a.system, { username: 'twin', displayName: 'Twin 2', roles: [] }))).kind).toBe(
        'conflict',
      );
      // The same username in another tenant is another person.
      await createPerson(s, b.system, { username: 'twin', displayName: 'Twin B', roles: [] });
    });

    it('lets a learner who signs in ask for and fetch their own document, and only theirs', async () => {
      // Her own request brings no data: it asks that the record held for the learner she is be evaluated.
      const lea = await createPerson(s, a.system, {
        username: 'lea.petit',
        displayName: 'Léa Petit',
        password: 'learner password 1',
        roles: ['learner'],
      });
      await linkLearner(s, a.system, lea.id, 'lms-lea');
      await enterLearnerRecord(s, a.system, {
        certificateId: a.certificate.id,
        learnerId: 'lms-lea',
        data: learnerData(),
        available: true,
      });
      const { actor } = await signIn(s, { tenant: a.tenant.slug, username: 'lea.petit', password: 'learner password 1' });
      const r = await requestFromRecord(s, actor, { certificateId: a.certificate.id });
      expect(r.created).toBe(true);
      expect(r.issue.learnerId).toBe('lms-lea');
      const file = await retrieveDocument(s, actor, r.issue.code, 'api');
      expect(file.issue.code).toBe(r.issue.code);
      const e = await domainFailure(() => requestFromRecord(s, actor, { certificateId: a.certificate.id, learnerId: 'someone.else' }));
      expect([e.kind, e.code]).toEqual(['forbidden', 'OTHER_LEARNER']);
      const theirs = await requestDocument(s, a.lms, {
        certificateId: a.certificate.id,
        learnerId: 'someone.else',
        data: learnerData(),
        available: true,
      });
      expect((await domainFailure(() => retrieveDocument(s, actor, theirs.issue.code, 'api'))).code).toBe('OTHER_LEARNER');
      expect((await domainFailure(() => getIssue(s, actor, theirs.issue.code))).code).toBe('OTHER_LEARNER');
    });

    it('validates tenant settings and slugs', async () => {
      expect((await domainFailure(() => createTenant(s, { slug: 'Not A Slug', name: 'x' }))).code).toBe('TENANT_SLUG_INVALID');
      const bad = await domainFailure(() =>
        createTenant(s, { slug: uniqueSlug(), name: 'x', settings: { locale: 'de', delivery_lock: 'yes' } }),
      );
      expect(bad.code).toBe('TENANT_SETTINGS_INVALID');
      expect((bad.extra.problems ?? []).map((p) => p.path).sort()).toEqual(['delivery_lock', 'locale']);
      expect((await domainFailure(() => createTenant(s, { slug: a.tenant.slug, name: 'dup' }))).kind).toBe('conflict');
      const e = await domainFailure(() => updateTenantSettings(s, a.admin, { locale: 'xx' }));
      expect(e.code).toBe('TENANT_SETTINGS_INVALID');
    });
  });

  describe('tenant isolation', () => {
    let theirIssue: string;
    let theirTokenId: string;
    let bAdmin: Actor;

    beforeAll(async () => {
      theirIssue = (
        await requestDocument(s, a.lms, { certificateId: a.certificate.id, learnerId: 'isolated', data: learnerData(), available: true })
      ).issue.code;
      theirTokenId = (await createToken(s, a.system, { name: 'A token', capabilities: ['certificate:view'] })).info.id;
      await createPerson(s, a.system, { username: 'a-only', displayName: 'A only', roles: [] });
      bAdmin = b.admin;
    });

    const notFound = async (run: () => Promise<unknown>) => {
      const e = await domainFailure(run);
      expect(e.kind).toBe('not-found');
    };

    it('hides tenant A’s templates and versions from tenant B', async () => {
      await notFound(() => getTemplate(s, bAdmin, a.templateId));
      await notFound(() => updateTemplate(s, bAdmin, a.templateId, { name: 'mine now' }));
      await notFound(() => publishTemplate(s, bAdmin, a.templateId));
      await notFound(() => deleteTemplate(s, bAdmin, a.templateId));
      await notFound(() => putAsset(s, bAdmin, a.templateId, 'x.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])));
      await notFound(() => readAsset(s, bAdmin, a.templateId, 'assets/seal.png'));
      await notFound(() => findVersion(s, bAdmin, a.templateId, 1));
      await notFound(() => previewTemplate(s, bAdmin, { templateId: a.templateId, version: 1 }));
      await notFound(() => previewTemplate(s, bAdmin, { templateId: a.templateId }));
      expect((await listTemplates(s, bAdmin)).map((t) => t.id)).not.toContain(a.templateId);
      expect((await getTemplate(s, a.admin, a.templateId)).name).not.toBe('mine now');
    });

    it('hides tenant A’s certificates, and B cannot build a certificate on A’s version', async () => {
      await notFound(() => getCertificate(s, bAdmin, a.certificate.id));
      await notFound(() => updateCertificate(s, bAdmin, a.certificate.id, { name: 'taken' }));
      expect((await listCertificates(s, bAdmin)).map((c) => c.id)).not.toContain(a.certificate.id);
      await notFound(() => createCertificate(s, bAdmin, { name: 'stolen', templateVersionId: a.version.id, courseId: 'c' }));
      await notFound(() => updateCertificate(s, bAdmin, b.certificate.id, { templateVersionId: a.version.id }));
      await notFound(() =>
        requestDocument(s, b.lms, { certificateId: a.certificate.id, learnerId: 'x', data: learnerData(), available: true }),
      );
      expect((await getCertificate(s, a.admin, a.certificate.id)).name).toBe(a.certificate.name);
    });

    it('hides tenant A’s issues, by code, on every path', async () => {
      await notFound(() => getIssue(s, bAdmin, theirIssue));
      await notFound(() => retrieveDocument(s, bAdmin, theirIssue, 'api'));
      await notFound(() => retrieveDocument(s, b.lms, theirIssue, 'api'));
      await notFound(() => issueAudit(s, bAdmin, theirIssue));
      await notFound(() => issueDataForPreview(s, bAdmin, theirIssue));
      await notFound(() => previewTemplate(s, bAdmin, { templateId: b.templateId, version: 1, issue: theirIssue }));
      await notFound(() => revokeIssue(s, bAdmin, theirIssue, 'mine'));
      await notFound(() => regenerateIssue(s, bAdmin, theirIssue));
      await notFound(() => regenerateIssue(s, bAdmin, theirIssue, { templateVersionId: b.version.id }));
      await notFound(() => deleteIssue(s, bAdmin, theirIssue, 'mine'));
      await notFound(() => createDownloadLink(s, bAdmin, theirIssue));
      expect((await setLocked(s, bAdmin, [theirIssue], true, 'mine'))[0]).toMatchObject({ ok: false, error: { code: 'ISSUE_NOT_FOUND' } });
      expect((await listIssues(s, bAdmin, {})).issues.map((i) => i.code)).not.toContain(theirIssue);
      expect(await listRefusals(s, bAdmin, { certificateId: a.certificate.id })).toEqual([]);
      const still = await getIssue(s, a.admin, theirIssue);
      expect(still).toMatchObject({ state: 'issued', locked: false, revision: 1 });
    });

    it('cannot regenerate its own issue with A’s template version', async () => {
      const mine = (
        await requestDocument(s, b.lms, { certificateId: b.certificate.id, learnerId: 'b-learner', data: learnerData(), available: true })
      ).issue.code;
      await notFound(() => regenerateIssue(s, bAdmin, mine, { templateVersionId: a.version.id }));
    });

    it('hides tenant A’s tokens, people and secrets', async () => {
      await notFound(() => revokeToken(s, bAdmin, theirTokenId));
      expect((await listTokens(s, bAdmin)).map((t) => t.id)).not.toContain(theirTokenId);
      expect((await listPeople(s, bAdmin)).map((p) => p.username)).not.toContain('a-only');
      expect(await webhookSecret(s, bAdmin)).not.toBe(await webhookSecret(s, a.admin));
      expect((await listTokens(s, a.admin)).find((t) => t.id === theirTokenId)?.revokedAt).toBeNull();
    });
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { regenerateIssue, requestDocument, revokeIssue, setLocked } from '../../../server/domain/issues';
import { openPassword, sealPassword } from '../../../server/domain/mail/smtp-settings';
import {
  ENGINES,
  domainFailure,
  freshServices,
  learnerData,
  setupTenant,
  useRenderPool,
  type TenantFixture,
  type TestServices,
} from '../../support/storage';

/**
 * The outbox without HTTP: every change of an issue the domain makes writes its event in the same
 * transaction, and a change that does not happen (refused, or already made by a concurrent caller) writes none.
 */
const pool = useRenderPool(1);

describe.each(ENGINES)('the issue events outbox (%s)', (engine) => {
  let services: TestServices;
  let t: TenantFixture;
  beforeAll(async () => {
    services = await freshServices(engine, { pool: pool() });
    t = await setupTenant(services);
  }, 60_000);
  const events = async (issueId: string) =>
    (await services.storage.db.selectFrom('issue_events').select('event').where('issue_id', '=', issueId).orderBy('at').execute()).map(
      (r) => r.event,
    );

  it('records one event per change, none for a change refused or already made', async () => {
    const { issue } = await requestDocument(services, t.lms, {
      certificateId: t.certificate.id,
      learnerId: 'O1',
      available: true,
      data: learnerData(),
    });
    const row = await services.storage.db.selectFrom('issues').select('id').where('code', '=', issue.code).executeTakeFirstOrThrow();
    expect(await events(row.id)).toEqual(['issued']);
    // Asking again gives the same document: nothing happened, nothing is told.
    await requestDocument(services, t.lms, { certificateId: t.certificate.id, learnerId: 'O1', available: true, data: learnerData() });
    await Promise.all([setLocked(services, t.admin, [issue.code], true, 'a'), setLocked(services, t.admin, [issue.code], true, 'b')]);
    expect(await events(row.id)).toEqual(['issued', 'locked']);
    await regenerateIssue(services, t.admin, issue.code, { reason: 'fix' });
    await revokeIssue(services, t.admin, issue.code, 'error');
    expect((await domainFailure(() => revokeIssue(services, t.admin, issue.code, 'again'))).code).toBe('ALREADY_REVOKED');
    expect(await events(row.id)).toEqual(['issued', 'locked', 'regenerated', 'revoked']);
    const payload = await services.storage.db
      .selectFrom('issue_events')
      .select('payload')
      .where('issue_id', '=', row.id)
      .where('event', '=', 'revoked')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(payload.payload)).toMatchObject({ code: issue.code, state: 'revoked', locked: true, revision: 2 });
  });
});

describe('the SMTP password at rest', () => {
  it('is sealed with the installation key when there is one, and opens only with it', () => {
    const previous = process.env.ATTEST_SECRET_KEY;
    try {
      delete process.env.ATTEST_SECRET_KEY;
      expect(openPassword(sealPassword('pw-1'))).toBe('pw-1');
      process.env.ATTEST_SECRET_KEY = 'installation key';
      const sealed = sealPassword('pw-2');
      expect(sealed).not.toContain('pw-2');
      expect(sealed).not.toBe(sealPassword('pw-2')); // a fresh IV each time
      expect(openPassword(sealed)).toBe('pw-2');
      process.env.ATTEST_SECRET_KEY = 'another key';
      expect(() => openPassword(sealed)).toThrow();
    } finally {
      if (previous === undefined) delete process.env.ATTEST_SECRET_KEY;
      else process.env.ATTEST_SECRET_KEY = previous;
    }
  });
});

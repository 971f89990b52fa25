import { beforeAll, describe, expect, it } from 'vitest';
import { issueAudit, requestDocument, retrieveDocument, type IssueView } from '../../../server/domain/issues';
import { sha256Hex } from '../../../server/domain/hashing';
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

const pool = useRenderPool(1);

/**
 * A download reads the issue, its certificate and its revision's hash in one statement
 * (repositories/issues.ts issueForDelivery): the same answers and refusals as when they were three.
 */
describe.each(ENGINES)('downloading a document (%s)', (engine) => {
  let s: TestServices;
  let fx: TenantFixture;
  let other: TenantFixture;
  const request = async (learnerId: string): Promise<IssueView> =>
    (await requestDocument(s, fx.lms, { certificateId: fx.certificate.id, learnerId, data: learnerData(), available: true })).issue;

  beforeAll(async () => {
    s = await freshServices(engine, { pool: pool() });
    fx = await setupTenant(s);
    other = await setupTenant(s);
  });

  it('serves the current revision’s bytes and records the first delivery once', async () => {
    const issue = await request('learner-1');
    const first = await retrieveDocument(s, fx.lms, issue.code, 'api');
    expect(first.sha256).toBe(sha256Hex(first.pdf));
    expect(first.issue.code).toBe(issue.code);
    // A code typed in lower case, with its dashes or without, is the same code.
    const again = await retrieveDocument(s, fx.admin, issue.code.toLowerCase(), 'api');
    expect(again.sha256).toBe(first.sha256);
    const delivered = (await issueAudit(s, fx.admin, issue.code)).filter((e) => e.action === 'delivered');
    expect(delivered).toHaveLength(1);
    expect(delivered[0]!.details).toEqual({ channel: 'api' });
  });

  it('knows no other tenant’s code and no malformed one', async () => {
    const issue = await request('learner-2');
    expect((await domainFailure(() => retrieveDocument(s, other.admin, issue.code, 'api'))).code).toBe('ISSUE_NOT_FOUND');
    expect((await domainFailure(() => retrieveDocument(s, fx.admin, 'not a code', 'api'))).code).toBe('ISSUE_NOT_FOUND');
  });

  it('says the file is missing when the revision’s row is, without recording a delivery', async () => {
    const issue = await request('learner-3');
    const row = await s.storage.db.selectFrom('issues').select('id').where('code', '=', issue.code).executeTakeFirstOrThrow();
    await s.storage.db.updateTable('issues').set({ revision: 2 }).where('id', '=', row.id).execute();
    expect((await domainFailure(() => retrieveDocument(s, fx.admin, issue.code, 'api'))).code).toBe('DOCUMENT_MISSING');
    expect((await issueAudit(s, fx.admin, issue.code)).some((e) => e.action === 'delivered')).toBe(false);
  });
});

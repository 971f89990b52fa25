import { beforeAll, describe, expect, it } from 'vitest';
import { createCertificate } from '../../../server/domain/certificates';
import { sha256Hex } from '../../../server/domain/hashing';
import { requestDocument, regenerateIssue } from '../../../server/domain/issues';
import { versionPayload } from '../../../server/domain/templates';
import { compileTemplate } from '../../../templates/compile';
import { renderDocument } from '../../../templates/render';
import { freshServices, learnerData, setupTenant, useRenderPool, type TenantFixture, type TestServices } from '../../support/storage';

/**
 * The issue path binds the learner's data once, in the domain, and the worker renders that bound value.
 * What it makes is byte for byte what binding the issue's kept data and rendering it in one go makes:
 * the server's own fields decided after binding (the expiry) included.
 */
const pool = useRenderPool(1);

describe('an issue’s data, bound once', () => {
  let s: TestServices;
  let fx: TenantFixture;

  beforeAll(async () => {
    s = await freshServices('sqlite', { pool: pool() });
    fx = await setupTenant(s);
  });

  const inProcess = async (code: string) => {
    const row = await s.storage.db.selectFrom('issues').select(['data', 'pdf_sha256']).where('code', '=', code).executeTakeFirstOrThrow();
    const payload = await versionPayload(s.storage.db, fx.version);
    const compiled = await compileTemplate(payload.source, { loadAsset: (file) => payload.assets[file] });
    const pdf = renderDocument(compiled.template!, JSON.parse(row.data), { documentId: code, tagged: true }).pdf!;
    return { stored: row.pdf_sha256, again: sha256Hex(pdf) };
  };

  it('makes the same bytes as binding the kept data and rendering it, with an expiry set after binding', async () => {
    const certificate = await createCertificate(s, fx.system, {
      name: 'Valid two years',
      templateVersionId: fx.version.id,
      courseId: 'course-1',
      settings: { validity_days: 730 },
    });
    const { issue } = await requestDocument(s, fx.lms, {
      certificateId: certificate.id,
      learnerId: 'bound-once',
      data: learnerData(),
      available: true,
    });
    expect(issue.expiresOn).toBe('2028-02-03');
    const { stored, again } = await inProcess(issue.code);
    expect(stored).toBe(issue.sha256);
    expect(again).toBe(issue.sha256);
  });

  it('and so does a regeneration', async () => {
    const { issue } = await requestDocument(s, fx.lms, {
      certificateId: fx.certificate.id,
      learnerId: 'bound-again',
      data: learnerData(),
      available: true,
    });
    const regenerated = await regenerateIssue(s, fx.admin, issue.code, { reason: 'test' });
    expect(regenerated.revision).toBe(2);
    expect((await inProcess(issue.code)).again).toBe(regenerated.sha256);
  });
});

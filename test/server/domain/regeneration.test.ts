import { beforeAll, describe, expect, it } from 'vitest';
import {
  enterLearnerRecord,
  issueAudit,
  requestDocument,
  retrieveDocument,
  revokeIssue,
  type IssueView,
} from '../../../server/domain/issues';
import {
  getRun,
  previewRegeneration,
  regenerateChunk,
  regenerateItems,
  runReport,
  startRegeneration,
  type RegenerationRequest,
  type RunView,
} from '../../../server/domain/regeneration';
import { checkUploadedDocument } from '../../../server/domain/verification';
import { createCertificate, updateCertificate } from '../../../server/domain/certificates';
import { getTemplate, publishTemplate, updateTemplate } from '../../../server/domain/templates';
import { updateTenantSettings } from '../../../server/domain/tenants';
import { openQueue, type JobQueue } from '../../../server/jobs/queue';
import { runFinished, startQueueWorkers, workQueue } from '../../../server/jobs/workers';
import { runById } from '../../../server/storage/repositories/regenerations';
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

const pool = useRenderPool(2);

/** Works the queue until the run is finished (bounded: the loop ends when the run does). */
async function finish(s: TestServices, queue: JobQueue, runId: string): Promise<void> {
  await workQueue(s, queue, { idleMs: 20, recoverEvery: 5, until: () => runFinished(s, runId) });
}

describe.each(ENGINES)('mass regeneration (%s)', (engine) => {
  let s: TestServices;
  let fx: TenantFixture;
  let queue: JobQueue;
  const issued: IssueView[] = [];
  let otherCertificate: string;

  const start = async (request: RegenerationRequest) =>
    (await startRegeneration(s, fx.admin, request, (trx, run, chunks) => queue.enqueue(run, chunks, { trx }))).run;
  const run = async (request: RegenerationRequest): Promise<RunView> => {
    const r = await start(request);
    await finish(s, queue, r.id);
    return getRun(s, fx.admin, r.id);
  };
  const regenerated = async (code: string) => (await issueAudit(s, fx.admin, code)).filter((a) => a.action === 'regenerated');
  const renamed = (lastname: string) => {
    const data = learnerData();
    data.learner = { ...(data.learner as object), lastname, fullname: `Camille ${lastname}` };
    return data;
  };
  const rowOf = (code: string) => s.storage.db.selectFrom('issues').selectAll().where('code', '=', code).executeTakeFirstOrThrow();

  beforeAll(async () => {
    process.env.ATTEST_REGENERATE_CHUNK = '4';
    s = await freshServices(engine, { pool: pool() });
    fx = await setupTenant(s);
    queue = await openQueue(s);
    otherCertificate = (
      await createCertificate(s, fx.system, { name: 'Autre', templateVersionId: fx.version.id, courseId: 'course-2', settings: {} })
    ).id;
    for (let i = 0; i < 10; i++) {
      if (i === 5) s.clock.advance(2 * 24 * 3600_000);
      const certificateId = i < 8 ? fx.certificate.id : otherCertificate;
      const { issue } = await requestDocument(s, fx.lms, {
        certificateId,
        learnerId: `learner-${i}`,
        data: learnerData(),
        available: true,
      });
      issued.push(issue);
    }
    await revokeIssue(s, fx.admin, issued[9]!.code, 'test');
    return async () => {
      delete process.env.ATTEST_REGENERATE_CHUNK;
      await queue.close();
    };
  });

  it('selects exactly what the filters say (dry run)', async () => {
    const count = async (selection: RegenerationRequest['selection']) => previewRegeneration(s, fx.admin, { selection });
    expect(await count({})).toEqual({ selected: 10, toRegenerate: 9, skipped: { ISSUE_REVOKED: 1 } });
    expect((await count({ certificateIds: [otherCertificate] })).selected).toBe(2);
    expect((await count({ learnerIds: ['learner-1', 'learner-3', 'nobody'] })).selected).toBe(2);
    expect((await count({ issuedFrom: issued[5]!.issuedOn })).selected).toBe(5);
    expect((await count({ issuedTo: issued[0]!.issuedOn })).selected).toBe(5);
    expect(await count({ states: ['revoked'] })).toEqual({ selected: 1, toRegenerate: 0, skipped: { ISSUE_REVOKED: 1 } });
    expect((await count({ templateVersionIds: ['another'] })).selected).toBe(0);
    expect((await domainFailure(() => count({ issuedFrom: 'yesterday' }))).code).toBe('SELECTION_INVALID');
    expect((await domainFailure(() => previewRegeneration(s, fx.admin, { selection: {}, templateVersionId: 'nope' }))).code).toBe(
      'VERSION_NOT_FOUND',
    );
  });

  it('regenerates a filtered selection: codes and issue days kept, revision + 1, version recorded, the old revision superseded', async () => {
    const oldPdf = (await retrieveDocument(s, fx.admin, issued[1]!.code, 'api')).pdf;
    // A corrected name, so the new revision's bytes differ from the old one's.
    await enterLearnerRecord(s, fx.lms, {
      certificateId: fx.certificate.id,
      learnerId: 'learner-1',
      data: renamed('Martin-Durand'),
      available: true,
    });
    const view = await run({ selection: { learnerIds: ['learner-1', 'learner-3'] }, reason: 'new logo' });
    expect(view).toMatchObject({ state: 'complete', selected: 2, counts: { pending: 0, done: 2, skipped: 0, failed: 0 } });
    for (const i of [1, 3]) {
      const row = await rowOf(issued[i]!.code);
      expect(row).toMatchObject({ code: issued[i]!.code, issued_on: issued[i]!.issuedOn, revision: 2, template_version_id: fx.version.id });
      const entries = await regenerated(issued[i]!.code);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ reason: 'new logo', details: { revision: 2, templateVersion: 1, run: view.id } });
      const revisions = await s.storage.db
        .selectFrom('documents')
        .select(['revision', 'template_version_id'])
        .where('issue_id', '=', row.id)
        .orderBy('revision')
        .execute();
      expect(revisions).toEqual([
        { revision: 1, template_version_id: fx.version.id },
        { revision: 2, template_version_id: fx.version.id },
      ]);
    }
    for (const i of [0, 2, 4]) expect((await rowOf(issued[i]!.code)).revision).toBe(1);
    const newPdf = (await retrieveDocument(s, fx.admin, issued[1]!.code, 'api')).pdf;
    expect((await checkUploadedDocument(s, issued[1]!.code, newPdf)).match).toBe('current');
    expect((await checkUploadedDocument(s, issued[1]!.code, oldPdf)).match).toBe('superseded');
  });

  it('with --changed-only makes again only what changed since its last render', async () => {
    // Nothing changed: every live document is skipped as unchanged, the revoked one as revoked.
    const none = await run({ selection: {}, changedOnly: true });
    expect(none.counts).toEqual({ pending: 0, done: 0, skipped: 10, failed: 0 });
    expect(none.skipped).toEqual({ UNCHANGED: 9, ISSUE_REVOKED: 1 });
    // The LMS sends a corrected name for two learners: those two.
    for (const i of [2, 6])
      await enterLearnerRecord(s, fx.lms, {
        certificateId: fx.certificate.id,
        learnerId: `learner-${i}`,
        data: renamed(`Martin-${i}`),
        available: true,
      });
    const two = await run({ selection: {}, changedOnly: true });
    expect(two.counts).toMatchObject({ done: 2, failed: 0 });
    expect((await rowOf(issued[2]!.code)).revision).toBe(2);
    expect((await rowOf(issued[6]!.code)).revision).toBe(2);
    expect((await rowOf(issued[0]!.code)).revision).toBe(1);
    // The new name is printed.
    const { pdftotext, writeTemp } = await import('../../templates/pdf/helpers');
    expect(pdftotext(writeTemp((await retrieveDocument(s, fx.admin, issued[6]!.code, 'api')).pdf))).toContain('Martin-6');
    // A new template version on one certificate: its documents; the organisation: every document.
    const draft = await getTemplate(s, fx.admin, fx.templateId);
    await updateTemplate(s, fx.admin, fx.templateId, { source: draft.source.replace('Nous, soussignés,', 'Nous, soussignés (v2),') });
    const { version: v2 } = await publishTemplate(s, fx.admin, fx.templateId);
    await updateCertificate(s, fx.admin, otherCertificate, { templateVersionId: v2.id });
    const versioned = await run({ selection: {}, changedOnly: true });
    expect(versioned.counts).toMatchObject({ done: 1, failed: 0 });
    expect(await rowOf(issued[8]!.code)).toMatchObject({ revision: 2, template_version_id: v2.id });
    await updateTenantSettings(s, fx.admin, { organization: { name: 'Institut renommé' } });
    expect((await previewRegeneration(s, fx.admin, { selection: {}, changedOnly: true })).toRegenerate).toBe(9);
  });

  it('records a document that cannot be made as failed, with its code and message, and makes the others', async () => {
    // A record that no longer fits the template (as if written before a stricter contract).
    await s.storage.db
      .updateTable('learner_records')
      .set({ data: JSON.stringify({ ...learnerData(), learner: 'not an object' }) })
      .where('learner_id', '=', 'learner-4')
      .execute();
    const view = await run({ selection: { certificateIds: [fx.certificate.id] } });
    expect(view.counts).toMatchObject({ pending: 0, failed: 1, done: 7 });
    const report = await runReport(s, view.id);
    expect(report).toEqual([
      expect.objectContaining({ code: issued[4]!.code, status: 'failed', errorCode: 'DATA_INVALID', learnerId: 'learner-4' }),
    ]);
    expect(report[0]!.message).toContain('learner');
    expect((await rowOf(issued[4]!.code)).revision).toBe(1);
  });

  it('does nothing for a chunk delivered again, or worked by two workers at once', async () => {
    const view = await start({ selection: { certificateIds: [otherCertificate] }, reason: 'twice' });
    const row = (await runById(s.storage.db, view.id))!;
    const first = await regenerateChunk(s, row, 0);
    expect(first).toMatchObject({ regenerated: 1, skipped: 0 });
    // pg-boss delivers at least once: the same chunk again is a no-op.
    expect(await regenerateChunk(s, row, 0)).toEqual({ regenerated: 0, skipped: 0, failed: 0, alreadyFinished: 0 });
    // Even when the second delivery read the items before the first recorded them.
    const again = await start({ selection: { certificateIds: [otherCertificate] }, reason: 'raced' });
    const raced = (await runById(s.storage.db, again.id))!;
    const issueIds = [(await rowOf(issued[8]!.code)).id];
    const both = await Promise.all([regenerateItems(s, raced, issueIds), regenerateItems(s, raced, issueIds)]);
    expect(both.map((o) => o.regenerated).sort()).toEqual([0, 1]);
    expect(both.reduce((n, o) => n + o.alreadyFinished, 0)).toBe(1);
    expect((await regenerated(issued[8]!.code)).filter((e) => e.reason === 'raced')).toHaveLength(1);
    // Through the queue: the run's chunks put on it a second time change nothing.
    await queue.enqueue(raced, [0], { again: true });
    await finish(s, queue, raced.id);
    expect((await regenerated(issued[8]!.code)).filter((e) => e.reason === 'raced')).toHaveLength(1);
    expect((await getRun(s, fx.admin, raced.id)).state).toBe('complete');
  });

  it('finds the unfinished run of the same request instead of starting another', async () => {
    const a = await start({ selection: { learnerIds: ['learner-0'] } });
    const b = await startRegeneration(s, fx.admin, { selection: { learnerIds: ['learner-0'] } });
    expect(b).toMatchObject({ created: false, run: { id: a.id } });
    await finish(s, queue, a.id);
    const c = await start({ selection: { learnerIds: ['learner-0'] } });
    expect(c.id).not.toBe(a.id);
    await finish(s, queue, c.id);
    // Once by the run of the failing document, once by each of these two runs.
    expect(await regenerated(issued[0]!.code)).toHaveLength(3);
    expect((await domainFailure(() => getRun(s, fx.system, 'no-such-run'))).code).toBe('REGENERATION_RUN_NOT_FOUND');
  });

  it('is worked by the queue workers a long-running process (attest serve) starts', async () => {
    const workers = startQueueWorkers(s, { idleMs: 20 });
    try {
      const view = await start({ selection: { learnerIds: ['learner-5', 'learner-7'] }, reason: 'served' });
      // A bounded poll: the workers record the run's two documents, then it is complete.
      for (let i = 0; i < 1500 && !(await runFinished(s, view.id)); i++) await new Promise((r) => setTimeout(r, 20));
      expect((await getRun(s, fx.admin, view.id)).counts).toMatchObject({ done: 2, pending: 0 });
      expect((await regenerated(issued[5]!.code)).filter((e) => e.reason === 'served')).toHaveLength(1);
    } finally {
      await workers.stop();
    }
  });
});

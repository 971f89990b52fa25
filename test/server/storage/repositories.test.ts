import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage, type Storage } from '../../../server/storage/database';
import { inTransaction, ping } from '../../../server/storage/db';
import type { IssueTable } from '../../../server/storage/schema';
import { insertCertificate } from '../../../server/storage/repositories/certificates';
import { claimKey, forgetAnswerBefore, keepAnswer, keptAnswer } from '../../../server/storage/repositories/idempotency';
import {
  insertIssue,
  issueByCode,
  issuesOf,
  markFirstDelivery,
  revokeIssueRow,
  setIssueLocked,
} from '../../../server/storage/repositories/issues';
import { insertTenant, tenantBySlug } from '../../../server/storage/repositories/tenants';
import { insertTemplate, insertVersion, lastVersionNumber } from '../../../server/storage/repositories/templates';
import { insertToken, revokeTokens, tokensOf } from '../../../server/storage/repositories/tokens';
import { deleteReceiptsBefore, rememberReceipt } from '../../../server/storage/repositories/webhook-receipts';
import { ENGINES, scratchDatabase, type ScratchDatabase } from '../../support/storage';

/** Repositories hold no rules, but their conditional writes are what make concurrent requests safe: each on both engines. */
const AT = '2026-03-10T09:00:00.000Z';

function issue(patch: Partial<IssueTable> = {}): IssueTable {
  return {
    id: crypto.randomUUID(),
    tenant_id: 't1',
    certificate_id: 'c1',
    learner_id: 'L-1',
    code: 'AAAAA-BBBBB-CCCCC-DDDDD',
    state: 'issued',
    locked: 0,
    issued_on: '2026-03-10',
    achieved_on: null,
    expires_on: null,
    data: '{}',
    template_version_id: 'v1',
    revision: 1,
    pdf_sha256: 'x'.repeat(64),
    created_at: AT,
    rendered_at: AT,
    first_delivered_at: null,
    first_delivery_channel: null,
    revoked_at: null,
    revoked_reason: null,
    ...patch,
  };
}

describe.each(ENGINES)('repositories (%s)', (engine) => {
  let scratch: ScratchDatabase;
  let storage: Storage;

  beforeAll(async () => {
    scratch = await scratchDatabase(engine);
    storage = await openStorage(scratch.url);
    const db = storage.db;
    await insertTenant(db, { id: 't1', slug: 'repo', name: 'Repo', settings: '{}', webhook_secret: 'w', link_secret: 'l', created_at: AT });
    await insertTemplate(db, {
      id: 'tp1',
      tenant_id: 't1',
      name: 'T',
      draft_source: '',
      draft_assets: '{}',
      created_at: AT,
      updated_at: AT,
      deleted_at: null,
    });
    await insertVersion(db, {
      id: 'v1',
      tenant_id: 't1',
      template_id: 'tp1',
      number: 1,
      source: '',
      assets: '{}',
      content_hash: 'h',
      published_at: AT,
      published_by: 'system',
    });
    await insertCertificate(db, {
      id: 'c1',
      tenant_id: 't1',
      name: 'C',
      template_version_id: 'v1',
      course_id: 'course-1',
      activity_id: null,
      settings: '{}',
      created_at: AT,
      updated_at: AT,
    });
  });
  afterAll(async () => {
    await storage?.close();
    await scratch?.drop();
  });

  it('answers a ping, and finds what it inserted', async () => {
    await expect(ping(storage.db)).resolves.toBeUndefined();
    expect((await tenantBySlug(storage.db, 'repo'))?.id).toBe('t1');
    expect(await lastVersionNumber(storage.db, 'tp1')).toBe(1);
    expect(await lastVersionNumber(storage.db, 'none')).toBe(0);
  });

  it('inserts one issue per learner and certificate: the second says it was not inserted', async () => {
    const first = issue({ learner_id: 'L-once', code: 'AAAAA-AAAAA-AAAAA-AAAA1' });
    expect(await insertIssue(storage.db, first)).toBe(true);
    expect(await insertIssue(storage.db, issue({ learner_id: 'L-once', code: 'AAAAA-AAAAA-AAAAA-AAAA2' }))).toBe(false);
    expect((await issueByCode(storage.db, 't1', first.code))?.id).toBe(first.id);
    expect(await issueByCode(storage.db, 'other-tenant', first.code)).toBeUndefined();
  });

  it('changes lock, first delivery and revocation only once: the later call says it changed nothing', async () => {
    const row = issue({ learner_id: 'L-cond', code: 'AAAAA-AAAAA-AAAAA-AAAA3' });
    await insertIssue(storage.db, row);
    expect(await setIssueLocked(storage.db, row.id, true)).toBe(true);
    expect(await setIssueLocked(storage.db, row.id, true)).toBe(false);
    expect(await markFirstDelivery(storage.db, row.id, AT, 'api')).toBe(true);
    expect(await markFirstDelivery(storage.db, row.id, AT, 'link')).toBe(false);
    expect(await revokeIssueRow(storage.db, row.id, AT, 'error')).toBe(true);
    expect(await revokeIssueRow(storage.db, row.id, AT, 'again')).toBe(false);
    expect(await issueByCode(storage.db, 't1', row.code)).toMatchObject({
      locked: 1,
      first_delivery_channel: 'api',
      state: 'revoked',
      revoked_reason: 'error',
    });
  });

  it('rolls a transaction back whole when its work fails', async () => {
    const row = issue({ learner_id: 'L-rollback', code: 'AAAAA-AAAAA-AAAAA-AAAA4' });
    await expect(
      inTransaction(storage.db, async (trx) => {
        await insertIssue(trx, row);
        throw new Error('stop');
      }),
    ).rejects.toThrow('stop');
    expect(await issueByCode(storage.db, 't1', row.code)).toBeUndefined();
  });

  it('lists issues by state against the day given: expired is issued with an expiry before it', async () => {
    await insertIssue(storage.db, issue({ learner_id: 'L-exp', code: 'AAAAA-AAAAA-AAAAA-AAAA5', expires_on: '2026-03-09' }));
    await insertIssue(storage.db, issue({ learner_id: 'L-today', code: 'AAAAA-AAAAA-AAAAA-AAAA6', expires_on: '2026-03-10' }));
    const codes = async (state: 'issued' | 'expired') =>
      (await issuesOf(storage.db, 't1', { state, today: '2026-03-10', limit: 50 })).map((r) => r.code);
    expect(await codes('expired')).toEqual(['AAAAA-AAAAA-AAAAA-AAAA5']);
    expect(await codes('issued')).toContain('AAAAA-AAAAA-AAAAA-AAAA6');
    expect(await codes('issued')).not.toContain('AAAAA-AAAAA-AAAAA-AAAA5');
  });

  it('revokes only tokens not revoked yet', async () => {
    const token = (id: string, revoked_at: string | null) => ({
      id,
      tenant_id: 't1',
      name: id,
      secret_hash: 'h',
      capabilities: '[]',
      created_by: null,
      created_by_token: null,
      created_at: AT,
      revoked_at,
      last_used_at: null,
      expires_at: null,
    });
    const a = crypto.randomUUID();
    const b = crypto.randomUUID();
    await insertToken(storage.db, token(a, null));
    await insertToken(storage.db, token(b, '2026-01-01T00:00:00.000Z'));
    await revokeTokens(storage.db, [a, b], AT);
    const byId = new Map((await tokensOf(storage.db, 't1')).map((t) => [t.id, t.revoked_at]));
    expect([byId.get(a), byId.get(b)]).toEqual([AT, '2026-01-01T00:00:00.000Z']);
  });

  it('claims an idempotency key once, and forgets only finished answers made before the time given', async () => {
    const row = {
      tenant_id: 't1',
      key: 'k-1',
      caller: 'token:a',
      operation: 'op',
      fingerprint: 'f',
      status: null,
      response: null,
      created_at: AT,
    };
    expect(await claimKey(storage.db, row)).toBe(true);
    expect(await claimKey(storage.db, row)).toBe(false);
    expect(await forgetAnswerBefore(storage.db, 't1', 'k-1', '2027-01-01T00:00:00.000Z')).toBe(false);
    await keepAnswer(storage.db, 't1', 'k-1', 201, '{}');
    expect(await keptAnswer(storage.db, 't1', 'k-1')).toMatchObject({ status: 201, response: '{}' });
    expect(await forgetAnswerBefore(storage.db, 't1', 'k-1', AT)).toBe(false);
    expect(await forgetAnswerBefore(storage.db, 't1', 'k-1', '2027-01-01T00:00:00.000Z')).toBe(true);
  });

  it('remembers a webhook signature once, and prunes receipts older than the time given', async () => {
    expect(await rememberReceipt(storage.db, 't1', 'sha256=1', AT)).toBe(true);
    expect(await rememberReceipt(storage.db, 't1', 'sha256=1', AT)).toBe(false);
    expect(await deleteReceiptsBefore(storage.db, AT)).toBe(0);
    expect(await deleteReceiptsBefore(storage.db, '2026-03-11T00:00:00.000Z')).toBe(1);
  });
});

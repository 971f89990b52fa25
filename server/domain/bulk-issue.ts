import { actorRef, iso, requireCapability, type Actor, type Services } from './context';
import { DomainError, notFound, type Problem, type Reason } from './errors';
import { newId } from './ids';
import { sha256Hex } from './hashing';
import {
  judgeRequest,
  judgingContext,
  requestDocument,
  type Judgement,
  type JudgingContext,
  type RenderWarning,
  type RequestInput,
} from './issues';
import { versionContract } from './templates';
import { readCsv, type CellProblem, type CsvUpload } from './bulk-csv';
import { inTransaction, type Db } from '../storage/db';
import type { BulkItemTable, BulkRunTable } from '../storage/schema';
import {
  bulkItemsOf,
  bulkRunById,
  completeBulkRun,
  finishBulkItem,
  insertBulkItems,
  insertBulkRun,
  issuedCodes,
  pendingBulkChunks,
  pendingBulkItems,
  pruneDryRuns,
  releaseBulkItems,
  startBulkRun,
} from '../storage/repositories/bulk-issues';

/**
 * Bulk issue, an explicit step (Moodle's plugins issue to a whole course the moment emailing is switched
 * on; here nothing is issued until a person has seen what would be):
 *
 * 1. A dry run judges every learner of a list (JSON, or a CSV file mapped to the template's variables)
 *    the way the single request would (issues.ts `judgeRequest`: already has a document, data problems
 *    from binding, the delivery rules' reasons) and writes nothing but the run itself: its items, and for
 *    each learner to issue what was sent for them.
 * 2. Confirming names the dry run and its fingerprint (what it judged by: the certificate, its template
 *    version, the tenant's settings); a run whose certificate, template or settings changed since is
 *    refused (409 BULK_CHANGED, with what changed). The items to issue go on the job queue (server/jobs/,
 *    the one mass regeneration uses, `kind` 'bulk-issue'), where each is issued through `requestDocument`:
 *    the same document when one exists, never a second. An item whose outcome differs from the dry run's
 *    (a document made meanwhile, a window that closed) says so (`changed`).
 * 3. Confirming again answers the same run (idempotent); the run's progress and each learner's outcome
 *    are read with `getBulkRun`.
 */
export type BulkSource = 'learners' | 'csv';
export type BulkState = 'dry-run' | 'running' | 'complete';
export type Expected = Judgement['verdict'];
export type ItemStatus = 'planned' | 'pending' | 'issued' | 'already' | 'refused' | 'invalid' | 'failed';

/** What a dry run may hold: ATTEST_BULK_MAX_ROWS changes it (default 5,000). */
export const maxBulkRows = (): number => {
  const n = Number(process.env.ATTEST_BULK_MAX_ROWS);
  return Number.isInteger(n) && n >= 1 && n <= 100_000 ? n : 5_000;
};

/** Items per job (one chunk, issued in order); ATTEST_BULK_CHUNK changes it for runs made after (tests). */
const chunkSize = (): number => {
  const n = Number(process.env.ATTEST_BULK_CHUNK);
  return Number.isInteger(n) && n >= 1 && n <= 1_000 ? n : 25;
};

/** A dry run not confirmed within a day is gone, with what was sent for its learners. */
export const DRY_RUN_HOURS = 24;

export interface BulkFindings {
  reasons?: Reason[];
  problems?: Problem[];
  warnings?: RenderWarning[];
  /** Why an item could not be issued though the dry run said it would (a render failure, …). */
  error?: { code: string; message: string };
}

export interface BulkItemView extends BulkFindings {
  position: number;
  /** The CSV row (the header is row 1); null for a JSON list. */
  row: number | null;
  learnerId: string;
  /** What the dry run said. */
  expected: Expected;
  status: ItemStatus;
  /** The document's code: the one issued, or the one the learner already had. */
  code: string | null;
  /** The outcome is not what the dry run said (only once confirmed). */
  changed: boolean;
}

export interface BulkCounts {
  total: number;
  /** What the dry run said, learner by learner. */
  wouldIssue: number;
  already: number;
  refused: number;
  invalid: number;
}

/** Of the learners to issue, once confirmed: how far the queue is, and how it went. */
export interface BulkProgress {
  toIssue: number;
  pending: number;
  done: number;
  issued: number;
  /** A document was made for them meanwhile (the same code is kept). */
  already: number;
  refused: number;
  invalid: number;
  failed: number;
}

export interface BulkRunView {
  id: string;
  certificateId: string;
  source: BulkSource;
  state: BulkState;
  /** What the dry run judged by; confirming sends it back. */
  fingerprint: string;
  counts: BulkCounts;
  progress: BulkProgress;
  createdAt: string;
  /** A dry run can be confirmed until then. */
  expiresAt: string | null;
  confirmedAt: string | null;
  finishedAt: string | null;
  items: BulkItemView[];
}

interface FingerprintParts {
  certificate: string;
  template: string;
  tenant: string;
}

function fingerprintParts(ctx: JudgingContext): FingerprintParts {
  const c = ctx.certificate;
  return {
    certificate: sha256Hex(JSON.stringify([c.id, c.name, c.templateVersionId, c.settings, c.updatedAt])),
    template: sha256Hex(JSON.stringify([ctx.version.id, ctx.version.contentHash])),
    tenant: sha256Hex(JSON.stringify([ctx.tenant.settings, ctx.people.map((p) => [p.displayName, [...p.holds].sort()])])),
  };
}

const fingerprintOf = (parts: FingerprintParts): string => sha256Hex(JSON.stringify([parts.certificate, parts.template, parts.tenant]));

function checkActor(actor: Actor): void {
  requireCapability(actor, 'issues:bulk');
  // What is printed comes from whoever may say it: the LMS or a manager, never a learner.
  requireCapability(actor, 'learners:supply-data');
}

export function checkRowCount(n: number): void {
  const limit = maxBulkRows();
  if (n > limit) {
    throw new DomainError('too-large', 'BULK_TOO_MANY_ROWS', `A bulk issue takes at most ${limit} learners; this one has ${n}.`, {
      details: { limit, rows: n },
    });
  }
}

interface Entry {
  input: RequestInput;
  row: number | null;
}

interface Judged extends Entry {
  judgement: Judgement;
}

async function judgeAll(
  services: Services,
  actor: Actor,
  ctx: JudgingContext,
  entries: readonly Entry[],
  bindAll: boolean,
): Promise<Judged[]> {
  const seen = new Set<string>();
  const out: Judged[] = [];
  const held = await issuedCodes(
    services.storage.db,
    actor.tenantId,
    ctx.certificate.id,
    entries.map((e) => e.input.learnerId),
  );
  for (const entry of entries) {
    if (seen.has(entry.input.learnerId)) {
      out.push({
        ...entry,
        judgement: {
          verdict: 'invalid',
          problems: [
            { path: 'learner_id', code: 'DUPLICATE_LEARNER', message: 'This learner is listed more than once; one document per learner.' },
          ],
        },
      });
      continue;
    }
    seen.add(entry.input.learnerId);
    out.push({
      ...entry,
      judgement: await judgeRequest(services, actor, ctx, entry.input, { bindAll, existing: held.get(entry.input.learnerId) ?? null }),
    });
  }
  return out;
}

function findingsOf(j: Judgement): BulkFindings {
  switch (j.verdict) {
    case 'issue':
      return j.warnings ? { warnings: j.warnings } : {};
    case 'already':
      return {};
    case 'refused':
      return { reasons: j.reasons, ...(j.warnings ? { warnings: j.warnings } : {}) };
    case 'invalid':
      return { problems: j.problems, ...(j.warnings ? { warnings: j.warnings } : {}) };
  }
}

/** Deletes the dry runs a day old, never confirmed, with what was sent for their learners (the server's housekeeping). */
export async function pruneBulkDryRuns(services: Services): Promise<number> {
  return pruneDryRuns(services.storage.db, iso(new Date(services.now().getTime() - DRY_RUN_HOURS * 3600_000)));
}

const json = (v: BulkFindings): string | null => (Object.keys(v).length ? JSON.stringify(v) : null);

async function storeDryRun(
  services: Services,
  actor: Actor,
  ctx: JudgingContext,
  source: BulkSource,
  judged: readonly Judged[],
  extra: (position: number) => BulkFindings = () => ({}),
): Promise<BulkRunView> {
  const db = services.storage.db;
  const now = services.now();
  await pruneBulkDryRuns(services);
  const parts = fingerprintParts(ctx);
  const run: BulkRunTable = {
    id: newId(),
    tenant_id: actor.tenantId,
    certificate_id: ctx.certificate.id,
    source,
    state: 'dry-run',
    fingerprint: JSON.stringify(parts),
    chunk_size: chunkSize(),
    total: judged.length,
    created_by: actorRef(actor),
    created_at: iso(now),
    confirmed_by: null,
    confirmed_at: null,
    finished_at: null,
  };
  const items: BulkItemTable[] = judged.map((j, position) => {
    const more = extra(position);
    const findings: BulkFindings = { ...findingsOf(j.judgement) };
    if (more.warnings?.length) findings.warnings = [...(findings.warnings ?? []), ...more.warnings];
    return {
      run_id: run.id,
      position,
      learner_id: j.input.learnerId,
      row_number: j.row,
      expected: j.judgement.verdict,
      status: 'planned',
      issue_code: j.judgement.verdict === 'already' ? j.judgement.code : null,
      findings: json(findings),
      // Only what is needed to issue: the learners the dry run would issue to.
      payload:
        j.judgement.verdict === 'issue'
          ? JSON.stringify({
              learner_id: j.input.learnerId,
              available: j.input.available,
              ...(j.input.unavailableReason !== undefined ? { unavailable_reason: j.input.unavailableReason } : {}),
              data: j.input.data,
            })
          : null,
      finished_at: null,
    };
  });
  await inTransaction(db, async (trx) => {
    await insertBulkRun(trx, run);
    await insertBulkItems(trx, items);
  });
  return runView(services, db, run);
}

/** A dry run of a list of learners, each as the LMS sends it for a single request. */
export async function dryRunBulk(
  services: Services,
  actor: Actor,
  certificateId: string,
  learners: readonly Omit<RequestInput, 'certificateId'>[],
): Promise<BulkRunView> {
  checkActor(actor);
  checkRowCount(learners.length);
  const ctx = await judgingContext(services, actor.tenantId, certificateId);
  const entries = learners.map((l) => ({ input: { ...l, certificateId }, row: null }));
  return storeDryRun(services, actor, ctx, 'learners', await judgeAll(services, actor, ctx, entries, false));
}

/**
 * A dry run of a CSV file whose columns are mapped to the template's variables. Every cell is checked
 * first, against the version's types (binding, as a request's data is): one bad cell anywhere and the
 * file is refused whole (422 BULK_CSV_INVALID) with every bad cell, its row and its column; nothing is
 * kept of it.
 */
export async function dryRunCsv(services: Services, actor: Actor, certificateId: string, upload: CsvUpload): Promise<BulkRunView> {
  checkActor(actor);
  const ctx = await judgingContext(services, actor.tenantId, certificateId);
  const csv = readCsv(upload, versionContract(ctx.version).schema, maxBulkRows());
  const cells: CellProblem[] = [...csv.problems];
  const entries = csv.rows.map((r) => ({ input: { ...r.input, certificateId }, row: r.row }));
  const judged = await judgeAll(services, actor, ctx, entries, true);
  judged.forEach((j, i) => {
    if (j.judgement.verdict !== 'invalid') return;
    const row = csv.rows[i]!;
    for (const p of j.judgement.problems) {
      const path = p.path.startsWith('data.') ? p.path.slice(5) : p.path;
      const column = path === 'learner_id' ? upload.learnerIdColumn : (row.columnOf(path) ?? null);
      cells.push({
        row: row.row,
        column,
        variable: path === 'learner_id' ? null : path,
        code: p.code,
        message: column === null ? `${p.message} (no column is mapped to ${path})` : p.message,
      });
    }
  });
  if (cells.length) {
    cells.sort((a, b) => a.row - b.row || String(a.column).localeCompare(String(b.column)));
    const shown = cells.slice(0, 5_000);
    throw new DomainError(
      'invalid',
      'BULK_CSV_INVALID',
      `${cells.length} cell(s) of the file do not fit the template; nothing was issued.`,
      {
        problems: shown.map((c) => ({ path: cellPath(c), code: c.code, message: c.message })),
        details: { cells: shown, count: cells.length, truncated: cells.length > shown.length },
      },
    );
  }
  return storeDryRun(services, actor, ctx, 'csv', judged, (i) => {
    const w = csv.rows[i]!.warnings;
    return w.length ? { warnings: w.map((c) => ({ code: c.code, message: c.message, path: cellPath(c) })) } : {};
  });
}

/** Where a cell is, written as a problem path: `rows[3]["Last name"]` (row 3 of the file, the header being row 1). */
export const cellPath = (c: { row: number; column: string | null; variable?: string | null }): string =>
  `rows[${c.row}]${c.column !== null ? `[${JSON.stringify(c.column)}]` : c.variable ? `.${c.variable}` : ''}`;

async function runOf(services: Services, actor: Actor, runId: string): Promise<BulkRunTable> {
  const row = await bulkRunById(services.storage.db, runId);
  if (!row || row.tenant_id !== actor.tenantId) throw notFound('The bulk issue', 'BULK_RUN_NOT_FOUND');
  return row;
}

/**
 * Confirms a dry run: its learners to issue go on the queue. `fingerprint` is the dry run's (what the
 * caller read); the certificate, its template version and the tenant's settings must still be what the
 * dry run judged by. Confirming a run already confirmed answers it (`created: false`), nothing twice.
 */
export async function confirmBulk(
  services: Services,
  actor: Actor,
  runId: string,
  fingerprint: string,
  enqueue?: (trx: Db, run: BulkRunTable, chunks: number[]) => Promise<void>,
): Promise<{ run: BulkRunView; created: boolean }> {
  checkActor(actor);
  const db = services.storage.db;
  const row = await runOf(services, actor, runId);
  const parts = JSON.parse(row.fingerprint) as FingerprintParts;
  if (fingerprint !== fingerprintOf(parts)) {
    throw new DomainError('conflict', 'BULK_FINGERPRINT_MISMATCH', 'This is not the fingerprint of this dry run; read the dry run again.');
  }
  if (row.state !== 'dry-run') return { run: await runView(services, db, row), created: false };
  const now = services.now();
  if (new Date(row.created_at).getTime() + DRY_RUN_HOURS * 3600_000 < now.getTime()) {
    throw new DomainError('gone', 'BULK_DRY_RUN_EXPIRED', `A dry run is confirmed within ${DRY_RUN_HOURS} hours; make a new one.`, {
      details: { hours: DRY_RUN_HOURS },
    });
  }
  const ctx = await judgingContext(services, actor.tenantId, row.certificate_id);
  const current = fingerprintParts(ctx);
  const changed = (Object.keys(current) as (keyof FingerprintParts)[]).filter((k) => current[k] !== parts[k]);
  if (changed.length) {
    throw new DomainError(
      'conflict',
      'BULK_CHANGED',
      `Since the dry run, these changed: ${changed.join(', ')}; nothing was issued. Make a new dry run.`,
      { details: { changed: changed.join(', '), parts: changed } },
    );
  }
  const at = iso(now);
  const started = await inTransaction(db, async (trx) => {
    if (!(await startBulkRun(trx, row.id, actorRef(actor), at))) return false;
    await releaseBulkItems(trx, row.id, at);
    const chunks = await pendingBulkChunks(trx, row.id, row.chunk_size);
    if (enqueue && chunks.length) await enqueue(trx, { ...row, state: 'running' }, chunks);
    return true;
  });
  await completeBulkRun(db, row.id, at);
  return { run: await runView(services, db, (await bulkRunById(db, row.id))!), created: started };
}

export async function getBulkRun(services: Services, actor: Actor, runId: string): Promise<BulkRunView> {
  checkActor(actor);
  const db = services.storage.db;
  return runView(services, db, await runOf(services, actor, runId));
}

/** Whether the run is finished (marking it so when its last items were recorded by a process that stopped before). */
export async function bulkRunFinished(services: Services, runId: string): Promise<boolean> {
  const db = services.storage.db;
  await completeBulkRun(db, runId, iso(services.now()));
  return (await bulkRunById(db, runId))?.state !== 'running';
}

async function runView(services: Services, db: Db, row: BulkRunTable): Promise<BulkRunView> {
  const items: BulkItemView[] = [];
  for (let offset = 0; offset < row.total; offset += 1000) {
    for (const r of await bulkItemsOf(db, row.id, offset, 1000)) {
      const expected = r.expected as Expected;
      const status = r.status as ItemStatus;
      const findings = r.findings ? (JSON.parse(r.findings) as BulkFindings) : {};
      const changed = row.state !== 'dry-run' && expected === 'issue' && status !== 'pending' && status !== 'issued';
      items.push({
        position: r.position,
        row: r.row_number,
        learnerId: r.learner_id,
        expected,
        status,
        code: r.issue_code,
        changed,
        ...findings,
      });
    }
  }
  const counts: BulkCounts = { total: row.total, wouldIssue: 0, already: 0, refused: 0, invalid: 0 };
  const progress: BulkProgress = { toIssue: 0, pending: 0, done: 0, issued: 0, already: 0, refused: 0, invalid: 0, failed: 0 };
  for (const i of items) {
    if (i.expected === 'issue') counts.wouldIssue++;
    else counts[i.expected]++;
    if (i.expected !== 'issue' || row.state === 'dry-run') continue;
    progress.toIssue++;
    if (i.status === 'pending') progress.pending++;
    else {
      progress.done++;
      if (i.status !== 'planned') progress[i.status]++;
    }
  }
  if (row.state === 'dry-run') progress.toIssue = counts.wouldIssue;
  return {
    id: row.id,
    certificateId: row.certificate_id,
    source: row.source as BulkSource,
    state: row.state as BulkState,
    fingerprint: fingerprintOf(JSON.parse(row.fingerprint) as FingerprintParts),
    counts,
    progress: { ...progress, pending: row.state === 'dry-run' ? counts.wouldIssue : progress.pending },
    createdAt: row.created_at,
    expiresAt: row.state === 'dry-run' ? iso(new Date(new Date(row.created_at).getTime() + DRY_RUN_HOURS * 3600_000)) : null,
    confirmedAt: row.confirmed_at,
    finishedAt: row.finished_at,
    items,
  };
}

// The queue's side ---------------------------------------------------------------------------------------

/** A failure that is the machine's, not the learner's: the chunk is tried again, its items stay pending. */
export class TransientBulkError extends Error {}

const TRANSIENT = new Set(['RENDER_CLOSED', 'RENDER_BUSY', 'STORAGE_FULL']);

function isTransient(e: DomainError): boolean {
  if (TRANSIENT.has(e.code)) return true;
  const codes = ((e.extra.details?.diagnostics ?? []) as { code?: string }[]).map((d) => d.code ?? '');
  return codes.some((c) => TRANSIENT.has(c));
}

interface Payload {
  learner_id: string;
  available: boolean;
  unavailable_reason?: string;
  data: Record<string, unknown>;
}

/** Learners of one chunk in the making at once. */
const ITEMS_AT_ONCE = 4;

export interface BulkChunkOutcome {
  issued: number;
  other: number;
}

/**
 * Chunk `chunk` of a confirmed run: its pending learners issued one after the other through the single
 * request's path, each outcome recorded as it comes (a chunk delivered again finds the finished ones
 * done). The run's confirmer is who the audit names.
 */
export async function bulkIssueChunk(services: Services, runId: string, chunk: number): Promise<BulkChunkOutcome> {
  const db = services.storage.db;
  const outcome: BulkChunkOutcome = { issued: 0, other: 0 };
  const run = await bulkRunById(db, runId);
  if (!run || run.state !== 'running') return outcome;
  const actor: Actor = { kind: 'system', tenantId: run.tenant_id, by: run.confirmed_by ?? run.created_by };
  const confirmedAt = run.confirmed_at ?? run.created_at;
  const issueOne = async (item: BulkItemTable): Promise<void> => {
    const payload = JSON.parse(item.payload ?? 'null') as Payload | null;
    let status: ItemStatus;
    let code: string | null = null;
    let findings: BulkFindings = {};
    if (!payload) {
      status = 'failed';
      findings = { error: { code: 'BULK_ISSUE_FAILED', message: 'What was sent for this learner is no longer held.' } };
    } else {
      try {
        const r = await requestDocument(services, actor, {
          certificateId: run.certificate_id,
          learnerId: payload.learner_id,
          data: payload.data,
          available: payload.available,
          ...(payload.unavailable_reason !== undefined ? { unavailableReason: payload.unavailable_reason } : {}),
        });
        code = r.issue.code;
        // Made by this run (or by an earlier delivery of this chunk that stopped before recording it).
        status = r.created || r.issue.createdAt >= confirmedAt ? 'issued' : 'already';
        if (r.warnings?.length) findings = { warnings: r.warnings };
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        if (isTransient(e)) throw new TransientBulkError(`${e.code}: ${e.message}`);
        if (e.code === 'DELIVERY_REFUSED') {
          status = 'refused';
          findings = { reasons: e.extra.reasons ?? [] };
        } else if (e.code === 'DATA_INVALID') {
          status = 'invalid';
          findings = { problems: e.extra.problems ?? [] };
        } else {
          status = 'failed';
          findings = { error: { code: e.code, message: e.message.slice(0, 1000) } };
        }
      }
    }
    const mine = await finishBulkItem(db, run.id, item.position, {
      status,
      issueCode: code,
      findings: json(findings),
      at: iso(services.now()),
    });
    if (mine && status === 'issued') outcome.issued++;
    else if (mine) outcome.other++;
  };
  // A few at a time: the render pool has documents waiting while one is recorded.
  const items = await pendingBulkItems(db, run.id, chunk * run.chunk_size, (chunk + 1) * run.chunk_size);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) await issueOne(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(ITEMS_AT_ONCE, items.length) }, lane));
  await completeBulkRun(db, run.id, iso(services.now()));
  return outcome;
}

/** A chunk that kept failing for reasons of the machine: its pending items are recorded as failed, so the run ends. */
export async function failBulkChunk(services: Services, runId: string, chunk: number, message: string): Promise<number> {
  const db = services.storage.db;
  const run = await bulkRunById(db, runId);
  if (!run) return 0;
  const at = iso(services.now());
  let n = 0;
  for (const item of await pendingBulkItems(db, run.id, chunk * run.chunk_size, (chunk + 1) * run.chunk_size)) {
    const findings = json({ error: { code: 'BULK_ISSUE_FAILED', message: message.slice(0, 1000) } });
    if (await finishBulkItem(db, run.id, item.position, { status: 'failed', issueCode: null, findings, at })) n++;
  }
  await completeBulkRun(db, run.id, at);
  return n;
}

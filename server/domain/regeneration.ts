import { actorRef, iso, isoDay, requireCapability, type Actor, type Services } from './context';
import { DomainError, notFound } from './errors';
import { newId } from './ids';
import { sha256Hex } from './hashing';
import { checkSelection, type IssueSelection } from './selection';
import { getVersion } from './templates';
import { makeAgain, recordRegenerations, regenerationInputs, RegenerationSources, stageRegenerated, type MadeAgain } from './issues';
import { inTransaction, type Db } from '../storage/db';
import type { IssueTable, RegenerationRunTable } from '../storage/schema';
import { selectedIssues } from '../storage/repositories/issues';
import {
  claimItems,
  completeRun,
  countItems,
  insertItems,
  insertRun,
  issuesByIds,
  markItems,
  openRun,
  pendingBetween,
  reportedItems,
  runById,
  setRunSelected,
  skippedByCode,
  type ItemCounts,
} from '../storage/repositories/regenerations';

/**
 * Mass regeneration: a run is one tenant's selection of issued documents, frozen into items when it
 * starts, each made again with its certificate's current template version (or the one asked for),
 * keeping its code and issue day; the earlier revision stays stored and verifies as superseded.
 *
 * Exactly once: an item is marked done in the same transaction as its issue's new revision (conditional
 * on it still being pending), so a run stopped at any point and taken up again makes each document once,
 * and a chunk delivered twice (pg-boss delivers at least once) finds nothing left to do.
 *
 * Work is cut into chunks of positions (chunk k: items [k × size, (k + 1) × size)); a queue (server/jobs/)
 * hands chunks to workers, which render a chunk's documents together, stage their files side by side and
 * record the whole chunk in one transaction.
 *
 * Changed-only: a document has changed when the SHA-256 of what it would be made from now differs from
 * the one kept with its current revision (issues.ts `inputsHash`: the template version's content, the
 * learner's record as held now, the tenant's organisation and printed people, the certificate's name and
 * settings, code and dates). A document without a kept hash (made before it was kept, imported) has changed.
 */
export interface RegenerationRequest {
  selection: IssueSelection;
  /** Only documents whose inputs changed since their last render. */
  changedOnly?: boolean;
  /** The version to make them with; default: each certificate's current one. */
  templateVersionId?: string;
  reason?: string;
}

export type RunState = 'running' | 'complete';

export interface RunView {
  id: string;
  tenantId: string;
  state: RunState;
  selection: IssueSelection;
  changedOnly: boolean;
  templateVersionId: string | null;
  reason: string | null;
  selected: number;
  counts: ItemCounts;
  /** Skipped items by reason: ISSUE_REVOKED, UNCHANGED. */
  skipped: Record<string, number>;
  chunkSize: number;
  createdAt: string;
  finishedAt: string | null;
}

/** Items per chunk (one job, one transaction); ATTEST_REGENERATE_CHUNK changes it for runs started after (tests). */
export const CHUNK_SIZE = 100;
const chunkSize = () => {
  const n = Number(process.env.ATTEST_REGENERATE_CHUNK);
  return Number.isInteger(n) && n >= 1 && n <= 10_000 ? n : CHUNK_SIZE;
};

/** What a run's row is to the workers: read once per chunk. */
export type RunRow = RegenerationRunTable;

const REVOKED = { code: 'ISSUE_REVOKED', message: 'A revoked document is not made again.' };
const UNCHANGED = { code: 'UNCHANGED', message: 'Nothing it is made from changed since its last render (--changed-only).' };

function fingerprint(request: RegenerationRequest): string {
  const s = request.selection;
  const sorted = (xs?: readonly string[]) => (xs?.length ? [...new Set(xs)].sort() : null);
  return sha256Hex(
    JSON.stringify([
      sorted(s.certificateIds),
      sorted(s.templateVersionIds),
      sorted(s.learnerIds),
      s.issuedFrom ?? null,
      s.issuedTo ?? null,
      sorted(s.states),
      request.changedOnly === true,
      request.templateVersionId ?? null,
    ]),
  );
}

interface Classified {
  row: IssueTable;
  status: 'pending' | 'skipped';
  code?: string;
  message?: string;
}

/** Whether each selected issue is to be made again: revoked ones are skipped, and with changed-only the unchanged. */
async function classify(
  services: Services,
  sources: RegenerationSources,
  rows: IssueTable[],
  request: RegenerationRequest,
): Promise<Classified[]> {
  if (request.changedOnly) await sources.preload(rows);
  const out: Classified[] = [];
  for (const row of rows) {
    if (row.state === 'revoked') {
      out.push({ row, status: 'skipped', ...REVOKED });
      continue;
    }
    if (request.changedOnly && row.inputs_sha256) {
      try {
        const inputs = await regenerationInputs(services, sources, row, request.templateVersionId);
        if (inputs.inputsSha256 === row.inputs_sha256) {
          out.push({ row, status: 'skipped', ...UNCHANGED });
          continue;
        }
      } catch (e) {
        // A document whose inputs cannot be built now is made again, and fails there with its reason.
        if (!(e instanceof DomainError)) throw e;
      }
    }
    out.push({ row, status: 'pending' });
  }
  sources.forget(rows);
  return out;
}

const PAGE = 1000;

async function* selected(db: Db, tenantId: string, selection: IssueSelection, today: string): AsyncGenerator<IssueTable[]> {
  let after: string | undefined;
  for (;;) {
    const page = await selectedIssues(db, tenantId, selection, { today, limit: PAGE, ...(after !== undefined ? { after } : {}) });
    if (page.length) yield page;
    if (page.length < PAGE) return;
    after = page[page.length - 1]!.id;
  }
}

async function checkRequest(services: Services, actor: Actor, request: RegenerationRequest): Promise<void> {
  requireCapability(actor, 'issues:regenerate');
  checkSelection(request.selection);
  if (request.templateVersionId !== undefined) await getVersion(services.storage.db, actor.tenantId, request.templateVersionId);
}

/** What a run would do, without starting one (`--dry-run`). */
export async function previewRegeneration(
  services: Services,
  actor: Actor,
  request: RegenerationRequest,
): Promise<{ selected: number; toRegenerate: number; skipped: Record<string, number> }> {
  await checkRequest(services, actor, request);
  const db = services.storage.db;
  const sources = new RegenerationSources(db, actor.tenantId);
  let count = 0;
  let pending = 0;
  const skipped: Record<string, number> = {};
  for await (const page of selected(db, actor.tenantId, request.selection, isoDay(services.now()))) {
    for (const c of await classify(services, sources, page, request)) {
      count++;
      if (c.status === 'pending') pending++;
      else skipped[c.code!] = (skipped[c.code!] ?? 0) + 1;
    }
  }
  return { selected: count, toRegenerate: pending, skipped };
}

/**
 * Starts a run, or finds the tenant's unfinished run of the same request (`created: false`): the selection
 * is frozen into items in one transaction, and `enqueue` (the queue's, server/jobs/) puts its chunks on the
 * queue in that same transaction where the queue lives in the database.
 */
export async function startRegeneration(
  services: Services,
  actor: Actor,
  request: RegenerationRequest,
  enqueue?: (trx: Db, run: RunRow, chunks: number[]) => Promise<void>,
): Promise<{ run: RunView; created: boolean }> {
  await checkRequest(services, actor, request);
  const db = services.storage.db;
  const print = fingerprint(request);
  const existing = await openRun(db, actor.tenantId, print);
  if (existing) return { run: await runView(db, existing), created: false };
  const now = iso(services.now());
  const run: RunRow = {
    id: newId(),
    tenant_id: actor.tenantId,
    fingerprint: print,
    selection: JSON.stringify(request.selection),
    changed_only: request.changedOnly ? 1 : 0,
    template_version_id: request.templateVersionId ?? null,
    reason: request.reason ?? null,
    state: 'running',
    chunk_size: chunkSize(),
    selected: 0,
    created_by: actorRef(actor),
    created_at: now,
    finished_at: null,
  };
  try {
    await inTransaction(db, async (trx) => {
      await insertRun(trx, run);
      const sources = new RegenerationSources(trx, actor.tenantId);
      const chunks = new Set<number>();
      let position = 0;
      for await (const page of selected(trx, actor.tenantId, request.selection, now.slice(0, 10))) {
        const items = (await classify(services, sources, page, request)).map((c) => {
          const at = position++;
          if (c.status === 'pending') chunks.add(Math.floor(at / run.chunk_size));
          return {
            run_id: run.id,
            issue_id: c.row.id,
            position: at,
            status: c.status,
            template_version_id: null,
            error_code: c.code ?? null,
            error_message: c.message ?? null,
            finished_at: c.status === 'pending' ? null : now,
          };
        });
        await insertItems(trx, items);
      }
      run.selected = position;
      await setRunSelected(trx, run.id, position);
      if (enqueue && chunks.size) await enqueue(trx, run, [...chunks]);
    });
  } catch (e) {
    // Another process started the same run at the same moment: the unique index let one through.
    const other = await openRun(db, actor.tenantId, print);
    if (other) return { run: await runView(db, other), created: false };
    throw e;
  }
  await completeRun(db, run.id, now);
  return { run: await runView(db, (await runById(db, run.id))!), created: true };
}

export async function getRun(services: Services, actor: Actor, runId: string): Promise<RunView> {
  requireCapability(actor, 'issues:regenerate');
  const row = await runById(services.storage.db, runId);
  if (!row || row.tenant_id !== actor.tenantId) throw notFound('The regeneration run', 'REGENERATION_RUN_NOT_FOUND');
  return runView(services.storage.db, row);
}

/** A run by id whatever its tenant (`--resume RUN` says which run, and so which tenant). */
export async function findRun(services: Services, runId: string): Promise<RunRow> {
  const row = await runById(services.storage.db, runId);
  if (!row) throw notFound('The regeneration run', 'REGENERATION_RUN_NOT_FOUND');
  return row;
}

export async function runView(db: Db, row: RunRow): Promise<RunView> {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    state: row.state as RunState,
    selection: JSON.parse(row.selection) as IssueSelection,
    changedOnly: row.changed_only === 1,
    templateVersionId: row.template_version_id,
    reason: row.reason,
    selected: row.selected,
    counts: await countItems(db, row.id),
    skipped: await skippedByCode(db, row.id),
    chunkSize: row.chunk_size,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
  };
}

export interface ChunkOutcome {
  regenerated: number;
  skipped: number;
  failed: number;
  /** Items another process (or an earlier delivery of this chunk) had finished already. */
  alreadyFinished: number;
}

/** A failure that is the machine's, not the document's: the chunk is tried again, its items stay pending. */
export class TransientRegenerationError extends Error {}

const TRANSIENT_RENDER = new Set(['RENDER_CLOSED', 'RENDER_BUSY']);

function itemFailure(e: DomainError): { code: string; message: string } {
  const problems = (e.extra.problems ?? []).map((p) => `${p.path}: ${p.message}`);
  const diagnostics = ((e.extra.details?.diagnostics ?? []) as { code?: string; message?: string }[]).map((d) => `${d.code}: ${d.message}`);
  const more = [...problems, ...diagnostics].slice(0, 5);
  return { code: e.code, message: [e.message, ...more].join(' ').slice(0, 1000) };
}

/** Chunk `chunk` of the run: its pending items made again, recorded in one transaction. */
export async function regenerateChunk(services: Services, run: RunRow, chunk: number): Promise<ChunkOutcome> {
  const db = services.storage.db;
  const ids = await pendingBetween(db, run.id, chunk * run.chunk_size, (chunk + 1) * run.chunk_size);
  return regenerateItems(services, run, ids);
}

/**
 * These items of the run made again. The documents are built and rendered together (the render pool
 * spreads them over its workers), their files staged side by side, then one transaction marks the items
 * done and records the revisions; a failing document is recorded as failed with its code and message and
 * the others go on. Nothing here waits on the clock.
 */
export async function regenerateItems(services: Services, run: RunRow, issueIds: readonly string[]): Promise<ChunkOutcome> {
  const outcome: ChunkOutcome = { regenerated: 0, skipped: 0, failed: 0, alreadyFinished: 0 };
  if (!issueIds.length) return outcome;
  const db = services.storage.db;
  const rows = await issuesByIds(db, run.tenant_id, issueIds);
  const sources = new RegenerationSources(db, run.tenant_id);
  await sources.preload(rows);
  const revoked: string[] = [];
  const failed: { id: string; code: string; message: string }[] = [];
  const made: MadeAgain[] = [];
  await Promise.all(
    rows.map(async (row) => {
      if (row.state === 'revoked') return void revoked.push(row.id);
      try {
        made.push(await makeAgain(services, await regenerationInputs(services, sources, row, run.template_version_id ?? undefined)));
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        const codes = ((e.extra.details?.diagnostics ?? []) as { code?: string }[]).map((d) => d.code ?? '');
        if (codes.some((c) => TRANSIENT_RENDER.has(c))) throw new TransientRegenerationError(itemFailure(e).message);
        failed.push({ id: row.id, ...itemFailure(e) });
      }
    }),
  );
  // Items whose issue is gone were deleted with it (cascade): nothing is left to count for them.
  await stageRegenerated(services, made);
  const at = iso(services.now());
  await inTransaction(db, async (trx) => {
    // Ids in order: two processes locking the same rows take them in the same order (no deadlock).
    const ordered = [...made].sort((a, b) => (a.row.id < b.row.id ? -1 : 1));
    const byVersion = new Map<string, string[]>();
    for (const m of ordered) byVersion.set(m.version.id, [...(byVersion.get(m.version.id) ?? []), m.row.id]);
    const claimed = new Set<string>();
    for (const [versionId, ids] of byVersion) for (const id of await claimItems(trx, run.id, ids, versionId, at)) claimed.add(id);
    outcome.alreadyFinished += made.length - claimed.size;
    const mine = ordered.filter((m) => claimed.has(m.row.id));
    const recorded = await recordRegenerations(services, trx, run.created_by, mine, {
      reason: run.reason,
      details: { run: run.id },
    });
    const revokedMeanwhile = mine.filter((m) => !recorded.get(m.row.id)).map((m) => m.row.id);
    outcome.regenerated += mine.length - revokedMeanwhile.length;
    if (revokedMeanwhile.length) await markItems(trx, run.id, revokedMeanwhile, { status: 'skipped', ...REVOKED, at }, false);
    outcome.skipped += revokedMeanwhile.length;
    const skippedNow = await markItems(trx, run.id, revoked, { status: 'skipped', ...REVOKED, at }, true);
    outcome.skipped += skippedNow;
    outcome.alreadyFinished += revoked.length - skippedNow;
    for (const f of failed) {
      const n = await markItems(trx, run.id, [f.id], { status: 'failed', code: f.code, message: f.message, at }, true);
      outcome.failed += n;
      outcome.alreadyFinished += 1 - n;
    }
  });
  await completeRun(db, run.id, at);
  return outcome;
}

/** A chunk that kept failing for reasons of the machine: its items are recorded as failed, so the run ends. */
export async function failChunk(services: Services, run: RunRow, chunk: number, message: string): Promise<number> {
  const db = services.storage.db;
  const ids = await pendingBetween(db, run.id, chunk * run.chunk_size, (chunk + 1) * run.chunk_size);
  const at = iso(services.now());
  const n = await markItems(db, run.id, ids, { status: 'failed', code: 'REGENERATION_FAILED', message: message.slice(0, 1000), at }, true);
  await completeRun(db, run.id, at);
  return n;
}

export interface ReportRow {
  run: string;
  code: string;
  certificateId: string;
  learnerId: string;
  status: string;
  errorCode: string;
  message: string;
  templateVersionId: string;
  at: string;
}

/** The items of a run that were skipped or failed, for the failure report. */
export async function runReport(services: Services, runId: string): Promise<ReportRow[]> {
  return (await reportedItems(services.storage.db, runId)).map((r) => ({
    run: runId,
    code: r.code,
    certificateId: r.certificate_id,
    learnerId: r.learner_id,
    status: r.status,
    errorCode: r.error_code ?? '',
    message: r.error_message ?? '',
    templateVersionId: r.template_version_id ?? '',
    at: r.finished_at ?? '',
  }));
}

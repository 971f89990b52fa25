import yazl from 'yazl';
import { iso, isoDay, recordAudit, requireCapability, type Actor, type Services } from '../context';
import { DomainError, invalid } from '../errors';
import { sha256Hex } from '../hashing';
import { newId } from '../ids';
import { getTenant } from '../tenants';
import { revokeCredentials } from '../badge-credential';
import { inTransaction } from '../../storage/db';
import {
  LEARNER_TABLES,
  compactAfterErasure,
  holdsAnything,
  insertWithdrawnCodes,
  learnerKeys,
  revisionHashesOf,
  type LearnerKeys,
  type LearnerTable,
} from '../../storage/repositories/learner-data';
import { writeVerificationCounts } from '../../storage/repositories/stats';

/**
 * A learner's data, on request (issue 15): everything Attest holds about one learner of a tenant — the
 * learner id the LMS sends — exported as one ZIP archive, or erased. Both read the one list of where a
 * learner is (storage/repositories/learner-data.ts, LEARNER_TABLES): a table added later is one entry there.
 *
 * Erasing deletes or anonymizes every row of that list in one transaction and then the PDFs in the
 * document store; what stays is the codes of the documents, each alone in `withdrawn_codes`, so a code is
 * never given again and checking it answers "withdrawn"; and one audit entry saying that an erasure
 * happened, when, by whom and how much it removed, without the learner's id or anything else about them.
 */

export const checkLearner = (learnerId: string): string => {
  if (!learnerId || learnerId.length > 200) throw invalid('LEARNER_ID_INVALID', 'learner_id is 1 to 200 characters.');
  return learnerId;
};

const nothingHeld = (learnerId: string) =>
  new DomainError('not-found', 'LEARNER_NOTHING_HELD', `Nothing is held about learner "${learnerId}" in this tenant.`, {
    details: { learnerId },
  });

// Export ------------------------------------------------------------------------------------------------

export interface LearnerArchive {
  fileName: string;
  zip: Uint8Array;
  /** What is in it, file by file (also manifest.json inside). */
  files: { path: string; holds: string; rows?: number; size: number; sha256: string }[];
}

function exported(entry: LearnerTable, row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    if (entry.withheld?.includes(k)) continue;
    if (entry.json?.includes(k) && typeof v === 'string') {
      try {
        out[k] = JSON.parse(v) as unknown;
        continue;
      } catch {
        // kept as text
      }
    }
    out[k] = v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v;
  }
  return out;
}

const safeName = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'learner';

/** Everything held about the learner, as a ZIP: one JSON file per table, every revision's PDF, a README and a manifest. */
export async function exportLearner(services: Services, actor: Actor, learnerIdIn: string): Promise<LearnerArchive> {
  requireCapability(actor, 'privacy:export');
  const learnerId = checkLearner(learnerIdIn);
  const db = services.storage.db;
  await writeVerificationCounts(db);
  const keys = await learnerKeys(db, actor.tenantId, learnerId);
  if (!(await holdsAnything(db, keys))) throw nothingHeld(learnerId);
  const tenant = await getTenant(db, actor.tenantId);
  const at = services.now();
  const files: LearnerArchive['files'] = [];
  const entries: { path: string; bytes: Uint8Array }[] = [];
  const add = (path: string, bytes: Uint8Array, holds: string, rows?: number) => {
    entries.push({ path, bytes });
    files.push({ path, holds, ...(rows !== undefined ? { rows } : {}), size: bytes.length, sha256: sha256Hex(bytes) });
  };
  const empty: LearnerTable[] = [];
  let codes = new Map<string, string>();
  for (const entry of LEARNER_TABLES) {
    const rows = await entry.rows(db, keys);
    if (entry.table === 'issues') codes = new Map(rows.map((r) => [String(r.id), String(r.code)]));
    if (!rows.length) {
      empty.push(entry);
      continue;
    }
    const json = JSON.stringify(
      rows.map((r) => exported(entry, r)),
      null,
      2,
    );
    add(`data/${entry.table}.json`, new TextEncoder().encode(json + '\n'), entry.holds, rows.length);
  }
  // Every stored revision of every document, as issued.
  const revisions = (await LEARNER_TABLES.find((t) => t.table === 'documents')!.rows(db, keys)) as {
    issue_id: string;
    revision: number;
    sha256: string;
  }[];
  for (const r of revisions) {
    const pdf = await services.storage.documents.read(db, r.sha256);
    if (!pdf) continue;
    add(
      `documents/${codes.get(r.issue_id) ?? r.issue_id}/revision-${r.revision}.pdf`,
      pdf,
      `The PDF of revision ${r.revision} of document ${codes.get(r.issue_id) ?? r.issue_id}, byte for byte as issued.`,
    );
  }
  const manifest = {
    learner_id: learnerId,
    tenant: tenant.slug,
    exported_at: iso(at),
    exported_by: actorLabel(actor),
    files,
    nothing_held_in: empty.map((e) => e.table),
  };
  const readme = readmeText(learnerId, tenant.slug, iso(at), files, empty);
  const all = [
    { path: 'README.txt', bytes: new TextEncoder().encode(readme) },
    { path: 'manifest.json', bytes: new TextEncoder().encode(JSON.stringify(manifest, null, 2) + '\n') },
    ...entries,
  ];
  const zip = await zipOf(all, at);
  await recordAudit(db, {
    tenantId: actor.tenantId,
    subjectType: 'learner',
    subjectId: learnerId,
    action: 'learner-exported',
    actor,
    at: iso(at),
    details: { files: files.length, issues: keys.codes.length },
  });
  return { fileName: `learner-${safeName(learnerId)}-${isoDay(at)}.zip`, zip, files };
}

function actorLabel(actor: Actor): string {
  return actor.kind === 'person' || actor.kind === 'token'
    ? `${actor.kind}:${actor.id}`
    : actor.kind === 'system'
      ? (actor.by ?? 'system')
      : actor.kind;
}

function readmeText(learnerId: string, tenant: string, at: string, files: LearnerArchive['files'], empty: readonly LearnerTable[]): string {
  const lines = [
    `Everything Attest holds about learner ${JSON.stringify(learnerId)} of tenant ${tenant}, exported ${at}.`,
    `Tout ce qu’Attest détient sur l’apprenant ${JSON.stringify(learnerId)} du locataire ${tenant}, exporté le ${at}.`,
    '',
    'data/<table>.json  the rows of each table that concern the learner, as stored (JSON columns parsed; secrets left out).',
    'documents/<code>/revision-<n>.pdf  every stored revision of each document, byte for byte as issued.',
    'manifest.json  this list, with each file’s size and SHA-256.',
    '',
    'Files:',
    ...files.map((f) => `  ${f.path}${f.rows !== undefined ? ` (${f.rows} row${f.rows === 1 ? '' : 's'})` : ''}\n      ${f.holds}`),
    '',
    'Held nowhere else; these hold nothing about this learner:',
    ...empty.map((e) => `  ${e.table}: ${e.holds}`),
    '',
  ];
  return lines.join('\n');
}

function zipOf(entries: readonly { path: string; bytes: Uint8Array }[], mtime: Date): Promise<Uint8Array> {
  const zip = new yazl.ZipFile();
  for (const e of entries)
    zip.addBuffer(Buffer.from(e.bytes.buffer, e.bytes.byteOffset, e.bytes.byteLength), e.path, {
      mtime,
      compress: !e.path.endsWith('.pdf'),
    });
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
  });
}

// Erasure -----------------------------------------------------------------------------------------------

export interface ErasureResult {
  status: 'erased';
  /** The anonymous audit entry's subject id. */
  erasure: string;
  at: string;
  issues: number;
  documents: number;
  withdrawnCodes: number;
  /** Rows deleted or anonymized, per table. */
  tables: Record<string, number>;
}

/**
 * Erases the learner. `confirm` must repeat the learner id exactly: an erasure cannot be undone. A learner
 * with nothing held (never known, or erased already) is LEARNER_NOTHING_HELD, and nothing changes: erasing
 * twice is harmless, and the second answer says why there was nothing to do.
 */
export async function eraseLearner(
  services: Services,
  actor: Actor,
  learnerIdIn: string,
  input: { confirm?: string | undefined },
): Promise<ErasureResult> {
  requireCapability(actor, 'privacy:erase');
  const learnerId = checkLearner(learnerIdIn);
  if (input.confirm !== learnerId)
    throw new DomainError(
      'invalid',
      'ERASE_UNCONFIRMED',
      'An erasure cannot be undone: repeat the learner id in `confirm` (the CLI: --yes).',
      { details: { learnerId } },
    );
  const db = services.storage.db;
  // Checks counted in memory are written first: none is written later for a document that is gone.
  await writeVerificationCounts(db);
  const at = iso(services.now());
  const erasure = newId();
  const result = await inTransaction(db, async (trx) => {
    const keys: LearnerKeys = await learnerKeys(trx, actor.tenantId, learnerId);
    if (!(await holdsAnything(trx, keys))) return undefined;
    const hashes = await revisionHashesOf(trx, keys.issueIds);
    // The credentials given away with the documents stop verifying (their status lists say revoked).
    await revokeCredentials(trx, actor.tenantId, keys.issueIds);
    await insertWithdrawnCodes(
      trx,
      keys.codes.map((code) => ({ code, tenant_id: actor.tenantId, withdrawn_on: at.slice(0, 10), erasure_id: erasure })),
    );
    const tables: Record<string, number> = {};
    for (const entry of LEARNER_TABLES) {
      const n = await entry.erase(trx, keys, at);
      if (n) tables[entry.table] = n;
    }
    const summary = {
      issues: tables.issues ?? 0,
      documents: tables.documents ?? 0,
      withdrawnCodes: keys.codes.length,
      accounts: keys.personIds.length,
      tables,
    };
    // Anonymous: no learner id, no code, no name; the erasure id ties it to the withdrawn codes only.
    await recordAudit(trx, {
      tenantId: actor.tenantId,
      subjectType: 'erasure',
      subjectId: erasure,
      action: 'learner-erased',
      actor,
      at,
      details: summary,
    });
    return { hashes, summary };
  });
  if (!result) throw nothingHeld(learnerId);
  await services.storage.documents.forget(db, result.hashes);
  await compactAfterErasure(db, services.storage.engine);
  const { issues, documents, withdrawnCodes, tables } = result.summary;
  return { status: 'erased', erasure, at, issues, documents, withdrawnCodes, tables };
}

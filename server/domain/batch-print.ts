import { iso, isoDay, recordAudit, requireCapability, type Actor, type Services } from './context';
import { certificateRow } from './certificates';
import { codeKey } from './codes';
import { DomainError } from './errors';
import { checkExportSelection, exported } from './exports';
import { sha256Hex } from './hashing';
import { bindToVersion } from './issues';
import { checkSelection, type IssueSelection } from './selection';
import { getVersion, poolDiagnostics, versionPayload } from './templates';
import { issueState } from './withholding';
import { issueByCode, selectedIssues } from '../storage/repositories/issues';
import type { IssueTable } from '../storage/schema';
import { hasErrors } from '../../variables/diagnostics';

/**
 * A session's batch: one print-ready PDF of the delivered documents of one certificate, every learner's
 * pages in order, fonts and background embedded once (templates/render-batch.ts). The documents are the
 * ones an export takes (exports.ts: current, neither locked nor revoked), each rendered again from the
 * data its issue keeps, bound to the template version its issue records — so a page is the delivered
 * document, with its own code and QR code.
 *
 * One request is one file of one template version: a selection whose documents were made with several
 * versions is refused (BATCH_VERSIONS_MIXED, with each version and its count) rather than answered with
 * pages of different models mixed, or with an archive; ask again per version (`templateVersionIds`).
 */

/** Documents in one batch at most: a session's worth (the file is ~2.7 KB a page, the render ~1–3 ms a page). */
export const MAX_BATCH_DOCUMENTS = 1000;

export interface BatchRequest {
  /** Exactly these issues, in this order (pages follow it). Each must be delivered and of the certificate. */
  codes?: readonly string[];
  /** Or the export's selection filters (the certificate is the one of the request): pages in issue order (day, then time, then code). */
  selection?: Omit<IssueSelection, 'certificateIds'>;
  /** Print-ready page boxes (CropBox, TrimBox = the page). Default true. */
  print?: boolean;
  /** Fewer documents than MAX_BATCH_DOCUMENTS at most (tests, a smaller installation). */
  limit?: number;
}

export interface BatchDocument {
  pdf: Uint8Array;
  sha256: string;
  fileName: string;
  pageCount: number;
  /** The issues printed, in page order. */
  codes: string[];
  /** Issues the selection named that an export leaves out (locked or revoked). */
  leftOut: number;
  templateVersion: number;
  ms: number;
}

export async function batchDocument(
  services: Services,
  actor: Actor,
  certificateId: string,
  request: BatchRequest,
): Promise<BatchDocument> {
  requireCapability(actor, 'issues:manage');
  const db = services.storage.db;
  const certificate = await certificateRow(db, actor.tenantId, certificateId);
  const limit = Math.min(request.limit ?? MAX_BATCH_DOCUMENTS, MAX_BATCH_DOCUMENTS);
  const today = isoDay(services.now());
  const tooMany = (count: string) =>
    new DomainError('too-large', 'BATCH_TOO_LARGE', `A batch holds at most ${limit} documents; this one would hold ${count}.`, {
      details: { limit, count },
    });

  const rows: IssueTable[] = [];
  let leftOut = 0;
  if (request.codes) {
    if (request.codes.length > limit) throw tooMany(String(request.codes.length));
    const unknown: string[] = [];
    const withheld: string[] = [];
    const seen = new Set<string>();
    for (const code of request.codes) {
      const key = codeKey(code);
      const row = key ? await issueByCode(db, actor.tenantId, key) : undefined;
      if (!row || row.certificate_id !== certificate.id) unknown.push(code);
      else if (!exported({ state: issueState({ state: row.state, expiresOn: row.expires_on }, today), locked: row.locked === 1 }))
        withheld.push(code);
      else if (!seen.has(row.id)) {
        seen.add(row.id);
        rows.push(row);
      }
    }
    if (unknown.length)
      throw new DomainError('not-found', 'BATCH_ISSUE_NOT_FOUND', `No document of this certificate has the code ${unknown.join(', ')}.`, {
        details: { codes: unknown.slice(0, 50) },
      });
    if (withheld.length)
      throw new DomainError(
        'conflict',
        'BATCH_NOT_DELIVERED',
        `These documents are locked or revoked, so not delivered, and a batch prints only delivered ones: ${withheld.join(', ')}.`,
        { details: { codes: withheld.slice(0, 50) } },
      );
  } else {
    const selection = checkSelection({ ...(request.selection ?? {}), certificateIds: [certificate.id] });
    checkExportSelection(selection);
    let after: string | undefined;
    for (;;) {
      const page = await selectedIssues(db, actor.tenantId, selection, { today, limit: 500, ...(after !== undefined ? { after } : {}) });
      for (const row of page) {
        if (!exported({ state: issueState({ state: row.state, expiresOn: row.expires_on }, today), locked: row.locked === 1 })) leftOut++;
        else if (rows.length >= limit) throw tooMany(`more than ${limit}`);
        else rows.push(row);
      }
      if (page.length < 500) break;
      after = page[page.length - 1]!.id;
    }
    // Issue order: the day, then when it was recorded, then the code (ids say nothing of order).
    rows.sort((a, b) => cmp(a.issued_on, b.issued_on) || cmp(a.created_at, b.created_at) || cmp(a.code, b.code));
  }
  if (!rows.length)
    throw new DomainError(
      'invalid',
      'BATCH_EMPTY',
      'The selection names no delivered document of this certificate: there is nothing to print.',
      {
        details: { leftOut },
      },
    );

  const byVersion = new Map<string, number>();
  for (const r of rows) byVersion.set(r.template_version_id, (byVersion.get(r.template_version_id) ?? 0) + 1);
  if (byVersion.size > 1) {
    const versions = await Promise.all(
      [...byVersion].map(async ([id, documents]) => ({ id, number: (await getVersion(db, actor.tenantId, id)).number, documents })),
    );
    throw new DomainError(
      'conflict',
      'BATCH_VERSIONS_MIXED',
      `These documents were made with ${versions.length} template versions (${versions.map((v) => `version ${v.number}: ${v.documents}`).join(', ')}); a batch is one version: ask per version.`,
      { details: { versions } },
    );
  }
  const version = await getVersion(db, actor.tenantId, rows[0]!.template_version_id);
  const items = rows.map(
    (r) =>
      bindToVersion(version, JSON.parse(r.data) as Record<string, unknown>, 'The learner’s data does not fit this template version.').data,
  );
  const payload = await versionPayload(db, version);
  const started = performance.now();
  const answer = await services.renderer.render({
    kind: 'batch',
    lane: 'preview',
    tenantId: actor.tenantId,
    templateKey: payload.key,
    template: { source: payload.source, assets: payload.assets },
    items,
    print: request.print !== false,
  });
  const diagnostics = poolDiagnostics(answer);
  if (!answer.pdf || hasErrors(diagnostics))
    throw new DomainError('invalid', 'BATCH_NOT_MADE', 'The batch could not be made from these documents’ data and template version.', {
      details: { diagnostics: diagnostics.filter((d) => d.severity === 'error').slice(0, 20) },
    });
  const codes = rows.map((r) => r.code);
  await recordAudit(db, {
    tenantId: actor.tenantId,
    subjectType: 'certificate',
    subjectId: certificate.id,
    action: 'batch-printed',
    actor,
    at: iso(services.now()),
    details: { documents: codes.length, pages: answer.pageCount, templateVersion: version.number, leftOut },
  });
  const name =
    certificate.name
      .replace(/[^\p{L}\p{N} _-]+/gu, '')
      .trim()
      .slice(0, 80) || 'certificate';
  return {
    pdf: answer.pdf,
    sha256: sha256Hex(answer.pdf),
    fileName: `${name} batch of ${codes.length}.pdf`,
    pageCount: answer.pageCount,
    codes,
    leftOut,
    templateVersion: version.number,
    ms: answer.ms ?? performance.now() - started,
  };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

import { iso, isoDay, recordAudit, type Actor, type Services } from './context';
import { documentMaking } from './document-making';
import { signedMaking, withCredential } from './badge-credential';
import { certificateRow, createCertificate, listCertificates, type Certificate } from './certificates';
import { codeKey, newVerificationCode } from './codes';
import { DomainError } from './errors';
import { newId } from './ids';
import { issueFacts } from './issue-facts';
import {
  bindToVersion,
  DATA_UNFIT,
  firstRendering,
  inputsHash,
  recordNewIssue,
  render,
  serverData,
  view,
  type IssueView,
  type RenderWarning,
} from './issues';
import { getTenant } from './tenants';
import { createTemplate, getTemplate, getVersion, publishTemplate, putAsset, updateTemplate, type Version } from './templates';
import { inTransaction } from '../storage/db';
import type { IssueTable } from '../storage/schema';
import { issueFor } from '../storage/repositories/issues';
import { importedId, issueHoldingCode, issueRowById, recordImport } from '../storage/repositories/moodle-imports';
import { withdrawnCode } from '../storage/repositories/learner-data';

/**
 * What an operator brings over from another system (Moodle's mod_certificate): templates, certificates and
 * issues that already exist there. An imported issue keeps its code and its issue date and skips the
 * delivery rules — the document was delivered long ago, by the old system — but is made here like any
 * other (bound to the template's types, rendered, its PDF stored), so it can be verified, retrieved and
 * regenerated. Only the operator imports (the system actor: a shell on the server), and the audit trail
 * says "imported" with where from. Every record imported is written down with what it became, in the same
 * transaction as what it became: running the import again does nothing twice, and a run stopped halfway
 * goes on where it stopped.
 */
export interface ImportSource {
  /** The other system's site (Moodle's siteidentifier). */
  site: string;
  /** The record's id there (certificate instance id, certificate_issues id). */
  id: string;
}

function operatorOnly(actor: Actor): void {
  if (actor.kind !== 'system')
    throw new DomainError(
      'forbidden',
      'IMPORT_OPERATOR_ONLY',
      'Importing from another system is an operator’s task: run it with the attest command on the server.',
    );
}

export interface ImportCertificateInput {
  source: ImportSource;
  template: { name: string; source: string; assets: Record<string, Uint8Array> };
  certificate: { name: string; courseId: string; activityId: string | null; settings: Record<string, unknown> };
}

export interface ImportCertificateResult {
  templateId: string;
  certificate: Certificate;
  version: Version;
  /** False when an earlier run had imported it: nothing was written. */
  created: boolean;
}

/**
 * A template (created, its assets uploaded, published) and a certificate on its version, for one instance
 * of the other system. Each step is the ordinary domain operation; the record of what was made is written
 * after each, so a run stopped between two steps finishes the rest, and a certificate made just before a
 * stop is found again (same course, activity and template) rather than made twice.
 */
export async function importCertificate(services: Services, actor: Actor, input: ImportCertificateInput): Promise<ImportCertificateResult> {
  operatorOnly(actor);
  const db = services.storage.db;
  const { site, id } = input.source;
  const at = () => iso(services.now());
  const known = await importedId(db, actor.tenantId, site, 'certificate', id);
  if (known) {
    const certificate = await certificateRow(db, actor.tenantId, known);
    const version = await getVersion(db, actor.tenantId, certificate.templateVersionId);
    return { templateId: version.templateId, certificate, version, created: false };
  }
  let templateId = await importedId(db, actor.tenantId, site, 'template', id);
  if (!templateId) {
    templateId = (await createTemplate(services, actor, { name: input.template.name, source: input.template.source })).id;
    await recordImport(db, { tenant_id: actor.tenantId, site, kind: 'template', moodle_id: id, attest_id: templateId, imported_at: at() });
  }
  let detail = await getTemplate(services, actor, templateId);
  let versionId = detail.versions.at(-1)?.id;
  if (!versionId) {
    if (detail.source !== input.template.source) await updateTemplate(services, actor, templateId, { source: input.template.source });
    for (const [name, bytes] of Object.entries(input.template.assets)) await putAsset(services, actor, templateId, name, bytes);
    versionId = (await publishTemplate(services, actor, templateId)).version.id;
    detail = await getTemplate(services, actor, templateId);
  }
  const version = await getVersion(db, actor.tenantId, versionId);
  const versionIds = new Set(detail.versions.map((v) => v.id));
  const { courseId, activityId } = input.certificate;
  const existing = (await listCertificates(services, actor, { courseId })).find(
    (c) => c.activityId === activityId && versionIds.has(c.templateVersionId),
  );
  const certificate =
    existing ??
    (await createCertificate(services, actor, {
      name: input.certificate.name,
      templateVersionId: version.id,
      courseId,
      activityId,
      settings: input.certificate.settings,
    }));
  await recordImport(db, {
    tenant_id: actor.tenantId,
    site,
    kind: 'certificate',
    moodle_id: id,
    attest_id: certificate.id,
    imported_at: at(),
  });
  return { templateId, certificate, version, created: true };
}

export interface ImportIssueInput {
  source: ImportSource;
  certificateId: string;
  /** The learner id as the LMS sends it (Moodle: the user id). */
  learnerId: string;
  /**
   * The code printed on the old document, kept as it is: a legacy code exactly (codes.ts), a code of
   * Attest's form normalised. Null: the old record had none that can be kept, and a new one is made.
   */
  code: string | null;
  /** When the old system issued it: the issue date and the creation time kept. */
  issuedAt: Date;
  /** What an LMS would send of the learner, the course, completion and grades. */
  data: Record<string, unknown>;
}

export interface ImportIssueResult {
  issue: IssueView;
  /** False when this record was imported before: nothing was written. */
  created: boolean;
  warnings: RenderWarning[];
}

/**
 * One issue of the other system, with its code and date, rendered with the certificate's template version.
 * Refused (nothing written) when its code is held by another document, or when the learner already has a
 * document for the certificate that is not this record's.
 */
export async function importIssue(services: Services, actor: Actor, input: ImportIssueInput): Promise<ImportIssueResult> {
  operatorOnly(actor);
  const db = services.storage.db;
  const today = isoDay(services.now());
  const { site, id } = input.source;
  const known = await importedId(db, actor.tenantId, site, 'issue', id);
  if (known) {
    const row = await issueRowById(db, actor.tenantId, known);
    if (row) return { issue: view(row, today), created: false, warnings: [] };
  }
  let code: string;
  if (input.code === null) code = newVerificationCode();
  else {
    const key = codeKey(input.code);
    if (!key)
      throw new DomainError('invalid', 'IMPORT_CODE_INVALID', 'This code has neither the form of a legacy code nor of an Attest code.', {
        details: { code: input.code },
      });
    code = key;
  }
  const taken = () =>
    new DomainError('conflict', 'IMPORT_CODE_TAKEN', 'Another document already has this code; it cannot be given to a second one.', {
      details: { code },
    });
  if (await issueHoldingCode(db, code)) throw taken();
  // A code withdrawn when its learner was erased (server/domain/privacy/) is never given again: importing
  // it from Moodle once more would bring the erased learner back.
  if (await withdrawnCode(db, code)) throw taken();
  const hasOne = async () => {
    const other = await issueFor(db, actor.tenantId, input.certificateId, input.learnerId);
    return other
      ? new DomainError('conflict', 'IMPORT_LEARNER_HAS_DOCUMENT', 'The learner already has a document for this certificate.', {
          details: { code: other.code },
        })
      : undefined;
  };
  const already = await hasOne();
  if (already) throw already;

  const tenant = await getTenant(db, actor.tenantId);
  const certificate = await certificateRow(db, actor.tenantId, input.certificateId);
  const version = await getVersion(db, actor.tenantId, certificate.templateVersionId);
  const issuedOn = isoDay(input.issuedAt);
  // No expiry: the old system's documents had none, and the certificate's validity rule is for new ones.
  const data = await serverData(services, tenant, certificate, version, input.data, { code, issuedOn, expiresOn: null });
  const bound = bindToVersion(version, data, DATA_UNFIT);
  const issueId = newId();
  const credential = await withCredential(
    services,
    await documentMaking(db, actor.tenantId, tenant.settings, certificate.settings),
    { tenant, certificate, version },
    bound.data,
    { id: issueId, learnerId: input.learnerId, code, issuedOn, expiresOn: null },
  );
  const making = credential.making;
  const signed = await signedMaking(db, making);
  const rendered = await render(services, version, bound, code, actor.tenantId, signed.rendering);
  const now = iso(services.now());
  const row: IssueTable = {
    id: issueId,
    tenant_id: actor.tenantId,
    certificate_id: certificate.id,
    learner_id: input.learnerId,
    code,
    state: 'issued',
    // Delivered by the old system long ago: the tenant's delivery lock is for documents issued from now on.
    locked: 0,
    issued_on: issuedOn,
    achieved_on: issueFacts(bound.data).achievedOn,
    expires_on: null,
    data: JSON.stringify(data),
    template_version_id: version.id,
    revision: 1,
    pdf_sha256: rendered.sha256,
    // What --changed-only compares: an imported document is made again only when its inputs change.
    inputs_sha256: inputsHash(version, data, making),
    created_at: iso(input.issuedAt),
    rendered_at: now,
    first_delivered_at: null,
    first_delivery_channel: null,
    revoked_at: null,
    revoked_reason: null,
  };
  await services.storage.documents.stage(rendered.sha256, rendered.pdf);
  const discard = () => services.storage.documents.forget(db, [rendered.sha256]).catch(() => {});
  let inserted: boolean;
  try {
    inserted = await inTransaction(db, async (trx) => {
      if (!(await recordNewIssue(services, trx, row, version, rendered, signed.credentialJson))) return false;
      const entry = (action: string, details: unknown) => ({
        tenantId: row.tenant_id,
        subjectType: 'issue',
        subjectId: row.id,
        action,
        actor,
        at: now,
        details,
      });
      await recordAudit(trx, [
        entry('imported', { from: site, record: id, code, codeKept: input.code !== null, issuedOn, issuedAt: row.created_at }),
        entry('rendered', firstRendering(version, rendered)),
      ]);
      await recordImport(trx, { tenant_id: actor.tenantId, site, kind: 'issue', moodle_id: id, attest_id: row.id, imported_at: now });
      return true;
    });
  } catch (e) {
    await discard();
    // A concurrent import took the code between the check and the insert (the unique index said no).
    if (await issueHoldingCode(db, code)) throw taken();
    throw e;
  }
  if (!inserted) {
    await discard();
    throw (await hasOne()) ?? taken();
  }
  return { issue: view(row, today), created: true, warnings: [...rendered.warnings, ...credential.warnings] };
}

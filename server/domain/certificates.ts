import { iso, recordAudit, requireCapability, type Actor, type Services } from './context';
import { invalid, notFound, zodProblems } from './errors';
import { newId } from './ids';
import { CertificateSettings, readSettings } from './settings';
import { getVersion } from './templates';
import { inTransaction, type Db } from '../storage/db';
import type { CertificateTable } from '../storage/schema';
import {
  certificateById,
  certificatesOf,
  insertCertificate,
  updateCertificate as storeCertificate,
} from '../storage/repositories/certificates';

/**
 * A certificate is what a course offers: a template version, the LMS course (and activity) it belongs
 * to, and its delivery settings. Documents are issued for a certificate.
 */
export interface Certificate {
  id: string;
  name: string;
  templateVersionId: string;
  courseId: string;
  activityId: string | null;
  settings: CertificateSettings;
  createdAt: string;
  updatedAt: string;
}

function toCertificate(r: CertificateTable): Certificate {
  return {
    id: r.id,
    name: r.name,
    templateVersionId: r.template_version_id,
    courseId: r.course_id,
    activityId: r.activity_id,
    settings: readSettings(CertificateSettings, r.settings),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export async function certificateRow(db: Db, tenantId: string, id: string): Promise<Certificate> {
  const r = await certificateById(db, tenantId, id);
  if (!r) throw notFound('The certificate', 'CERTIFICATE_NOT_FOUND');
  return toCertificate(r);
}

export async function getCertificate(services: Services, actor: Actor, id: string): Promise<Certificate> {
  requireCapability(actor, 'certificate:view');
  return certificateRow(services.storage.db, actor.tenantId, id);
}

export async function listCertificates(services: Services, actor: Actor, filter: { courseId?: string } = {}): Promise<Certificate[]> {
  requireCapability(actor, 'certificate:view');
  return (await certificatesOf(services.storage.db, actor.tenantId, filter)).map(toCertificate);
}

export interface CertificateInput {
  name: string;
  templateVersionId: string;
  courseId: string;
  activityId?: string | null;
  settings?: unknown;
}

function parseSettings(value: unknown): CertificateSettings {
  const parsed = CertificateSettings.safeParse(value ?? {});
  if (!parsed.success)
    throw invalid('CERTIFICATE_SETTINGS_INVALID', 'The certificate settings are not valid.', zodProblems(parsed.error, 'settings'));
  return parsed.data;
}

export async function createCertificate(services: Services, actor: Actor, input: CertificateInput): Promise<Certificate> {
  requireCapability(actor, 'certificate:add');
  const settings = parseSettings(input.settings);
  const db = services.storage.db;
  await getVersion(db, actor.tenantId, input.templateVersionId);
  const id = newId();
  const now = iso(services.now());
  await inTransaction(db, async (trx) => {
    await insertCertificate(trx, {
      id,
      tenant_id: actor.tenantId,
      name: input.name,
      template_version_id: input.templateVersionId,
      course_id: input.courseId,
      activity_id: input.activityId ?? null,
      settings: JSON.stringify(settings),
      created_at: now,
      updated_at: now,
    });
    await recordAudit(trx, {
      tenantId: actor.tenantId,
      subjectType: 'certificate',
      subjectId: id,
      action: 'created',
      actor,
      at: now,
      details: { templateVersionId: input.templateVersionId, settings },
    });
  });
  return certificateRow(db, actor.tenantId, id);
}

export async function updateCertificate(
  services: Services,
  actor: Actor,
  id: string,
  patch: Partial<CertificateInput>,
): Promise<Certificate> {
  requireCapability(actor, 'certificate:add');
  const db = services.storage.db;
  const current = await certificateRow(db, actor.tenantId, id);
  // A field set to null in the patch removes that rule (no minimum grade any more, no window…).
  const merged: Record<string, unknown> = { ...current.settings, ...(patch.settings as object) };
  for (const [k, v] of Object.entries(merged)) if (v === null) delete merged[k];
  const settings = patch.settings === undefined ? current.settings : parseSettings(merged);
  if (patch.templateVersionId !== undefined) await getVersion(db, actor.tenantId, patch.templateVersionId);
  const now = iso(services.now());
  await inTransaction(db, async (trx) => {
    await storeCertificate(trx, actor.tenantId, id, {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.templateVersionId !== undefined ? { template_version_id: patch.templateVersionId } : {}),
      ...(patch.courseId !== undefined ? { course_id: patch.courseId } : {}),
      ...(patch.activityId !== undefined ? { activity_id: patch.activityId } : {}),
      settings: JSON.stringify(settings),
      updated_at: now,
    });
    await recordAudit(trx, {
      tenantId: actor.tenantId,
      subjectType: 'certificate',
      subjectId: id,
      action: 'changed',
      actor,
      at: now,
      details: patch,
    });
  });
  return certificateRow(db, actor.tenantId, id);
}

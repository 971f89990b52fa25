import { iso, recordAudit, requireCapability, type Actor, type Services } from './context';
import { DomainError, invalid, notFound, zodProblems, type Problem } from './errors';
import { certificateArchivalProblems } from './archival';
import { fileNamePatternProblems } from './file-names';
import { newId } from './ids';
import { sealProtection, withoutPasswords } from './protection';
import { checkCredentialSetting } from './badge-credential';
import { CertificateSettings, readSettings } from './settings';
import { getVersion } from './templates';
import { getTenant } from './tenants';
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

/** A certificate's row as the domain reads it (its settings parsed). */
export function toCertificate(r: CertificateTable): Certificate {
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
  if (parsed.data.file_name !== undefined) {
    const problems = fileNamePatternProblems(parsed.data.file_name, 'settings.file_name');
    if (problems.length) throw invalid('CERTIFICATE_SETTINGS_INVALID', 'The certificate settings are not valid.', problems);
  }
  return checkCredentialSetting(
    sealProtection(parsed.data, 'CERTIFICATE_SETTINGS_INVALID', 'settings'),
    'CERTIFICATE_SETTINGS_INVALID',
    'settings',
  );
}

/** PDF/A and protection on the same documents (this certificate's settings with the tenant's defaults) are refused. */
async function checkArchival(db: Db, tenantId: string, settings: CertificateSettings): Promise<void> {
  const problems = certificateArchivalProblems((await getTenant(db, tenantId)).settings, settings);
  if (problems.length) throw invalid('CERTIFICATE_SETTINGS_INVALID', 'The certificate settings are not valid.', problems);
}

/** Every certificate of a tenant, for a check of the tenant's defaults against them. */
export async function tenantCertificates(db: Db, tenantId: string): Promise<Certificate[]> {
  return (await certificatesOf(db, tenantId)).map(toCertificate);
}

/**
 * The certificates a certificate requires (settings.requires): each one of the same tenant (another
 * tenant's id is as unknown as one that does not exist), never itself, and no chain of requirements that
 * comes back to where it started (refused with PREREQUISITE_CYCLE, the cycle listed). Checked against the
 * tenant's certificates as they are, with this one's new settings in place of its stored ones.
 */
async function checkPrerequisites(db: Db, tenantId: string, id: string, settings: CertificateSettings): Promise<void> {
  const requires = settings.requires ?? [];
  if (!requires.length) return;
  const all = new Map((await certificatesOf(db, tenantId)).map((c) => [c.id, c]));
  const problems: Problem[] = [];
  requires.forEach((r, i) => {
    if (r === id)
      problems.push({ path: `settings.requires.${i}`, code: 'PREREQUISITE_SELF', message: 'A certificate cannot require itself.' });
    else if (!all.has(r))
      problems.push({
        path: `settings.requires.${i}`,
        code: 'PREREQUISITE_UNKNOWN',
        message: `No certificate "${r}" in this tenant.`,
        params: { id: r },
      });
  });
  if (problems.length) throw invalid('CERTIFICATE_SETTINGS_INVALID', 'The certificate settings are not valid.', problems);
  const requiredBy = (c: string): readonly string[] =>
    c === id ? requires : (readSettings(CertificateSettings, all.get(c)?.settings ?? '{}').requires ?? []);
  const cycle = findCycle(id, requiredBy);
  if (cycle) {
    const names = cycle.map((c) => all.get(c)?.name ?? c);
    throw new DomainError(
      'invalid',
      'PREREQUISITE_CYCLE',
      `These certificates would require each other in a circle: ${names.join(' → ')}.`,
      { details: { cycle, names } },
    );
  }
}

/**
 * A path of requirements from `start` back to itself (start, …, start), or undefined. Depth first over
 * the certificates reachable from `start`, each visited once: linear in the tenant's requirements.
 */
export function findCycle(start: string, requiredBy: (id: string) => readonly string[]): string[] | undefined {
  const done = new Set<string>();
  const path: string[] = [start];
  const visit = (c: string): boolean => {
    for (const next of requiredBy(c)) {
      if (next === start) {
        path.push(start);
        return true;
      }
      if (done.has(next)) continue;
      done.add(next);
      path.push(next);
      if (visit(next)) return true;
      path.pop();
    }
    return false;
  };
  return visit(start) ? path : undefined;
}

export async function createCertificate(services: Services, actor: Actor, input: CertificateInput): Promise<Certificate> {
  requireCapability(actor, 'certificate:add');
  const settings = parseSettings(input.settings);
  const db = services.storage.db;
  await checkArchival(db, actor.tenantId, settings);
  await getVersion(db, actor.tenantId, input.templateVersionId);
  const id = newId();
  await checkPrerequisites(db, actor.tenantId, id, settings);
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
  if (patch.settings !== undefined) await checkArchival(db, actor.tenantId, settings);
  if (patch.settings !== undefined) await checkPrerequisites(db, actor.tenantId, id, settings);
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
      details: { ...patch, ...(patch.settings !== undefined ? { settings: withoutPasswords(patch.settings) } : {}) },
    });
  });
  return certificateRow(db, actor.tenantId, id);
}

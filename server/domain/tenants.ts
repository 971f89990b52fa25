import { tenantArchivalProblems } from './archival';
import { DEFAULT_ROLES } from './capabilities';
import { tenantCertificates } from './certificates';
import { iso, recordAudit, requireCapability, type Actor, type Services } from './context';
import { DomainError, invalid, notFound, zodProblems } from './errors';
import { newId, newSecret } from './ids';
import { sealProtection, withoutPasswords } from './protection';
import { checkCredentialSetting } from './badge-credential';
import { TenantSettings, logoProblems, readSettings } from './settings';
import { inTransaction, type Db } from '../storage/db';
import { insertRole } from '../storage/repositories/roles';
import {
  allTenants,
  insertTenant,
  setTenantSecret,
  setTenantSettings,
  tenantById,
  tenantBySlug,
  tenantSecrets,
  type TenantRow,
} from '../storage/repositories/tenants';

/**
 * Tenants, one per LMS site, and their settings and keys. Everything a request can reach is found through
 * its tenant: a token of tenant A opens nothing of tenant B (people.ts, roles.ts, tokens.ts, sessions.ts).
 */
export interface Tenant {
  id: string;
  slug: string;
  name: string;
  settings: TenantSettings;
}

const SLUG = /^[a-z0-9][a-z0-9-]{1,62}$/;

/** The tenant createTenant would make of this input, checked (slug, settings) but not stored: also `attest tenant create --dry-run`. */
export function plannedTenant(input: { slug: string; name: string; settings?: unknown }): Omit<Tenant, 'id'> {
  if (!SLUG.test(input.slug)) throw invalid('TENANT_SLUG_INVALID', 'A tenant slug is 2 to 63 lowercase letters, digits or dashes.');
  const settings = TenantSettings.safeParse(input.settings ?? {});
  // A new tenant's logo is given now: checked as an upload, listed beside the schema's problems.
  const given = isObject(input.settings) && isObject(input.settings.organization) ? input.settings.organization.logo : undefined;
  const logoWrong = logoProblems(given);
  if (!settings.success || logoWrong.length) {
    throw invalid('TENANT_SETTINGS_INVALID', 'The tenant settings are not valid.', [
      ...(settings.success ? [] : zodProblems(settings.error)),
      ...logoWrong,
    ]);
  }
  const conflicts = tenantArchivalProblems(settings.data);
  if (conflicts.length) throw invalid('TENANT_SETTINGS_INVALID', 'The tenant settings are not valid.', conflicts);
  const sealed = checkCredentialSetting(sealProtection(settings.data, 'TENANT_SETTINGS_INVALID'), 'TENANT_SETTINGS_INVALID');
  return { slug: input.slug, name: input.name, settings: { ...sealed, ...languageDefaults(sealed.locale, input.settings) } };
}

/**
 * A tenant with the default roles. `by` is who the audit records (the CLI: 'system'; the operator API:
 * 'operator:<id>'); `within` adds more in the same transaction (the operator's first administrator), so a
 * tenant is made whole or not at all.
 */
export async function createTenant(
  services: Services,
  input: { slug: string; name: string; settings?: unknown },
  options: { by?: string; within?: (trx: Db, tenant: Tenant) => Promise<void> } = {},
): Promise<Tenant> {
  const tenant: Tenant = { id: newId(), ...plannedTenant(input) };
  const now = iso(services.now());
  await inTransaction(services.storage.db, async (trx) => {
    if (await tenantBySlug(trx, input.slug)) throw new DomainError('conflict', 'TENANT_EXISTS', `A tenant "${input.slug}" already exists.`);
    await insertTenant(trx, {
      id: tenant.id,
      slug: tenant.slug,
      name: tenant.name,
      settings: JSON.stringify(tenant.settings),
      webhook_secret: newSecret(),
      link_secret: newSecret(),
      created_at: now,
    });
    for (const [name, caps] of Object.entries(DEFAULT_ROLES)) {
      await insertRole(trx, { id: newId(), tenant_id: tenant.id, name, capabilities: JSON.stringify(caps) });
    }
    await recordAudit(trx, {
      tenantId: tenant.id,
      subjectType: 'tenant',
      subjectId: tenant.id,
      action: 'created',
      actor: options.by ?? 'system',
      at: now,
    });
    await options.within?.(trx, tenant);
  });
  return tenant;
}

/** What a new tenant is given in its own language, where the settings did not say (their schema's defaults are French). */
const ORGANIZATION_DEFAULT = { fr: 'Organisme de formation', en: 'Training organisation' } as const;

function languageDefaults(locale: TenantSettings['locale'], given: unknown): Partial<TenantSettings> {
  const said = typeof given === 'object' && given !== null && 'organization' in given;
  return said ? {} : { organization: { name: ORGANIZATION_DEFAULT[locale] } };
}

function toTenant(row: TenantRow): Tenant {
  return { id: row.id, slug: row.slug, name: row.name, settings: readSettings(TenantSettings, row.settings) };
}

export async function getTenant(db: Db, id: string): Promise<Tenant> {
  const row = await tenantById(db, id);
  if (!row) throw notFound('The tenant');
  return toTenant(row);
}

export async function findTenantBySlug(db: Db, slug: string): Promise<Tenant | undefined> {
  const row = await tenantBySlug(db, slug);
  return row ? toTenant(row) : undefined;
}

export async function listTenants(db: Db): Promise<Tenant[]> {
  return (await allTenants(db)).map(toTenant);
}

export async function updateTenantSettings(services: Services, actor: Actor, patch: unknown): Promise<Tenant> {
  requireCapability(actor, 'tenant:manage');
  const tenant = await getTenant(services.storage.db, actor.tenantId);
  const merged = mergeTenantSettings(tenant.settings, patch);
  // New defaults must not make a certificate that keeps one of them ask for PDF/A and protection at once.
  const conflicts = tenantArchivalProblems(merged, await tenantCertificates(services.storage.db, tenant.id));
  if (conflicts.length) throw invalid('TENANT_SETTINGS_INVALID', 'The tenant settings are not valid.', conflicts);
  const now = iso(services.now());
  await inTransaction(services.storage.db, async (trx) => {
    await setTenantSettings(trx, tenant.id, JSON.stringify(merged));
    await recordAudit(trx, {
      tenantId: tenant.id,
      subjectType: 'tenant',
      subjectId: tenant.id,
      action: 'settings-changed',
      actor,
      at: now,
      details: withoutPasswords(patch),
    });
  });
  return { ...tenant, settings: merged };
}

/**
 * The settings a patch (top-level keys replaced) makes of the current ones, checked: what updateTenantSettings
 * stores. A key set to null goes back to its default (or to none: `public_base_url`), so a form can clear one.
 */
export function mergeTenantSettings(current: TenantSettings, patch: unknown): TenantSettings {
  const given = isObject(patch) ? patch : {};
  const next: Record<string, unknown> = { ...current, ...given };
  for (const [key, value] of Object.entries(given)) if (value === null) delete next[key];
  const merged = TenantSettings.safeParse(next);
  // Only a logo given now is checked as an upload: one stored before the rule stays readable and keeps.
  const logo = isObject(given.organization) ? given.organization.logo : undefined;
  const logoWrong = logo === current.organization.logo ? [] : logoProblems(logo);
  if (!isObject(patch) || !merged.success || logoWrong.length) {
    throw invalid(
      'TENANT_SETTINGS_INVALID',
      'The tenant settings are not valid.',
      !isObject(patch)
        ? [{ path: '', code: 'NOT_AN_OBJECT', message: 'Settings must be an object.' }]
        : [...(merged.success ? [] : zodProblems(merged.error)), ...logoWrong],
    );
  }
  const conflicts = tenantArchivalProblems(merged.data);
  if (conflicts.length) throw invalid('TENANT_SETTINGS_INVALID', 'The tenant settings are not valid.', conflicts);
  return checkCredentialSetting(sealProtection(merged.data, 'TENANT_SETTINGS_INVALID'), 'TENANT_SETTINGS_INVALID');
}

/** The tenant's keys (the shop's webhook secret, the download links' key), by id or by slug. */
export async function tenantKeys(
  db: Db,
  by: { id: string } | { slug: string },
): Promise<{ id: string; slug: string; webhookSecret: string; linkSecret: string } | undefined> {
  const row = await tenantSecrets(db, by);
  return row ? { id: row.id, slug: row.slug, webhookSecret: row.webhook_secret, linkSecret: row.link_secret } : undefined;
}

/** The shop's webhook secret, shown to a tenant manager so the shop can be configured. */
export async function webhookSecret(services: Services, actor: Actor): Promise<string> {
  requireCapability(actor, 'tenant:manage');
  const keys = await tenantKeys(services.storage.db, { id: actor.tenantId });
  if (!keys) throw notFound('The tenant');
  return keys.webhookSecret;
}

// Secrets ---------------------------------------------------------------------------------------------

/**
 * A new webhook secret, at once: deliveries signed with the old one are refused from now on, so the shop
 * must be given the new one (there is no overlap window; a leaked secret must stop working).
 */
export async function rotateWebhookSecret(services: Services, actor: Actor): Promise<string> {
  requireCapability(actor, 'tenant:manage');
  const secret = newSecret();
  await rotate(services, actor, { webhook_secret: secret }, 'webhook-secret-rotated');
  return secret;
}

/** A new key for download links: every link handed out before stops working (learners ask for new ones). */
export async function rotateLinkSecret(services: Services, actor: Actor): Promise<{ rotatedAt: string }> {
  requireCapability(actor, 'tenant:manage');
  return { rotatedAt: await rotate(services, actor, { link_secret: newSecret() }, 'link-secret-rotated') };
}

async function rotate(
  services: Services,
  actor: Actor,
  set: { webhook_secret: string } | { link_secret: string },
  action: string,
): Promise<string> {
  const now = iso(services.now());
  await inTransaction(services.storage.db, async (trx) => {
    await setTenantSecret(trx, actor.tenantId, set);
    await recordAudit(trx, { tenantId: actor.tenantId, subjectType: 'tenant', subjectId: actor.tenantId, action, actor, at: now });
  });
  return now;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

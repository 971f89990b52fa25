import { iso, requireCapability, can, type Actor, type Services } from './context';
import { DomainError } from './errors';
import { hmacHex, normalizeCode, sameSecret } from './secrets';
import { getIssue, retrieveDocument, type DocumentFile } from './issues';

/**
 * Signed download links: a learner can fetch their document without an account, until the link expires.
 * The link grants only what the learner could have: the delivery lock, revocation and staff-only delivery
 * are checked when it is used, not when it is made.
 */
export const MAX_LINK_MINUTES = 60 * 24 * 30;

async function linkSecret(services: Services, tenantId: string): Promise<string> {
  const row = await services.storage.db.selectFrom('tenants').select('link_secret').where('id', '=', tenantId).executeTakeFirstOrThrow();
  return row.link_secret;
}

export async function createDownloadLink(services: Services, actor: Actor, code: string, minutes = 60 * 24 * 7): Promise<{ url: string; expiresAt: string }> {
  if (!can(actor, 'issues:manage')) requireCapability(actor, 'certificate:retrieve-own');
  const issue = await getIssue(services, actor, code);
  const expires = Math.floor(services.now().getTime() / 1000) + Math.min(Math.max(1, Math.round(minutes)), MAX_LINK_MINUTES) * 60;
  const tenant = await services.storage.db.selectFrom('tenants').select(['slug', 'settings']).where('id', '=', actor.tenantId).executeTakeFirstOrThrow();
  const sig = hmacHex(await linkSecret(services, actor.tenantId), `${tenant.slug}.${issue.code}.${expires}`);
  return { url: `${services.baseUrl.replace(/\/+$/, '')}/d/${tenant.slug}/${issue.code}?expires=${expires}&sig=${sig}`, expiresAt: iso(new Date(expires * 1000)) };
}

export async function retrieveByLink(services: Services, input: { tenant: string; code: string; expires: string; sig: string }): Promise<DocumentFile> {
  const bad = () => new DomainError('forbidden', 'LINK_INVALID', 'This download link is not valid or has expired; ask for a new one.');
  const tenant = await services.storage.db.selectFrom('tenants').select(['id', 'slug', 'link_secret']).where('slug', '=', input.tenant).executeTakeFirst();
  const code = normalizeCode(input.code);
  const expires = /^\d{1,12}$/.test(input.expires) ? Number(input.expires) : NaN;
  if (!tenant || !code || !Number.isFinite(expires)) throw bad();
  const expected = hmacHex(tenant.link_secret, `${tenant.slug}.${code}.${expires}`);
  if (!sameSecret(expected, input.sig) || expires * 1000 < services.now().getTime()) throw bad();
  return retrieveDocument(services, { kind: 'link', tenantId: tenant.id, code }, code, 'link');
}

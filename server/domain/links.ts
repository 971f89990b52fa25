import { iso, requireCapability, can, type Actor, type Services } from './context';
import { DomainError, notFound } from './errors';
import { hmacHex, sameSecret } from './hashing';
import { codeKey } from './codes';
import { getIssue, retrieveDocument, type DocumentFile } from './issues';
import { reason } from './reasons';
import { getTenant, tenantKeys } from './tenants';
import { serves } from './scope';
import { refusedLink } from './withholding';

/**
 * Signed download links: a learner can fetch their document without an account, until the link expires.
 * The link grants only what the learner could have: the delivery lock, revocation and staff-only delivery
 * are checked when it is used, not only when it is made. A link that could never work (a certificate
 * staff hand out, a revoked document) is refused when asked for, rather than handed out dead.
 */
export const MAX_LINK_MINUTES = 60 * 24 * 30;

export async function createDownloadLink(
  services: Services,
  actor: Actor,
  code: string,
  minutes = 60 * 24 * 7,
): Promise<{ url: string; expiresAt: string }> {
  if (!can(actor, 'issues:manage')) requireCapability(actor, 'certificate:retrieve-own');
  const issue = await getIssue(services, actor, code);
  const { settings } = await getTenant(services.storage.db, actor.tenantId);
  const refused = refusedLink(issue, issue.delivery);
  if (refused) {
    const why = reason(settings.locale, refused.reason);
    throw new DomainError(refused.kind, why.code, why.message, { reasons: [why] });
  }
  const expires = Math.floor(services.now().getTime() / 1000) + Math.min(Math.max(1, Math.round(minutes)), MAX_LINK_MINUTES) * 60;
  const tenant = await tenantKeys(services.storage.db, { id: actor.tenantId });
  if (!tenant) throw notFound('The tenant');
  const sig = hmacHex(tenant.linkSecret, `${tenant.slug}.${issue.code}.${expires}`);
  return {
    url: `${services.baseUrl.replace(/\/+$/, '')}/d/${tenant.slug}/${issue.code}?expires=${expires}&sig=${sig}`,
    expiresAt: iso(new Date(expires * 1000)),
  };
}

export async function retrieveByLink(
  services: Services,
  input: { tenant: string; code: string; expires: string; sig: string },
): Promise<DocumentFile> {
  const bad = () => new DomainError('forbidden', 'LINK_INVALID', 'This download link is not valid or has expired; ask for a new one.');
  const tenant = await tenantKeys(services.storage.db, { slug: input.tenant });
  const code = codeKey(input.code);
  const expires = /^\d{1,12}$/.test(input.expires) ? Number(input.expires) : NaN;
  if (!tenant || !serves(services, tenant) || !code || !Number.isFinite(expires)) throw bad();
  const expected = hmacHex(tenant.linkSecret, `${tenant.slug}.${code}.${expires}`);
  if (!sameSecret(expected, input.sig) || expires * 1000 < services.now().getTime()) throw bad();
  try {
    return await retrieveDocument(services, { kind: 'link', tenantId: tenant.id, code }, code, 'link');
  } catch (e) {
    throw e instanceof DomainError ? forAnonymous(e) : e;
  }
}

/**
 * Whoever holds a link may be anyone it was forwarded to: a withheld document tells them its state word
 * and the reason, never the issue behind it (learner id, dates, hashes, revocation reason).
 */
function forAnonymous(e: DomainError): DomainError {
  const state = e.kind === 'locked' ? 'locked' : e.kind === 'gone' ? 'revoked' : undefined;
  return new DomainError(e.kind, e.code, e.message, {
    ...(e.extra.reasons ? { reasons: e.extra.reasons } : {}),
    ...(state ? { details: { state } } : {}),
  });
}

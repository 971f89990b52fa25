import type { Actor, Services } from './context';
import { DomainError } from './errors';

/**
 * The tenants one server process answers for. Several `attest serve --tenant …` processes can share one
 * database and serve different LMS sites (the way one Moodle code base serves virtual hosts); a request
 * for a tenant outside the process's scope is answered as if that tenant did not exist. Absent: every
 * tenant (`attest start`, `attest serve --all-tenants`, the CLI's own commands, tests).
 */
export interface TenantScope {
  ids: ReadonlySet<string>;
  slugs: ReadonlySet<string>;
}

export function tenantScope(tenants: readonly { id: string; slug: string }[]): TenantScope {
  return { ids: new Set(tenants.map((t) => t.id)), slugs: new Set(tenants.map((t) => t.slug)) };
}

/** Whether this process serves the tenant, named by id or by slug. */
export function serves(services: Pick<Services, 'scope'>, tenant: { id: string } | { slug: string }): boolean {
  const scope = services.scope;
  if (!scope) return true;
  return 'id' in tenant ? scope.ids.has(tenant.id) : scope.slugs.has(tenant.slug);
}

/** Whether the caller's credential (token, session, link) belongs to a tenant this process serves. */
export const servesActor = (services: Pick<Services, 'scope'>, actor: Actor): boolean => serves(services, { id: actor.tenantId });

/**
 * What a caller holding a credential of a tenant this process does not serve is told: a 404, so a request
 * routed to the wrong site's server is plain to see. Callers who name a tenant without proving anything
 * (sign-in, webhooks, links, verification codes) get that route's answer for an unknown tenant instead,
 * so nobody learns which tenants exist.
 */
export function tenantNotServed(): DomainError {
  return new DomainError('not-found', 'TENANT_NOT_SERVED', 'This server does not serve the tenant of this credential.');
}

import { isCapability, type Capability } from './capabilities';
import { iso, recordAudit, type Actor, type Services } from './context';
import { DomainError } from './errors';
import { newSecret } from './ids';
import { sha256Hex } from './hashing';
import { verifyPassword } from './passwords';
import { findTenantBySlug } from './tenants';
import { serves } from './scope';
import type { Db } from '../storage/db';
import { enabledPersonCapabilities, personByUsername } from '../storage/repositories/people';
import { deleteSession, deleteSessionsEndedBy, insertSession, sessionByHash } from '../storage/repositories/sessions';

/** Signing in and out: a session is a random cookie, stored as its hash, for twelve hours. */
const SESSION_HOURS = 12;

export async function signIn(
  services: Services,
  input: { tenant: string; username: string; password: string },
): Promise<{ cookie: string; expiresAt: Date; actor: Actor }> {
  const db = services.storage.db;
  // A tenant this process does not serve is an unknown tenant: same answer, same work (the password check).
  const found = await findTenantBySlug(db, input.tenant);
  const tenant = found && serves(services, found) ? found : undefined;
  const person = tenant ? await personByUsername(db, tenant.id, input.username) : undefined;
  const ok = await verifyPassword(input.password, person?.password_hash ?? null);
  // A disabled person is told no more than a wrong password would tell.
  if (!tenant || !person || !ok || person.disabled_at)
    throw new DomainError('unauthenticated', 'SIGN_IN_FAILED', 'Unknown tenant, username or password.');
  const cookie = newSecret();
  const expiresAt = new Date(services.now().getTime() + SESSION_HOURS * 3600_000);
  const now = iso(services.now());
  await insertSession(db, {
    id_hash: sha256Hex(cookie),
    person_id: person.id,
    tenant_id: tenant.id,
    expires_at: iso(expiresAt),
    created_at: now,
  });
  await recordAudit(db, {
    tenantId: tenant.id,
    subjectType: 'person',
    subjectId: person.id,
    action: 'signed-in',
    actor: `person:${person.id}`,
    at: now,
  });
  return { cookie, expiresAt, actor: await personActor(db, tenant.id, person.id) };
}

export async function authenticateSession(services: Services, cookie: string): Promise<Actor> {
  const db = services.storage.db;
  const row = await sessionByHash(db, sha256Hex(cookie));
  if (!row || row.expires_at <= iso(services.now()))
    throw new DomainError('unauthenticated', 'SESSION_INVALID', 'Your session has ended; sign in again.');
  return personActor(db, row.tenant_id, row.person_id);
}

export async function signOut(services: Services, cookie: string): Promise<void> {
  await deleteSession(services.storage.db, sha256Hex(cookie));
}

/** Removes sessions past their end; returns how many. */
export async function pruneSessions(services: Services): Promise<number> {
  return deleteSessionsEndedBy(services.storage.db, iso(services.now()));
}

async function personActor(db: Db, tenantId: string, personId: string): Promise<Actor> {
  const rows = await enabledPersonCapabilities(db, tenantId, personId);
  if (!rows.length) throw new DomainError('unauthenticated', 'SESSION_INVALID', 'Your session has ended; sign in again.');
  const caps = new Set<Capability>();
  for (const r of rows) for (const c of r.capabilities ? (JSON.parse(r.capabilities) as string[]) : []) if (isCapability(c)) caps.add(c);
  return { kind: 'person', id: personId, tenantId, name: rows[0]!.display_name, username: rows[0]!.username, capabilities: caps };
}

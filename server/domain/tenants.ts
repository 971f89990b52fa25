import { ALL_CAPABILITIES, DEFAULT_ROLES, isCapability, type Capability } from './capabilities';
import { iso, recordAudit, requireCapability, type Actor, type Db, type Services } from './context';
import { DomainError, invalid, notFound, zodProblems } from './errors';
import { hashPassword, newApiToken, newId, newSecret, parseApiToken, sameSecret, sha256Hex, verifyPassword } from './secrets';
import { TenantSettings, readSettings } from './settings';

/**
 * Tenants (one per LMS site), the people and roles in them, API tokens and sessions. Everything a request
 * can reach is found through its tenant: a token of tenant A opens nothing of tenant B.
 */
export interface Tenant {
  id: string;
  slug: string;
  name: string;
  settings: TenantSettings;
}

const SLUG = /^[a-z0-9][a-z0-9-]{1,62}$/;

export async function createTenant(services: Services, input: { slug: string; name: string; settings?: unknown }): Promise<Tenant> {
  if (!SLUG.test(input.slug)) throw invalid('TENANT_SLUG_INVALID', 'A tenant slug is 2 to 63 lowercase letters, digits or dashes.');
  const settings = TenantSettings.safeParse(input.settings ?? {});
  if (!settings.success) throw invalid('TENANT_SETTINGS_INVALID', 'The tenant settings are not valid.', zodProblems(settings.error));
  const now = iso(services.now());
  const tenant: Tenant = { id: newId(), slug: input.slug, name: input.name, settings: { ...settings.data, ...languageDefaults(settings.data.locale, input.settings) } };
  await services.storage.db.transaction().execute(async (trx) => {
    const taken = await trx.selectFrom('tenants').select('id').where('slug', '=', input.slug).executeTakeFirst();
    if (taken) throw new DomainError('conflict', 'TENANT_EXISTS', `A tenant "${input.slug}" already exists.`);
    await trx
      .insertInto('tenants')
      .values({ id: tenant.id, slug: tenant.slug, name: tenant.name, settings: JSON.stringify(tenant.settings), webhook_secret: newSecret(), link_secret: newSecret(), created_at: now })
      .execute();
    for (const [name, caps] of Object.entries(DEFAULT_ROLES)) {
      await trx.insertInto('roles').values({ id: newId(), tenant_id: tenant.id, name, capabilities: JSON.stringify(caps) }).execute();
    }
    await recordAudit(trx, { tenantId: tenant.id, subjectType: 'tenant', subjectId: tenant.id, action: 'created', actor: 'system', at: now });
  });
  return tenant;
}

/** What a new tenant is given in its own language, where the settings did not say (their schema's defaults are French). */
const ORGANIZATION_DEFAULT = { fr: 'Organisme de formation', en: 'Training organisation' } as const;

function languageDefaults(locale: TenantSettings['locale'], given: unknown): Partial<TenantSettings> {
  const said = typeof given === 'object' && given !== null && 'organization' in given;
  return said ? {} : { organization: { name: ORGANIZATION_DEFAULT[locale] } };
}

function toTenant(row: { id: string; slug: string; name: string; settings: string }): Tenant {
  return { id: row.id, slug: row.slug, name: row.name, settings: readSettings(TenantSettings, row.settings) };
}

export async function getTenant(db: Db, id: string): Promise<Tenant> {
  const row = await db.selectFrom('tenants').select(['id', 'slug', 'name', 'settings']).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('The tenant');
  return toTenant(row);
}

export async function findTenantBySlug(db: Db, slug: string): Promise<Tenant | undefined> {
  const row = await db.selectFrom('tenants').select(['id', 'slug', 'name', 'settings']).where('slug', '=', slug).executeTakeFirst();
  return row ? toTenant(row) : undefined;
}

export async function listTenants(db: Db): Promise<Tenant[]> {
  return (await db.selectFrom('tenants').select(['id', 'slug', 'name', 'settings']).orderBy('slug').execute()).map(toTenant);
}

export async function updateTenantSettings(services: Services, actor: Actor, patch: unknown): Promise<Tenant> {
  requireCapability(actor, 'tenant:manage');
  const tenant = await getTenant(services.storage.db, actor.tenantId);
  const merged = TenantSettings.safeParse({ ...tenant.settings, ...(isObject(patch) ? patch : {}) });
  if (!isObject(patch) || !merged.success) {
    throw invalid('TENANT_SETTINGS_INVALID', 'The tenant settings are not valid.', merged.success ? [{ path: '', code: 'NOT_AN_OBJECT', message: 'Settings must be an object.' }] : zodProblems(merged.error));
  }
  const now = iso(services.now());
  await services.storage.db.transaction().execute(async (trx) => {
    await trx.updateTable('tenants').set({ settings: JSON.stringify(merged.data) }).where('id', '=', tenant.id).execute();
    await recordAudit(trx, { tenantId: tenant.id, subjectType: 'tenant', subjectId: tenant.id, action: 'settings-changed', actor, at: now, details: patch });
  });
  return { ...tenant, settings: merged.data };
}

/** The shop's webhook secret, shown to a tenant manager so the shop can be configured. */
export async function webhookSecret(services: Services, actor: Actor): Promise<string> {
  requireCapability(actor, 'tenant:manage');
  const row = await services.storage.db.selectFrom('tenants').select('webhook_secret').where('id', '=', actor.tenantId).executeTakeFirstOrThrow();
  return row.webhook_secret;
}

// People and roles ------------------------------------------------------------------------------------

export interface Person {
  id: string;
  username: string;
  displayName: string;
  email: string | null;
  roles: string[];
}

export async function createPerson(
  services: Services,
  actor: Actor,
  input: { username: string; displayName: string; email?: string; password?: string; roles: string[] },
): Promise<Person> {
  requireCapability(actor, 'tenant:manage');
  if (!/^[\p{L}\p{N}._@-]{1,100}$/u.test(input.username)) throw invalid('USERNAME_INVALID', 'A username is 1 to 100 letters, digits, dots, dashes, underscores or @.');
  if (input.password !== undefined && input.password.length < 12) throw invalid('PASSWORD_TOO_SHORT', 'A password has at least 12 characters.');
  const db = services.storage.db;
  const roles = await db.selectFrom('roles').select(['id', 'name']).where('tenant_id', '=', actor.tenantId).execute();
  const unknown = input.roles.filter((r) => !roles.some((x) => x.name === r));
  if (unknown.length) throw invalid('ROLE_UNKNOWN', `Unknown role: ${unknown.join(', ')}.`, unknown.map((r) => ({ path: 'roles', code: 'ROLE_UNKNOWN', message: `No role "${r}".` })));
  const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
  const id = newId();
  const now = iso(services.now());
  await db.transaction().execute(async (trx) => {
    const taken = await trx.selectFrom('people').select('id').where('tenant_id', '=', actor.tenantId).where('username', '=', input.username).executeTakeFirst();
    if (taken) throw new DomainError('conflict', 'PERSON_EXISTS', `Someone is already called "${input.username}" here.`);
    await trx
      .insertInto('people')
      .values({ id, tenant_id: actor.tenantId, username: input.username, display_name: input.displayName, email: input.email ?? null, password_hash: passwordHash, created_at: now })
      .execute();
    for (const r of roles.filter((x) => input.roles.includes(x.name))) await trx.insertInto('person_roles').values({ person_id: id, role_id: r.id }).execute();
    await recordAudit(trx, { tenantId: actor.tenantId, subjectType: 'person', subjectId: id, action: 'created', actor, at: now, details: { roles: input.roles } });
  });
  return { id, username: input.username, displayName: input.displayName, email: input.email ?? null, roles: input.roles };
}

export async function listPeople(services: Services, actor: Actor): Promise<Person[]> {
  requireCapability(actor, 'tenant:manage');
  return (await peopleOf(services.storage.db, actor.tenantId)).map(({ holds: _holds, ...p }) => p);
}

async function peopleOf(db: Db, tenantId: string, capabilities?: readonly Capability[]): Promise<(Person & { holds: ReadonlySet<string> })[]> {
  const rows = await db
    .selectFrom('people')
    .leftJoin('person_roles', 'person_roles.person_id', 'people.id')
    .leftJoin('roles', 'roles.id', 'person_roles.role_id')
    .select(['people.id', 'people.username', 'people.display_name', 'people.email', 'roles.name as role', 'roles.capabilities'])
    .where('people.tenant_id', '=', tenantId)
    .orderBy('people.display_name')
    .orderBy('people.id')
    .execute();
  const byId = new Map<string, Person & { caps: Set<string> }>();
  for (const r of rows) {
    let p = byId.get(r.id);
    if (!p) byId.set(r.id, (p = { id: r.id, username: r.username, displayName: r.display_name, email: r.email, roles: [], caps: new Set() }));
    if (r.role) p.roles.push(r.role);
    for (const c of r.capabilities ? (JSON.parse(r.capabilities) as string[]) : []) p.caps.add(c);
  }
  return [...byId.values()].filter((p) => !capabilities || capabilities.some((c) => p.caps.has(c))).map(({ caps, ...p }) => ({ ...p, holds: caps }));
}

/** Who is printed as teacher and who signs: the holders of those capabilities in the tenant. */
export function peopleHolding(db: Db, tenantId: string, capabilities: readonly Capability[]): Promise<(Person & { holds: ReadonlySet<string> })[]> {
  return peopleOf(db, tenantId, capabilities);
}

export interface Role {
  name: string;
  capabilities: Capability[];
}

export async function listRoles(services: Services, actor: Actor): Promise<Role[]> {
  requireCapability(actor, 'tenant:manage');
  const rows = await services.storage.db.selectFrom('roles').select(['name', 'capabilities']).where('tenant_id', '=', actor.tenantId).orderBy('name').execute();
  return rows.map((r) => ({ name: r.name, capabilities: (JSON.parse(r.capabilities) as string[]).filter(isCapability) }));
}

export async function setRoleCapabilities(services: Services, actor: Actor, name: string, capabilities: string[]): Promise<Role> {
  requireCapability(actor, 'tenant:manage');
  const unknown = capabilities.filter((c) => !isCapability(c));
  if (unknown.length) throw invalid('CAPABILITY_UNKNOWN', `Unknown capability: ${unknown.join(', ')}.`, unknown.map((c, i) => ({ path: `capabilities[${i}]`, code: 'CAPABILITY_UNKNOWN', message: `No capability "${c}".` })));
  const caps = [...new Set(capabilities)].filter(isCapability);
  const now = iso(services.now());
  await services.storage.db.transaction().execute(async (trx) => {
    const role = await trx.selectFrom('roles').select('id').where('tenant_id', '=', actor.tenantId).where('name', '=', name).executeTakeFirst();
    if (role) await trx.updateTable('roles').set({ capabilities: JSON.stringify(caps) }).where('id', '=', role.id).execute();
    else await trx.insertInto('roles').values({ id: newId(), tenant_id: actor.tenantId, name, capabilities: JSON.stringify(caps) }).execute();
    await recordAudit(trx, { tenantId: actor.tenantId, subjectType: 'role', subjectId: name, action: 'capabilities-set', actor, at: now, details: { capabilities: caps } });
  });
  return { name, capabilities: caps };
}

// API tokens ------------------------------------------------------------------------------------------

export interface TokenInfo {
  id: string;
  name: string;
  capabilities: Capability[];
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

/** A token carries a subset of its creator's capabilities; the secret is shown once, only its hash is kept. */
export async function createToken(services: Services, actor: Actor, input: { name: string; capabilities: string[] }): Promise<{ token: string; info: TokenInfo }> {
  requireCapability(actor, 'tenant:manage');
  const problems = input.capabilities.flatMap((c, i) =>
    !isCapability(c)
      ? [{ path: `capabilities[${i}]`, code: 'CAPABILITY_UNKNOWN', message: `No capability "${c}".` }]
      : actor.kind !== 'system' && !(actor.kind === 'person' || actor.kind === 'token' ? actor.capabilities.has(c) : false)
        ? [{ path: `capabilities[${i}]`, code: 'CAPABILITY_NOT_HELD', message: `You cannot give "${c}": you do not hold it.` }]
        : [],
  );
  if (problems.length) throw invalid('TOKEN_CAPABILITIES_INVALID', 'A token can carry only capabilities that exist and that you hold.', problems);
  const id = newId();
  const { token, secretHash } = newApiToken(id);
  const now = iso(services.now());
  const caps = [...new Set(input.capabilities)].filter(isCapability);
  await services.storage.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('tokens')
      .values({ id, tenant_id: actor.tenantId, name: input.name, secret_hash: secretHash, capabilities: JSON.stringify(caps), created_by: actor.kind === 'person' ? actor.id : null, created_at: now, revoked_at: null, last_used_at: null })
      .execute();
    await recordAudit(trx, { tenantId: actor.tenantId, subjectType: 'token', subjectId: id, action: 'created', actor, at: now, details: { name: input.name, capabilities: caps } });
  });
  return { token, info: { id, name: input.name, capabilities: caps, createdAt: now, revokedAt: null, lastUsedAt: null } };
}

export async function listTokens(services: Services, actor: Actor): Promise<TokenInfo[]> {
  requireCapability(actor, 'tenant:manage');
  const rows = await services.storage.db.selectFrom('tokens').selectAll().where('tenant_id', '=', actor.tenantId).orderBy('created_at').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, capabilities: (JSON.parse(r.capabilities) as string[]).filter(isCapability), createdAt: r.created_at, revokedAt: r.revoked_at, lastUsedAt: r.last_used_at }));
}

export async function revokeToken(services: Services, actor: Actor, id: string): Promise<void> {
  requireCapability(actor, 'tenant:manage');
  const now = iso(services.now());
  await services.storage.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('tokens').select('id').where('id', '=', id).where('tenant_id', '=', actor.tenantId).executeTakeFirst();
    if (!row) throw notFound('The token');
    await trx.updateTable('tokens').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).execute();
    await recordAudit(trx, { tenantId: actor.tenantId, subjectType: 'token', subjectId: id, action: 'revoked', actor, at: now });
  });
}

const lastUseWritten = new Map<string, number>();

/** The actor behind a bearer token, or an `unauthenticated` failure that says nothing about why. */
export async function authenticateToken(services: Services, bearer: string): Promise<Actor> {
  const parsed = parseApiToken(bearer);
  const row = parsed ? await services.storage.db.selectFrom('tokens').selectAll().where('id', '=', parsed.id).executeTakeFirst() : undefined;
  const ok = sameSecret(sha256Hex(parsed?.secret ?? ''), row?.secret_hash ?? '');
  if (!parsed || !row || !ok || row.revoked_at) throw new DomainError('unauthenticated', 'TOKEN_INVALID', 'The API token is missing, unknown or revoked.');
  // Last use is for people auditing tokens, to the minute: not a write per request.
  const t = services.now().getTime();
  if ((lastUseWritten.get(row.id) ?? 0) < t - 60_000) {
    lastUseWritten.set(row.id, t);
    await services.storage.db.updateTable('tokens').set({ last_used_at: iso(services.now()) }).where('id', '=', row.id).execute();
  }
  return { kind: 'token', id: row.id, tenantId: row.tenant_id, name: row.name, capabilities: new Set((JSON.parse(row.capabilities) as string[]).filter(isCapability)) };
}

// Sessions --------------------------------------------------------------------------------------------

const SESSION_HOURS = 12;

export async function signIn(services: Services, input: { tenant: string; username: string; password: string }): Promise<{ cookie: string; expiresAt: Date; actor: Actor }> {
  const db = services.storage.db;
  const tenant = await findTenantBySlug(db, input.tenant);
  const person = tenant
    ? await db.selectFrom('people').selectAll().where('tenant_id', '=', tenant.id).where('username', '=', input.username).executeTakeFirst()
    : undefined;
  const ok = await verifyPassword(input.password, person?.password_hash ?? null);
  if (!tenant || !person || !ok) throw new DomainError('unauthenticated', 'SIGN_IN_FAILED', 'Unknown tenant, username or password.');
  const cookie = newSecret();
  const expiresAt = new Date(services.now().getTime() + SESSION_HOURS * 3600_000);
  const now = iso(services.now());
  await db.insertInto('sessions').values({ id_hash: sha256Hex(cookie), person_id: person.id, tenant_id: tenant.id, expires_at: iso(expiresAt), created_at: now }).execute();
  await recordAudit(db, { tenantId: tenant.id, subjectType: 'person', subjectId: person.id, action: 'signed-in', actor: `person:${person.id}`, at: now });
  return { cookie, expiresAt, actor: await personActor(db, tenant.id, person.id) };
}

export async function authenticateSession(services: Services, cookie: string): Promise<Actor> {
  const db = services.storage.db;
  const row = await db.selectFrom('sessions').selectAll().where('id_hash', '=', sha256Hex(cookie)).executeTakeFirst();
  if (!row || row.expires_at <= iso(services.now())) throw new DomainError('unauthenticated', 'SESSION_INVALID', 'Your session has ended; sign in again.');
  return personActor(db, row.tenant_id, row.person_id);
}

export async function signOut(services: Services, cookie: string): Promise<void> {
  await services.storage.db.deleteFrom('sessions').where('id_hash', '=', sha256Hex(cookie)).execute();
}

async function personActor(db: Db, tenantId: string, personId: string): Promise<Actor> {
  const rows = await db
    .selectFrom('people')
    .leftJoin('person_roles', 'person_roles.person_id', 'people.id')
    .leftJoin('roles', 'roles.id', 'person_roles.role_id')
    .select(['people.display_name', 'people.username', 'roles.capabilities'])
    .where('people.id', '=', personId)
    .where('people.tenant_id', '=', tenantId)
    .execute();
  if (!rows.length) throw new DomainError('unauthenticated', 'SESSION_INVALID', 'Your session has ended; sign in again.');
  const caps = new Set<Capability>();
  for (const r of rows) for (const c of r.capabilities ? (JSON.parse(r.capabilities) as string[]) : []) if (isCapability(c)) caps.add(c);
  return { kind: 'person', id: personId, tenantId, name: rows[0]!.display_name, username: rows[0]!.username, capabilities: caps };
}

/** The first administrator of a tenant, made by `npm start` or the CLI; the password is printed once. */
export async function createAdministrator(services: Services, tenantId: string, username: string, password: string): Promise<Person> {
  return createPerson(services, { kind: 'system', tenantId }, { username, displayName: 'Administrator', password, roles: ['admin'] });
}

export { ALL_CAPABILITIES };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

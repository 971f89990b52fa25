import { ALL_CAPABILITIES, DEFAULT_ROLES, isCapability, type Capability } from './capabilities';
import { iso, recordAudit, requireCapability, type Actor, type Db, type Services } from './context';
import { DomainError, invalid, notFound, zodProblems, type Problem } from './errors';
import { hashPassword, verifyPassword } from './passwords';
import { newApiToken, parseApiToken } from './codes';
import { newId, newSecret } from './ids';
import { sameSecret, sha256Hex } from './hashing';
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

async function rotate(services: Services, actor: Actor, set: { webhook_secret: string } | { link_secret: string }, action: string): Promise<string> {
  const now = iso(services.now());
  await services.storage.db.transaction().execute(async (trx) => {
    await trx.updateTable('tenants').set(set).where('id', '=', actor.tenantId).execute();
    await recordAudit(trx, { tenantId: actor.tenantId, subjectType: 'tenant', subjectId: actor.tenantId, action, actor, at: now });
  });
  return now;
}

// People and roles ------------------------------------------------------------------------------------

export interface Person {
  id: string;
  username: string;
  displayName: string;
  email: string | null;
  roles: string[];
  /** A disabled person cannot sign in; their roles and documents stay. */
  disabled: boolean;
}

/**
 * Nobody grants what they do not hold: whether the actor holds a capability. The system actor (the CLI,
 * the first start) holds them all.
 */
function holds(actor: Actor): (capability: string) => boolean {
  return (c) => actor.kind === 'system' || ((actor.kind === 'person' || actor.kind === 'token') && isCapability(c) && actor.capabilities.has(c));
}

/** The roles asked for, refused with every problem at its path when unknown or beyond the actor's own capabilities. */
function checkRoles(actor: Actor, asked: readonly string[], roles: readonly { id: string; name: string; capabilities: string }[]): { id: string; name: string }[] {
  const held = holds(actor);
  const problems: Problem[] = [];
  asked.forEach((name, i) => {
    const role = roles.find((r) => r.name === name);
    if (!role) return problems.push({ path: `roles[${i}]`, code: 'ROLE_UNKNOWN', message: `No role "${name}".` });
    const beyond = (JSON.parse(role.capabilities) as string[]).filter((c) => !held(c));
    if (beyond.length) problems.push({ path: `roles[${i}]`, code: 'ROLE_NOT_HELD', message: `You cannot give the role "${name}": it grants ${beyond.map((c) => `"${c}"`).join(', ')}, which you do not hold.` });
    return undefined;
  });
  if (problems.length) {
    const unknown = problems.some((p) => p.code === 'ROLE_UNKNOWN');
    throw invalid(unknown ? 'ROLE_UNKNOWN' : 'ROLE_NOT_HELD', unknown ? 'Some roles do not exist.' : 'You can give only roles whose capabilities you hold.', problems);
  }
  return roles.filter((r) => asked.includes(r.name));
}

const rolesOf = (db: Db, tenantId: string) => db.selectFrom('roles').select(['id', 'name', 'capabilities']).where('tenant_id', '=', tenantId).execute();

function checkPassword(password: string, path: string): void {
  if (password.length < 12) throw invalid('PASSWORD_TOO_SHORT', 'A password has at least 12 characters.', [{ path, code: 'PASSWORD_TOO_SHORT', message: 'A password has at least 12 characters.' }]);
}

export async function createPerson(
  services: Services,
  actor: Actor,
  input: { username: string; displayName: string; email?: string; password?: string; roles: string[] },
): Promise<Person> {
  requireCapability(actor, 'tenant:manage');
  if (!/^[\p{L}\p{N}._@-]{1,100}$/u.test(input.username)) throw invalid('USERNAME_INVALID', 'A username is 1 to 100 letters, digits, dots, dashes, underscores or @.');
  if (input.password !== undefined) checkPassword(input.password, 'password');
  const db = services.storage.db;
  const granted = checkRoles(actor, input.roles, await rolesOf(db, actor.tenantId));
  const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
  const id = newId();
  const now = iso(services.now());
  await db.transaction().execute(async (trx) => {
    const taken = await trx.selectFrom('people').select('id').where('tenant_id', '=', actor.tenantId).where('username', '=', input.username).executeTakeFirst();
    if (taken) throw new DomainError('conflict', 'PERSON_EXISTS', `Someone is already called "${input.username}" here.`);
    await trx
      .insertInto('people')
      .values({ id, tenant_id: actor.tenantId, username: input.username, display_name: input.displayName, email: input.email ?? null, password_hash: passwordHash, created_at: now, disabled_at: null, deleted_at: null })
      .execute();
    for (const r of granted) await trx.insertInto('person_roles').values({ person_id: id, role_id: r.id }).execute();
    await recordAudit(trx, { tenantId: actor.tenantId, subjectType: 'person', subjectId: id, action: 'created', actor, at: now, details: { roles: input.roles } });
  });
  return { id, username: input.username, displayName: input.displayName, email: input.email ?? null, roles: input.roles, disabled: false };
}

export async function listPeople(services: Services, actor: Actor): Promise<Person[]> {
  requireCapability(actor, 'tenant:manage');
  return (await peopleOf(services.storage.db, actor.tenantId)).map(({ holds: _holds, ...p }) => p);
}

async function peopleOf(db: Db, tenantId: string, capabilities?: readonly Capability[], personId?: string): Promise<(Person & { holds: ReadonlySet<string> })[]> {
  let query = db
    .selectFrom('people')
    .leftJoin('person_roles', 'person_roles.person_id', 'people.id')
    .leftJoin('roles', 'roles.id', 'person_roles.role_id')
    .select(['people.id', 'people.username', 'people.display_name', 'people.email', 'people.disabled_at', 'roles.name as role', 'roles.capabilities'])
    .where('people.tenant_id', '=', tenantId)
    .where('people.deleted_at', 'is', null);
  if (personId !== undefined) query = query.where('people.id', '=', personId);
  // Who is printed as teacher or signatory: never someone disabled.
  if (capabilities) query = query.where('people.disabled_at', 'is', null);
  const rows = await query.orderBy('people.display_name').orderBy('people.id').execute();
  const byId = new Map<string, Person & { caps: Set<string> }>();
  for (const r of rows) {
    let p = byId.get(r.id);
    if (!p) byId.set(r.id, (p = { id: r.id, username: r.username, displayName: r.display_name, email: r.email, roles: [], disabled: r.disabled_at !== null, caps: new Set() }));
    if (r.role) p.roles.push(r.role);
    for (const c of r.capabilities ? (JSON.parse(r.capabilities) as string[]) : []) p.caps.add(c);
  }
  return [...byId.values()].filter((p) => !capabilities || capabilities.some((c) => p.caps.has(c))).map(({ caps, ...p }) => ({ ...p, holds: caps }));
}

/** A person of the tenant by username (deleted people are not found), for the operator's scripts. */
export async function findPerson(services: Services, actor: Actor, username: string): Promise<Person> {
  requireCapability(actor, 'tenant:manage');
  const row = await services.storage.db.selectFrom('people').select('id').where('tenant_id', '=', actor.tenantId).where('username', '=', username).where('deleted_at', 'is', null).executeTakeFirst();
  const [person] = row ? await peopleOf(services.storage.db, actor.tenantId, undefined, row.id) : [];
  if (!person) throw notFound(`The person "${username}"`, 'PERSON_NOT_FOUND');
  const { holds: _holds, ...p } = person;
  return p;
}

/** Who is printed as teacher and who signs: the holders of those capabilities in the tenant. */
export function peopleHolding(db: Db, tenantId: string, capabilities: readonly Capability[]): Promise<(Person & { holds: ReadonlySet<string> })[]> {
  return peopleOf(db, tenantId, capabilities);
}

/**
 * The person another one manages. Someone holding capabilities the actor does not is out of reach: a
 * manager who could reset an administrator's password could become that administrator. Acting on oneself
 * this way is refused too (one's own password is changed with the current one; disabling oneself locks
 * the tenant's last manager out).
 */
async function managedPerson(services: Services, actor: Actor, personId: string): Promise<Person & { holds: ReadonlySet<string> }> {
  requireCapability(actor, 'tenant:manage');
  const [person] = await peopleOf(services.storage.db, actor.tenantId, undefined, personId);
  if (!person) throw notFound('The person', 'PERSON_NOT_FOUND');
  if (actor.kind === 'person' && actor.id === person.id) throw new DomainError('conflict', 'PERSON_IS_YOU', 'You cannot do this to yourself; change your own password with your current one (PUT /api/v1/me/password).');
  const held = holds(actor);
  const beyond = [...person.holds].filter((c) => !held(c));
  if (beyond.length) {
    throw new DomainError('forbidden', 'PERSON_OUTRANKS_YOU', `${person.displayName} holds capabilities you do not (${beyond.join(', ')}); only someone holding them can change this person.`, { details: { capabilities: beyond } });
  }
  return person;
}

export async function updatePerson(
  services: Services,
  actor: Actor,
  personId: string,
  input: { displayName?: string; email?: string | null; roles?: string[]; disabled?: boolean },
): Promise<Person> {
  const person = await managedPerson(services, actor, personId);
  const db = services.storage.db;
  const granted = input.roles === undefined ? undefined : checkRoles(actor, input.roles, await rolesOf(db, actor.tenantId));
  const now = iso(services.now());
  await db.transaction().execute(async (trx) => {
    const set = {
      ...(input.displayName !== undefined ? { display_name: input.displayName } : {}),
      ...(input.email !== undefined ? { email: input.email } : {}),
      ...(input.disabled !== undefined ? { disabled_at: input.disabled ? now : null } : {}),
    };
    if (Object.keys(set).length) await trx.updateTable('people').set(set).where('id', '=', person.id).execute();
    if (granted) {
      await trx.deleteFrom('person_roles').where('person_id', '=', person.id).execute();
      for (const r of granted) await trx.insertInto('person_roles').values({ person_id: person.id, role_id: r.id }).execute();
    }
    // Disabled means out now, not at the end of a twelve-hour session.
    if (input.disabled) await trx.deleteFrom('sessions').where('person_id', '=', person.id).execute();
    await recordAudit(trx, { tenantId: actor.tenantId, subjectType: 'person', subjectId: person.id, action: 'updated', actor, at: now, details: input });
  });
  const [after] = await peopleOf(db, actor.tenantId, undefined, person.id);
  const { holds: _holds, ...p } = after!;
  return p;
}

/**
 * Deletes a person: name, email, password and roles go, sessions end. The row stays with its username, so
 * that nobody created later under that name becomes the learner of this person's documents.
 */
export async function deletePerson(services: Services, actor: Actor, personId: string): Promise<void> {
  const person = await managedPerson(services, actor, personId);
  const now = iso(services.now());
  await services.storage.db.transaction().execute(async (trx) => {
    await trx.updateTable('people').set({ display_name: person.username, email: null, password_hash: null, disabled_at: now, deleted_at: now }).where('id', '=', person.id).execute();
    await trx.deleteFrom('person_roles').where('person_id', '=', person.id).execute();
    await trx.deleteFrom('sessions').where('person_id', '=', person.id).execute();
    await recordAudit(trx, { tenantId: actor.tenantId, subjectType: 'person', subjectId: person.id, action: 'deleted', actor, at: now });
  });
}

/** A manager sets someone's password (they forgot theirs); every session of that person ends. */
export async function resetPassword(services: Services, actor: Actor, personId: string, password: string): Promise<void> {
  checkPassword(password, 'password');
  const person = await managedPerson(services, actor, personId);
  await setPassword(services, actor, person.id, await hashPassword(password), 'password-reset');
}

/** A person changes their own password, proving they know the current one; their other sessions end. */
export async function changeOwnPassword(services: Services, actor: Actor, input: { current: string; next: string; keepSession?: string }): Promise<void> {
  if (actor.kind !== 'person') throw new DomainError('forbidden', 'PERSON_REQUIRED', 'Only a signed-in person has a password to change.');
  checkPassword(input.next, 'new_password');
  const row = await services.storage.db.selectFrom('people').select('password_hash').where('id', '=', actor.id).executeTakeFirst();
  if (!(await verifyPassword(input.current, row?.password_hash ?? null))) {
    throw invalid('PASSWORD_WRONG', 'The current password is not right.', [{ path: 'current_password', code: 'PASSWORD_WRONG', message: 'This is not your current password.' }]);
  }
  await setPassword(services, actor, actor.id, await hashPassword(input.next), 'password-changed', input.keepSession);
}

async function setPassword(services: Services, actor: Actor, personId: string, hash: string, action: string, keepSession?: string): Promise<void> {
  const now = iso(services.now());
  await services.storage.db.transaction().execute(async (trx) => {
    await trx.updateTable('people').set({ password_hash: hash }).where('id', '=', personId).execute();
    let sessions = trx.deleteFrom('sessions').where('person_id', '=', personId);
    if (keepSession) sessions = sessions.where('id_hash', '!=', sha256Hex(keepSession));
    await sessions.execute();
    await recordAudit(trx, { tenantId: actor.tenantId, subjectType: 'person', subjectId: personId, action, actor, at: now });
  });
}

/** Signs a person out everywhere (a lost laptop); returns how many sessions ended. */
export async function endSessions(services: Services, actor: Actor, personId: string): Promise<number> {
  const person = await managedPerson(services, actor, personId);
  const now = iso(services.now());
  return services.storage.db.transaction().execute(async (trx) => {
    const r = await trx.deleteFrom('sessions').where('person_id', '=', person.id).executeTakeFirst();
    await recordAudit(trx, { tenantId: actor.tenantId, subjectType: 'person', subjectId: person.id, action: 'sessions-ended', actor, at: now });
    return Number(r.numDeletedRows);
  });
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

/** Capabilities that exist and that the actor holds, or every problem at its path. */
function checkCapabilities(actor: Actor, capabilities: readonly string[], code: string, message: string): Capability[] {
  const held = holds(actor);
  const problems = capabilities.flatMap((c, i): Problem[] =>
    !isCapability(c)
      ? [{ path: `capabilities[${i}]`, code: 'CAPABILITY_UNKNOWN', message: `No capability "${c}".` }]
      : !held(c)
        ? [{ path: `capabilities[${i}]`, code: 'CAPABILITY_NOT_HELD', message: `You cannot give "${c}": you do not hold it.` }]
        : [],
  );
  if (problems.length) throw invalid(code, message, problems);
  return [...new Set(capabilities)].filter(isCapability);
}

/**
 * A role grants only capabilities its editor holds, and a role granting more than the editor holds cannot
 * be edited by them at all (emptying the administrators' role would be a way to take over a tenant).
 */
export async function setRoleCapabilities(services: Services, actor: Actor, name: string, capabilities: string[]): Promise<Role> {
  requireCapability(actor, 'tenant:manage');
  const caps = checkCapabilities(actor, capabilities, 'ROLE_CAPABILITIES_INVALID', 'A role can grant only capabilities that exist and that you hold.');
  const now = iso(services.now());
  await services.storage.db.transaction().execute(async (trx) => {
    const role = await trx.selectFrom('roles').select(['id', 'capabilities']).where('tenant_id', '=', actor.tenantId).where('name', '=', name).executeTakeFirst();
    const beyond = role ? (JSON.parse(role.capabilities) as string[]).filter((c) => !holds(actor)(c)) : [];
    if (beyond.length) {
      throw new DomainError('forbidden', 'ROLE_OUTRANKS_YOU', `The role "${name}" grants capabilities you do not hold (${beyond.join(', ')}); only someone holding them can change it.`, { details: { capabilities: beyond } });
    }
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
  /** 'person:<id>', 'token:<id>' or 'system' (the CLI). */
  createdBy: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

type TokenRow = Awaited<ReturnType<typeof tokenRows>>[number];
const tokenRows = (db: Db, tenantId: string) => db.selectFrom('tokens').selectAll().where('tenant_id', '=', tenantId).orderBy('created_at').execute();

function toTokenInfo(r: TokenRow): TokenInfo {
  return {
    id: r.id,
    name: r.name,
    capabilities: (JSON.parse(r.capabilities) as string[]).filter(isCapability),
    createdAt: r.created_at,
    createdBy: r.created_by_token ? `token:${r.created_by_token}` : r.created_by ? `person:${r.created_by}` : 'system',
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
    lastUsedAt: r.last_used_at,
  };
}

/**
 * A token carries a subset of its creator's capabilities, and a token made by a token expires no later
 * than its maker; the secret is shown once, only its hash is kept.
 */
export async function createToken(services: Services, actor: Actor, input: { name: string; capabilities: string[]; expiresAt?: string }): Promise<{ token: string; info: TokenInfo }> {
  requireCapability(actor, 'tenant:manage');
  const caps = checkCapabilities(actor, input.capabilities, 'TOKEN_CAPABILITIES_INVALID', 'A token can carry only capabilities that exist and that you hold.');
  const now = services.now();
  const db = services.storage.db;
  const maker = actor.kind === 'token' ? await db.selectFrom('tokens').select('expires_at').where('id', '=', actor.id).executeTakeFirst() : undefined;
  const expiresAt = input.expiresAt === undefined ? (maker?.expires_at ?? null) : iso(new Date(input.expiresAt));
  if (input.expiresAt !== undefined && !(new Date(input.expiresAt).getTime() > now.getTime())) {
    throw invalid('TOKEN_EXPIRY_INVALID', 'A token’s expiry is a date and time in the future.', [{ path: 'expires_at', code: 'TOKEN_EXPIRY_INVALID', message: 'Give a future date and time (ISO 8601).' }]);
  }
  if (maker?.expires_at && expiresAt && expiresAt > maker.expires_at) {
    throw invalid('TOKEN_EXPIRY_INVALID', 'A token cannot outlive the token that makes it.', [{ path: 'expires_at', code: 'TOKEN_OUTLIVES_MAKER', message: `The token making it expires at ${maker.expires_at}.` }]);
  }
  const id = newId();
  const { token, secretHash } = newApiToken(id);
  const row: TokenRow = {
    id,
    tenant_id: actor.tenantId,
    name: input.name,
    secret_hash: secretHash,
    capabilities: JSON.stringify(caps),
    created_by: actor.kind === 'person' ? actor.id : null,
    created_by_token: actor.kind === 'token' ? actor.id : null,
    created_at: iso(now),
    revoked_at: null,
    last_used_at: null,
    expires_at: expiresAt,
  };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('tokens').values(row).execute();
    await recordAudit(trx, { tenantId: actor.tenantId, subjectType: 'token', subjectId: id, action: 'created', actor, at: row.created_at, details: { name: input.name, capabilities: caps, expiresAt } });
  });
  return { token, info: toTokenInfo(row) };
}

export async function listTokens(services: Services, actor: Actor): Promise<TokenInfo[]> {
  requireCapability(actor, 'tenant:manage');
  return (await tokenRows(services.storage.db, actor.tenantId)).map(toTokenInfo);
}

/** Revokes a token and every token made with it, and with those, and so on; returns the ids revoked. */
export async function revokeToken(services: Services, actor: Actor, id: string): Promise<string[]> {
  requireCapability(actor, 'tenant:manage');
  const now = iso(services.now());
  return services.storage.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('tokens').select('id').where('id', '=', id).where('tenant_id', '=', actor.tenantId).executeTakeFirst();
    if (!row) throw notFound('The token');
    const all = await trx.selectFrom('tokens').select(['id', 'created_by_token']).where('tenant_id', '=', actor.tenantId).execute();
    const revoked = [id];
    for (let i = 0; i < revoked.length; i++) for (const t of all) if (t.created_by_token === revoked[i] && !revoked.includes(t.id)) revoked.push(t.id);
    await trx.updateTable('tokens').set({ revoked_at: now }).where('id', 'in', revoked).where('revoked_at', 'is', null).execute();
    await recordAudit(
      trx,
      revoked.map((subjectId) => ({ tenantId: actor.tenantId, subjectType: 'token', subjectId, action: 'revoked', actor, at: now, ...(subjectId !== id ? { reason: `made by revoked token ${id}` } : {}) })),
    );
    return revoked;
  });
}

const lastUseWritten = new Map<string, number>();

/** The actor behind a bearer token, or an `unauthenticated` failure that says nothing about why. */
export async function authenticateToken(services: Services, bearer: string): Promise<Actor> {
  const parsed = parseApiToken(bearer);
  const row = parsed ? await services.storage.db.selectFrom('tokens').selectAll().where('id', '=', parsed.id).executeTakeFirst() : undefined;
  const ok = sameSecret(sha256Hex(parsed?.secret ?? ''), row?.secret_hash ?? '');
  const expired = row?.expires_at != null && row.expires_at <= iso(services.now());
  if (!parsed || !row || !ok || row.revoked_at || expired) throw new DomainError('unauthenticated', 'TOKEN_INVALID', 'The API token is missing, unknown, expired or revoked.');
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
  // A disabled person is told no more than a wrong password would tell.
  if (!tenant || !person || !ok || person.disabled_at) throw new DomainError('unauthenticated', 'SIGN_IN_FAILED', 'Unknown tenant, username or password.');
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

/** Removes sessions past their end; returns how many. */
export async function pruneSessions(services: Services): Promise<number> {
  const r = await services.storage.db.deleteFrom('sessions').where('expires_at', '<=', iso(services.now())).executeTakeFirst();
  return Number(r.numDeletedRows);
}

async function personActor(db: Db, tenantId: string, personId: string): Promise<Actor> {
  const rows = await db
    .selectFrom('people')
    .leftJoin('person_roles', 'person_roles.person_id', 'people.id')
    .leftJoin('roles', 'roles.id', 'person_roles.role_id')
    .select(['people.display_name', 'people.username', 'roles.capabilities'])
    .where('people.id', '=', personId)
    .where('people.tenant_id', '=', tenantId)
    .where('people.disabled_at', 'is', null)
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

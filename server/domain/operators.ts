import { randomBytes } from 'node:crypto';
import { iso, type Actor, type Services } from './context';
import { DomainError, invalid, notFound, type Problem } from './errors';
import { newId } from './ids';
import { sameSecret, sha256Hex } from './hashing';
import { addPerson, preparePerson, type Person } from './people';
import { createTenant, findTenantBySlug, listTenants, updateTenantSettings, type Tenant } from './tenants';
import type { OperatorTokenTable } from '../storage/schema';
import {
  insertOperatorToken,
  operatorTokenById,
  operatorTokens,
  revokeOperatorToken as storeRevocation,
  setOperatorTokenLastUsed,
} from '../storage/repositories/operators';

/**
 * The installation's operator (a hosting provider serving many LMS sites): a credential that belongs to no
 * tenant, made from a shell (`attest operator token create`), and that opens only the operator operations
 * — provisioning a tenant with its first administrator, reading and setting tenants' settings. It opens
 * nothing inside a tenant (the HTTP adapter refuses it on every other operation), and no tenant's token or
 * session opens the operator operations.
 */
export interface Operator {
  kind: 'operator';
  id: string;
  name: string;
}

export interface OperatorTokenInfo {
  id: string;
  name: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

/** What the audit of a tenant records for what the operator did there. */
export const operatorRef = (operator: Operator): string => `operator:${operator.id}`;

export const OPERATOR_TOKEN_PREFIX = 'atop_';

/** `atop_<id>_<secret>`: never mistaken for a tenant's `att_` token, either way round. */
export function newOperatorToken(id: string): { token: string; secretHash: string } {
  const secret = randomBytes(32).toString('base64url');
  return { token: `${OPERATOR_TOKEN_PREFIX}${id}_${secret}`, secretHash: sha256Hex(secret) };
}

export function parseOperatorToken(token: string): { id: string; secret: string } | undefined {
  const m = /^atop_([0-9a-f-]{36})_([A-Za-z0-9_-]{43})$/.exec(token);
  return m ? { id: m[1]!, secret: m[2]! } : undefined;
}

/** Whether a bearer is meant as an operator token (well formed or not): the adapter routes it here. */
export const looksLikeOperatorToken = (bearer: string): boolean => bearer.startsWith(OPERATOR_TOKEN_PREFIX);

function toInfo(r: OperatorTokenTable): OperatorTokenInfo {
  return { id: r.id, name: r.name, createdAt: r.created_at, expiresAt: r.expires_at, revokedAt: r.revoked_at, lastUsedAt: r.last_used_at };
}

/** A new operator token; its secret is in the answer only, the database keeps its hash. */
export async function createOperatorToken(
  services: Services,
  input: { name: string; expiresAt?: string },
): Promise<{ token: string; info: OperatorTokenInfo }> {
  const row = operatorTokenRow(services, input);
  const { token, secretHash } = newOperatorToken(row.id);
  row.secret_hash = secretHash;
  await insertOperatorToken(services.storage.db, row);
  return { token, info: toInfo(row) };
}

/** The row a token would be, checked (what `--dry-run` shows), without its secret. */
export function operatorTokenRow(services: Services, input: { name: string; expiresAt?: string }): OperatorTokenTable {
  const problems: Problem[] = [];
  const name = input.name.trim();
  if (!name || name.length > 200)
    problems.push({ path: 'name', code: name ? 'TOO_BIG' : 'TOO_SMALL', message: 'A name is 1 to 200 characters.' });
  const expiry = input.expiresAt === undefined ? undefined : new Date(input.expiresAt);
  if (expiry && !(expiry.getTime() > services.now().getTime()))
    problems.push({ path: 'expires_at', code: 'TOKEN_EXPIRY_INVALID', message: 'Give a future date and time (ISO 8601).' });
  if (problems.length)
    throw invalid(
      problems.every((p) => p.code === 'TOKEN_EXPIRY_INVALID') ? 'TOKEN_EXPIRY_INVALID' : 'REQUEST_INVALID',
      'The operator token is not valid.',
      problems,
    );
  return {
    id: newId(),
    name,
    secret_hash: '',
    created_at: iso(services.now()),
    revoked_at: null,
    last_used_at: null,
    expires_at: expiry ? iso(expiry) : null,
  };
}

/** Every operator token, revoked and expired ones too; never a secret. */
export async function listOperatorTokens(services: Services): Promise<OperatorTokenInfo[]> {
  return (await operatorTokens(services.storage.db)).map(toInfo);
}

export async function findOperatorToken(services: Services, id: string): Promise<OperatorTokenInfo> {
  const row = await operatorTokenById(services.storage.db, id);
  if (!row) throw notFound(`The operator token "${id}"`, 'OPERATOR_TOKEN_NOT_FOUND');
  return toInfo(row);
}

/** Revokes at once; revoking a revoked token changes nothing (its first date stays). */
export async function revokeOperatorToken(services: Services, id: string): Promise<OperatorTokenInfo> {
  await findOperatorToken(services, id);
  await storeRevocation(services.storage.db, id, iso(services.now()));
  return findOperatorToken(services, id);
}

const lastUseWritten = new Map<string, number>();

/** The operator behind a bearer token, or the same `unauthenticated` failure as a tenant token's, saying nothing about why. */
export async function authenticateOperator(services: Services, bearer: string): Promise<Operator> {
  const parsed = parseOperatorToken(bearer);
  const row = parsed ? await operatorTokenById(services.storage.db, parsed.id) : undefined;
  const ok = sameSecret(sha256Hex(parsed?.secret ?? ''), row?.secret_hash ?? '');
  const expired = row?.expires_at != null && row.expires_at <= iso(services.now());
  if (!parsed || !row || !ok || row.revoked_at || expired)
    throw new DomainError('unauthenticated', 'TOKEN_INVALID', 'The operator token is missing, unknown, expired or revoked.');
  // As for tenants' tokens: last use to the minute, not a write per request.
  const t = services.now().getTime();
  if ((lastUseWritten.get(row.id) ?? 0) < t - 60_000) {
    lastUseWritten.set(row.id, t);
    await setOperatorTokenLastUsed(services.storage.db, row.id, iso(services.now()));
  }
  return { kind: 'operator', id: row.id, name: row.name };
}

// Tenants, as the operator provisions them ------------------------------------------------------------

/** The operator acting inside one tenant: every capability there, recorded in its audit as 'operator:<id>'. */
const inTenant = (operator: Operator, tenant: { id: string }): Actor => ({
  kind: 'system',
  tenantId: tenant.id,
  by: operatorRef(operator),
});

export interface ProvisionInput {
  slug: string;
  name: string;
  settings?: Record<string, unknown>;
  admin: { username: string; displayName: string; email?: string; password?: string };
}

/**
 * A tenant and its first administrator (role admin), in one transaction: both are made or neither. The
 * password is the one given (the rules of people.ts) or one made here and answered once; the audit of
 * the new tenant records the operator as who made both.
 */
export async function provisionTenant(
  services: Services,
  operator: Operator,
  input: ProvisionInput,
): Promise<{ tenant: Tenant; admin: Person; password?: string }> {
  const generated = input.admin.password === undefined ? randomBytes(18).toString('base64url') : undefined;
  const person = await preparePerson({
    username: input.admin.username,
    displayName: input.admin.displayName,
    ...(input.admin.email !== undefined ? { email: input.admin.email } : {}),
    password: input.admin.password ?? generated!,
    roles: ['admin'],
  }).catch((e: unknown) => {
    throw under('admin', e, 'admin.username');
  });
  let admin: Person | undefined;
  const tenant = await createTenant(
    services,
    { slug: input.slug, name: input.name, ...(input.settings !== undefined ? { settings: input.settings } : {}) },
    {
      by: operatorRef(operator),
      within: async (trx, made) => {
        admin = await addPerson(trx, inTenant(operator, made), person, iso(services.now()));
      },
    },
  ).catch((e: unknown) => {
    throw e instanceof DomainError && e.code === 'TENANT_SETTINGS_INVALID' ? under('settings', e, 'settings') : e;
  });
  return { tenant, admin: admin!, ...(generated !== undefined ? { password: generated } : {}) };
}

/**
 * A domain error about part of the request with its problems' paths put under that part (`settings.locale`,
 * `admin.password`); one without problems gets one at `fallback`.
 */
function under(prefix: string, e: unknown, fallback: string): unknown {
  if (!(e instanceof DomainError)) return e;
  const problems = e.extra.problems?.map((p) => ({ ...p, path: p.path ? `${prefix}.${p.path}` : prefix })) ?? [
    { path: fallback, code: e.code, message: e.message },
  ];
  return new DomainError(e.kind, e.code, e.message, { ...e.extra, problems });
}

export async function operatorTenants(services: Services, _operator: Operator): Promise<Tenant[]> {
  return listTenants(services.storage.db);
}

export async function operatorTenant(services: Services, _operator: Operator, slug: string): Promise<Tenant> {
  const tenant = await findTenantBySlug(services.storage.db, slug);
  if (!tenant) throw notFound(`The tenant "${slug}"`, 'TENANT_NOT_FOUND');
  return tenant;
}

/** Settings merged with the current ones, as the tenant's own managers change them; audited as the operator. */
export async function updateOperatorTenantSettings(services: Services, operator: Operator, slug: string, patch: unknown): Promise<Tenant> {
  const tenant = await operatorTenant(services, operator, slug);
  return updateTenantSettings(services, inTenant(operator, tenant), patch);
}

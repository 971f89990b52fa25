import type { Capability } from './capabilities';
import { iso, recordAudit, requireCapability, type Actor, type Services } from './context';
import { DomainError, invalid, notFound } from './errors';
import { newId } from './ids';
import { newApiToken, parseApiToken } from './codes';
import { sameSecret, sha256Hex } from './hashing';
import { capabilitiesOf, checkCapabilities } from './roles';
import { inTransaction } from '../storage/db';
import type { TokenTable } from '../storage/schema';
import { insertToken, revokeTokens, setTokenLastUsed, tokenById, tokensOf } from '../storage/repositories/tokens';

/** API tokens: what an LMS or a script carries, with a subset of its maker's capabilities. */
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

function toTokenInfo(r: TokenTable): TokenInfo {
  return {
    id: r.id,
    name: r.name,
    capabilities: capabilitiesOf(r.capabilities),
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
export async function createToken(
  services: Services,
  actor: Actor,
  input: { name: string; capabilities: string[]; expiresAt?: string },
): Promise<{ token: string; info: TokenInfo }> {
  requireCapability(actor, 'tenant:manage');
  const caps = checkCapabilities(
    actor,
    input.capabilities,
    'TOKEN_CAPABILITIES_INVALID',
    'A token can carry only capabilities that exist and that you hold.',
  );
  const now = services.now();
  const db = services.storage.db;
  const maker = actor.kind === 'token' ? await tokenById(db, actor.id) : undefined;
  const expiresAt = input.expiresAt === undefined ? (maker?.expires_at ?? null) : iso(new Date(input.expiresAt));
  if (input.expiresAt !== undefined && !(new Date(input.expiresAt).getTime() > now.getTime())) {
    throw invalid('TOKEN_EXPIRY_INVALID', 'A token’s expiry is a date and time in the future.', [
      { path: 'expires_at', code: 'TOKEN_EXPIRY_INVALID', message: 'Give a future date and time (ISO 8601).' },
    ]);
  }
  if (maker?.expires_at && expiresAt && expiresAt > maker.expires_at) {
    throw invalid('TOKEN_EXPIRY_INVALID', 'A token cannot outlive the token that makes it.', [
      { path: 'expires_at', code: 'TOKEN_OUTLIVES_MAKER', message: `The token making it expires at ${maker.expires_at}.` },
    ]);
  }
  const id = newId();
  const { token, secretHash } = newApiToken(id);
  const row: TokenTable = {
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
  await inTransaction(db, async (trx) => {
    await insertToken(trx, row);
    await recordAudit(trx, {
      tenantId: actor.tenantId,
      subjectType: 'token',
      subjectId: id,
      action: 'created',
      actor,
      at: row.created_at,
      details: { name: input.name, capabilities: caps, expiresAt },
    });
  });
  return { token, info: toTokenInfo(row) };
}

export async function listTokens(services: Services, actor: Actor): Promise<TokenInfo[]> {
  requireCapability(actor, 'tenant:manage');
  return (await tokensOf(services.storage.db, actor.tenantId)).map(toTokenInfo);
}

/** A token and every token made with it, and with those, and so on: what revoking it revokes. */
export function revokedWith(id: string, tokens: readonly { id: string; created_by_token: string | null }[]): string[] {
  const revoked = [id];
  for (let i = 0; i < revoked.length; i++)
    for (const t of tokens) if (t.created_by_token === revoked[i] && !revoked.includes(t.id)) revoked.push(t.id);
  return revoked;
}

/** Revokes a token and every token made with it (revokedWith); returns the ids revoked. */
export async function revokeToken(services: Services, actor: Actor, id: string): Promise<string[]> {
  requireCapability(actor, 'tenant:manage');
  const now = iso(services.now());
  return inTransaction(services.storage.db, async (trx) => {
    const all = await tokensOf(trx, actor.tenantId);
    if (!all.some((t) => t.id === id)) throw notFound('The token');
    const revoked = revokedWith(id, all);
    await revokeTokens(trx, revoked, now);
    await recordAudit(
      trx,
      revoked.map((subjectId) => ({
        tenantId: actor.tenantId,
        subjectType: 'token',
        subjectId,
        action: 'revoked',
        actor,
        at: now,
        ...(subjectId !== id ? { reason: `made by revoked token ${id}` } : {}),
      })),
    );
    return revoked;
  });
}

const lastUseWritten = new Map<string, number>();

/** The actor behind a bearer token, or an `unauthenticated` failure that says nothing about why. */
export async function authenticateToken(services: Services, bearer: string): Promise<Actor> {
  const parsed = parseApiToken(bearer);
  const row = parsed ? await tokenById(services.storage.db, parsed.id) : undefined;
  const ok = sameSecret(sha256Hex(parsed?.secret ?? ''), row?.secret_hash ?? '');
  const expired = row?.expires_at != null && row.expires_at <= iso(services.now());
  if (!parsed || !row || !ok || row.revoked_at || expired)
    throw new DomainError('unauthenticated', 'TOKEN_INVALID', 'The API token is missing, unknown, expired or revoked.');
  // Last use is for people auditing tokens, to the minute: not a write per request.
  const t = services.now().getTime();
  if ((lastUseWritten.get(row.id) ?? 0) < t - 60_000) {
    lastUseWritten.set(row.id, t);
    await setTokenLastUsed(services.storage.db, row.id, iso(services.now()));
  }
  return { kind: 'token', id: row.id, tenantId: row.tenant_id, name: row.name, capabilities: new Set(capabilitiesOf(row.capabilities)) };
}

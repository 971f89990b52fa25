import { randomBytes } from 'node:crypto';
import { openStorage, StorageError, type Storage } from '../storage/database';
import { RenderPool } from '../render/pool';
import type { Actor, Services } from '../domain/context';
import { DomainError } from '../domain/errors';
import { createPerson, findPerson, resetPassword, updatePerson } from '../domain/people';
import { createTenant, findTenantBySlug, listTenants, rotateLinkSecret, rotateWebhookSecret } from '../domain/tenants';
import { createToken, revokeToken } from '../domain/tokens';
import { CliError, EXIT, type IO } from './output';
import { DEFAULT_DATABASE } from './start';

/**
 * Operator scripts for a multi-tenant installation: tenants, people and API tokens, each on `--tenant`.
 * They call the same domain functions as the API, as the `system` actor of the tenant.
 */
export interface AdminOptions {
  database?: string;
}

async function withServices<T>(opts: AdminOptions, run: (services: Services) => Promise<T>): Promise<T> {
  let storage: Storage;
  try {
    storage = await openStorage(opts.database ?? process.env.DATABASE_URL ?? DEFAULT_DATABASE);
  } catch (e) {
    if (e instanceof StorageError) throw new CliError(e.message, EXIT.io);
    throw e;
  }
  // None of these commands renders: the pool stays empty (no worker is started).
  const pool = new RenderPool({ size: 0 });
  try {
    return await run({ storage, renderer: pool, now: () => new Date(), baseUrl: process.env.ATTEST_BASE_URL ?? 'http://127.0.0.1:3000' });
  } catch (e) {
    if (e instanceof DomainError) {
      const problems = e.extra.problems?.map((p) => `\n  ${p.path}: ${p.message}`).join('') ?? '';
      throw new CliError(
        `${e.code}: ${e.message}${problems}`,
        e.kind === 'invalid' || e.kind === 'conflict' || e.kind === 'not-found' || e.kind === 'forbidden' ? EXIT.invalid : EXIT.internal,
      );
    }
    throw e;
  } finally {
    await pool.close();
    await storage.close();
  }
}

async function tenantActor(services: Services, slug: string): Promise<Actor> {
  const tenant = await findTenantBySlug(services.storage.db, slug);
  if (!tenant) throw new CliError(`no tenant "${slug}" (see "attest tenant list")`, EXIT.invalid);
  return { kind: 'system', tenantId: tenant.id };
}

export function tenantCreate(
  slug: string,
  opts: AdminOptions & { name?: string; locale?: string; lock?: boolean },
  io: IO,
): Promise<number> {
  return withServices(opts, async (services) => {
    const tenant = await createTenant(services, {
      slug,
      name: opts.name ?? slug,
      settings: { ...(opts.locale ? { locale: opts.locale } : {}), ...(opts.lock ? { delivery_lock: true } : {}) },
    });
    io.out(`tenant ${tenant.slug} created (${tenant.id})\n`);
    return EXIT.ok;
  });
}

export function tenantList(opts: AdminOptions & { json?: boolean }, io: IO): Promise<number> {
  return withServices(opts, async (services) => {
    const tenants = await listTenants(services.storage.db);
    if (opts.json) io.out(`${JSON.stringify(tenants, null, 2)}\n`);
    else
      for (const t of tenants)
        io.out(
          `${t.slug}\t${t.name}\tlock ${t.settings.delivery_lock ? 'on' : 'off'}\tcompletion ${t.settings.completion_tracking ? 'on' : 'off'}\n`,
        );
    return EXIT.ok;
  });
}

/** The shop must be given the new secret: deliveries signed with the old one are refused from now on. */
export function tenantRotateWebhookSecret(slug: string, opts: AdminOptions, io: IO): Promise<number> {
  return withServices(opts, async (services) => {
    const secret = await rotateWebhookSecret(services, await tenantActor(services, slug));
    io.out(
      `webhook secret of ${slug} replaced; deliveries signed with the old one are refused from now on. New secret (give it to the shop):\n${secret}\n`,
    );
    return EXIT.ok;
  });
}

export function tenantRotateLinkSecret(slug: string, opts: AdminOptions, io: IO): Promise<number> {
  return withServices(opts, async (services) => {
    await rotateLinkSecret(services, await tenantActor(services, slug));
    io.out(`link key of ${slug} replaced: every download link handed out before no longer works; learners ask for new ones.\n`);
    return EXIT.ok;
  });
}

export function personSetDisabled(username: string, disabled: boolean, opts: AdminOptions & { tenant: string }, io: IO): Promise<number> {
  return withServices(opts, async (services) => {
    const actor = await tenantActor(services, opts.tenant);
    await updatePerson(services, actor, (await findPerson(services, actor, username)).id, { disabled });
    io.out(disabled ? `${username} disabled in ${opts.tenant}; their sessions ended.\n` : `${username} enabled in ${opts.tenant}.\n`);
    return EXIT.ok;
  });
}

/** A new password (ATTEST_PASSWORD, or made and printed once); the person's sessions end. */
export function personResetPassword(username: string, opts: AdminOptions & { tenant: string }, io: IO): Promise<number> {
  return withServices(opts, async (services) => {
    const actor = await tenantActor(services, opts.tenant);
    const given = process.env.ATTEST_PASSWORD;
    const password = given ?? randomBytes(12).toString('base64url');
    await resetPassword(services, actor, (await findPerson(services, actor, username)).id, password);
    io.out(
      `password of ${username} in ${opts.tenant} replaced; their sessions ended${given ? '' : `; new password (shown once): ${password}`}\n`,
    );
    return EXIT.ok;
  });
}

/** The password comes from ATTEST_PASSWORD (never the command line, which other users can see) or is made and printed once. */
export function personCreate(
  username: string,
  opts: AdminOptions & { tenant: string; name?: string; roles: string },
  io: IO,
): Promise<number> {
  return withServices(opts, async (services) => {
    const actor = await tenantActor(services, opts.tenant);
    const given = process.env.ATTEST_PASSWORD;
    const password = given ?? randomBytes(12).toString('base64url');
    const roles = opts.roles
      .split(',')
      .map((r) => r.trim())
      .filter(Boolean);
    const person = await createPerson(services, actor, { username, displayName: opts.name ?? username, password, roles });
    io.out(
      `${person.username} created in ${opts.tenant} with roles ${roles.join(', ') || '(none)'}${given ? '' : `; password (shown once): ${password}`}\n`,
    );
    return EXIT.ok;
  });
}

export function tokenCreate(
  name: string,
  opts: AdminOptions & { tenant: string; capabilities: string; expires?: string },
  io: IO,
): Promise<number> {
  return withServices(opts, async (services) => {
    const actor = await tenantActor(services, opts.tenant);
    if (opts.expires !== undefined && Number.isNaN(Date.parse(opts.expires)))
      throw new CliError(`--expires must be a date and time (ISO 8601), not "${opts.expires}".`, EXIT.usage);
    const { token, info } = await createToken(services, actor, {
      name,
      capabilities: opts.capabilities
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean),
      ...(opts.expires !== undefined ? { expiresAt: opts.expires } : {}),
    });
    io.out(
      `token "${info.name}" (${info.id}) with ${info.capabilities.join(', ')}${info.expiresAt ? `, until ${info.expiresAt}` : ''}; secret (shown once):\n${token}\n`,
    );
    return EXIT.ok;
  });
}

/** Revokes a token and every token made with it. */
export function tokenRevoke(id: string, opts: AdminOptions & { tenant: string }, io: IO): Promise<number> {
  return withServices(opts, async (services) => {
    const revoked = await revokeToken(services, await tenantActor(services, opts.tenant), id);
    io.out(`revoked ${revoked.length} token${revoked.length > 1 ? 's' : ''}: ${revoked.join(', ')}\n`);
    return EXIT.ok;
  });
}

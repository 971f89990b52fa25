import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { openStorage, type Engine, type Storage } from '../../server/storage/database';
import { maintenance, migratedTemplate, pgUrl } from './postgres';
import { RenderPool } from '../../server/render/pool';
import type { Actor, Services } from '../../server/domain/context';
import { authenticateToken, createToken } from '../../server/domain/tokens';
import { createTenant, type Tenant } from '../../server/domain/tenants';
import { DomainError } from '../../server/domain/errors';
import { createTemplate, publishTemplate, type Version } from '../../server/domain/templates';
import { createCertificate, type Certificate } from '../../server/domain/certificates';
import type { Capability } from '../../server/domain/capabilities';
import { ALL_CAPABILITIES } from '../../server/domain/capabilities';
import { findPersona } from '../../variables/personas';

/**
 * Every domain test file runs against both engines: SQLite in a real file under the run's temporary
 * folder, and the PostgreSQL of this machine (127.0.0.1:5432, user postgres, trust auth), in a database
 * made for the file and dropped when it ends.
 */
export const ENGINES = ['sqlite', 'postgres'] as const satisfies readonly Engine[];
export type TestEngine = (typeof ENGINES)[number];

export { PG_HOST, PG_PORT, PG_USER, pgUrl } from './postgres';

/** A place for a database nobody else uses, and what removes it. */
export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * An empty database, or with `migrated` one every migration has already run in: for PostgreSQL a copy of the
 * run's migrated template (test/support/postgres.ts) when the global setup made one.
 */
export async function scratchDatabase(engine: TestEngine, options: { migrated?: boolean } = {}): Promise<ScratchDatabase> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'attest-db-'));
    return { url: join(dir, 'attest.sqlite'), drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `attest_t_${process.pid}_${randomBytes(6).toString('hex')}`;
  const template = options.migrated ? migratedTemplate() : undefined;
  await maintenance((c) => c.query(template ? `CREATE DATABASE ${name} TEMPLATE ${template}` : `CREATE DATABASE ${name}`));
  return {
    url: pgUrl(name),
    // PostgreSQL 15: WITH (FORCE) ends the connections a test left open before dropping.
    drop: () => maintenance(async (c) => void (await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))),
  };
}

/** A clock the test moves: expiry, windows and webhook timestamps depend on it. */
export class TestClock {
  constructor(public current: Date = new Date('2026-03-10T09:00:00.000Z')) {}
  readonly now = (): Date => new Date(this.current.getTime());
  set(iso: string): void {
    this.current = new Date(iso);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

const pools: RenderPool[] = [];
const scratch: ScratchDatabase[] = [];
const opened: Storage[] = [];
let hooked = false;

function registerCleanup(): void {
  if (hooked) return;
  hooked = true;
  afterAll(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close().catch(() => undefined)));
    await Promise.all(pools.splice(0).map((p) => p.close()));
    for (const d of scratch.splice(0)) await d.drop();
  });
}

/**
 * One render pool for the whole file (a worker takes about two seconds to start). Call at the top level
 * of a test file; the returned function gives the pool once `beforeAll` has made it.
 */
export function useRenderPool(size = 1): () => RenderPool {
  let pool: RenderPool | undefined;
  registerCleanup();
  beforeAll(() => {
    pool = new RenderPool({ size, timeoutMs: 20_000, preview: { timeoutMs: 20_000 } });
    pools.push(pool);
  });
  return () => {
    if (!pool) throw new Error('The render pool is made in beforeAll; use it inside a test or hook.');
    return pool;
  };
}

export interface TestServices extends Services {
  engine: TestEngine;
  url: string;
  clock: TestClock;
}

/**
 * Services on a fresh, migrated database of the engine, sharing the file's render pool. Everything opened
 * is closed, and PostgreSQL databases dropped, after the file (or earlier with `cleanup`).
 */
export async function freshServices(
  engine: TestEngine,
  options: { pool: RenderPool; clock?: TestClock; baseUrl?: string },
): Promise<TestServices & { cleanup(): Promise<void> }> {
  registerCleanup();
  const db = await scratchDatabase(engine, { migrated: true });
  scratch.push(db);
  const storage = await openStorage(db.url);
  opened.push(storage);
  const clock = options.clock ?? new TestClock();
  return {
    engine,
    url: db.url,
    storage,
    renderer: options.pool,
    now: clock.now,
    clock,
    baseUrl: options.baseUrl ?? 'https://attest.test',
    async cleanup() {
      const i = opened.indexOf(storage);
      if (i >= 0) opened.splice(i, 1);
      await storage.close();
      const j = scratch.indexOf(db);
      if (j >= 0) scratch.splice(j, 1);
      await db.drop();
    },
  };
}

// Fixtures ------------------------------------------------------------------------------------------

let counter = 0;
export const uniqueSlug = (prefix = 't'): string => `${prefix}-${process.pid}-${++counter}-${randomBytes(3).toString('hex')}`;

/** An actor holding exactly these capabilities in the tenant (a token that is never stored). */
export function actorWith(tenantId: string, capabilities: readonly Capability[], name = 'test'): Actor {
  return {
    kind: 'token',
    id: `00000000-0000-4000-8000-${(++counter).toString(16).padStart(12, '0')}`,
    tenantId,
    name,
    capabilities: new Set(capabilities),
  };
}

export interface TenantFixture {
  tenant: Tenant;
  system: Actor;
  admin: Actor;
  /** What an LMS integration carries: view, apply, supply learner data, retrieve-own. */
  lms: Actor;
  version: Version;
  templateId: string;
  certificate: Certificate;
}

/**
 * A tenant with a published template (a bundled example) and one certificate on it. `lms` is a real token
 * authenticated the way requests are.
 */
export async function setupTenant(
  services: Services,
  options: { settings?: Record<string, unknown>; certificate?: Record<string, unknown>; example?: string; courseId?: string } = {},
): Promise<TenantFixture> {
  const tenant = await createTenant(services, {
    slug: uniqueSlug(),
    name: 'Institut de test',
    settings: { locale: 'fr', completion_tracking: true, delivery_lock: false, ...options.settings },
  });
  const system: Actor = { kind: 'system', tenantId: tenant.id };
  const template = await createTemplate(services, system, { example: options.example ?? 'attestation-fr' });
  const { version } = await publishTemplate(services, system, template.id);
  const certificate = await createCertificate(services, system, {
    name: 'Sauveteur secouriste du travail',
    templateVersionId: version.id,
    courseId: options.courseId ?? 'course-1',
    settings: options.certificate ?? {},
  });
  const { token } = await createToken(services, system, {
    name: 'LMS',
    capabilities: ['certificate:view', 'certificate:apply', 'learners:supply-data', 'certificate:retrieve-own'],
  });
  const lms = await authenticateToken(services, token);
  return { tenant, system, admin: actorWith(tenant.id, ALL_CAPABILITIES, 'admin'), lms, version, templateId: template.id, certificate };
}

/**
 * A sample learner's data (camille-martin by default) as an LMS sends it, deep-copied, with changes merged
 * at the top level. The persona's `organization` (a preview sample) is left out: documents print the
 * tenant's, and an LMS sending one gets a warning.
 */
export function learnerData(overrides: Record<string, unknown> = {}, persona = 'camille-martin'): Record<string, unknown> {
  const p = findPersona(persona);
  if (!p) throw new Error(`no persona ${persona}`);
  const { organization: _organization, ...data } = structuredClone(p.data) as Record<string, unknown>;
  return { ...data, ...overrides };
}

/** Calls `run` and returns the error it throws; fails when it does not throw. */
export async function failure(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (e) {
    return e;
  }
  throw new Error('expected a failure, got success');
}

/** The DomainError `run` fails with; anything else (or success) fails the test. */
export async function domainFailure(run: () => Promise<unknown>): Promise<DomainError> {
  const e = await failure(run);
  if (!(e instanceof DomainError))
    throw new Error(`expected a DomainError, got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  return e;
}

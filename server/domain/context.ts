import type { Storage } from '../storage/database';
import type { Db } from '../storage/db';
import type { DocumentRenderer } from '../render/renderer';
import { appendAudit } from '../storage/repositories/audit';
import { DomainError } from './errors';
import type { Capability } from './capabilities';
import type { TenantScope } from './scope';

/**
 * What every domain function is given: storage, a renderer (the worker pool) and a clock (tests move time to check
 * expiry and windows). No HTTP here: the same functions serve the API, the CLI and the tests.
 */
export interface Services {
  storage: Storage;
  renderer: DocumentRenderer;
  now: () => Date;
  /** The server's own address, for verification links when a tenant sets none. */
  baseUrl: string;
  /** The tenants this process serves (`attest serve --tenant`); absent: all of them. See scope.ts. */
  scope?: TenantScope;
}

/** Who is acting. Every domain function that changes or reveals something takes one. */
export type Actor =
  | {
      kind: 'person';
      id: string;
      tenantId: string;
      name: string;
      /** For signing in only: the learner a person acts as is learners.ts's ownLearnerId. */ username: string;
      capabilities: ReadonlySet<Capability>;
    }
  | { kind: 'token'; id: string; tenantId: string; name: string; capabilities: ReadonlySet<Capability> }
  | { kind: 'webhook'; tenantId: string; name: 'shop' }
  | { kind: 'link'; tenantId: string; code: string }
  /**
   * The installation itself: the CLI, the first start, or the operator provisioning a tenant over the API
   * (`by` is then who the audit records, 'operator:<id>'). Holds every capability in its tenant.
   */
  | { kind: 'system'; tenantId: string; by?: string };

export function actorRef(actor: Actor): string {
  switch (actor.kind) {
    case 'person':
    case 'token':
      return `${actor.kind}:${actor.id}`;
    case 'webhook':
      return `webhook:${actor.name}`;
    case 'link':
      return `link:${actor.code}`;
    case 'system':
      return actor.by ?? 'system';
  }
}

export function can(actor: Actor, capability: Capability): boolean {
  if (actor.kind === 'system') return true;
  if (actor.kind === 'person' || actor.kind === 'token') return actor.capabilities.has(capability);
  return false;
}

export function requireCapability(actor: Actor, capability: Capability): void {
  if (!can(actor, capability)) {
    throw new DomainError('forbidden', 'CAPABILITY_REQUIRED', `This needs the capability "${capability}".`, { details: { capability } });
  }
}

export const iso = (d: Date): string => d.toISOString();
export const isoDay = (d: Date): string => d.toISOString().slice(0, 10);

export interface AuditInput {
  tenantId: string;
  subjectType: string;
  subjectId: string;
  action: string;
  actor: Actor | string;
  at: string;
  reason?: string | null;
  details?: unknown;
}

/** Appends to the audit trail, in the caller's transaction; several entries go in one statement. */
export async function recordAudit(db: Db, entries: AuditInput | AuditInput[]): Promise<void> {
  const list = Array.isArray(entries) ? entries : [entries];
  await appendAudit(
    db,
    list.map((entry) => ({
      tenant_id: entry.tenantId,
      subject_type: entry.subjectType,
      subject_id: entry.subjectId,
      action: entry.action,
      actor: typeof entry.actor === 'string' ? entry.actor : actorRef(entry.actor),
      reason: entry.reason ?? null,
      details: entry.details === undefined ? null : JSON.stringify(entry.details),
      at: entry.at,
    })),
  );
}

import { isCapability, type Capability } from './capabilities';
import { iso, recordAudit, requireCapability, type Actor, type Services } from './context';
import { DomainError, invalid, type Problem } from './errors';
import { newId } from './ids';
import { inTransaction } from '../storage/db';
import { insertRole, roleByName, rolesOf, setRoleCapabilities as storeRoleCapabilities } from '../storage/repositories/roles';

/** Roles: named sets of capabilities a tenant gives its people. Nobody grants what they do not hold. */
export interface Role {
  name: string;
  capabilities: Capability[];
}

/** Whether the actor holds a capability. The system actor (the CLI, the first start) holds them all. */
export function holds(actor: Actor): (capability: string) => boolean {
  return (c) =>
    actor.kind === 'system' || ((actor.kind === 'person' || actor.kind === 'token') && isCapability(c) && actor.capabilities.has(c));
}

/** The capabilities a role's stored list names (unknown names, from an older version, are dropped). */
export const capabilitiesOf = (stored: string): Capability[] => (JSON.parse(stored) as string[]).filter(isCapability);

/** The roles asked for, refused with every problem at its path when unknown or beyond the actor's own capabilities. */
export function checkRoles(
  actor: Actor,
  asked: readonly string[],
  roles: readonly { id: string; name: string; capabilities: string }[],
): { id: string; name: string }[] {
  const held = holds(actor);
  const problems: Problem[] = [];
  asked.forEach((name, i) => {
    const role = roles.find((r) => r.name === name);
    if (!role) return problems.push({ path: `roles[${i}]`, code: 'ROLE_UNKNOWN', message: `No role "${name}".` });
    const beyond = (JSON.parse(role.capabilities) as string[]).filter((c) => !held(c));
    if (beyond.length)
      problems.push({
        path: `roles[${i}]`,
        code: 'ROLE_NOT_HELD',
        message: `You cannot give the role "${name}": it grants ${beyond.map((c) => `"${c}"`).join(', ')}, which you do not hold.`,
      });
    return undefined;
  });
  if (problems.length) {
    const unknown = problems.some((p) => p.code === 'ROLE_UNKNOWN');
    throw invalid(
      unknown ? 'ROLE_UNKNOWN' : 'ROLE_NOT_HELD',
      unknown ? 'Some roles do not exist.' : 'You can give only roles whose capabilities you hold.',
      problems,
    );
  }
  return roles.filter((r) => asked.includes(r.name));
}

/** Capabilities that exist and that the actor holds, or every problem at its path. */
export function checkCapabilities(actor: Actor, capabilities: readonly string[], code: string, message: string): Capability[] {
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

export async function listRoles(services: Services, actor: Actor): Promise<Role[]> {
  requireCapability(actor, 'tenant:manage');
  const rows = await rolesOf(services.storage.db, actor.tenantId, { byName: true });
  return rows.map((r) => ({ name: r.name, capabilities: capabilitiesOf(r.capabilities) }));
}

/**
 * A role grants only capabilities its editor holds, and a role granting more than the editor holds cannot
 * be edited by them at all (emptying the administrators' role would be a way to take over a tenant).
 */
export async function setRoleCapabilities(services: Services, actor: Actor, name: string, capabilities: string[]): Promise<Role> {
  requireCapability(actor, 'tenant:manage');
  const caps = checkCapabilities(
    actor,
    capabilities,
    'ROLE_CAPABILITIES_INVALID',
    'A role can grant only capabilities that exist and that you hold.',
  );
  const now = iso(services.now());
  await inTransaction(services.storage.db, async (trx) => {
    const role = await roleByName(trx, actor.tenantId, name);
    const beyond = role ? (JSON.parse(role.capabilities) as string[]).filter((c) => !holds(actor)(c)) : [];
    if (beyond.length) {
      throw new DomainError(
        'forbidden',
        'ROLE_OUTRANKS_YOU',
        `The role "${name}" grants capabilities you do not hold (${beyond.join(', ')}); only someone holding them can change it.`,
        { details: { capabilities: beyond } },
      );
    }
    if (role) await storeRoleCapabilities(trx, role.id, JSON.stringify(caps));
    else await insertRole(trx, { id: newId(), tenant_id: actor.tenantId, name, capabilities: JSON.stringify(caps) });
    await recordAudit(trx, {
      tenantId: actor.tenantId,
      subjectType: 'role',
      subjectId: name,
      action: 'capabilities-set',
      actor,
      at: now,
      details: { capabilities: caps },
    });
  });
  return { name, capabilities: caps };
}

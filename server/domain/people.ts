import type { Capability } from './capabilities';
import { iso, recordAudit, requireCapability, type Actor, type Services } from './context';
import { DomainError, invalid, notFound } from './errors';
import { newId } from './ids';
import { hashPassword, verifyPassword } from './passwords';
import { sha256Hex } from './hashing';
import { checkRoles, holds } from './roles';
import { inTransaction, type Db } from '../storage/db';
import {
  insertPerson,
  passwordHashOf,
  peopleWithRoles,
  personByUsername,
  updatePerson as storePerson,
  type PersonRoleRow,
} from '../storage/repositories/people';
import { rolesOf, setPersonRoles } from '../storage/repositories/roles';
import { deleteSessionsOf } from '../storage/repositories/sessions';

/** The people of a tenant: who signs in, with which roles, and their passwords. */
export interface Person {
  id: string;
  username: string;
  displayName: string;
  email: string | null;
  roles: string[];
  /** A disabled person cannot sign in; their roles and documents stay. */
  disabled: boolean;
}

export type PersonHolding = Person & { holds: ReadonlySet<string> };

/** One person per id from rows of person and role, with what their roles grant; `capabilities`: only holders of one. */
export function gatherPeople(rows: readonly PersonRoleRow[], capabilities?: readonly Capability[]): PersonHolding[] {
  const byId = new Map<string, Person & { caps: Set<string> }>();
  for (const r of rows) {
    let p = byId.get(r.id);
    if (!p)
      byId.set(
        r.id,
        (p = {
          id: r.id,
          username: r.username,
          displayName: r.display_name,
          email: r.email,
          roles: [],
          disabled: r.disabled_at !== null,
          caps: new Set(),
        }),
      );
    if (r.role) p.roles.push(r.role);
    for (const c of r.capabilities ? (JSON.parse(r.capabilities) as string[]) : []) p.caps.add(c);
  }
  return [...byId.values()]
    .filter((p) => !capabilities || capabilities.some((c) => p.caps.has(c)))
    .map(({ caps, ...p }) => ({ ...p, holds: caps }));
}

async function peopleOf(db: Db, tenantId: string, capabilities?: readonly Capability[], personId?: string): Promise<PersonHolding[]> {
  // Who is printed as teacher or signatory: never someone disabled.
  const rows = await peopleWithRoles(db, tenantId, {
    ...(personId !== undefined ? { personId } : {}),
    enabledOnly: capabilities !== undefined,
  });
  return gatherPeople(rows, capabilities);
}

export function checkPassword(password: string, path: string): void {
  if (password.length < 12)
    throw invalid('PASSWORD_TOO_SHORT', 'A password has at least 12 characters.', [
      { path, code: 'PASSWORD_TOO_SHORT', message: 'A password has at least 12 characters.' },
    ]);
}

/** What a username may be: letters, digits, dots, dashes, underscores and @, 1 to 100 of them. */
export const USERNAME = /^[\p{L}\p{N}._@-]{1,100}$/u;

/** A person checked and with the password hashed (slow), before any transaction: what addPerson writes. */
export interface NewPerson {
  username: string;
  displayName: string;
  email: string | null;
  passwordHash: string | null;
  roles: string[];
}

export async function preparePerson(input: {
  username: string;
  displayName: string;
  email?: string;
  password?: string;
  roles: string[];
}): Promise<NewPerson> {
  if (!USERNAME.test(input.username))
    throw invalid('USERNAME_INVALID', 'A username is 1 to 100 letters, digits, dots, dashes, underscores or @.');
  if (input.password !== undefined) checkPassword(input.password, 'password');
  return {
    username: input.username,
    displayName: input.displayName,
    email: input.email ?? null,
    passwordHash: input.password === undefined ? null : await hashPassword(input.password),
    roles: input.roles,
  };
}

/** Writes a prepared person in the caller's transaction; the roles are checked against the tenant's there. */
export async function addPerson(trx: Db, actor: Actor, person: NewPerson, now: string): Promise<Person> {
  requireCapability(actor, 'tenant:manage');
  const granted = checkRoles(actor, person.roles, await rolesOf(trx, actor.tenantId));
  if (await personByUsername(trx, actor.tenantId, person.username))
    throw new DomainError('conflict', 'PERSON_EXISTS', `Someone is already called "${person.username}" here.`);
  const id = newId();
  await insertPerson(trx, {
    id,
    tenant_id: actor.tenantId,
    username: person.username,
    display_name: person.displayName,
    email: person.email,
    password_hash: person.passwordHash,
    created_at: now,
    disabled_at: null,
    deleted_at: null,
  });
  await setPersonRoles(
    trx,
    id,
    granted.map((r) => r.id),
  );
  await recordAudit(trx, {
    tenantId: actor.tenantId,
    subjectType: 'person',
    subjectId: id,
    action: 'created',
    actor,
    at: now,
    details: { roles: person.roles },
  });
  return { id, username: person.username, displayName: person.displayName, email: person.email, roles: person.roles, disabled: false };
}

export async function createPerson(
  services: Services,
  actor: Actor,
  input: { username: string; displayName: string; email?: string; password?: string; roles: string[] },
): Promise<Person> {
  requireCapability(actor, 'tenant:manage');
  const person = await preparePerson(input);
  const now = iso(services.now());
  return inTransaction(services.storage.db, (trx) => addPerson(trx, actor, person, now));
}

export async function listPeople(services: Services, actor: Actor): Promise<Person[]> {
  requireCapability(actor, 'tenant:manage');
  return (await peopleOf(services.storage.db, actor.tenantId)).map(({ holds: _holds, ...p }) => p);
}

/** A person of the tenant by username (deleted people are not found), for the operator's scripts. */
export async function findPerson(services: Services, actor: Actor, username: string): Promise<Person> {
  requireCapability(actor, 'tenant:manage');
  const row = await personByUsername(services.storage.db, actor.tenantId, username);
  const [person] = row && row.deleted_at === null ? await peopleOf(services.storage.db, actor.tenantId, undefined, row.id) : [];
  if (!person) throw notFound(`The person "${username}"`, 'PERSON_NOT_FOUND');
  const { holds: _holds, ...p } = person;
  return p;
}

/** Who is printed as teacher and who signs: the holders of those capabilities in the tenant. */
export function peopleHolding(db: Db, tenantId: string, capabilities: readonly Capability[]): Promise<PersonHolding[]> {
  return peopleOf(db, tenantId, capabilities);
}

/**
 * Whether the actor may manage this person. Someone holding capabilities the actor does not is out of
 * reach: a manager who could reset an administrator's password could become that administrator. Acting on
 * oneself this way is refused too (one's own password is changed with the current one; disabling oneself
 * locks the tenant's last manager out).
 */
export function checkManages(actor: Actor, person: PersonHolding): void {
  if (actor.kind === 'person' && actor.id === person.id)
    throw new DomainError(
      'conflict',
      'PERSON_IS_YOU',
      'You cannot do this to yourself; change your own password with your current one (PUT /api/v1/me/password).',
    );
  const held = holds(actor);
  const beyond = [...person.holds].filter((c) => !held(c));
  if (beyond.length) {
    throw new DomainError(
      'forbidden',
      'PERSON_OUTRANKS_YOU',
      `${person.displayName} holds capabilities you do not (${beyond.join(', ')}); only someone holding them can change this person.`,
      { details: { capabilities: beyond } },
    );
  }
}

/** The person another one manages (checkManages says who is out of reach). */
async function managedPerson(services: Services, actor: Actor, personId: string): Promise<PersonHolding> {
  requireCapability(actor, 'tenant:manage');
  const [person] = await peopleOf(services.storage.db, actor.tenantId, undefined, personId);
  if (!person) throw notFound('The person', 'PERSON_NOT_FOUND');
  checkManages(actor, person);
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
  await inTransaction(db, async (trx) => {
    await storePerson(trx, person.id, {
      ...(input.displayName !== undefined ? { display_name: input.displayName } : {}),
      ...(input.email !== undefined ? { email: input.email } : {}),
      ...(input.disabled !== undefined ? { disabled_at: input.disabled ? now : null } : {}),
    });
    if (granted)
      await setPersonRoles(
        trx,
        person.id,
        granted.map((r) => r.id),
      );
    // Disabled means out now, not at the end of a twelve-hour session.
    if (input.disabled) await deleteSessionsOf(trx, person.id);
    await recordAudit(trx, {
      tenantId: actor.tenantId,
      subjectType: 'person',
      subjectId: person.id,
      action: 'updated',
      actor,
      at: now,
      details: input,
    });
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
  await inTransaction(services.storage.db, async (trx) => {
    await storePerson(trx, person.id, {
      display_name: person.username,
      email: null,
      password_hash: null,
      disabled_at: now,
      deleted_at: now,
    });
    await setPersonRoles(trx, person.id, []);
    await deleteSessionsOf(trx, person.id);
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
export async function changeOwnPassword(
  services: Services,
  actor: Actor,
  input: { current: string; next: string; keepSession?: string },
): Promise<void> {
  if (actor.kind !== 'person') throw new DomainError('forbidden', 'PERSON_REQUIRED', 'Only a signed-in person has a password to change.');
  checkPassword(input.next, 'new_password');
  const stored = await passwordHashOf(services.storage.db, actor.id);
  if (!(await verifyPassword(input.current, stored ?? null))) {
    throw invalid('PASSWORD_WRONG', 'The current password is not right.', [
      { path: 'current_password', code: 'PASSWORD_WRONG', message: 'This is not your current password.' },
    ]);
  }
  await setPassword(services, actor, actor.id, await hashPassword(input.next), 'password-changed', input.keepSession);
}

async function setPassword(
  services: Services,
  actor: Actor,
  personId: string,
  hash: string,
  action: string,
  keepSession?: string,
): Promise<void> {
  const now = iso(services.now());
  await inTransaction(services.storage.db, async (trx) => {
    await storePerson(trx, personId, { password_hash: hash });
    await deleteSessionsOf(trx, personId, keepSession ? sha256Hex(keepSession) : undefined);
    await recordAudit(trx, { tenantId: actor.tenantId, subjectType: 'person', subjectId: personId, action, actor, at: now });
  });
}

/** Signs a person out everywhere (a lost laptop); returns how many sessions ended. */
export async function endSessions(services: Services, actor: Actor, personId: string): Promise<number> {
  const person = await managedPerson(services, actor, personId);
  const now = iso(services.now());
  return inTransaction(services.storage.db, async (trx) => {
    const ended = await deleteSessionsOf(trx, person.id);
    await recordAudit(trx, {
      tenantId: actor.tenantId,
      subjectType: 'person',
      subjectId: person.id,
      action: 'sessions-ended',
      actor,
      at: now,
    });
    return ended;
  });
}

/** The first administrator of a tenant, made by `npm start` or the CLI; the password is printed once. */
export async function createAdministrator(services: Services, tenantId: string, username: string, password: string): Promise<Person> {
  return createPerson(services, { kind: 'system', tenantId }, { username, displayName: 'Administrator', password, roles: ['admin'] });
}

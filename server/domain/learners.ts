import { actorRef, can, iso, recordAudit, requireCapability, type Actor, type Services } from './context';
import { DomainError, invalid, notFound } from './errors';
import { inTransaction, type Db } from '../storage/db';
import type { LearnerRecordTable } from '../storage/schema';
import { personInTenant } from '../storage/repositories/people';
import {
  insertLearnerLink,
  learnerRecord,
  linkedLearnerOf,
  personLinkedTo,
  putLearnerRecord,
  unlinkPerson,
} from '../storage/repositories/learners';

/**
 * Who a learner is, and what a trusted source said about them. Learner ids are the LMS's; a person who
 * signs in is one learner: the LMS learner a manager linked to them, or else `person:<their id>`, a
 * namespace no LMS can send. So a person's username never names anyone's documents, and a person called
 * "42" is not LMS learner 42.
 */
const PERSON_PREFIX = 'person:';

export const isPersonLearner = (learnerId: string): boolean => learnerId.startsWith(PERSON_PREFIX);

/** The one learner id a person acts as. */
export async function ownLearnerId(db: Db, person: Extract<Actor, { kind: 'person' }>): Promise<string> {
  return (await linkedLearnerOf(db, person.tenantId, person.id)) ?? `${PERSON_PREFIX}${person.id}`;
}

/**
 * A learner id a caller may name when asking or supplying: 1 to 200 characters, and in the person
 * namespace only for staff or the person themself (checkActsFor says which person).
 */
export function checkLearnerId(actor: Actor, learnerId: string): void {
  if (!learnerId || learnerId.length > 200) throw invalid('LEARNER_ID_INVALID', 'learner_id is 1 to 200 characters.');
  if (isPersonLearner(learnerId) && actor.kind !== 'person' && !can(actor, 'issues:manage')) {
    throw invalid(
      'LEARNER_ID_RESERVED',
      'Learner ids starting with "person:" name people who sign in to Attest; send the LMS’s own learner id.',
    );
  }
}

/**
 * Whether the actor may act for this learner: staff reach every learner; a person reaches only their own
 * learner id (`own`, which only a person has); others never a person's.
 */
export function actsFor(actor: Actor, learnerId: string, own: string | undefined): boolean {
  if (can(actor, 'issues:manage')) return true;
  return actor.kind === 'person' ? learnerId === own : !isPersonLearner(learnerId);
}

/** actsFor, with the person's own learner id looked up, refused when not. */
export async function checkActsFor(db: Db, actor: Actor, learnerId: string): Promise<void> {
  const own = actor.kind === 'person' && !can(actor, 'issues:manage') ? await ownLearnerId(db, actor) : undefined;
  if (!actsFor(actor, learnerId, own)) throw new DomainError('forbidden', 'OTHER_LEARNER', 'You can only ask for your own documents.');
}

// Linking a person to their LMS learner ----------------------------------------------------------------

export interface LearnerLink {
  personId: string;
  /** The learner this person acts as: the linked LMS learner id, or `person:<id>` when none is linked. */
  learnerId: string;
  linked: boolean;
}

/** A manager says which LMS learner a person is (or, with null, that they are no LMS learner). */
export async function linkLearner(services: Services, actor: Actor, personId: string, learnerId: string | null): Promise<LearnerLink> {
  requireCapability(actor, 'tenant:manage');
  if (learnerId !== null) {
    if (!learnerId || learnerId.length > 200) throw invalid('LEARNER_ID_INVALID', 'learner_id is 1 to 200 characters.');
    if (isPersonLearner(learnerId))
      throw invalid('LEARNER_ID_RESERVED', 'A person is linked to an LMS learner id; ids starting with "person:" are Attest’s own.');
  }
  const at = iso(services.now());
  await inTransaction(services.storage.db, async (trx) => {
    if (!(await personInTenant(trx, actor.tenantId, personId))) throw notFound('The person', 'PERSON_NOT_FOUND');
    await unlinkPerson(trx, personId);
    if (learnerId !== null) {
      if (await personLinkedTo(trx, actor.tenantId, learnerId))
        throw new DomainError('conflict', 'LEARNER_ALREADY_LINKED', `Learner "${learnerId}" is already linked to another person.`);
      await insertLearnerLink(trx, {
        person_id: personId,
        tenant_id: actor.tenantId,
        learner_id: learnerId,
        linked_by: actorRef(actor),
        linked_at: at,
      });
    }
    await recordAudit(trx, {
      tenantId: actor.tenantId,
      subjectType: 'person',
      subjectId: personId,
      action: learnerId === null ? 'learner-unlinked' : 'learner-linked',
      actor,
      at,
      details: { learnerId },
    });
  });
  return { personId, learnerId: learnerId ?? `${PERSON_PREFIX}${personId}`, linked: learnerId !== null };
}

// Learner records -------------------------------------------------------------------------------------

/** What a trusted source said about a learner for a certificate, and who said it when. */
export interface LearnerRecord {
  certificateId: string;
  learnerId: string;
  data: Record<string, unknown>;
  available: boolean;
  unavailableReason: string | null;
  suppliedBy: string;
  suppliedAt: string;
}

export function recordView(row: LearnerRecordTable): LearnerRecord {
  return {
    certificateId: row.certificate_id,
    learnerId: row.learner_id,
    data: JSON.parse(row.data) as Record<string, unknown>,
    available: row.available === 1,
    unavailableReason: row.unavailable_reason,
    suppliedBy: row.supplied_by,
    suppliedAt: row.supplied_at,
  };
}

export async function heldRecord(db: Db, tenantId: string, certificateId: string, learnerId: string): Promise<LearnerRecord | undefined> {
  const row = await learnerRecord(db, tenantId, certificateId, learnerId);
  return row ? recordView(row) : undefined;
}

/** Keeps a supply, replacing the learner's previous record for the certificate. */
export async function keepRecord(db: Db, tenantId: string, record: LearnerRecord): Promise<void> {
  const values: LearnerRecordTable = {
    tenant_id: tenantId,
    certificate_id: record.certificateId,
    learner_id: record.learnerId,
    data: JSON.stringify(record.data),
    available: record.available ? 1 : 0,
    unavailable_reason: record.unavailableReason,
    supplied_by: record.suppliedBy,
    supplied_at: record.suppliedAt,
  };
  await putLearnerRecord(db, values);
}

/** A learner's record, for those who manage issued documents (it is personal data). */
export async function getLearnerRecord(services: Services, actor: Actor, certificateId: string, learnerId: string): Promise<LearnerRecord> {
  requireCapability(actor, 'issues:manage');
  const record = await heldRecord(services.storage.db, actor.tenantId, certificateId, learnerId);
  if (!record) throw notFound('The learner’s record', 'LEARNER_RECORD_NOT_FOUND');
  return record;
}

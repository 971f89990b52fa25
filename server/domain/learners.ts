import { actorRef, can, iso, recordAudit, requireCapability, type Actor, type Db, type Services } from './context';
import { DomainError, invalid, notFound } from './errors';
import type { LearnerRecordTable } from '../storage/schema';

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
  const link = await db.selectFrom('learner_links').select('learner_id').where('person_id', '=', person.id).where('tenant_id', '=', person.tenantId).executeTakeFirst();
  return link?.learner_id ?? `${PERSON_PREFIX}${person.id}`;
}

/**
 * A learner id a caller may name when asking or supplying: 1 to 200 characters, and in the person
 * namespace only for staff or the person themself (checkActsFor says which person).
 */
export function checkLearnerId(actor: Actor, learnerId: string): void {
  if (!learnerId || learnerId.length > 200) throw invalid('LEARNER_ID_INVALID', 'learner_id is 1 to 200 characters.');
  if (isPersonLearner(learnerId) && actor.kind !== 'person' && !can(actor, 'issues:manage')) {
    throw invalid('LEARNER_ID_RESERVED', 'Learner ids starting with "person:" name people who sign in to Attest; send the LMS’s own learner id.');
  }
}

/** Staff reach every learner; a person reaches only their own learner id; others never a person's. */
export async function checkActsFor(db: Db, actor: Actor, learnerId: string): Promise<void> {
  if (can(actor, 'issues:manage')) return;
  const mine = actor.kind === 'person' ? learnerId === (await ownLearnerId(db, actor)) : !isPersonLearner(learnerId);
  if (!mine) throw new DomainError('forbidden', 'OTHER_LEARNER', 'You can only ask for your own documents.');
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
    if (isPersonLearner(learnerId)) throw invalid('LEARNER_ID_RESERVED', 'A person is linked to an LMS learner id; ids starting with "person:" are Attest’s own.');
  }
  const at = iso(services.now());
  await services.storage.db.transaction().execute(async (trx) => {
    const person = await trx.selectFrom('people').select('id').where('id', '=', personId).where('tenant_id', '=', actor.tenantId).executeTakeFirst();
    if (!person) throw notFound('The person', 'PERSON_NOT_FOUND');
    await trx.deleteFrom('learner_links').where('person_id', '=', personId).execute();
    if (learnerId !== null) {
      const taken = await trx.selectFrom('learner_links').select('person_id').where('tenant_id', '=', actor.tenantId).where('learner_id', '=', learnerId).executeTakeFirst();
      if (taken) throw new DomainError('conflict', 'LEARNER_ALREADY_LINKED', `Learner "${learnerId}" is already linked to another person.`);
      await trx.insertInto('learner_links').values({ person_id: personId, tenant_id: actor.tenantId, learner_id: learnerId, linked_by: actorRef(actor), linked_at: at }).execute();
    }
    await recordAudit(trx, { tenantId: actor.tenantId, subjectType: 'person', subjectId: personId, action: learnerId === null ? 'learner-unlinked' : 'learner-linked', actor, at, details: { learnerId } });
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

function recordView(row: LearnerRecordTable): LearnerRecord {
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
  const row = await db.selectFrom('learner_records').selectAll().where('tenant_id', '=', tenantId).where('certificate_id', '=', certificateId).where('learner_id', '=', learnerId).executeTakeFirst();
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
  const { tenant_id: _t, certificate_id: _c, learner_id: _l, ...changes } = values;
  await db.insertInto('learner_records').values(values).onConflict((oc) => oc.columns(['certificate_id', 'learner_id']).doUpdateSet(changes)).execute();
}

/** A learner's record, for those who manage issued documents (it is personal data). */
export async function getLearnerRecord(services: Services, actor: Actor, certificateId: string, learnerId: string): Promise<LearnerRecord> {
  requireCapability(actor, 'issues:manage');
  const record = await heldRecord(services.storage.db, actor.tenantId, certificateId, learnerId);
  if (!record) throw notFound('The learner’s record', 'LEARNER_RECORD_NOT_FOUND');
  return record;
}

import { performance } from 'node:perf_hooks';
import { bind } from '../../variables/bind';
import { hasErrors, type Diagnostic } from '../../variables/diagnostics';
import type { BoundData } from '../../variables/types';
import { issueFacts, setBound } from './issue-facts';
import type { Capability } from './capabilities';
import { actorRef, can, iso, isoDay, recordAudit, requireCapability, type Actor, type Services } from './context';
import { recordIssueChange } from './webhooks-out/outbox';
import { certificateRow, toCertificate, type Certificate } from './certificates';
import { DomainError, invalid, notFound, type Problem, type Reason } from './errors';
import { checkActsFor, checkLearnerId, heldRecord, keepRecord, ownLearnerId, recordView, type LearnerRecord } from './learners';
import { learnerNameOf } from './exports';
import { documentFileName } from './file-names';
import { reason } from './reasons';
import { evaluateDeliveryRules, expiryDate, type PrerequisiteFact } from './rules';
import { newId } from './ids';
import { codeKey, newVerificationCode } from './codes';
import { canonicalJson, sha256Hex } from './hashing';
import { getTenant, type Tenant } from './tenants';
import { peopleHolding } from './people';
import { getVersion, poolDiagnostics, versionContract, versionPayload, type Version } from './templates';
import { publicBaseUrl } from './public-url';
import { deliveryChannel, issueState, withheldData, withheldDocument, type DeliveryChannel, type IssueState } from './withholding';
import { inTransaction, type Db } from '../storage/db';
import { inGroupTransaction } from '../storage/group-commit';
import type { IssueTable } from '../storage/schema';
import { auditOf } from '../storage/repositories/audit';
import {
  deleteIssueRow,
  insertIssue,
  insertRevision,
  insertRevisions,
  issueByCode as issueRowByCode,
  issueForDelivery,
  issueFor,
  issuesOf,
  markFirstDelivery,
  revisionHashes,
  reviseIssue,
  revokeIssueRow,
  selectedIssues,
  setIssueLocked,
  supersedeIssue,
  issueChain,
} from '../storage/repositories/issues';
import { certificatesOf } from '../storage/repositories/certificates';
import { recordsFor } from '../storage/repositories/regenerations';
import { clearRefusal, putRefusal, refusalsOf } from '../storage/repositories/refusals';
import { personNames } from '../storage/repositories/people';
import { documentMaking, makingFingerprint, renderMaking, type DocumentMaking } from './document-making';
import { recordSigned, signPdf } from './signature';
import { revokeCredentials, withCredential, signedMaking } from './badge-credential';
import { tokenNames } from '../storage/repositories/tokens';
import { verificationTotals } from '../storage/repositories/stats';

/**
 * Issues: a learner's document for a certificate. What the rules weigh and the document states comes from
 * a trusted source only (DESIGN.md, "Whose word counts"): the LMS's request, kept as the learner's record,
 * or the record held when a learner asks for themself. Requesting applies the delivery rules, makes the
 * PDF and records everything in one transaction; every path that hands a document out goes through
 * `retrieveDocument`, the one place where the delivery lock, revocation and the delivery mode are enforced.
 */
export type { IssueState };
export type { DeliveryChannel };

export interface IssueView {
  code: string;
  certificateId: string;
  learnerId: string;
  state: IssueState;
  locked: boolean;
  /** The day the document was issued; kept through regeneration. */
  issuedOn: string;
  /** What the document attests was achieved on: the completion date supplied, when there was one. */
  achievedOn: string | null;
  expiresOn: string | null;
  revision: number;
  templateVersionId: string;
  sha256: string;
  createdAt: string;
  renderedAt: string;
  firstDeliveredAt: string | null;
  firstDeliveryChannel: string | null;
  revokedAt: string | null;
  revokedReason: string | null;
  /** When a newer document (a re-issue) superseded this one; null while it is the learner's current one. */
  supersededAt: string | null;
}

/** A trusted source (an LMS token, a manager) asking, with what it knows of the learner. */
export interface RequestInput {
  certificateId: string;
  learnerId: string;
  /** What the LMS knows: learner, course, completion, grade, … and the template's own variables. */
  data: Record<string, unknown>;
  /** The LMS's access and visibility rules for this learner and certificate. */
  available: boolean;
  unavailableReason?: string;
}

/** Asking that the record Attest holds be evaluated: a learner's own request, or anyone's without data. */
export interface RecordRequestInput {
  certificateId: string;
  /** A person's own learner id when absent (and only theirs when given). */
  learnerId?: string;
}

export interface RequestResult {
  issue: IssueView;
  /** False when the learner already had this document: asking again never makes a second one. */
  created: boolean;
  /** What is wrong with a document made just now, though it was made; kept in its audit trail too. */
  warnings?: RenderWarning[];
}

/**
 * A document is made even when a character of the learner's name has no glyph in any of the template's
 * fonts, or a text had to be cut: refusing would leave the learner with nothing. Saying so, in the answer
 * and the audit trail, lets the LMS and the managers see it and fix the template (a font asset that has
 * the character) before regenerating. Data the server set aside (an `organization` sent in the request)
 * is said the same way, with its path.
 */
export interface RenderWarning {
  code: string;
  message: string;
  /** Where in the request body, for a field of the data (an unknown field is ignored, not printed). */
  path?: string;
}

export function view(row: IssueTable, today: string): IssueView {
  const state = issueState({ state: row.state, expiresOn: row.expires_on }, today);
  return {
    code: row.code,
    certificateId: row.certificate_id,
    learnerId: row.learner_id,
    state,
    locked: row.locked === 1,
    issuedOn: row.issued_on,
    achievedOn: row.achieved_on,
    expiresOn: row.expires_on,
    revision: row.revision,
    templateVersionId: row.template_version_id,
    sha256: row.pdf_sha256,
    createdAt: row.created_at,
    renderedAt: row.rendered_at,
    firstDeliveredAt: row.first_delivered_at,
    firstDeliveryChannel: row.first_delivery_channel,
    revokedAt: row.revoked_at,
    revokedReason: row.revoked_reason,
    supersededAt: row.superseded_at ?? null,
  };
}

const inFlight = new Map<string, Promise<RequestResult>>();

/**
 * The LMS's request (or a manager's): what it says of the learner is kept as their record, then evaluated.
 * Whoever does not hold `learners:supply-data` (a learner acting for themself) cannot send data at all:
 * what decides eligibility or is printed never comes from the learner's own request.
 */
export async function requestDocument(services: Services, actor: Actor, input: RequestInput): Promise<RequestResult> {
  requireCapability(actor, 'certificate:apply');
  if (!can(actor, 'learners:supply-data')) {
    throw new DomainError(
      'forbidden',
      'LEARNER_DATA_FROM_LMS',
      'Learner data comes from the LMS or a manager (the capability "learners:supply-data"), never from the learner: a learner asks without data (POST …/issues/from-record) that the record Attest holds be evaluated.',
      {
        details: { capability: 'learners:supply-data' },
      },
    );
  }
  checkLearnerId(actor, input.learnerId);
  await checkActsFor(services.storage.db, actor, input.learnerId);
  const supplied: Supplied = {
    data: input.data,
    available: input.available,
    unavailableReason: input.unavailableReason?.slice(0, 200) ?? null,
  };
  return ask(services, actor, input.certificateId, input.learnerId, supplied);
}

/** Evaluates the record held for the learner (what the LMS sent or a manager entered), never new data. */
export async function requestFromRecord(services: Services, actor: Actor, input: RecordRequestInput): Promise<RequestResult> {
  requireCapability(actor, 'certificate:apply');
  const db = services.storage.db;
  let learnerId = input.learnerId;
  if (learnerId === undefined) {
    if (actor.kind !== 'person') throw invalid('LEARNER_ID_REQUIRED', 'Say which learner: learner_id.');
    learnerId = await ownLearnerId(db, actor);
  }
  checkLearnerId(actor, learnerId);
  await checkActsFor(db, actor, learnerId);
  return ask(services, actor, input.certificateId, learnerId, undefined);
}

/** What a supplier sent with its request. */
interface Supplied {
  data: Record<string, unknown>;
  available: boolean;
  unavailableReason: string | null;
}

async function ask(
  services: Services,
  actor: Actor,
  certificateId: string,
  learnerId: string,
  supplied: Supplied | undefined,
): Promise<RequestResult> {
  const db = services.storage.db;
  const existing = await issueFor(db, actor.tenantId, certificateId, learnerId);
  let previous: Previous | undefined;
  if (existing) {
    // Asking again gives the same document, unless the LMS tells of a newer achievement and the
    // certificate allows recertification (recertification.ts): then a new document supersedes it.
    const certificate = supplied ? await certificateRow(db, actor.tenantId, certificateId) : undefined;
    if (!supplied || !certificate || !mayRecertify(certificate.settings, existing, isoDay(services.now())))
      return { issue: view(existing, isoDay(services.now())), created: false };
    previous = { row: existing, manual: false };
  }
  return once(actor.tenantId, certificateId, learnerId, () => issueNew(services, actor, certificateId, learnerId, supplied, previous));
}

/**
 * Identical requests arriving together in this process wait for the first; across processes the unique
 * index on the learner's current document (and, for a re-issue, on `supersedes`) decides.
 */
function once(tenantId: string, certificateId: string, learnerId: string, make: () => Promise<RequestResult>): Promise<RequestResult> {
  const key = `${tenantId}:${certificateId}:${learnerId}`;
  const pending = inFlight.get(key);
  if (pending) return pending.then((r) => ({ issue: r.issue, created: false }));
  const first = make().finally(() => inFlight.delete(key));
  inFlight.set(key, first);
  return first;
}

/** The document a re-issue supersedes, and whether a manager asked for it (no newer achievement needed). */
interface Previous {
  row: IssueTable;
  manual: boolean;
  reason?: string;
}

/**
 * Whether the certificate lets a newer achievement replace this document now: recertification is set, the
 * document is not revoked (a revocation stands), and it expires within the renewal window (when one is set).
 */
export function mayRecertify(settings: Certificate['settings'], current: IssueTable, today: string): boolean {
  const r = settings.recertification;
  if (!r || current.state === 'revoked') return false;
  if (r.renew_within_days === undefined) return true;
  if (!current.expires_on) return false;
  return addDays(current.expires_on, -r.renew_within_days) <= today;
}

/** The day the current document's achievement counts from: its completion date, else its issue day. */
const achievementBasis = (row: IssueTable): string => row.achieved_on ?? row.issued_on;

function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

const PRINTED: readonly Capability[] = ['certificate:printed-as-teacher', 'certificate:signing-authority'];

/** The document's `certificate`: what the certificate, the version and the issue say of it. */
function certificateData(
  certificate: Certificate,
  version: Version,
  issue: { code: string; issuedOn: string; expiresOn: string | null },
  base: string,
): Record<string, unknown> {
  const s = certificate.settings;
  return {
    name: certificate.name,
    ...(s.caption !== undefined ? { caption: s.caption } : {}),
    ...(s.credit_hours !== undefined ? { credit_hours: s.credit_hours } : {}),
    code: issue.code,
    issued: issue.issuedOn,
    ...(issue.expiresOn ? { expires: issue.expiresOn } : {}),
    verification_url: `${base}/verify/${issue.code}`,
    version: version.number,
  };
}

/** What the server itself puts in a document's data: the issue, the organisation, the teachers and signatory. */
export async function serverData(
  services: Services,
  tenant: Tenant,
  certificate: Certificate,
  version: Version,
  input: Record<string, unknown>,
  issue: { code: string; issuedOn: string; expiresOn: string | null },
  people?: Awaited<ReturnType<typeof peopleHolding>>,
): Promise<Record<string, unknown>> {
  const db = services.storage.db;
  const base = publicBaseUrl(tenant.settings.public_base_url, services.baseUrl);
  const s = certificate.settings;
  const data: Record<string, unknown> = { ...input };
  data.certificate = certificateData(certificate, version, issue, base);
  // The tenant's settings are the organisation's only source: what is printed, and (kept in the issue's
  // data) what the verification page names.
  data.organization = { ...tenant.settings.organization };
  if (data.teachers === undefined || data.certifier === undefined) {
    people ??= await peopleHolding(db, tenant.id, PRINTED);
    const teachers = people.filter((p) => p.holds.has('certificate:printed-as-teacher'));
    const signatory = people.find((p) => p.holds.has('certificate:signing-authority'));
    if (data.teachers === undefined && teachers.length) data.teachers = teachers.map((p) => ({ name: p.displayName }));
    if (data.certifier === undefined && signatory) data.certifier = { name: signatory.displayName };
  }
  if (s.extra) data.extra = { ...s.extra, ...(isObject(data.extra) ? data.extra : {}) };
  return data;
}

/** Supplied data without what only the server says (the organisation), and a warning for each part set aside. */
function withoutServerFields(data: Record<string, unknown>): { data: Record<string, unknown>; warnings: RenderWarning[] } {
  if (!('organization' in data)) return { data, warnings: [] };
  const { organization: _dropped, ...rest } = data;
  return {
    data: rest,
    warnings: [
      {
        code: 'ORGANIZATION_FROM_SETTINGS',
        path: 'data.organization',
        message: 'The organisation printed on documents is the tenant’s (its settings); the one sent was ignored.',
      },
    ],
  };
}

/** Binding's findings at their path in the request body (`data.learner.email`): the errors, or the warnings. */
function bindProblems(diagnostics: Diagnostic[], severity: 'error' | 'warning' = 'error'): Problem[] {
  return diagnostics
    .filter((d) => d.severity === severity)
    .map((d) => ({ path: d.path ? `data.${d.path}` : 'data', code: d.code, message: d.message }));
}
function dataInvalid(message: string, diagnostics: Diagnostic[]): DomainError {
  const warnings = bindProblems(diagnostics, 'warning');
  return new DomainError('invalid', 'DATA_INVALID', message, {
    problems: bindProblems(diagnostics),
    ...(warnings.length ? { warnings } : {}),
  });
}

/** A document's data bound once against the version's contract: refused with every problem, or bound with its warnings. */
export function bindToVersion(
  version: Version,
  data: Record<string, unknown>,
  refusal: string,
): { data: BoundData; warnings: Diagnostic[] } {
  const bound = bind(versionContract(version).schema, data);
  if (hasErrors(bound.diagnostics)) throw dataInvalid(refusal, bound.diagnostics);
  return { data: bound.data, warnings: bound.diagnostics.filter((d) => d.severity === 'warning') };
}

export const DATA_UNFIT = 'The learner’s data does not fit the template’s variables.';

/** A record checked against the certificate's current contract before it is kept, the server's fields provisional. */
async function checkRecord(
  services: Services,
  tenant: Tenant,
  certificate: Certificate,
  version: Version,
  data: Record<string, unknown>,
  today: string,
): Promise<void> {
  bindToVersion(
    version,
    await serverData(services, tenant, certificate, version, data, { code: 'PENDING', issuedOn: today, expiresOn: null }),
    DATA_UNFIT,
  );
}

async function issueNew(
  services: Services,
  actor: Actor,
  certificateId: string,
  learnerId: string,
  supplied: Supplied | undefined,
  previous?: Previous,
): Promise<RequestResult> {
  const db = services.storage.db;
  const tenant = await getTenant(db, actor.tenantId);
  const certificate = await certificateRow(db, actor.tenantId, certificateId);
  const version = await getVersion(db, actor.tenantId, certificate.templateVersionId);
  const now = services.now();
  const today = isoDay(now);
  const people = await peopleHolding(db, tenant.id, PRINTED);

  // The facts come from this supplier's request, kept as the learner's record once they fit the template,
  // or from the record already held; a request that brings none finds out what is missing.
  let record: LearnerRecord;
  let dataWarnings: RenderWarning[] = [];
  if (supplied) {
    const cleaned = withoutServerFields(supplied.data);
    dataWarnings = cleaned.warnings;
    record = {
      certificateId: certificate.id,
      learnerId,
      data: cleaned.data,
      available: supplied.available,
      unavailableReason: supplied.unavailableReason,
      suppliedBy: actorRef(actor),
      suppliedAt: iso(now),
    };
  } else {
    const held = await heldRecord(db, actor.tenantId, certificate.id, learnerId);
    if (!held) {
      const why = reason(tenant.settings.locale, 'LEARNER_RECORD_MISSING');
      await recordRefusal(db, actor.tenantId, certificate.id, learnerId, [why], iso(now));
      throw new DomainError('refused', 'LEARNER_RECORD_MISSING', why.message, { reasons: [why] });
    }
    record = held;
  }
  // The document's data is built once, with its code, and bound once: the rules judge the bound facts, the
  // worker renders the bound value, the issue keeps the data as built (regeneration binds it anew).
  const code = newVerificationCode();
  const issuedOn = today;
  const data = await serverData(services, tenant, certificate, version, record.data, { code, issuedOn, expiresOn: null }, people);
  const bound = bindToVersion(version, data, DATA_UNFIT);
  const facts = issueFacts(bound.data);
  // A re-issue the LMS asked for is one only for a newer achievement (the course retaken): the same
  // completion date again gives the current document, as asking twice always did.
  if (previous && !previous.manual && !(facts.achievedOn && facts.achievedOn > achievementBasis(previous.row)))
    return { issue: view(previous.row, today), created: false };
  if (supplied) await keepRecord(db, actor.tenantId, record);

  const reasons = evaluateDeliveryRules(tenant.settings, certificate.settings, {
    completed: facts.completed,
    available: record.available,
    ...(record.unavailableReason ? { unavailableReason: record.unavailableReason } : {}),
    gradePercent: facts.gradePercent,
    timeSpentSeconds: facts.timeSpentSeconds,
    today,
    prerequisites: await prerequisiteFacts(db, actor.tenantId, certificate, learnerId, today),
  });
  // A renewal the rules refuse (the retake's grade too low, say) leaves the current document the learner's.
  if (reasons.length && previous && !previous.manual) return { issue: view(previous.row, today), created: false };
  if (reasons.length) {
    await recordRefusal(db, actor.tenantId, certificate.id, learnerId, reasons, iso(now));
    throw new DomainError('refused', 'DELIVERY_REFUSED', reasons.map((r) => r.message).join(' '), { reasons });
  }

  const achievedOn = facts.achievedOn;
  // A training's validity runs from when it was achieved; without a completion date, from the issue. A
  // date in its normal form binds to itself: it is set in the bound value as it is in the data.
  const expiresOn = expiryDate(achievedOn ?? issuedOn, certificate.settings);
  if (expiresOn) {
    data.certificate = certificateData(
      certificate,
      version,
      { code, issuedOn, expiresOn },
      publicBaseUrl(tenant.settings.public_base_url, services.baseUrl),
    );
    setBound(bound.data, ['certificate', 'expires'], expiresOn);
  }
  // The credential is about the code, built before the render so the PDF can carry it.
  const id = newId();
  const credential = await withCredential(
    services,
    await documentMaking(db, actor.tenantId, tenant.settings, certificate.settings),
    { tenant, certificate, version },
    bound.data,
    { id, learnerId, code, issuedOn, expiresOn },
  );
  const making = credential.making;
  const signed = await signedMaking(db, making);
  const rendered = await render(services, version, bound, code, actor.tenantId, signed.rendering);

  const row: IssueTable = {
    id,
    tenant_id: actor.tenantId,
    certificate_id: certificate.id,
    learner_id: learnerId,
    code,
    state: 'issued',
    locked: tenant.settings.delivery_lock ? 1 : 0,
    issued_on: issuedOn,
    achieved_on: achievedOn,
    expires_on: expiresOn,
    data: JSON.stringify(data),
    template_version_id: version.id,
    revision: 1,
    pdf_sha256: rendered.sha256,
    inputs_sha256: inputsHash(version, data, making),
    created_at: iso(now),
    rendered_at: iso(services.now()),
    first_delivered_at: null,
    first_delivery_channel: null,
    revoked_at: null,
    revoked_reason: null,
    ...(previous ? { supersedes: previous.row.id } : {}),
  };
  await services.storage.documents.stage(rendered.sha256, rendered.pdf);
  // The code is new, so are these bytes: if they do not become this issue's document, nobody else's
  // refers to them and they go at once (they carry the learner's name).
  const discard = () => services.storage.documents.forget(db, [rendered.sha256]);
  // Committed with the new documents of concurrent requests (group-commit.ts): each in its own savepoint.
  const created = await inGroupTransaction(services.storage, async (trx) => {
    const at = row.created_at;
    // A re-issue marks the older document first: of two concurrent re-issues, one finds it done already.
    if (previous && !(await supersedeIssue(trx, previous.row.id, row.id, at))) return false;
    if (!(await recordNewIssue(services, trx, row, version, rendered, signed.credentialJson))) {
      if (previous) throw new DomainError('conflict', 'ISSUE_CONFLICT', 'The document was being issued by another request; ask again.');
      return false;
    }
    const entry = (action: string, details?: unknown) => ({
      tenantId: row.tenant_id,
      subjectType: 'issue',
      subjectId: row.id,
      action,
      actor,
      at,
      details,
    });
    await recordIssueChange(trx, [
      // Who said what the document states: every printed fact traces back to its supplier.
      entry('eligible', {
        dataSuppliedBy: record.suppliedBy,
        dataSuppliedAt: record.suppliedAt,
        ...(dataWarnings.length ? { warnings: dataWarnings } : {}),
      }),
      entry('issued', { code, issuedOn, achievedOn, ...(previous ? { supersedes: previous.row.code, manual: previous.manual } : {}) }),
      entry('rendered', firstRendering(version, rendered)),
      ...(row.locked ? [entry('locked', { by: 'tenant delivery lock' })] : []),
      // The older document's own history says what replaced it (not an event receivers subscribe to).
      ...(previous
        ? [
            {
              ...entry('superseded', { by: code, achievedOn, manual: previous.manual }),
              subjectId: previous.row.id,
              reason: previous.reason ?? null,
            },
          ]
        : []),
    ]);
    await clearRefusal(trx, certificate.id, learnerId);
    return true;
  }).catch(async (e: unknown) => {
    await discard().catch(() => {});
    throw e;
  });
  if (!created) {
    await discard();
    const winner = await issueFor(db, actor.tenantId, certificate.id, learnerId);
    if (!winner) throw new DomainError('conflict', 'ISSUE_CONFLICT', 'The document was being issued by another request; ask again.');
    return { issue: view(winner, today), created: false };
  }
  const warnings = [...dataWarnings, ...rendered.warnings, ...credential.warnings];
  return { issue: view(row, today), created: true, ...(warnings.length ? { warnings } : {}) };
}

/**
 * What the prerequisite rule judges: for each certificate this one requires, its name and whether the
 * learner holds it. Holding it means having a document of it that is delivered in the sense of the
 * export (exports.ts): issued, not revoked, not locked; and not expired today. A locked document does not
 * count: the lock holds back what is not settled yet (a payment, a manager's check), and chaining on it
 * would hand out the next certificate before the first is; once unlocked, asking again succeeds. An
 * expired one does not either: what it attested has lapsed. One query whatever the count (two when some
 * are missing: their names).
 */
export async function prerequisiteFacts(
  db: Db,
  tenantId: string,
  certificate: Certificate,
  learnerId: string,
  today: string,
): Promise<PrerequisiteFact[]> {
  const required = certificate.settings.requires ?? [];
  if (!required.length) return [];
  const rows = await selectedIssues(db, tenantId, { certificateIds: required, learnerIds: [learnerId] }, { today, limit: required.length });
  const held = new Set(
    rows
      .filter((r) => r.locked === 0 && issueState({ state: r.state, expiresOn: r.expires_on }, today) === 'issued')
      .map((r) => r.certificate_id),
  );
  // Names are only printed for what is missing: a learner who holds them all costs one query.
  const names = new Map<string, string>();
  if (required.some((id) => !held.has(id)))
    for (const c of await certificatesOf(db, tenantId)) if (required.includes(c.id)) names.set(c.id, c.name);
  return required.map((id) => ({ certificateId: id, name: names.get(id) ?? id, held: held.has(id) }));
}

/** A manager's (or the LMS's) record of a learner, entered ahead of any request; audited. */
export async function enterLearnerRecord(
  services: Services,
  actor: Actor,
  input: RequestInput,
): Promise<LearnerRecord & { warnings?: RenderWarning[] }> {
  requireCapability(actor, 'learners:supply-data');
  checkLearnerId(actor, input.learnerId);
  const db = services.storage.db;
  const tenant = await getTenant(db, actor.tenantId);
  const certificate = await certificateRow(db, actor.tenantId, input.certificateId);
  const version = await getVersion(db, actor.tenantId, certificate.templateVersionId);
  const now = iso(services.now());
  const cleaned = withoutServerFields(input.data);
  await checkRecord(services, tenant, certificate, version, cleaned.data, now.slice(0, 10));
  const record: LearnerRecord = {
    certificateId: certificate.id,
    learnerId: input.learnerId,
    data: cleaned.data,
    available: input.available,
    unavailableReason: input.unavailableReason?.slice(0, 200) ?? null,
    suppliedBy: actorRef(actor),
    suppliedAt: now,
  };
  await inTransaction(db, async (trx) => {
    await keepRecord(trx, actor.tenantId, record);
    await recordAudit(trx, {
      tenantId: actor.tenantId,
      subjectType: 'learner-record',
      subjectId: `${certificate.id}:${input.learnerId}`,
      action: 'entered',
      actor,
      at: now,
      details: { available: input.available, ...(cleaned.warnings.length ? { warnings: cleaned.warnings } : {}) },
    });
  });
  return { ...record, ...(cleaned.warnings.length ? { warnings: cleaned.warnings } : {}) };
}

/** What asking would give one learner, judged without writing anything (bulk-issue.ts's dry run). */
export type Judgement =
  | { verdict: 'issue'; warnings?: RenderWarning[] }
  | { verdict: 'already'; code: string }
  | { verdict: 'refused'; reasons: Reason[]; warnings?: RenderWarning[] }
  | { verdict: 'invalid'; problems: Problem[]; warnings?: RenderWarning[] };

/** What a certificate's requests are judged by, read once for many learners. */
export interface JudgingContext {
  tenant: Tenant;
  certificate: Certificate;
  version: Version;
  people: Awaited<ReturnType<typeof peopleHolding>>;
}

export async function judgingContext(services: Services, tenantId: string, certificateId: string): Promise<JudgingContext> {
  const db = services.storage.db;
  const tenant = await getTenant(db, tenantId);
  const certificate = await certificateRow(db, tenantId, certificateId);
  const version = await getVersion(db, tenantId, certificate.templateVersionId);
  return { tenant, certificate, version, people: await peopleHolding(db, tenantId, PRINTED) };
}

/**
 * The single request's steps in its order, with nothing written: a document already held answers it
 * (never a second one); then the data is bound against the version's types (every problem listed, at
 * its path in `data`); then the delivery rules (every failing one, with its reason). The code printed
 * is provisional: a real request makes its own.
 */
export async function judgeRequest(
  services: Services,
  actor: Actor,
  ctx: JudgingContext,
  input: RequestInput,
  /** `existing`: the code of the learner's document, or null when they have none, when the caller looked already (many at once). */
  options: { bindAll?: boolean; existing?: string | null } = {},
): Promise<Judgement> {
  const db = services.storage.db;
  try {
    checkLearnerId(actor, input.learnerId);
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    return { verdict: 'invalid', problems: [{ path: 'learner_id', code: e.code, message: e.message }] };
  }
  const existing =
    options.existing !== undefined
      ? options.existing === null
        ? undefined
        : { code: options.existing }
      : await issueFor(db, actor.tenantId, ctx.certificate.id, input.learnerId);
  // `bindAll`: the data is checked even for a learner who has their document (a file checked cell by cell).
  if (existing && !options.bindAll) return { verdict: 'already', code: existing.code };
  const today = isoDay(services.now());
  const cleaned = withoutServerFields(input.data);
  const data = await serverData(
    services,
    ctx.tenant,
    ctx.certificate,
    ctx.version,
    cleaned.data,
    { code: 'PENDING', issuedOn: today, expiresOn: null },
    ctx.people,
  );
  const bound = bind(versionContract(ctx.version).schema, data);
  const warnings = [...cleaned.warnings, ...bindProblems(bound.diagnostics, 'warning')];
  const said = warnings.length ? { warnings } : {};
  if (hasErrors(bound.diagnostics)) return { verdict: 'invalid', problems: bindProblems(bound.diagnostics), ...said };
  if (existing) return { verdict: 'already', code: existing.code };
  const facts = issueFacts(bound.data);
  const reasons = evaluateDeliveryRules(ctx.tenant.settings, ctx.certificate.settings, {
    completed: facts.completed,
    available: input.available,
    ...(input.unavailableReason ? { unavailableReason: input.unavailableReason.slice(0, 200) } : {}),
    gradePercent: facts.gradePercent,
    timeSpentSeconds: facts.timeSpentSeconds,
    today,
    prerequisites: await prerequisiteFacts(db, actor.tenantId, ctx.certificate, input.learnerId, today),
  });
  if (reasons.length) return { verdict: 'refused', reasons, ...said };
  return { verdict: 'issue', ...said };
}

const warningsOf = (rendered: { warnings: RenderWarning[] }): { warnings?: RenderWarning[] } =>
  rendered.warnings.length ? { warnings: rendered.warnings } : {};

/** Renders data bound once (bindToVersion): the worker does not bind it again; binding's warnings join the worker's. */
/** What a render gave: the bytes, their hash, and what the audit keeps of it. */
export type Rendered = Awaited<ReturnType<typeof render>>;

/**
 * Writes a new issue and its first revision in the caller's transaction (issuing and importing share it);
 * false when the learner already has an issue for the certificate. The bytes were staged before.
 */
export async function recordNewIssue(
  services: Services,
  trx: Db,
  row: IssueTable,
  version: Version,
  rendered: Rendered,
  credential?: string,
): Promise<boolean> {
  if (!(await insertIssue(trx, row))) return false;
  await services.storage.documents.record(trx, rendered.sha256, rendered.pdf);
  await insertRevision(trx, {
    issue_id: row.id,
    revision: 1,
    template_version_id: version.id,
    sha256: rendered.sha256,
    size: rendered.pdf.length,
    page_count: rendered.pageCount,
    render_ms: rendered.ms,
    created_at: row.rendered_at,
    inputs_sha256: row.inputs_sha256 ?? null,
    credential: credential ?? null,
  });
  return true;
}

/** The audit's details of a document's first rendering. */
export const firstRendering = (version: Version, rendered: Rendered) => ({
  revision: 1,
  sha256: rendered.sha256,
  templateVersion: version.number,
  renderMs: Math.round(rendered.ms),
  ...warningsOf(rendered),
});

export async function render(
  services: Services,
  version: Version,
  bound: { data: BoundData; warnings: Diagnostic[] },
  code: string,
  tenantId: string,
  making: DocumentMaking = {},
): Promise<{ pdf: Uint8Array; sha256: string; pageCount: number; ms: number; warnings: RenderWarning[] }> {
  const payload = await versionPayload(services.storage.db, version);
  const started = performance.now();
  const signedAt = services.now();
  const answer = await services.renderer.render({
    lane: 'issue',
    tenantId,
    templateKey: payload.key,
    template: { source: payload.source, assets: payload.assets },
    data: bound.data,
    bound: true,
    documentId: code,
    ...renderMaking(making, signedAt),
  });
  const diagnostics = [...bound.warnings, ...poolDiagnostics(answer)];
  if (!answer.pdf || hasErrors(diagnostics)) {
    throw new DomainError('invalid', 'DOCUMENT_NOT_MADE', 'The document could not be made from this data and template version.', {
      details: { diagnostics: diagnostics.filter((d) => d.severity === 'error') },
    });
  }
  const warnings = diagnostics
    .filter((d) => d.severity === 'warning')
    .slice(0, 20)
    .map((d) => ({ code: d.code, message: d.message, ...(d.path ? { path: `data.${d.path}` } : {}) }));
  // Signed here, not in the worker: the key stays in this process. A timestamp authority that fails makes no document.
  let pdf = answer.pdf;
  let sha256 = sha256Hex(pdf);
  if (making.signing) {
    const signed = await signPdf(making.signing, pdf);
    pdf = signed.pdf;
    sha256 = sha256Hex(pdf);
    await recordSigned(services, tenantId, sha256, making.signing, signedAt, signed.timestampedAt);
  }
  return {
    pdf,
    sha256,
    pageCount: answer.pageCount,
    ms: answer.ms ?? performance.now() - started,
    warnings,
  };
}

async function recordRefusal(
  db: Db,
  tenantId: string,
  certificateId: string,
  learnerId: string,
  reasons: Reason[],
  at: string,
): Promise<void> {
  await putRefusal(db, { tenant_id: tenantId, certificate_id: certificateId, learner_id: learnerId, reasons: JSON.stringify(reasons), at });
}

// Reading -----------------------------------------------------------------------------------------------

async function issueByCode(db: Db, tenantId: string, code: string): Promise<IssueTable> {
  const key = codeKey(code);
  const row = key ? await issueRowByCode(db, tenantId, key) : undefined;
  if (!row) throw notFound('The document', 'ISSUE_NOT_FOUND');
  return row;
}

/** Staff see any issue; an LMS or a learner sees the state of the documents they may ask for. */
export async function getIssue(
  services: Services,
  actor: Actor,
  code: string,
): Promise<IssueView & { delivery: string; supersedes?: string; supersededBy?: string }> {
  if (!can(actor, 'issues:manage')) requireCapability(actor, 'certificate:apply');
  const db = services.storage.db;
  const row = await issueByCode(db, actor.tenantId, code);
  await checkActsFor(db, actor, row.learner_id);
  const certificate = await certificateRow(db, actor.tenantId, row.certificate_id);
  const chain = row.supersedes || row.superseded_by ? await issueChain(db, row) : [row];
  const at = chain.findIndex((r) => r.id === row.id);
  return {
    ...view(row, isoDay(services.now())),
    delivery: certificate.settings.delivery,
    ...(at > 0 ? { supersedes: chain[at - 1]!.code } : {}),
    ...(at < chain.length - 1 ? { supersededBy: chain[chain.length - 1]!.code } : {}),
  };
}

export interface IssueFilter {
  state?: IssueState;
  locked?: boolean;
  learnerId?: string;
  certificateId?: string;
  from?: string;
  to?: string;
  limit?: number;
  /** The code of the last issue of the previous page. */
  after?: string;
}

export async function listIssues(
  services: Services,
  actor: Actor,
  filter: IssueFilter,
): Promise<{ issues: (IssueView & { learnerName: string; verifications: number })[]; next: string | null }> {
  requireCapability(actor, 'issues:manage');
  const today = isoDay(services.now());
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 500);
  const { limit: _limit, ...query } = filter;
  const rows = await issuesOf(services.storage.db, actor.tenantId, { ...query, today, limit: limit + 1 });
  const page = rows.slice(0, limit);
  // Managers find a document by who it is for: the name it was made with, beside the LMS's learner id;
  // and how often it was checked publicly (a count, never who looked).
  const checks = await verificationTotals(
    services.storage.db,
    page.map((r) => r.id),
  );
  return {
    issues: page.map((r) => ({ ...view(r, today), learnerName: learnerNameOf(r.data), verifications: checks.get(r.id) ?? 0 })),
    next: rows.length > limit ? page[page.length - 1]!.code : null,
  };
}

export interface AuditEntry {
  action: string;
  /** 'person:<id>', 'token:<id>', 'webhook:shop', 'link:<code>', 'system'. */
  actor: string;
  /** Who that is, as people read it: the person's or the token's name. */
  actorName: string;
  at: string;
  reason: string | null;
  details: unknown;
}

/** The document's history: every state with its time and who caused it; expiry is the calendar's doing. */
export async function issueAudit(services: Services, actor: Actor, code: string): Promise<AuditEntry[]> {
  requireCapability(actor, 'issues:manage');
  const db = services.storage.db;
  const row = await issueByCode(db, actor.tenantId, code);
  const entries = await auditOf(db, actor.tenantId, 'issue', row.id);
  const names = await actorNames(
    db,
    actor.tenantId,
    entries.map((e) => e.actor),
  );
  const out: AuditEntry[] = entries.map((e) => ({
    action: e.action,
    actor: e.actor,
    actorName: names.get(e.actor) ?? e.actor,
    at: e.at,
    reason: e.reason,
    details: e.details === null ? null : (JSON.parse(e.details) as unknown),
  }));
  if (row.expires_on && row.expires_on < isoDay(services.now()))
    out.push({
      action: 'expired',
      actor: 'system',
      actorName: 'Attest',
      at: `${row.expires_on}T00:00:00.000Z`,
      reason: null,
      details: null,
    });
  return out;
}

/** The names behind audit actors of this tenant (people and tokens; others are named by their kind). */
async function actorNames(db: Db, tenantId: string, refs: readonly string[]): Promise<Map<string, string>> {
  const ids = (kind: string) => [...new Set(refs.filter((r) => r.startsWith(`${kind}:`)).map((r) => r.slice(kind.length + 1)))];
  const out = new Map<string, string>([
    ['webhook:shop', 'shop (webhook)'],
    ['system', 'Attest'],
  ]);
  const people = ids('person');
  const tokens = ids('token');
  for (const p of await personNames(db, tenantId, people)) out.set(`person:${p.id}`, p.display_name);
  for (const t of await tokenNames(db, tenantId, tokens)) out.set(`token:${t.id}`, `${t.name} (API token)`);
  for (const r of refs) if (r.startsWith('link:')) out.set(r, 'signed download link');
  return out;
}

export async function listRefusals(
  services: Services,
  actor: Actor,
  filter: { certificateId?: string; learnerId?: string },
): Promise<{ certificateId: string; learnerId: string; reasons: Reason[]; at: string }[]> {
  requireCapability(actor, 'issues:manage');
  const rows = await refusalsOf(services.storage.db, actor.tenantId, filter);
  return rows.map((r) => ({
    certificateId: r.certificate_id,
    learnerId: r.learner_id,
    reasons: JSON.parse(r.reasons) as Reason[],
    at: r.at,
  }));
}

// Handing documents out ---------------------------------------------------------------------------------

export interface DocumentFile {
  pdf: Uint8Array;
  sha256: string;
  fileName: string;
  disposition: 'inline' | 'attachment';
  issue: IssueView;
}

/**
 * The only way a document's bytes leave storage for someone to hold. Locked: 423, for everyone, on every
 * channel (the Moodle module this replaces stored the lock and handed the file out anyway). Revoked: 410.
 * Staff-only delivery and the retrieve-own capability decide between the file and only its state.
 */
export async function retrieveDocument(services: Services, actor: Actor, code: string, channel: DeliveryChannel): Promise<DocumentFile> {
  const db = services.storage.db;
  // The issue, its certificate and its revision's hash in one read; refused in the same order as ever.
  const key = codeKey(code);
  const found = key ? await issueForDelivery(db, actor.tenantId, key) : undefined;
  if (!found) throw notFound('The document', 'ISSUE_NOT_FOUND');
  const row = found.issue;
  const staff = can(actor, 'issues:manage');
  if (actor.kind !== 'link') {
    if (!staff) requireCapability(actor, 'certificate:apply');
    await checkActsFor(db, actor, row.learner_id);
  }
  if (!found.certificate) throw notFound('The certificate', 'CERTIFICATE_NOT_FOUND');
  const certificate = toCertificate(found.certificate);
  const withheld = withheldDocument({ state: row.state, locked: row.locked === 1 }, certificate.settings.delivery, {
    staff,
    retrievesOwn: actor.kind === 'link' || can(actor, 'certificate:retrieve-own'),
  });
  if (withheld) {
    // The tenant's language is read only to say why: a download that is served does not need it.
    const why = reason((await getTenant(db, actor.tenantId)).settings.locale, withheld.reason);
    throw new DomainError(withheld.kind, why.code, why.message, { reasons: [why], details: { state: view(row, isoDay(services.now())) } });
  }
  const sha256 = found.sha256;
  const pdf = sha256 ? await services.storage.documents.read(db, sha256) : undefined;
  if (!sha256 || !pdf) throw notFound('The document file', 'DOCUMENT_MISSING');
  const effective = deliveryChannel(channel, staff);
  if (!row.first_delivered_at) {
    const at = iso(services.now());
    await inTransaction(db, async (trx) => {
      if (await markFirstDelivery(trx, row.id, at, effective))
        await recordIssueChange(trx, {
          tenantId: row.tenant_id,
          subjectType: 'issue',
          subjectId: row.id,
          action: 'delivered',
          actor,
          at,
          details: { channel: effective },
        });
    });
    row.first_delivered_at = at;
    row.first_delivery_channel = effective;
  }
  // The tenant's language only matters to a file-name pattern (dates, numbers): read only then.
  const locale = certificate.settings.file_name === undefined ? undefined : (await getTenant(db, actor.tenantId)).settings.locale;
  return {
    pdf,
    sha256,
    fileName: documentFileName(certificate, { id: row.id, revision: row.revision, code: row.code, data: row.data }, locale),
    disposition: certificate.settings.delivery === 'inline' ? 'inline' : 'attachment',
    issue: view(row, isoDay(services.now())),
  };
}

/**
 * A specimen of a real issue (its data with another template version, say) shows what the document says:
 * it is withheld exactly like the document itself.
 */
export async function issueDataForPreview(services: Services, actor: Actor, code: string): Promise<Record<string, unknown>> {
  requireCapability(actor, 'templates:preview');
  // A real issue's data is a learner's personal data: seeing it is managing issued documents.
  requireCapability(actor, 'issues:manage');
  const db = services.storage.db;
  const row = await issueByCode(db, actor.tenantId, code);
  const tenant = await getTenant(db, actor.tenantId);
  const l = tenant.settings.locale;
  const withheld = withheldData({ state: row.state, locked: row.locked === 1 });
  if (withheld) {
    const why = reason(l, withheld.reason);
    throw new DomainError(withheld.kind, why.code, why.message, { reasons: [why] });
  }
  return JSON.parse(row.data) as Record<string, unknown>;
}

// Changing issues ---------------------------------------------------------------------------------------

export interface BatchResult {
  code: string;
  ok: boolean;
  error?: { code: string; message: string };
  issue?: IssueView;
}

/** Lock or unlock one or many documents; each code gets its own answer, one failure stops nothing else. */
export async function setLocked(
  services: Services,
  actor: Actor,
  codes: string[],
  locked: boolean,
  why: string | undefined,
): Promise<BatchResult[]> {
  requireCapability(actor, 'issues:unlock');
  return applyLock(services, actor, codes, locked, why);
}

/** Also the shop's path (its webhook is verified before): the actor is recorded as the webhook. */
export async function applyLock(
  services: Services,
  actor: Actor,
  codes: string[],
  locked: boolean,
  why: string | undefined,
): Promise<BatchResult[]> {
  const db = services.storage.db;
  const out: BatchResult[] = [];
  for (const code of codes) {
    try {
      const at = iso(services.now());
      const row = await inTransaction(db, async (trx) => {
        const r = await issueByCode(trx, actor.tenantId, code);
        if ((r.locked === 1) !== locked) {
          // Conditional: of two concurrent unlocks, only the one that changes the row records it.
          if (await setIssueLocked(trx, r.id, locked)) {
            await recordIssueChange(trx, {
              tenantId: r.tenant_id,
              subjectType: 'issue',
              subjectId: r.id,
              action: locked ? 'locked' : 'unlocked',
              actor,
              at,
              reason: why ?? null,
            });
          }
          r.locked = locked ? 1 : 0;
        }
        return r;
      });
      out.push({ code, ok: true, issue: view(row, isoDay(services.now())) });
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      out.push({ code, ok: false, error: { code: e.code, message: e.message } });
    }
  }
  return out;
}

export async function revokeIssue(services: Services, actor: Actor, code: string, why: string): Promise<IssueView> {
  requireCapability(actor, 'issues:revoke');
  if (!why.trim()) throw invalid('REASON_REQUIRED', 'Say why the document is revoked.');
  const db = services.storage.db;
  const at = iso(services.now());
  const row = await inTransaction(db, async (trx) => {
    const r = await issueByCode(trx, actor.tenantId, code);
    const already = () => new DomainError('conflict', 'ALREADY_REVOKED', 'The document is already revoked.');
    if (r.state === 'revoked') throw already();
    // Conditional: a concurrent revocation that committed first leaves nothing to update here.
    if (!(await revokeIssueRow(trx, r.id, at, why))) throw already();
    await revokeCredentials(trx, r.tenant_id, [r.id]);
    await recordIssueChange(trx, {
      tenantId: r.tenant_id,
      subjectType: 'issue',
      subjectId: r.id,
      action: 'revoked',
      actor,
      at,
      reason: why,
    });
    return { ...r, state: 'revoked', revoked_at: at, revoked_reason: why };
  });
  return view(row, isoDay(services.now()));
}

/**
 * A manager's re-issue (recertification by hand): a new document, its own code, made from the learner's
 * record as held (what the LMS sent last; the document's own data when there is none), supersedes the
 * current one. The delivery rules apply as to any new document; a newer achievement is not required.
 * Two concurrent re-issues of one document make one new document: both answer it.
 */
export async function reissueIssue(
  services: Services,
  actor: Actor,
  code: string,
  options: { reason?: string } = {},
): Promise<RequestResult> {
  requireCapability(actor, 'issues:reissue');
  const db = services.storage.db;
  const row = await issueByCode(db, actor.tenantId, code);
  if (row.superseded_by) {
    const chain = await issueChain(db, row);
    const newest = chain[chain.length - 1]!;
    throw new DomainError('conflict', 'ISSUE_SUPERSEDED', `This document was superseded by a newer one (${newest.code}).`, {
      details: { newerCode: newest.code },
    });
  }
  if (row.state === 'revoked')
    throw new DomainError('conflict', 'REISSUE_REVOKED', 'A revoked document is not re-issued: the revocation stands.');
  const held = await heldRecord(db, actor.tenantId, row.certificate_id, row.learner_id);
  let supplied: Supplied | undefined;
  if (!held) {
    // Imported, or issued before records were kept: the document's own data, without what the server adds.
    const { certificate: _c, organization: _o, ...kept } = JSON.parse(row.data) as Record<string, unknown>;
    supplied = { data: kept, available: true, unavailableReason: null };
  }
  const previous: Previous = { row, manual: true, ...(options.reason ? { reason: options.reason.slice(0, 500) } : {}) };
  return once(actor.tenantId, row.certificate_id, row.learner_id, () =>
    issueNew(services, actor, row.certificate_id, row.learner_id, supplied, previous),
  );
}

/** One document of a re-issue chain, as managers see it. */
export interface ChainLink {
  code: string;
  state: IssueState;
  locked: boolean;
  issuedOn: string;
  achievedOn: string | null;
  expiresOn: string | null;
  supersededAt: string | null;
  /** The learner's current document: the newest of the chain. */
  current: boolean;
}

/** The re-issue chain of a document, oldest first: every earlier document and every newer one. */
export async function issueChainOf(services: Services, actor: Actor, code: string): Promise<ChainLink[]> {
  requireCapability(actor, 'issues:manage');
  const db = services.storage.db;
  const row = await issueByCode(db, actor.tenantId, code);
  const today = isoDay(services.now());
  return (await issueChain(db, row)).map((r) => ({
    code: r.code,
    state: issueState({ state: r.state, expiresOn: r.expires_on }, today),
    locked: r.locked === 1,
    issuedOn: r.issued_on,
    achievedOn: r.achieved_on,
    expiresOn: r.expires_on,
    supersededAt: r.superseded_at ?? null,
    current: !r.superseded_by,
  }));
}

/**
 * Makes the document again with the certificate's current template version (or the one given), keeping
 * its code and issue date; the previous revision stays stored so older copies still verify as superseded.
 * One document of what `attest regenerate` does for many (regeneration.ts): both go through
 * `regenerationInputs`, `makeAgain` and `recordRegenerations`.
 */
export async function regenerateIssue(
  services: Services,
  actor: Actor,
  code: string,
  options: { reason?: string; templateVersionId?: string } = {},
): Promise<IssueView> {
  requireCapability(actor, 'issues:regenerate');
  const db = services.storage.db;
  const row = await issueByCode(db, actor.tenantId, code);
  if (row.state === 'revoked') throw revokedNotMade();
  const sources = new RegenerationSources(db, actor.tenantId);
  const made = await makeAgain(services, await regenerationInputs(services, sources, row, options.templateVersionId));
  await stageRegenerated(services, [made]);
  const updated = await inTransaction(db, async (trx) =>
    (await recordRegenerations(services, trx, actor, [made], { reason: options.reason ?? null })).get(row.id),
  );
  if (!updated) throw revokedNotMade();
  return view(updated, isoDay(services.now()));
}

const revokedNotMade = () => new DomainError('conflict', 'ISSUE_REVOKED', 'A revoked document is not made again.');

/**
 * What regeneration reads once per tenant and reuses for every document it makes again: the tenant, the
 * people printed as teachers and signatory, certificates, and the learners' records (read in bulk with
 * `preload` for a batch, one by one otherwise).
 */
export class RegenerationSources {
  private tenantRow?: Promise<Tenant>;
  private printed?: Promise<Awaited<ReturnType<typeof peopleHolding>>>;
  private readonly certificates = new Map<string, Promise<Certificate>>();
  private readonly records = new Map<string, LearnerRecord | null>();

  constructor(
    readonly db: Db,
    readonly tenantId: string,
  ) {}

  tenant(): Promise<Tenant> {
    return (this.tenantRow ??= getTenant(this.db, this.tenantId));
  }
  people(): Promise<Awaited<ReturnType<typeof peopleHolding>>> {
    return (this.printed ??= peopleHolding(this.db, this.tenantId, PRINTED));
  }
  certificate(id: string): Promise<Certificate> {
    let c = this.certificates.get(id);
    if (!c) {
      c = certificateRow(this.db, this.tenantId, id);
      // A failure (a certificate deleted meanwhile) is not kept: the next document asks again.
      c.catch(() => this.certificates.delete(id));
      this.certificates.set(id, c);
    }
    return c;
  }
  version(id: string): Promise<Version> {
    return getVersion(this.db, this.tenantId, id);
  }
  /** Reads the records of these issues' learners in a few statements. */
  async preload(rows: readonly IssueTable[]): Promise<void> {
    const wanted = rows.filter((r) => !this.records.has(recordKey(r.certificate_id, r.learner_id)));
    if (!wanted.length) return;
    for (const r of wanted) this.records.set(recordKey(r.certificate_id, r.learner_id), null);
    for (const rec of await recordsFor(
      this.db,
      this.tenantId,
      wanted.map((r) => ({ certificateId: r.certificate_id, learnerId: r.learner_id })),
    ))
      this.records.set(recordKey(rec.certificate_id, rec.learner_id), recordView(rec));
  }
  async record(row: IssueTable): Promise<LearnerRecord | undefined> {
    const key = recordKey(row.certificate_id, row.learner_id);
    if (!this.records.has(key))
      this.records.set(key, (await heldRecord(this.db, this.tenantId, row.certificate_id, row.learner_id)) ?? null);
    return this.records.get(key) ?? undefined;
  }
  /** Forgets what was read for these issues (a batch is done: memory stays bounded). */
  forget(rows: readonly IssueTable[]): void {
    for (const r of rows) this.records.delete(recordKey(r.certificate_id, r.learner_id));
  }
}

const recordKey = (certificateId: string, learnerId: string) => `${certificateId}\u0000${learnerId}`;

/** What a document is made from when it is made again, and the SHA-256 of it (`inputsHash`). */
export interface RegenerationInputs {
  row: IssueTable;
  version: Version;
  data: Record<string, unknown>;
  inputsSha256: string;
  /** How the certificate's (or tenant's) settings ask for the document to be made now: protection and the rest. */
  making: DocumentMaking;
  /** The data bound once, when the credential needed it before the render. */
  bound?: { data: BoundData; warnings: Diagnostic[] };
  /** Why the document has no credential though its setting asks for one. */
  credentialWarnings?: RenderWarning[];
}

/**
 * The data a document would be made from now: what the learner's record says today (the LMS may have sent
 * it again since: a corrected name, a grade), else the issue's kept data; the tenant's organisation and
 * people, the certificate's name and settings and the version as they are now; the code, the issue day
 * and the expiry as they were, and the verification address unless the tenant has one of its own. An
 * issue without a record (imported, say) keeps what the server did not add itself.
 */
export async function regenerationInputs(
  services: Services,
  sources: RegenerationSources,
  row: IssueTable,
  templateVersionId?: string,
): Promise<RegenerationInputs> {
  const certificate = await sources.certificate(row.certificate_id);
  const version = await sources.version(templateVersionId ?? certificate.templateVersionId);
  const kept = JSON.parse(row.data) as Record<string, unknown>;
  const record = await sources.record(row);
  const { certificate: keptCertificate, organization: _organization, ...keptSupplied } = kept;
  const supplied = record ? record.data : keptSupplied;
  // The day printed as the issue day is the one printed before (older issues kept their completion date there).
  const printedIssued = isObject(keptCertificate) && typeof keptCertificate.issued === 'string' ? keptCertificate.issued : row.issued_on;
  const data = await serverData(
    services,
    await sources.tenant(),
    certificate,
    version,
    supplied,
    { code: row.code, issuedOn: printedIssued, expiresOn: row.expires_on },
    await sources.people(),
  );
  // Without a public address of its own the tenant's documents print the server's: a command line that
  // regenerates them (not knowing the address the server answers at) keeps the one they were printed with.
  const keptUrl = isObject(keptCertificate) ? keptCertificate.verification_url : undefined;
  if (!(await sources.tenant()).settings.public_base_url && typeof keptUrl === 'string' && isObject(data.certificate))
    data.certificate.verification_url = keptUrl;
  const tenant = await sources.tenant();
  const making = await documentMaking(services.storage.db, row.tenant_id, tenant.settings, certificate.settings);
  if (!making.credential) return { row, version, data, inputsSha256: inputsHash(version, data, making), making };
  // A credential is built from the bound data: bound here once, then rendered as it is.
  const bound = bindToVersion(version, data, 'The learner’s data does not fit this template version.');
  const credential = await withCredential(services, making, { tenant, certificate, version }, bound.data, {
    id: row.id,
    learnerId: row.learner_id,
    code: row.code,
    issuedOn: row.issued_on,
    expiresOn: row.expires_on,
  });
  return {
    row,
    version,
    data,
    inputsSha256: inputsHash(version, data, credential.making),
    making: credential.making,
    bound,
    ...(credential.warnings.length ? { credentialWarnings: credential.warnings } : {}),
  };
}

/**
 * The SHA-256 of what a document is made from: the template version's content (source and assets) and the
 * data as built for binding (learner record, organisation, people, certificate settings, code and dates),
 * in a canonical JSON form (keys sorted). Kept with each revision; `--changed-only` compares it.
 */
export function inputsHash(version: Version, data: Record<string, unknown>, making: DocumentMaking = {}): string {
  // How it is made counts too (document-making.ts); an option that is absent leaves the hash as before it existed.
  return sha256Hex(canonicalJson({ template: version.contentHash, data, ...makingFingerprint(making) }));
}

export interface MadeAgain extends RegenerationInputs {
  rendered: Awaited<ReturnType<typeof render>>;
  /** The signed credential's JSON, kept with the new revision. */
  credentialJson?: string;
}

/** Binds and renders; a document that cannot be made throws its DomainError (DATA_INVALID, DOCUMENT_NOT_MADE). */
export async function makeAgain(services: Services, inputs: RegenerationInputs): Promise<MadeAgain> {
  const bound = inputs.bound ?? bindToVersion(inputs.version, inputs.data, 'The learner’s data does not fit this template version.');
  const signed = await signedMaking(services.storage.db, inputs.making);
  const rendered = await render(services, inputs.version, bound, inputs.row.code, inputs.row.tenant_id, signed.rendering);
  rendered.warnings.push(...(inputs.credentialWarnings ?? []));
  return { ...inputs, rendered, ...(signed.credentialJson !== undefined ? { credentialJson: signed.credentialJson } : {}) };
}

/** The new files on disk before the transaction that records them (documents.ts); side by side, a batch at a time. */
export async function stageRegenerated(services: Services, made: readonly MadeAgain[]): Promise<void> {
  await Promise.all(made.map((m) => services.storage.documents.stage(m.rendered.sha256, m.rendered.pdf)));
}

/**
 * Records new revisions in the caller's transaction (after `stageRegenerated`): each issue's next revision,
 * its bytes, its revision row and a 'regenerated' audit entry. Answers each issue's row as it now is, or
 * undefined for one revoked meanwhile (left unchanged).
 */
export async function recordRegenerations(
  services: Services,
  trx: Db,
  actor: Actor | string,
  made: readonly MadeAgain[],
  options: { reason: string | null; details?: Record<string, unknown> },
): Promise<Map<string, IssueTable | undefined>> {
  const at = iso(services.now());
  const out = new Map<string, IssueTable | undefined>();
  const revisions: Parameters<typeof insertRevisions>[1][number][] = [];
  const entries: Parameters<typeof recordAudit>[1] = [];
  for (const m of made) {
    const { rendered, version, row } = m;
    const updated = await reviseIssue(trx, row.id, {
      template_version_id: version.id,
      pdf_sha256: rendered.sha256,
      rendered_at: at,
      data: JSON.stringify(m.data),
      inputs_sha256: m.inputsSha256,
    });
    out.set(row.id, updated);
    if (!updated) continue;
    await services.storage.documents.record(trx, rendered.sha256, rendered.pdf);
    revisions.push({
      issue_id: row.id,
      revision: updated.revision,
      template_version_id: version.id,
      sha256: rendered.sha256,
      size: rendered.pdf.length,
      page_count: rendered.pageCount,
      render_ms: rendered.ms,
      created_at: at,
      inputs_sha256: m.inputsSha256,
      credential: m.credentialJson ?? null,
    });
    entries.push({
      tenantId: row.tenant_id,
      subjectType: 'issue',
      subjectId: row.id,
      action: 'regenerated',
      actor,
      at,
      reason: options.reason,
      details: {
        revision: updated.revision,
        sha256: rendered.sha256,
        templateVersion: version.number,
        ...options.details,
        ...warningsOf(rendered),
      },
    });
  }
  await insertRevisions(trx, revisions);
  await recordIssueChange(trx, entries);
  return out;
}

export async function deleteIssue(services: Services, actor: Actor, code: string, why: string | undefined): Promise<void> {
  requireCapability(actor, 'issues:delete');
  const db = services.storage.db;
  const at = iso(services.now());
  const files = await inTransaction(db, async (trx) => {
    const r = await issueByCode(trx, actor.tenantId, code);
    const hashes = await revisionHashes(trx, r.id);
    await revokeCredentials(trx, r.tenant_id, [r.id]);
    await deleteIssueRow(trx, r.id);
    await recordAudit(trx, {
      tenantId: r.tenant_id,
      subjectType: 'issue',
      subjectId: r.id,
      action: 'deleted',
      actor,
      at,
      reason: why ?? null,
      details: { code: r.code, learnerId: r.learner_id, certificateId: r.certificate_id },
    });
    return hashes;
  });
  // The PDFs carry personal data: deleting the issue deletes them too.
  await services.storage.documents.forget(db, files);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

import type { ReasonCode } from './reasons';

/**
 * What an issue is, and what keeps its document from whoever asks: plain decisions over plain values,
 * so they are tested without a database (issues.ts and links.ts apply them).
 */
export type IssueState = 'issued' | 'revoked' | 'expired';

/** Revoked wins over expired; expiry is the calendar's doing (the day after `expiresOn`). */
export function issueState(issue: { state: string; expiresOn: string | null }, today: string): IssueState {
  return issue.state === 'revoked' ? 'revoked' : issue.expiresOn && issue.expiresOn < today ? 'expired' : 'issued';
}

export interface Withheld {
  /** How the refusal is answered: gone (410), locked (423), forbidden (403). */
  kind: 'gone' | 'locked' | 'forbidden';
  reason: Extract<ReasonCode, 'DOCUMENT_REVOKED' | 'DOCUMENT_LOCKED' | 'STAFF_DELIVERY_ONLY' | 'RETRIEVE_OWN_MISSING'>;
}

/** Who is asking for a document, as far as withholding it goes. */
export interface Asker {
  /** Holds issues:manage. */
  staff: boolean;
  /** Holds certificate:retrieve-own, or comes with a signed link (which stands for it). */
  retrievesOwn: boolean;
}

/**
 * Why the document's bytes are withheld, or undefined when they may be handed out. Revoked: for
 * everyone. Locked: for everyone, on every channel (the Moodle module this replaces stored the lock and
 * handed the file out anyway). Staff-only delivery and the retrieve-own capability decide for the rest.
 */
export function withheldDocument(issue: { state: string; locked: boolean }, delivery: string, asker: Asker): Withheld | undefined {
  if (issue.state === 'revoked') return { kind: 'gone', reason: 'DOCUMENT_REVOKED' };
  if (issue.locked) return { kind: 'locked', reason: 'DOCUMENT_LOCKED' };
  if (asker.staff) return undefined;
  if (delivery === 'staff') return { kind: 'forbidden', reason: 'STAFF_DELIVERY_ONLY' };
  if (!asker.retrievesOwn) return { kind: 'forbidden', reason: 'RETRIEVE_OWN_MISSING' };
  return undefined;
}

/** A real issue's data in a preview says what the document says: withheld like it (revoked, then locked). */
export function withheldData(issue: { state: string; locked: boolean }): Withheld | undefined {
  return withheldDocument(issue, 'staff', { staff: true, retrievesOwn: true });
}

/**
 * Why a download link is not made: a link that could never work (a revoked document, a certificate only
 * staff hand out) is refused when asked for rather than handed out dead. The lock is checked when it is
 * used: a payment may lift it before then.
 */
export function refusedLink(issue: { state: string }, delivery: string): Withheld | undefined {
  if (issue.state === 'revoked') return { kind: 'gone', reason: 'DOCUMENT_REVOKED' };
  if (delivery === 'staff') return { kind: 'forbidden', reason: 'STAFF_DELIVERY_ONLY' };
  return undefined;
}

export type DeliveryChannel = 'api' | 'link' | 'staff';

/** The channel a first delivery is recorded under: staff fetching through the API are staff. */
export const deliveryChannel = (channel: DeliveryChannel, staff: boolean): DeliveryChannel =>
  staff && channel === 'api' ? 'staff' : channel;

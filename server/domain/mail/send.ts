import { lookup } from 'node:dns/promises';
import nodemailer from 'nodemailer';
import type { Db } from '../../storage/db';
import type { IssueTable } from '../../storage/schema';
import type { MailMessageTable } from '../../storage/schema-notifications';
import { revisionHash } from '../../storage/repositories/issues';
import { certificateMail, claimMessage, dueMessages, finishMessage, issuesByIds } from '../../storage/repositories/notifications';
import { iso, isoDay, type Services } from '../context';
import { createDownloadLink } from '../links';
import { getTenant } from '../tenants';
import { certificateRow } from '../certificates';
import { documentFileName } from '../file-names';
import { isPrivateAddress, privateReceiversAllowed } from '../webhooks-out/receivers';
import { DEFAULT_RETRY, retryDelay, type RetryPolicy } from '../webhooks-out/delivery';
import { DEFAULT_WORDS, MAIL_LOCALES, readCertificateMail, type MailLocale, type MessageKind, type Words } from './certificate-mail';
import { renderWords } from './render';
import { smtpConnection } from './smtp-settings';

/**
 * Sending mail: each due message is taken under a lease, composed now (the document as it is now: a
 * regenerated one goes in its new revision), handed to the tenant's SMTP server, and recorded with the
 * server's answer. A 4xx answer or a connection that fails defers it (tried again with a doubling delay,
 * as webhooks are); a 5xx answer fails it at once; a manager can send any message again.
 */
export interface MailOptions {
  retry?: Partial<RetryPolicy>;
  leaseMs?: number;
  batch?: number;
  /** Connection, greeting and socket timeouts. Default 30 s. */
  timeoutMs?: number;
  /** Only these tenants' messages (the operator's `attest notifications run --tenant`); every tenant's otherwise. */
  tenantIds?: readonly string[];
}

interface Composed {
  /** The tenant's name: what the recipient sees the message come from. */
  fromName: string;
  subject: string;
  text: string;
  html?: string;
  attachment?: { filename: string; content: Buffer };
}

export async function sendDueMail(services: Services, options: MailOptions = {}): Promise<number> {
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const db = services.storage.db;
  const now = services.now();
  const due = await dueMessages(db, iso(now), options.batch ?? 20, options.tenantIds);
  let made = 0;
  for (const message of due) {
    const lease = iso(new Date(now.getTime() + (options.leaseMs ?? 120_000)));
    const number = await claimMessage(db, message.id, iso(now), lease);
    if (number === undefined) continue;
    made++;
    const outcome = await attempt(services, message, options.timeoutMs ?? 30_000);
    const at = iso(services.now());
    const inBudget = number - message.replayed_after;
    const status = outcome.status === 'deferred' && inBudget >= policy.maxAttempts ? 'failed' : outcome.status;
    await finishMessage(db, message.id, lease, {
      status,
      smtp_response: outcome.response ?? null,
      error: outcome.error ?? null,
      message_id: outcome.messageId ?? null,
      sent_at: status === 'sent' ? at : null,
      updated_at: at,
      next_attempt_at:
        status === 'deferred' ? iso(new Date(services.now().getTime() + retryDelay(policy, inBudget))) : message.next_attempt_at,
    });
  }
  return made;
}

interface Outcome {
  status: 'sent' | 'deferred' | 'failed';
  response?: string;
  error?: string;
  messageId?: string;
}

async function attempt(services: Services, message: MailMessageTable, timeoutMs: number): Promise<Outcome> {
  const db = services.storage.db;
  const [issue] = await issuesByIds(db, [message.issue_id]);
  if (!issue) return { status: 'failed', error: 'The document was deleted.' };
  if (issue.state === 'revoked') return { status: 'failed', error: 'The document was revoked before it was sent.' };
  if (isReminder(message.kind)) {
    // A reminder is about this document's expiry: none once it was renewed, or once it expired meanwhile.
    if (issue.superseded_by) return { status: 'failed', error: 'The document was renewed (superseded) before the reminder was sent.' };
    if (!issue.expires_on || issue.expires_on < isoDay(services.now()))
      return { status: 'failed', error: 'The document expired before the reminder could be sent.' };
  }
  // Locked again since it was queued: it goes, in a new message, when it is unlocked.
  if (message.kind === 'learner' && issue.locked === 1)
    return { status: 'failed', error: 'The document was locked before it was sent; it is sent when unlocked.' };
  const smtp = await smtpConnection(services, message.tenant_id);
  if (!smtp) return { status: 'deferred', error: 'The tenant has no SMTP server set (PUT /api/v1/tenant/mail).' };
  let composed: Composed;
  try {
    composed = await compose(services, db, issue, message);
  } catch (e) {
    return { status: 'failed', error: `The message could not be composed: ${e instanceof Error ? e.message : String(e)}` };
  }
  let address: string;
  try {
    address = await connectAddress(smtp.host);
  } catch (e) {
    return { status: 'deferred', error: e instanceof Error ? e.message : String(e) };
  }
  const transport = nodemailer.createTransport({
    host: address,
    port: smtp.port,
    secure: smtp.secure,
    ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password ?? '' } } : {}),
    // The certificate is checked against the name, not the address connected to.
    tls: { servername: smtp.host },
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  try {
    const info = await transport.sendMail({
      from: { name: composed.fromName, address: smtp.from },
      to: message.recipient,
      subject: composed.subject,
      text: composed.text,
      ...(composed.html !== undefined ? { html: composed.html } : {}),
      ...(composed.attachment ? { attachments: [{ ...composed.attachment, contentType: 'application/pdf' }] } : {}),
      headers: { 'X-Attest-Message': message.id },
    });
    return { status: 'sent', response: info.response, messageId: info.messageId };
  } catch (e) {
    const err = e as Error & { responseCode?: number; response?: string; code?: string };
    const response = err.response ?? undefined;
    const permanent = typeof err.responseCode === 'number' && err.responseCode >= 500;
    return {
      status: permanent ? 'failed' : 'deferred',
      ...(response ? { response } : {}),
      error: err.code ? `${err.code}: ${err.message}` : err.message,
    };
  } finally {
    transport.close();
  }
}

/** The SMTP host's address, checked like a webhook receiver's (see receivers.ts). */
async function connectAddress(host: string): Promise<string> {
  const addresses = await lookup(host, { all: true });
  const first = addresses[0];
  if (!first) throw new Error(`No address for ${host}.`);
  if (!privateReceiversAllowed()) {
    const bad = addresses.find((a) => isPrivateAddress(a.address));
    if (bad) throw new Error(`URL_PRIVATE: the SMTP host resolves to ${bad.address}, a private address: refused.`);
  }
  return first.address;
}

/** The language of a message: the learner's when it is one we write in, else the tenant's. */
function localeFor(data: Record<string, unknown>, message: MailMessageTable, tenantLocale: MailLocale): MailLocale {
  const learner = data.learner as { language?: unknown } | undefined;
  const lang = typeof learner?.language === 'string' ? learner.language.slice(0, 2).toLowerCase() : '';
  return (message.kind === 'learner' || message.kind === 'reminder') && (MAIL_LOCALES as readonly string[]).includes(lang)
    ? (lang as MailLocale)
    : tenantLocale;
}

/** The expiry reminders (reminders.ts): to the learner, and to their managers. */
export const isReminder = (kind: string): boolean => kind === 'reminder' || kind === 'manager-reminder';

const wordsOf = (kind: string): MessageKind =>
  kind === 'learner' ? 'document' : kind === 'reminder' ? 'reminder' : kind === 'manager-reminder' ? 'manager_reminder' : 'award';

/** Whole days from one day (YYYY-MM-DD) to another. */
const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

async function compose(services: Services, db: Db, issue: IssueTable, message: MailMessageTable): Promise<Composed> {
  const tenant = await getTenant(db, issue.tenant_id);
  const settings = readCertificateMail((await certificateMail(db, issue.certificate_id))?.settings);
  const data = JSON.parse(issue.data) as Record<string, unknown>;
  const locale = localeFor(data, message, tenant.settings.locale);
  const which = wordsOf(message.kind);
  const words: Words = settings.templates[locale]?.[which] ?? DEFAULT_WORDS[locale][which];
  let link: string | undefined;
  let attachment: Composed['attachment'];
  if (message.kind === 'learner' && settings.learner === 'link')
    link = (await createDownloadLink(services, { kind: 'system', tenantId: issue.tenant_id }, issue.code)).url;
  if (message.kind === 'learner' && settings.learner === 'attachment') {
    const sha = await revisionHash(db, issue.id, issue.revision);
    const pdf = sha ? await services.storage.documents.read(db, sha) : undefined;
    if (!pdf) throw new Error('the document file is missing');
    // Named as a download of it is (file-names.ts): the certificate's pattern, else its name and the code.
    const certificate = await certificateRow(db, issue.tenant_id, issue.certificate_id);
    attachment = { filename: documentFileName(certificate, issue, tenant.settings.locale), content: Buffer.from(pdf) };
  }
  // Values of the message itself, beside the document's data: the signed link, the days left before expiry.
  const mail: Record<string, unknown> = {
    ...(link ? { link } : {}),
    ...(isReminder(message.kind) && issue.expires_on
      ? { days_left: Math.max(0, daysBetween(isoDay(services.now()), issue.expires_on)) }
      : {}),
  };
  return {
    fromName: tenant.name,
    ...renderWords(words, { ...data, ...(Object.keys(mail).length ? { mail } : {}) }, locale),
    ...(attachment ? { attachment } : {}),
  };
}

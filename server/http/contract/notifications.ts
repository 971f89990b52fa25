import { z } from 'zod';
import { ISSUE_EVENTS } from '../../domain/settings';
import { declareOperations } from './declaration';
import { CodeParam, Diagnostic, IdParam, Ok } from './schemas';

/** Notifications out: the receivers of signed webhooks, their deliveries and attempts; mail settings and messages. */
const Endpoint = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(z.enum(ISSUE_EVENTS)),
    description: z.string().nullable(),
    createdAt: z.string(),
    createdBy: z.string(),
  })
  .meta({ id: 'WebhookReceiver' });

const Delivery = z
  .object({
    id: z.string().describe('The delivery id: in the signed body and X-Attest-Delivery, the same on every attempt.'),
    endpointId: z.string(),
    event: z.string(),
    issueCode: z.string().nullable(),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number().int(),
    nextAttemptAt: z.string().nullable(),
    deliveredAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'WebhookDelivery' });

const Attempt = z.object({
  number: z.number().int(),
  startedAt: z.string(),
  durationMs: z.number().int(),
  statusCode: z.number().int().nullable(),
  error: z.string().nullable(),
  responseSnippet: z.string().nullable().describe('The first 500 bytes of the answer.'),
});

const SmtpView = z
  .object({
    host: z.string(),
    port: z.number().int(),
    secure: z.boolean(),
    user: z.string().nullable(),
    from: z.string(),
    passwordSet: z.boolean().describe('The password itself is never answered.'),
    updatedAt: z.string(),
  })
  .meta({ id: 'SmtpSettings' });

const MailWords = z.object({ subject: z.string(), text: z.string(), html: z.string().optional() });
const CertificateMailView = z
  .object({
    learner: z.enum(['none', 'attachment', 'link']),
    teachers: z.boolean(),
    others: z.array(z.string()),
    templates: z.record(
      z.string(),
      z.object({
        document: MailWords.optional(),
        award: MailWords.optional(),
        reminder: MailWords.optional().describe('The expiry reminder to the learner (variables: the catalogue, `mail.days_left`).'),
        manager_reminder: MailWords.optional().describe('The expiry reminder to the learner’s managers.'),
      }),
    ),
  })
  .meta({ id: 'CertificateMail' });

const MailPreview = z
  .object({
    locale: z.enum(['fr', 'en']),
    which: z.enum(['document', 'award']),
    persona: z.string(),
    words: MailWords,
    diagnostics: z
      .array(Diagnostic.and(z.object({ part: z.enum(['subject', 'text', 'html']) })))
      .describe(
        'The template analyzer’s findings in each part, errors and warnings, in the caller’s language; line and column are in the part.',
      ),
    rendered: z
      .object({ subject: z.string(), text: z.string(), html: z.string().optional() })
      .nullable()
      .describe('The message as the sample learner would get it; null when a part does not render.'),
  })
  .meta({ id: 'MailPreview' });

const MailMessage = z
  .object({
    id: z.string(),
    kind: z.enum(['learner', 'teacher', 'other', 'reminder', 'manager-reminder']),
    recipient: z.string(),
    status: z.enum(['queued', 'sent', 'deferred', 'failed']),
    attempts: z.number().int(),
    smtpResponse: z.string().nullable().describe('The SMTP server’s last answer, e.g. "250 OK" or "451 try later".'),
    error: z.string().nullable(),
    nextAttemptAt: z.string().nullable(),
    sentAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'MailMessage' });

export const notificationDeclarations = declareOperations({
  createWebhookReceiver: {
    method: 'post',
    path: '/webhook-receivers',
    tag: 'Notifications',
    summary:
      'List a receiver of signed webhooks (the LMS or any https address) for some issue events. The secret it verifies signatures with is answered once, here. Loopback and private addresses are refused unless the installation allows them.',
    access: { capability: 'tenant:manage' },
    body: {
      json: z
        .object({
          url: z.string().min(1).max(2000),
          events: z.array(z.string().max(40)).min(1).max(ISSUE_EVENTS.length),
          description: z.string().max(300).optional(),
        })
        .strict(),
    },
    responses: { 201: z.object({ endpoint: Endpoint, secret: z.string() }) },
    example: `curl -X POST "$BASE/api/v1/webhook-receivers" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"url":"https://lms.example/attest","events":["issued","unlocked","revoked"]}'`,
  },
  listWebhookReceivers: {
    method: 'get',
    path: '/webhook-receivers',
    tag: 'Notifications',
    summary: 'The receivers of the tenant (without their secrets).',
    access: { capability: 'tenant:manage' },
    responses: { 200: z.array(Endpoint) },
    example: `curl "$BASE/api/v1/webhook-receivers" -H "Authorization: Bearer $TOKEN"`,
  },
  deleteWebhookReceiver: {
    method: 'delete',
    path: '/webhook-receivers/:id',
    tag: 'Notifications',
    summary: 'Stop sending to a receiver; its deliveries go with it.',
    access: { capability: 'tenant:manage' },
    params: IdParam,
    responses: { 200: Ok },
    example: `curl -X DELETE "$BASE/api/v1/webhook-receivers/$ID" -H "Authorization: Bearer $TOKEN"`,
  },
  listWebhookDeliveries: {
    method: 'get',
    path: '/webhook-receivers/:id/deliveries',
    tag: 'Notifications',
    summary: 'The latest deliveries to a receiver, newest first: pending (with the next attempt), delivered, or failed.',
    access: { capability: 'tenant:manage' },
    params: IdParam,
    responses: { 200: z.array(Delivery) },
    example: `curl "$BASE/api/v1/webhook-receivers/$ID/deliveries" -H "Authorization: Bearer $TOKEN"`,
  },
  getWebhookDelivery: {
    method: 'get',
    path: '/webhook-deliveries/:id',
    tag: 'Notifications',
    summary: 'A delivery and each of its attempts: status code, error, duration and the start of the answer.',
    access: { capability: 'tenant:manage' },
    params: IdParam,
    responses: { 200: Delivery.extend({ attemptHistory: z.array(Attempt) }) },
    example: `curl "$BASE/api/v1/webhook-deliveries/$ID" -H "Authorization: Bearer $TOKEN"`,
  },
  replayWebhookDelivery: {
    method: 'post',
    path: '/webhook-deliveries/:id/replay',
    tag: 'Notifications',
    summary:
      'Send a delivery again now, with a fresh retry budget (one that failed, or one waiting for its next attempt). One the receiver answered 2xx is not sent again (409).',
    access: { capability: 'tenant:manage' },
    params: IdParam,
    responses: { 200: Delivery },
    example: `curl -X POST "$BASE/api/v1/webhook-deliveries/$ID/replay" -H "Authorization: Bearer $TOKEN"`,
  },
  getMailSettings: {
    method: 'get',
    path: '/tenant/mail',
    tag: 'Notifications',
    summary: 'The tenant’s SMTP server (null when none is set); the password is never answered.',
    access: { capability: 'tenant:manage' },
    responses: { 200: z.object({ settings: SmtpView.nullable() }) },
    example: `curl "$BASE/api/v1/tenant/mail" -H "Authorization: Bearer $TOKEN"`,
  },
  setMailSettings: {
    method: 'put',
    path: '/tenant/mail',
    tag: 'Notifications',
    summary:
      'Set the SMTP server mail goes through: host, port, secure (TLS at once), user, password (write-only; omit to keep it), from. Loopback and private hosts are refused unless the installation allows them.',
    access: { capability: 'tenant:manage' },
    body: { json: z.record(z.string(), z.unknown()) },
    responses: { 200: z.object({ settings: SmtpView }) },
    example: `curl -X PUT "$BASE/api/v1/tenant/mail" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"host":"smtp.example.org","port":587,"user":"attest","password":"…","from":"formation@example.org"}'`,
  },
  getCertificateMail: {
    method: 'get',
    path: '/certificates/:id/mail',
    tag: 'Notifications',
    summary:
      'Who a certificate’s documents are mailed to (learner: none, attachment or link; teachers; other addresses) and the words per language.',
    access: { capability: 'certificate:view' },
    params: IdParam,
    responses: { 200: CertificateMailView },
    example: `curl "$BASE/api/v1/certificates/$CERT/mail" -H "Authorization: Bearer $TOKEN"`,
  },
  setCertificateMail: {
    method: 'put',
    path: '/certificates/:id/mail',
    tag: 'Notifications',
    summary:
      'Set who is mailed and the words: templates.<fr|en>.<document|award>.{subject,text,html} are Liquid over the catalogue’s variables (and mail.link), checked by the template analyzer.',
    access: { capability: 'certificate:add' },
    params: IdParam,
    body: { json: z.record(z.string(), z.unknown()) },
    responses: { 200: CertificateMailView },
    example: `curl -X PUT "$BASE/api/v1/certificates/$CERT/mail" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"learner":"attachment","teachers":true,"others":["rh@example.org"]}'`,
  },
  previewCertificateMail: {
    method: 'post',
    path: '/certificates/:id/mail/preview',
    tag: 'Notifications',
    summary:
      'Check and render a certificate’s message with a sample learner (a bundled persona and the tenant’s organisation), by the code that sends: the words given (or the saved ones, or the defaults), the analyzer’s diagnostics of each part, and the subject, text and HTML as rendered. Nothing is stored or sent.',
    access: { capability: 'certificate:view' },
    params: IdParam,
    body: {
      json: z
        .object({
          locale: z.enum(['fr', 'en']).optional(),
          which: z.enum(['document', 'award']).optional(),
          words: z.object({ subject: z.string(), text: z.string(), html: z.string().optional() }).optional(),
          persona: z.string().optional(),
          learner: z.enum(['none', 'attachment', 'link']).optional(),
        })
        .loose(),
    },
    responses: { 200: MailPreview },
    example: `curl -X POST "$BASE/api/v1/certificates/$CERT/mail/preview" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"locale":"en","persona":"camille-martin","words":{"subject":"Hi {{ learner.firstname }}","text":"Well done."}}'`,
  },
  issueMail: {
    method: 'get',
    path: '/issues/:code/mail',
    tag: 'Notifications',
    summary: 'The messages of a document, one per recipient: queued, sent, deferred or failed, with the SMTP server’s answer.',
    access: { capability: 'issues:manage' },
    params: CodeParam,
    responses: { 200: z.array(MailMessage) },
    example: `curl "$BASE/api/v1/issues/$CODE/mail" -H "Authorization: Bearer $TOKEN"`,
  },
  resendMail: {
    method: 'post',
    path: '/mail-messages/:id/resend',
    tag: 'Notifications',
    summary: 'Send a message again now, with a fresh retry budget.',
    access: { capability: 'issues:manage' },
    params: IdParam,
    responses: { 200: MailMessage },
    example: `curl -X POST "$BASE/api/v1/mail-messages/$ID/resend" -H "Authorization: Bearer $TOKEN"`,
  },
});

/** The events a receiver may listen to (the editor's checkboxes). */
export { ISSUE_EVENTS };

import { z } from 'zod';
import { ISSUE_EVENTS } from '../../domain/settings';
import { declareOperations } from './declaration';
import { IdParam, Ok } from './schemas';

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
    responses: { 200: Delivery.extend({ attempts_list: z.array(Attempt) }) },
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
});

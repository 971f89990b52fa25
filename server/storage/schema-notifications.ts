/** The tables of migration 011 (notifications out: webhooks and mail); see that migration for why. */
export interface WebhookEndpointTable {
  id: string;
  tenant_id: string;
  url: string;
  /** JSON array of the event names it receives. */
  events: string;
  description: string | null;
  secret: string;
  created_by: string;
  created_at: string;
}

export interface IssueEventTable {
  id: string;
  tenant_id: string;
  issue_id: string;
  event: string;
  at: string;
  /** JSON: the issue as the event saw it. */
  payload: string;
  once_key: string | null;
}

export interface WebhookSendTable {
  /** The delivery id: in the signed body and X-Attest-Delivery, the same on every attempt. */
  id: string;
  tenant_id: string;
  endpoint_id: string;
  event_id: string;
  event: string;
  /** 'pending' | 'delivered' | 'failed' */
  status: string;
  attempts: number;
  replayed_after: number;
  next_attempt_at: string;
  lease_until: string | null;
  delivered_at: string | null;
  created_at: string;
}

export interface WebhookAttemptTable {
  send_id: string;
  number: number;
  started_at: string;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
  response_snippet: string | null;
}

export interface TenantMailTable {
  tenant_id: string;
  host: string;
  port: number;
  secure: number;
  username: string | null;
  password: string | null;
  from_address: string;
  updated_at: string;
}

export interface MailMessageTable {
  id: string;
  tenant_id: string;
  issue_id: string;
  event_id: string;
  /** 'learner' | 'teacher' | 'other' */
  kind: string;
  recipient: string;
  /** 'queued' | 'sent' | 'deferred' | 'failed' */
  status: string;
  attempts: number;
  replayed_after: number;
  next_attempt_at: string;
  lease_until: string | null;
  smtp_response: string | null;
  error: string | null;
  message_id: string | null;
  sent_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface CertificateMailTable {
  certificate_id: string;
  /** JSON: CertificateMail (mail/certificate-mail.ts). */
  settings: string;
  updated_at: string;
}

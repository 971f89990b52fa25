import { installationSecret, openText, sealText } from '../sealing';
import { z } from 'zod';
import { iso, recordAudit, requireCapability, type Actor, type Services } from '../context';
import { invalid, zodProblems } from '../errors';
import { inTransaction } from '../../storage/db';
import type { TenantMailTable } from '../../storage/schema-notifications';
import { saveTenantMail, tenantMail } from '../../storage/repositories/notifications';
import { hostIsPrivate, privateReceiversAllowed } from '../webhooks-out/receivers';

/**
 * The tenant's SMTP server: Attest sends the tenant's mail through it, from the tenant's address. The
 * password is never answered (only whether one is set); when the installation has a key
 * (ATTEST_SECRET_KEY) it is stored sealed with it (AES-256-GCM), so a copy of the database alone does not
 * give it away. The host passes the same private-address rule as webhook receivers.
 */
export const SmtpSettings = z
  .object({
    host: z.string().min(1).max(253),
    port: z.number().int().min(1).max(65535).default(587),
    secure: z.boolean().default(false).describe('TLS from the first byte (port 465); otherwise STARTTLS when the server offers it.'),
    user: z.string().max(300).optional(),
    password: z.string().max(1000).optional().describe('Write-only: never answered. Omit it to keep the current one.'),
    from: z.email().max(300).describe('The address messages come from.'),
  })
  .strict();
export type SmtpSettingsInput = z.input<typeof SmtpSettings>;

export interface SmtpSettingsView {
  host: string;
  port: number;
  secure: boolean;
  user: string | null;
  from: string;
  passwordSet: boolean;
  updatedAt: string;
}

export interface SmtpConnection {
  host: string;
  port: number;
  secure: boolean;
  user: string | null;
  password: string | null;
  from: string;
}

export function sealPassword(password: string): string {
  const secret = installationSecret();
  return secret ? `gcm:${sealText('smtp password', password, secret)}` : `plain:${password}`;
}

export function openPassword(stored: string): string {
  if (stored.startsWith('plain:')) return stored.slice(6);
  const secret = installationSecret();
  if (!secret) throw new Error('The SMTP password is sealed and ATTEST_SECRET_KEY is not set.');
  const clear = openText('smtp password', stored.slice(4), secret);
  if (clear === undefined) throw new Error('The SMTP password does not open with ATTEST_SECRET_KEY.');
  return clear;
}

const view = (row: TenantMailTable): SmtpSettingsView => ({
  host: row.host,
  port: row.port,
  secure: row.secure === 1,
  user: row.username,
  from: row.from_address,
  passwordSet: row.password !== null,
  updatedAt: row.updated_at,
});

export async function getSmtpSettings(services: Services, actor: Actor): Promise<SmtpSettingsView | null> {
  requireCapability(actor, 'tenant:manage');
  const row = await tenantMail(services.storage.db, actor.tenantId);
  return row ? view(row) : null;
}

export async function setSmtpSettings(services: Services, actor: Actor, input: unknown): Promise<SmtpSettingsView> {
  requireCapability(actor, 'tenant:manage');
  const parsed = SmtpSettings.safeParse(input);
  if (!parsed.success) throw invalid('MAIL_SETTINGS_INVALID', 'The mail settings cannot be saved.', zodProblems(parsed.error, '', input));
  const s = parsed.data;
  if (!privateReceiversAllowed() && hostIsPrivate(s.host))
    throw invalid('MAIL_SETTINGS_INVALID', 'The mail settings cannot be saved.', [
      {
        path: 'host',
        code: 'URL_PRIVATE',
        message: 'This host is loopback, private or reserved: the server does not connect to it unless the installation allows it.',
      },
    ]);
  const db = services.storage.db;
  const at = iso(services.now());
  const current = await tenantMail(db, actor.tenantId);
  const row: TenantMailTable = {
    tenant_id: actor.tenantId,
    host: s.host,
    port: s.port,
    secure: s.secure ? 1 : 0,
    username: s.user ?? null,
    password: s.password !== undefined ? sealPassword(s.password) : (current?.password ?? null),
    from_address: s.from,
    updated_at: at,
  };
  await inTransaction(db, async (trx) => {
    await saveTenantMail(trx, row);
    await recordAudit(trx, {
      tenantId: actor.tenantId,
      subjectType: 'tenant',
      subjectId: actor.tenantId,
      action: 'mail-settings-changed',
      actor,
      at,
      details: { host: s.host, port: s.port, from: s.from, passwordChanged: s.password !== undefined },
    });
  });
  return view(row);
}

export async function smtpConnection(services: Services, tenantId: string): Promise<SmtpConnection | undefined> {
  const row = await tenantMail(services.storage.db, tenantId);
  if (!row) return undefined;
  return {
    host: row.host,
    port: row.port,
    secure: row.secure === 1,
    user: row.username,
    password: row.password === null ? null : openPassword(row.password),
    from: row.from_address,
  };
}

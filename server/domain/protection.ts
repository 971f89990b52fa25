import { createHmac } from 'node:crypto';
import type { PdfProtection } from '../../templates/pdf';
import { DomainError, type Problem } from './errors';
import { installationSecret, isSealed, openStored, sealStored } from './sealing';
import type { CertificateSettings, Protection, TenantSettings } from './settings';

/**
 * PDF protection (issue 17): which settings apply to a document, and the passwords kept sealed.
 *
 * Passwords are stored and answered only sealed (`sealed:` + AES-256-GCM with a key derived from
 * ATTEST_SECRET_KEY), so neither a copy of the database nor an API answer gives them away; a client that
 * sends the sealed value back keeps the password. Protection needs the installation key: it also gives the
 * owner password when none is set (derived per document, never guessable from the file) and the key
 * material the writer derives its deterministic file keys and IVs from (templates/pdf/encryption.ts).
 */
const PURPOSE = 'pdf protection password';

const seal = (password: string, secret: string): string => sealStored(PURPOSE, password, secret);

/** The password in a sealed value; undefined when it does not open with this installation's key. */
const open = (sealed: string, secret: string): string | undefined => openStored(PURPOSE, sealed, secret);

const PASSWORDS = ['user_password', 'owner_password'] as const;

/**
 * Settings as they are stored: each password given in clear sealed, each sealed one checked to open. Throws
 * `code` (the settings' own invalid code) with a problem at `path` when protection is asked without the
 * installation key or a sealed value is not this installation's.
 */
export function sealProtection<T extends { protection?: Protection | undefined }>(settings: T, code: string, path = ''): T {
  const p = settings.protection;
  if (!p || !p.enabled) return settings;
  const at = (k: string) => (path ? `${path}.protection.${k}` : `protection.${k}`);
  const secret = installationSecret();
  if (!secret) {
    throw new DomainError('invalid', code, 'PDF protection needs the installation key.', {
      problems: [
        {
          path: path ? `${path}.protection` : 'protection',
          code: 'PROTECTION_NEEDS_SECRET_KEY',
          message: 'PDF protection needs the installation key (ATTEST_SECRET_KEY) to seal passwords and derive the owner password.',
        },
      ],
    });
  }
  const next: Protection = { ...p };
  const problems: Problem[] = [];
  for (const k of PASSWORDS) {
    const v = p[k];
    if (v === undefined) continue;
    if (isSealed(v)) {
      const clear = open(v, secret);
      if (clear === undefined)
        problems.push({
          path: at(k),
          code: 'PROTECTION_PASSWORD_SEALED_INVALID',
          message: 'This sealed password does not open with this installation’s key.',
        });
      else problems.push(...passwordProblems(p.cipher, clear, at(k)));
    } else {
      problems.push(...passwordProblems(p.cipher, v, at(k)));
      next[k] = seal(v, secret);
    }
  }
  if (problems.length) throw new DomainError('invalid', code, 'The protection settings are not valid.', { problems });
  return { ...settings, protection: next };
}

function passwordProblems(cipher: Protection['cipher'], password: string, path: string): Problem[] {
  if (cipher === 'aes-128' && /[^\x00-\xff]/.test(password))
    return [{ path, code: 'PROTECTION_PASSWORD_NOT_LATIN1', message: 'AES-128 passwords are limited to Latin-1 characters; use AES-256.' }];
  return [];
}

/** A patch or settings with every password replaced by "(hidden)": what the audit records. */
export function withoutPasswords(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const v = value as Record<string, unknown>;
  const p = v.protection;
  if (typeof p !== 'object' || p === null) return value;
  const hidden: Record<string, unknown> = { ...(p as Record<string, unknown>) };
  for (const k of PASSWORDS) if (hidden[k] !== undefined) hidden[k] = '(hidden)';
  return { ...v, protection: hidden };
}

/**
 * The protection a document of this certificate is made with: the certificate's own settings, else the
 * tenant's default; undefined when none applies. The key material is per tenant, from the installation key.
 */
export function documentProtection(tenantId: string, tenant: TenantSettings, certificate: CertificateSettings): PdfProtection | undefined {
  const p = certificate.protection ?? tenant.protection;
  if (!p || !p.enabled) return undefined;
  const secret = installationSecret();
  if (!secret) {
    throw new DomainError('conflict', 'PROTECTION_UNAVAILABLE', 'This document is to be protected and ATTEST_SECRET_KEY is not set.');
  }
  const clear = (k: (typeof PASSWORDS)[number]): string | undefined => {
    const v = p[k];
    if (v === undefined) return undefined;
    if (!isSealed(v)) return v; // never stored so, but a value written by hand still works
    const opened = open(v, secret);
    if (opened === undefined)
      throw new DomainError('conflict', 'PROTECTION_UNAVAILABLE', 'A sealed protection password does not open with ATTEST_SECRET_KEY.');
    return opened;
  };
  const perms = p.permissions;
  const user = clear('user_password');
  const owner = clear('owner_password');
  return {
    cipher: p.cipher,
    permissions: {
      print: perms.print,
      printHighQuality: perms.print_high_quality,
      modify: perms.modify,
      copy: perms.copy,
      annotate: perms.annotate,
      fillForms: perms.fill_forms,
      extractForAccessibility: perms.extract_for_accessibility,
      assemble: perms.assemble,
    },
    ...(user !== undefined ? { userPassword: user } : {}),
    ...(owner !== undefined ? { ownerPassword: owner } : {}),
    secret: createHmac('sha256', secret).update(`attest pdf protection key\0${tenantId}`).digest(),
  };
}

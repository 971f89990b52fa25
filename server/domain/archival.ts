import { DomainError, type Problem } from './errors';
import type { CertificateSettings, TenantSettings } from './settings';

/**
 * Archival documents (issue 17): PDF/A-3b (templates/pdf/archival.ts), a tenant default that a
 * certificate's own setting replaces (`{ "enabled": false }` turns it off), like protection.
 *
 * PDF/A forbids encryption, so a document cannot be both: the settings refuse every combination that would
 * ask for it — the tenant's two defaults together, a certificate's own choice against the tenant's default
 * it keeps, a tenant default that would now make one of its certificates ask for both — with
 * ARCHIVAL_EXCLUDES_PROTECTION, when they are saved, rather than a file that says PDF/A and is encrypted.
 */
type Settings = Pick<TenantSettings, 'protection' | 'archival'>;

const archivalOf = (tenant: Settings, certificate?: Settings) => (certificate?.archival ?? tenant.archival)?.enabled === true;
const protectionOf = (tenant: Settings, certificate?: Settings) => (certificate?.protection ?? tenant.protection)?.enabled === true;

/** Whether a document of this certificate is written as PDF/A-3b. */
export function documentArchival(tenant: TenantSettings, certificate: CertificateSettings): boolean {
  if (!archivalOf(tenant, certificate)) return false;
  // Settings saved since the rule cannot get here; a row written by hand (or before) is refused, not obeyed half.
  if (protectionOf(tenant, certificate))
    throw new DomainError(
      'conflict',
      'ARCHIVAL_PROTECTION_CONFLICT',
      'This certificate’s documents are to be both PDF/A and protected, and PDF/A forbids encryption.',
    );
  return true;
}

const problem = (path: string, certificate?: string): Problem => ({
  path,
  code: 'ARCHIVAL_EXCLUDES_PROTECTION',
  message: certificate
    ? `The certificate “${certificate}” would make PDF/A documents that are protected; PDF/A forbids encryption. Turn one off on the certificate or here.`
    : 'PDF/A documents cannot be protected (the standard forbids encryption): turn archival or protection off.',
  ...(certificate ? { params: { certificate } } : {}),
});

/** A certificate's settings against the tenant's defaults it keeps: `path` is the settings' own (`settings`). */
export function certificateArchivalProblems(tenant: Settings, certificate: Settings, path = 'settings'): Problem[] {
  if (!archivalOf(tenant, certificate) || !protectionOf(tenant, certificate)) return [];
  // Point at what this certificate itself says, so the form can show it where it is changed.
  const at = certificate.archival ? 'archival' : 'protection';
  return [problem(`${path}.${at}`)];
}

/** The tenant's own defaults together, and every certificate that keeps one of them and would ask for both. */
export function tenantArchivalProblems(tenant: Settings, certificates: readonly { name: string; settings: Settings }[] = []): Problem[] {
  if (archivalOf(tenant) && protectionOf(tenant)) return [problem('archival')];
  const problems: Problem[] = [];
  for (const c of certificates) {
    if (!archivalOf(tenant, c.settings) || !protectionOf(tenant, c.settings)) continue;
    problems.push(problem(c.settings.archival ? 'protection' : 'archival', c.name));
  }
  return problems;
}

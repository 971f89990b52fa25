import type { CertificateSettings, TenantSettings } from './settings';

/**
 * Tagged PDF (issue 17, helper "tagged"): documents carry a structure tree for screen readers
 * (templates/pdf/structure.ts). A per-certificate setting with a tenant default, like protection: a
 * certificate's own replaces the tenant's, `{ "enabled": false }` turns it off.
 *
 * On when neither says: it costs about a millisecond of CPU and one to twelve per cent of bytes per
 * document (templates/pdf/bench.ts), and a document a blind learner cannot read is not delivered to them.
 */
export const TAGGED_BY_DEFAULT = true;

export function documentTagging(tenant: TenantSettings, certificate: CertificateSettings): boolean {
  const setting = certificate.tagging ?? tenant.tagging;
  return setting ? setting.enabled : TAGGED_BY_DEFAULT;
}

/**
 * Whether stored bytes are a tagged document: the catalog's /MarkInfo, which the writer puts only in
 * tagged files. Dictionaries are never encrypted and a signature appends after them, so it holds for
 * protected and signed documents too.
 */
export function isTaggedPdf(pdf: Uint8Array): boolean {
  return Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).includes(MARKED);
}
const MARKED = Buffer.from('/MarkInfo << /Marked true >>', 'latin1');

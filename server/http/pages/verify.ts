import type { DocumentMatch, Verification } from '../../domain/verification';

/**
 * The public verification page: what the QR code on every document opens. Plain HTML (no script), in the
 * tenant's language, every value escaped; it says only what the tenant allows. Checking a PDF file is a
 * plain multipart form posted to the page's own address: it works in any browser, without JavaScript,
 * under the page's Content-Security-Policy (form-action 'self').
 */
const TEXT = {
  fr: {
    title: 'Vérification d’un document',
    code: 'Code du document',
    check: 'Vérifier',
    valid: 'Document valide',
    revoked: 'Document révoqué',
    expired: 'Document expiré',
    locked: 'Ce document existe. Ses détails ne sont pas publiés pour le moment.',
    unknown: 'Aucun document ne porte ce code. Vérifiez la saisie.',
    certificate: 'Certificat',
    organization: 'Délivré par',
    learner: 'Titulaire',
    course: 'Formation',
    issued: 'Date de délivrance',
    expires: 'Date d’expiration',
    revokedOn: 'Révoqué le',
    revision: 'Révision',
    checkFile: 'Vérifier un fichier PDF',
    checkFileHint: 'Choisissez le PDF que l’on vous a remis : il est comparé au document délivré sous ce code, et n’est pas conservé.',
    file: 'Fichier PDF',
    compare: 'Comparer le fichier',
    current: 'Ce fichier est le document délivré sous ce code, dans sa version en vigueur.',
    superseded: 'Ce fichier est une version antérieure de ce document : une version plus récente l’a remplacé.',
    none: 'Ce fichier n’est pas le document délivré sous ce code.',
    noFile: 'Choisissez le fichier PDF à comparer.',
  },
  en: {
    title: 'Document verification',
    code: 'Document code',
    check: 'Check',
    valid: 'Valid document',
    revoked: 'Revoked document',
    expired: 'Expired document',
    locked: 'This document exists. Its details are not published for now.',
    unknown: 'No document has this code. Check what you typed.',
    certificate: 'Certificate',
    organization: 'Issued by',
    learner: 'Holder',
    course: 'Course',
    issued: 'Issue date',
    expires: 'Expiry date',
    revokedOn: 'Revoked on',
    revision: 'Revision',
    checkFile: 'Check a PDF file',
    checkFileHint: 'Choose the PDF you were given: it is compared with the document issued under this code, and not kept.',
    file: 'PDF file',
    compare: 'Compare the file',
    current: 'This file is the document issued under this code, in its current version.',
    superseded: 'This file is an earlier version of this document: a newer one has replaced it.',
    none: 'This file is not the document issued under this code.',
    noFile: 'Choose the PDF file to compare.',
  },
} as const;

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function formatDate(iso: string, locale: string): string {
  const d = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? iso : new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(d);
}

export interface PageOptions {
  /** What the visitor typed, shown back in the code field. */
  typed?: string;
  /** The language when no document decides it (an unknown code, the empty form): the visitor's. */
  locale?: 'fr' | 'en';
  /** The answer to an uploaded PDF, or that none was chosen. */
  match?: DocumentMatch | 'no-file';
}

const MATCH_COLOUR: Record<DocumentMatch | 'no-file', string> = {
  current: '#1b6e3a',
  superseded: '#8a5a00',
  none: '#a11',
  'no-file': '#a11',
};

export function verificationPage(v: Verification | undefined, options: PageOptions = {}): string {
  const typed = options.typed ?? '';
  const locale = v && v.status !== 'unknown' ? v.locale : (options.locale ?? v?.locale ?? 'fr');
  const t = TEXT[locale];
  const rows: [string, string | undefined][] = v
    ? [
        [t.certificate, v.certificate],
        [t.organization, v.organization],
        [t.learner, v.learner],
        [t.course, v.course],
        [t.issued, v.issuedOn ? formatDate(v.issuedOn, locale) : undefined],
        [t.expires, v.expiresOn ? formatDate(v.expiresOn, locale) : undefined],
        [t.revokedOn, v.revokedOn ? formatDate(v.revokedOn, locale) : undefined],
        [t.code, v.code],
      ]
    : [];
  const status = v ? (v.status === 'locked' ? t.locked : v.status === 'unknown' ? t.unknown : t[v.status]) : '';
  const colour = v?.status === 'valid' ? '#1b6e3a' : v?.status === 'locked' ? '#555' : '#a11';
  // Values take their own direction: an Arabic or Hebrew name reads right to left inside a French page.
  const published = v && v.status !== 'locked' && v.status !== 'unknown';
  const details = published
    ? `<dl>${rows
        .filter(([, value]) => value)
        .map(([k, value]) => `<dt>${escapeHtml(k)}</dt><dd dir="auto">${escapeHtml(value!)}</dd>`)
        .join('')}</dl>`
    : '';
  const match = options.match
    ? `<p class="match" role="status" data-match="${options.match}" style="color:${MATCH_COLOUR[options.match]}">${escapeHtml(options.match === 'no-file' ? t.noFile : t[options.match])}</p>`
    : '';
  // A locked document's file is not compared: that would tell whose document it is.
  const upload =
    published && v.code
      ? `<h2>${escapeHtml(t.checkFile)}</h2><p class="hint">${escapeHtml(t.checkFileHint)}</p>${match}
<form class="upload" method="post" action="/verify/${encodeURIComponent(v.code)}/document" enctype="multipart/form-data"><label for="document">${escapeHtml(t.file)}</label>
<input id="document" name="document" type="file" accept="application/pdf,.pdf" required>
<button type="submit">${escapeHtml(t.compare)}</button></form>`
      : '';
  return `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(t.title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#222}h1{font-size:1.4rem}
.status{font-size:1.25rem;font-weight:600;color:${colour};margin:1.5rem 0}dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem}dt{color:#555}dd{margin:0}
form{display:flex;gap:.5rem}input{flex:1;font:inherit;padding:.4rem}button{font:inherit;padding:.4rem 1rem}
h2{font-size:1.1rem;margin-top:2rem}.hint{color:#555}.match{font-weight:600}.upload{flex-wrap:wrap;align-items:center}</style></head>
<body><main><h1>${escapeHtml(t.title)}</h1>
<form method="get" action="/verify"><label for="code" style="position:absolute;left:-9999px">${escapeHtml(t.code)}</label>
<input id="code" name="code" value="${escapeHtml(typed || v?.code || '')}" placeholder="XXXXX-XXXXX-XXXXX-XXXXX" autocomplete="off" maxlength="40" required>
<button type="submit">${escapeHtml(t.check)}</button></form>
${v ? `<p class="status" role="status" data-status="${v.status}">${escapeHtml(status)}</p>${details}${upload}` : ''}
</main></body></html>`;
}

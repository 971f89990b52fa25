import type { Brand, DocumentMatch, Verification } from '../../domain/verification';
import type { UploadedSignature } from '../../domain/signature/verify';
import type { CredentialCheck } from '../../domain/badge-publishing';
import { verificationMessage } from '../../domain/credentials';
import { cspNonce, serverPagePolicy } from '../security';
import { VERIFY_SCRIPT } from './verify-script';

/**
 * The public verification page: what the QR code on every document opens. In the tenant's language and
 * colours, every value escaped; it says only what the tenant allows. Checking a PDF file is a plain
 * multipart form posted to the page's own address, so it works without JavaScript; with it, a file dropped
 * or picked is sent as is to the API's verifyDocument and the verdict appears in place. Under its own
 * Content-Security-Policy: the stylesheet by hash, the one script by nonce, nothing inline besides.
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
    withdrawn: 'Ce document a été retiré : les données de son titulaire ont été effacées à sa demande.',
    withdrawnOn: 'Retiré le',
    certificate: 'Certificat',
    organization: 'Délivré par',
    learner: 'Titulaire',
    course: 'Formation',
    issued: 'Date de délivrance',
    expires: 'Date d’expiration',
    revokedOn: 'Révoqué le',
    revocationReason: 'Motif de la révocation',
    revision: 'Révision',
    archival: 'Format d’archivage',
    archivalValue: 'PDF/A-3b (ISO 19005-3)',
    accessibility: 'Accessibilité',
    tagged: 'PDF balisé, lisible par les lecteurs d’écran',
    checkFile: 'Vérifier un fichier PDF',
    checkFileHint: 'Choisissez le PDF que l’on vous a remis : il est comparé au document délivré sous ce code, et n’est pas conservé.',
    drop: 'Déposez le fichier PDF ici, ou choisissez-le.',
    file: 'Fichier PDF',
    compare: 'Comparer le fichier',
    checking: 'Comparaison en cours…',
    failed: 'Le fichier n’a pas pu être comparé. Réessayez dans un instant.',
    current: 'Ce fichier est le document délivré sous ce code, dans sa version en vigueur.',
    superseded: 'Ce fichier est une version antérieure de ce document : une version plus récente l’a remplacé.',
    none: 'Ce fichier n’est pas le document délivré sous ce code.',
    noFile: 'Choisissez le fichier PDF à comparer.',
    linkedin: 'Ajouter à mon profil LinkedIn',
    supersededBy: 'Remplacé par une attestation plus récente :',
    supersededIssued: 'délivrée le',
    signedBy: 'Signé par',
    signatureLevel: 'Signature',
    timestamped: 'Horodaté le',
    signatureIntact: 'La signature du fichier est intacte : il n’a pas été modifié depuis sa signature par',
    signatureBroken: 'La signature du fichier n’est pas intacte : il a été modifié après sa signature.',
    signatureForeign: 'Le fichier est signé, mais pas avec une clé de cet organisme.',
    credential: 'Badge numérique (Open Badges 3.0)',
    credentialJson: 'Télécharger le badge (JSON)',
    credentialPng: 'Télécharger l’image du badge (PNG)',
    credentialIssuer: 'Émetteur',
    credentialFile: 'Badge contenu dans le fichier :',
    credentialSuperseded: 'c’est celui d’une version antérieure du document.',
    credentialNone: 'il n’est pas celui de ce document.',
    credentialCurrent: 'c’est celui du document en vigueur.',
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
    withdrawn: 'This document was withdrawn: its holder’s data was erased at their request.',
    withdrawnOn: 'Withdrawn on',
    certificate: 'Certificate',
    organization: 'Issued by',
    learner: 'Holder',
    course: 'Course',
    issued: 'Issue date',
    expires: 'Expiry date',
    revokedOn: 'Revoked on',
    revocationReason: 'Reason for revocation',
    revision: 'Revision',
    archival: 'Archival format',
    archivalValue: 'PDF/A-3b (ISO 19005-3)',
    accessibility: 'Accessibility',
    tagged: 'Tagged PDF, readable by screen readers',
    checkFile: 'Check a PDF file',
    checkFileHint: 'Choose the PDF you were given: it is compared with the document issued under this code, and not kept.',
    drop: 'Drop the PDF file here, or choose it.',
    file: 'PDF file',
    compare: 'Compare the file',
    checking: 'Comparing…',
    failed: 'The file could not be compared. Try again in a moment.',
    current: 'This file is the document issued under this code, in its current version.',
    superseded: 'This file is an earlier version of this document: a newer one has replaced it.',
    none: 'This file is not the document issued under this code.',
    noFile: 'Choose the PDF file to compare.',
    linkedin: 'Add to LinkedIn profile',
    supersededBy: 'Superseded by a newer certificate:',
    supersededIssued: 'issued on',
    signedBy: 'Signed by',
    signatureLevel: 'Signature',
    timestamped: 'Timestamped on',
    signatureIntact: 'The file’s signature is intact: it has not been changed since it was signed by',
    signatureBroken: 'The file’s signature is not intact: it was changed after it was signed.',
    signatureForeign: 'The file is signed, but not with a key of this organisation.',
    credential: 'Digital badge (Open Badges 3.0)',
    credentialJson: 'Download the badge (JSON)',
    credentialPng: 'Download the badge image (PNG)',
    credentialIssuer: 'Issuer',
    credentialFile: 'Badge carried by the file:',
    credentialSuperseded: 'it is an earlier version’s of this document.',
    credentialNone: 'it is not this document’s.',
    credentialCurrent: 'it is the current document’s.',
  },
} as const;

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function formatTime(iso: string, locale: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'long', timeZone: 'UTC' }).format(d);
}

/** "Organisme (O=…)" as readers show a signer: the certificate's name, and its organisation when another. */
const signerText = (s: { signer: string; organization?: string }) =>
  s.organization && s.organization !== s.signer ? `${s.signer} (${s.organization})` : s.signer;

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
  /** An uploaded PDF's signature, when it has one. */
  signature?: UploadedSignature;
  /** The tenant the document belongs to, as its settings present it. */
  brand?: Brand;
  /** The document's verification address, which a profile entry links back to. */
  verificationUrl?: string;
  /** The document's Open Badges credential, checked: its verdict, and links to its JSON and badge. */
  credential?: CredentialCheck;
  /** The credential an uploaded PDF carries, checked. */
  uploadedCredential?: CredentialCheck;
}

/**
 * The credential's verdict as the page says it: the first thing wrong (proof, revocation, validity window)
 * or valid, with the issuer's DID; the verdict's code is in `data-credential` for scripts and tests.
 */
function credentialSection(c: CredentialCheck | undefined, locale: 'fr' | 'en', t: (typeof TEXT)['fr' | 'en']): string {
  if (!c) return '';
  const v = c.verification;
  const links = [
    c.json ? `<a href="${escapeHtml(c.json)}">${escapeHtml(t.credentialJson)}</a>` : '',
    c.badge ? `<a href="${escapeHtml(c.badge)}">${escapeHtml(t.credentialPng)}</a>` : '',
  ].filter(Boolean);
  return `<section class="credential" data-credential="${escapeHtml(v.code)}"><h2>${escapeHtml(t.credential)}</h2>
<p class="credential-verdict" data-valid="${v.valid}">${escapeHtml(verificationMessage(v.code, locale))}</p>${v.issuer ? `<p class="hint">${escapeHtml(t.credentialIssuer)} : <code>${escapeHtml(v.issuer)}</code></p>` : ''}${links.length ? `<p>${links.join(' · ')}</p>` : ''}</section>`;
}

function uploadedCredentialLine(c: CredentialCheck | undefined, locale: 'fr' | 'en', t: (typeof TEXT)['fr' | 'en']): string {
  if (!c) return '';
  const which = c.match === 'current' ? t.credentialCurrent : c.match === 'superseded' ? t.credentialSuperseded : t.credentialNone;
  return `<p class="credential-file" data-credential="${escapeHtml(c.verification.code)}" data-credential-match="${c.match}">${escapeHtml(t.credentialFile)} ${escapeHtml(verificationMessage(c.verification.code, locale))} ${escapeHtml(which)}</p>`;
}

/** The page and the policy it needs: its answer must carry both. */
export interface ServerPage {
  html: string;
  policy: string;
}

const DEFAULT_ACCENT = '#1f3a5f';

/**
 * LinkedIn's "add to profile" form, filled in: the certification's name, who issued it, the issue and
 * expiry months, and this page's address with the code as the credential id.
 */
export function linkedInAddToProfileUrl(v: Verification, organization: string, verificationUrl: string): string | undefined {
  if (!v.certificate || !v.code) return undefined;
  const q = new URLSearchParams({ startTask: 'CERTIFICATION_NAME', name: v.certificate, organizationName: organization });
  const month = (iso: string | null | undefined, prefix: 'issue' | 'expiration') => {
    const m = iso ? /^(\d{4})-(\d{2})/.exec(iso) : null;
    if (m) {
      q.set(`${prefix}Year`, m[1]!);
      q.set(`${prefix}Month`, String(Number(m[2])));
    }
  };
  month(v.issuedOn, 'issue');
  month(v.expiresOn, 'expiration');
  q.set('certUrl', verificationUrl);
  q.set('certId', v.code);
  return `https://www.linkedin.com/profile/add?${q.toString()}`;
}

function stylesheet(accent: string): string {
  return `:root{--accent:${accent}}
body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#222}h1{font-size:1.4rem}
.brand{display:flex;align-items:center;gap:.75rem;border-bottom:3px solid var(--accent);padding-bottom:.75rem;margin-bottom:1rem}
.brand img{max-height:3rem;max-width:10rem}.brand .org{font-weight:600;color:var(--accent);font-size:1.1rem}
.status{font-size:1.25rem;font-weight:600;margin:1.5rem 0}.status[data-status=valid]{color:#1b6e3a}.status[data-status=locked]{color:#555}
.status[data-status=revoked],.status[data-status=expired],.status[data-status=withdrawn],.status[data-status=unknown]{color:#a11}
.superseded{font-weight:600;color:#8a5a00}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem}dt{color:#555}dd{margin:0}
form{display:flex;gap:.5rem}input{flex:1;font:inherit;padding:.4rem}button{font:inherit;padding:.4rem 1rem;border:1px solid var(--accent);border-radius:.25rem;background:#fff;color:var(--accent)}
.visually-hidden{position:absolute;left:-9999px}
h2{font-size:1.1rem;margin-top:2rem}.hint{color:#555}.match{font-weight:600}.upload{flex-wrap:wrap;align-items:center}
.match[data-match=current]{color:#1b6e3a}.match[data-match=superseded]{color:#8a5a00}.match[data-match=none],.match[data-match=no-file],.match[data-match=failed]{color:#a11}
.drop{border:2px dashed #bbb;border-radius:.5rem;padding:1rem}.drop.over{border-color:var(--accent);background:#f4f7fb}.drop-hint{margin:0 0 .5rem}
.linkedin{display:inline-block;margin-top:1rem;padding:.4rem 1rem;border-radius:.25rem;background:#0a66c2;color:#fff;text-decoration:none;font-weight:600}`;
}

export function verificationPage(v: Verification | undefined, options: PageOptions = {}): ServerPage {
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
        [t.revocationReason, v.revocationReason],
        [t.withdrawnOn, v.withdrawnOn ? formatDate(v.withdrawnOn, locale) : undefined],
        [t.accessibility, v.tagged ? t.tagged : undefined],
        [t.signedBy, v.signature ? signerText(v.signature) : undefined],
        [t.signatureLevel, v.signature ? `PAdES ${v.signature.level} · ${v.signature.keyId.slice(0, 8)}` : undefined],
        [t.timestamped, v.signature?.timestampedAt ? formatTime(v.signature.timestampedAt, locale) : undefined],
        [t.code, v.code],
        [t.archival, v.archival ? t.archivalValue : undefined],
      ]
    : [];
  const status = v ? (v.status === 'locked' ? t.locked : v.status === 'unknown' ? t.unknown : t[v.status]) : '';
  // Values take their own direction: an Arabic or Hebrew name reads right to left inside a French page.
  const published = v && v.status !== 'locked' && v.status !== 'unknown';
  const details = published
    ? `<dl>${rows
        .filter(([, value]) => value)
        .map(([k, value]) => `<dt>${escapeHtml(k)}</dt><dd dir="auto">${escapeHtml(value!)}</dd>`)
        .join('')}</dl>`
    : '';
  // A re-issue replaced it: the newer one's code, day and page, nothing else of it.
  const newer = published ? v.supersededBy : undefined;
  const superseded = newer
    ? `<p class="superseded" data-superseded-by="${escapeHtml(newer.code)}">${escapeHtml(t.supersededBy)} <a href="${escapeHtml(newer.url)}">${escapeHtml(newer.code)}</a>${newer.issuedOn ? ` (${escapeHtml(t.supersededIssued)} ${escapeHtml(formatDate(newer.issuedOn, locale))})` : ''}</p>`
    : '';
  const brand = options.brand;
  const header = brand
    ? `<header class="brand">${brand.logo ? `<img src="${escapeHtml(brand.logo)}" alt="">` : ''}<span class="org" dir="auto">${escapeHtml(brand.name)}</span></header>`
    : '';
  const linkedIn =
    v?.status === 'valid' && options.verificationUrl
      ? linkedInAddToProfileUrl(v, v.organization ?? brand?.name ?? '', options.verificationUrl)
      : undefined;
  const share = linkedIn
    ? `<p><a class="linkedin" href="${escapeHtml(linkedIn)}" target="_blank" rel="noopener noreferrer">${escapeHtml(t.linkedin)}</a></p>`
    : '';
  const sig = options.signature;
  const signatureSays = sig
    ? sig.intact && sig.tenantKey && sig.signer
      ? `${t.signatureIntact} ${signerText(sig.signer)}.`
      : sig.intact
        ? t.signatureForeign
        : t.signatureBroken
    : '';
  const signatureLine = sig
    ? `<p class="match" data-signature="${sig.intact && sig.tenantKey ? 'intact' : sig.intact ? 'foreign' : 'broken'}">${escapeHtml(signatureSays)}</p>`
    : '';
  const match = `<p class="match" role="status" aria-live="polite"${options.match ? ` data-match="${options.match}"` : ' hidden'}>${options.match ? escapeHtml(options.match === 'no-file' ? t.noFile : t[options.match]) : ''}</p>`;
  const nonce = cspNonce();
  // A locked document's file is not compared: that would tell whose document it is.
  const upload =
    published && v.code && v.status !== 'withdrawn'
      ? `<section class="check" data-api="/api/v1/verify/${encodeURIComponent(v.code)}/document"${(['current', 'superseded', 'none', 'noFile', 'checking', 'failed'] as const).map((k) => ` data-say-${k.toLowerCase()}="${escapeHtml(t[k])}"`).join('')}>
<h2>${escapeHtml(t.checkFile)}</h2><p class="hint">${escapeHtml(t.checkFileHint)}</p>
<div class="drop"><p class="drop-hint">${escapeHtml(t.drop)}</p>
<form class="upload" method="post" action="/verify/${encodeURIComponent(v.code)}/document" enctype="multipart/form-data"><label for="document">${escapeHtml(t.file)}</label>
<input id="document" name="document" type="file" accept="application/pdf,.pdf" required>
<button type="submit">${escapeHtml(t.compare)}</button></form></div>${match}${signatureLine}${uploadedCredentialLine(options.uploadedCredential, locale, t)}</section>
<script nonce="${nonce}">${VERIFY_SCRIPT}</script>`
      : '';
  // Checked again here: this text goes into a stylesheet, and a colour is all it may ever be.
  const css = stylesheet(brand?.colour && /^#[0-9a-f]{6}$/i.test(brand.colour) ? brand.colour : DEFAULT_ACCENT);
  const html = `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(brand ? `${t.title} · ${brand.name}` : t.title)}</title>
<style>${css}</style></head>
<body><main>${header}<h1>${escapeHtml(t.title)}</h1>
<form method="get" action="/verify"><label for="code" class="visually-hidden">${escapeHtml(t.code)}</label>
<input id="code" name="code" value="${escapeHtml(typed || v?.code || '')}" placeholder="XXXXX-XXXXX-XXXXX-XXXXX" autocomplete="off" maxlength="40" required>
<button type="submit">${escapeHtml(t.check)}</button></form>
${v ? `<p class="status" role="status" data-status="${v.status}">${escapeHtml(status)}</p>${superseded}${details}${share}${published ? credentialSection(options.credential, locale, t) : ''}${upload}` : ''}
</main></body></html>`;
  return { html, policy: serverPagePolicy({ styles: [css], ...(upload ? { scriptNonce: nonce } : {}), connect: !!upload, forms: true }) };
}

import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import { errorMessage, problemMessage, type Locale } from '../error-codes';
import { DomainError } from '../errors';
import { knownContext, VC_V2_CONTEXT } from './loader';
import { issuerId } from './sign';
import { decodedStatus } from './status-list';
import type { CredentialVerdict, CredentialVerification, DocumentLoader, Json, JsonObject, VerifyOptions } from './types';

/**
 * Verifying a credential: its proof (eddsa-rdfc-2022, by a key its issuer's DID document lists as an
 * assertion method), its status (the bit in its issuer's signed Bitstring Status List) and its validity
 * window, each answered with its own code, so a page says "revoked" or "expired" rather than "invalid".
 *
 * The library judges the dates too, and would then report an expired credential as an unverified one: it
 * is asked about the proof as of the credential's own validFrom, and the window is judged here, at `now`.
 */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

const isObject = (v: Json | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const values = (v: Json | undefined): Json[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export function shapeProblem(c: unknown, needsProof = true): string | undefined {
  if (typeof c !== 'object' || c === null || Array.isArray(c)) return 'A credential is a JSON object.';
  const o = c as JsonObject;
  const contexts = values(o['@context']);
  if (contexts[0] !== VC_V2_CONTEXT) return `The first @context of a VC 2.0 credential is ${VC_V2_CONTEXT}.`;
  const unknown = contexts.find((x) => typeof x !== 'string' || !knownContext(x));
  if (unknown !== undefined) return `The context ${JSON.stringify(unknown)} is not one this server knows.`;
  if (!values(o.type).includes('VerifiableCredential')) return 'Its type does not include VerifiableCredential.';
  if (!issuerId(o)) return 'It names no issuer.';
  for (const k of ['validFrom', 'validUntil'] as const)
    if (o[k] !== undefined && (typeof o[k] !== 'string' || !DATE_TIME.test(o[k]) || Number.isNaN(Date.parse(o[k]))))
      return `Its ${k} is not a date-time.`;
  if (needsProof && !values(o.proof).some(isObject)) return 'It has no proof.';
  return undefined;
}

/** The codes of DomainErrors anywhere in what a library reports (it wraps and collects errors). */
function domainCodes(e: unknown, seen = new Set<unknown>()): string[] {
  if (typeof e !== 'object' || e === null || seen.has(e)) return [];
  seen.add(e);
  const here = e instanceof DomainError ? [e.code] : [];
  const o = e as { errors?: unknown; cause?: unknown; error?: unknown; results?: unknown };
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? (v as unknown[]) : []);
  const nested = [o.cause, o.error, ...list(o.errors), ...list(o.results)];
  return [...here, ...nested.flatMap((n) => domainCodes(n, seen))];
}

function firstMessage(e: unknown): string | undefined {
  if (e instanceof Error) {
    const inner = (e as { errors?: unknown }).errors;
    if (Array.isArray(inner) && inner[0] instanceof Error) return inner[0].message;
    return e.message;
  }
  return undefined;
}

async function proofOf(
  c: JsonObject,
  loader: DocumentLoader,
  fallbackNow: Date,
): Promise<
  | { ok: true; verificationMethod?: string }
  | { ok: false; code: 'CREDENTIAL_PROOF_INVALID' | 'CREDENTIAL_ISSUER_UNKNOWN'; message?: string }
> {
  const validFrom = typeof c.validFrom === 'string' ? new Date(c.validFrom) : fallbackNow;
  const result = await vc.verifyCredential({
    credential: c,
    suite: new DataIntegrityProof({ cryptosuite }),
    documentLoader: loader,
    now: validFrom,
    // The status is judged below with its own code; the library only needs to be told not to.
    checkStatus: async () => ({ verified: true }),
  });
  const method = values(c.proof).find(isObject)?.verificationMethod;
  if (result.verified) return { ok: true, ...(typeof method === 'string' ? { verificationMethod: method } : {}) };
  const unknown = domainCodes(result).includes('CREDENTIAL_URL_REFUSED');
  const message = firstMessage(result.error) ?? firstMessage(result.results?.[0]?.error);
  return { ok: false, code: unknown ? 'CREDENTIAL_ISSUER_UNKNOWN' : 'CREDENTIAL_PROOF_INVALID', ...(message ? { message } : {}) };
}

export function windowOf(c: JsonObject, now: Date): CredentialVerification['validity'] {
  const validFrom = typeof c.validFrom === 'string' ? c.validFrom : undefined;
  const validUntil = typeof c.validUntil === 'string' ? c.validUntil : undefined;
  const dates = { ...(validFrom ? { validFrom } : {}), ...(validUntil ? { validUntil } : {}) };
  if (validFrom && now.getTime() < Date.parse(validFrom)) return { code: 'CREDENTIAL_NOT_YET_VALID', ...dates };
  if (validUntil && now.getTime() > Date.parse(validUntil)) return { code: 'CREDENTIAL_EXPIRED', ...dates };
  return { code: 'CREDENTIAL_IN_VALIDITY', ...dates };
}

export async function statusOf(c: JsonObject, issuer: string, options: VerifyOptions): Promise<CredentialVerification['status']> {
  const entries = values(c.credentialStatus).filter(isObject);
  if (entries.length === 0) return { code: 'CREDENTIAL_STATUS_NONE' };
  const entry = entries.find((e) => e.type === 'BitstringStatusListEntry' && e.statusPurpose === 'revocation');
  const url = entry?.statusListCredential;
  const indexText = entry?.statusListIndex;
  if (typeof url !== 'string' || typeof indexText !== 'string' || !/^\d+$/.test(indexText))
    return { code: 'CREDENTIAL_STATUS_UNAVAILABLE' };
  const index = Number(indexText);
  const where = { list: url, index };
  const unavailable = { code: 'CREDENTIAL_STATUS_UNAVAILABLE' as const, ...where };
  const list = await options.statusList?.(url).catch(() => undefined);
  if (!list || shapeProblem(list) || list.id !== url || issuerId(list) !== issuer) return unavailable;
  if (!values(list.type).includes('BitstringStatusListCredential')) return unavailable;
  const subject = list.credentialSubject;
  if (!isObject(subject) || subject.type !== 'BitstringStatusList' || subject.statusPurpose !== 'revocation') return unavailable;
  if (typeof subject.encodedList !== 'string') return unavailable;
  if (windowOf(list, options.now).code === 'CREDENTIAL_EXPIRED') return unavailable;
  if (!(await proofOf(list, options.loader, options.now)).ok) return unavailable;
  const bit = await decodedStatus(subject.encodedList, index);
  if (bit === undefined) return unavailable;
  return { code: bit ? 'CREDENTIAL_REVOKED' : 'CREDENTIAL_STATUS_ACTIVE', ...where };
}

export async function verifyCredential(credential: unknown, options: VerifyOptions): Promise<CredentialVerification> {
  const problem = shapeProblem(credential);
  if (problem) return MALFORMED(problem);
  const c = credential as JsonObject;
  const issuer = issuerId(c) ?? '';
  const [proof, status] = await Promise.all([proofOf(c, options.loader, options.now), statusOf(c, issuer, options)]);
  return verdictOf(proof, status, windowOf(c, options.now), issuer);
}

export const MALFORMED = (message: string): CredentialVerification => ({
  valid: false,
  code: 'CREDENTIAL_MALFORMED',
  proof: { code: 'CREDENTIAL_MALFORMED', message },
  status: { code: 'CREDENTIAL_STATUS_UNAVAILABLE' },
  validity: { code: 'CREDENTIAL_IN_VALIDITY' },
});

export type ProofOutcome =
  | { ok: true; verificationMethod?: string }
  | { ok: false; code: 'CREDENTIAL_PROOF_INVALID' | 'CREDENTIAL_ISSUER_UNKNOWN'; message?: string };

/** The one code: what is wrong first (the proof, then revocation, then the dates, then an unknown status). */
export function verdictOf(
  proof: ProofOutcome,
  status: CredentialVerification['status'],
  validity: CredentialVerification['validity'],
  issuer: string,
): CredentialVerification {
  const verdict: CredentialVerdict = !proof.ok
    ? proof.code
    : status.code === 'CREDENTIAL_REVOKED'
      ? 'CREDENTIAL_REVOKED'
      : validity.code !== 'CREDENTIAL_IN_VALIDITY'
        ? validity.code
        : status.code === 'CREDENTIAL_STATUS_UNAVAILABLE'
          ? 'CREDENTIAL_STATUS_UNAVAILABLE'
          : 'CREDENTIAL_VALID';
  return {
    valid: verdict === 'CREDENTIAL_VALID',
    code: verdict,
    proof: proof.ok
      ? { code: 'CREDENTIAL_PROOF_VALID', ...(proof.verificationMethod ? { verificationMethod: proof.verificationMethod } : {}) }
      : { code: proof.code, ...(proof.message ? { message: proof.message } : {}) },
    status,
    validity,
    issuer,
  };
}

/** The sentence for a verification code (the verdict or a part's), in a language: for the verification page. */
export function verificationMessage(code: string, locale: Locale): string {
  return errorMessage(code, locale) ?? problemMessage(code, locale, {}, code);
}

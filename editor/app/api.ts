import type { z } from 'zod';
// The editor reaches the server only over HTTP, through the contract: the operations' declarations and
// schemas, which hold no server code (test/server/http/contract.test.ts walks their imports).
import { CONTRACT, type BodyIn, type Contract, type QueryIn, type ResponseOf } from '../../server/http/contract';
import { createClient, type ApiError, type Problem } from '../../server/http/contract/client';
import type * as S from '../../server/http/contract/schemas';
import { getLocale } from '../i18n';

export type { ApiError, Problem, Reason, Result } from '../../server/http/contract/client';

export type Me = z.infer<typeof S.Me>;
export type Capability = z.infer<typeof S.Capability>;

/** Whether the signed-in person holds a capability: what screens and buttons show (the server checks again). */
export function holds(me: Me | undefined, capability: Capability): boolean {
  return (me?.capabilities as readonly string[] | undefined)?.includes(capability) ?? false;
}
export type Diagnostic = z.infer<typeof S.Diagnostic>;
export type Issue = z.infer<typeof S.Issue>;
export type IssueRequestResult = z.infer<typeof S.IssueRequestResult>;
export type BatchResult = z.infer<typeof S.BatchResult>;
export type AuditEntry = z.infer<typeof S.AuditEntry>;
export type ChainLink = z.infer<typeof S.ChainLink>;
export type Refusal = z.infer<typeof S.Refusal>;
export type TemplateSummary = z.infer<typeof S.TemplateSummary>;
export type TemplateDetail = z.infer<typeof S.TemplateDetail>;
export type VersionSummary = TemplateSummary['versions'][number];
export type Asset = z.infer<typeof S.Asset>;
export type Version = z.infer<typeof S.Version>;
export type Certificate = z.infer<typeof S.Certificate>;
export type Verification = z.infer<typeof S.Verification>;
export type Tenant = z.infer<typeof S.Tenant>;
export type TenantSettings = Tenant['settings'];
export type Person = z.infer<typeof S.Person>;
export type Role = z.infer<typeof S.Role>;
export type TokenInfo = z.infer<typeof S.TokenInfo>;
export type DeliveryStats = ResponseOf<Contract['deliveryStats']>;

/** What the preview operation answers (JSON form). */
export type PreviewResult = ResponseOf<Contract['previewTemplate']>;
export type Example = ResponseOf<Contract['listExamples']>[number];
export type IssueFilters = NonNullable<QueryIn<Contract['listIssues']>>;
/** What the certificate form sends: all of a new certificate's fields, which a change may send too. */
export type CertificateInput = BodyIn<Contract['createCertificate']>;
export type CertificateSettings = NonNullable<CertificateInput['settings']>;

/** Listeners told when any call answers 401, so the app can go back to the sign-in screen. */
const unauthenticated = new Set<() => void>();
export function onUnauthenticated(listener: () => void): () => void {
  unauthenticated.add(listener);
  return () => unauthenticated.delete(listener);
}

/**
 * The server's API, called by operation id: `api.call('getTemplate', { params: { id } })`. Arguments and
 * answers are typed from the contract's schemas.
 */
export const api = createClient(CONTRACT, {
  onFailure: (e) => {
    if (e.status === 401) for (const l of unauthenticated) l();
  },
  // The server answers in the language the person chose in the editor, which may not be the browser's.
  fetch: (input, init) =>
    fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), 'accept-language': getLocale() } }),
});

/** The public verification page of a code (a page of the server, not an API call). */
export const verificationUrl = (code: string): string => api.url('verificationPage', { params: { code } });

/** Decodes the preview's base64 PDF. */
export function base64Bytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The problems of a failed call that concern one field (path "settings.min_grade_percent", …). */
export function problemsAt(error: ApiError | undefined, path: string): Problem[] {
  if (!error) return [];
  return error.problems.filter(
    (p) => p.path === path || p.path.startsWith(`${path}.`) || p.path === `body.${path}` || p.path.startsWith(`body.${path}.`),
  );
}

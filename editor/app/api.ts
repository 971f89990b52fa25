import type { z } from 'zod';
// Types only: the zod schemas of the server describe what it answers, and `import type` is erased, so
// none of the server's code (nor zod) reaches the browser bundle.
import type * as S from '../../server/http/schemas';
import type { CertificateSettings as CertificateSettingsSchema } from '../../server/domain/settings';
import type { DrawnBox } from '../../templates/layout/boxes';

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
export type Refusal = z.infer<typeof S.Refusal>;
export type TemplateSummary = z.infer<typeof S.TemplateSummary>;
export type TemplateDetail = z.infer<typeof S.TemplateDetail>;
export type VersionSummary = TemplateSummary['versions'][number];
export type Asset = z.infer<typeof S.Asset>;
export type Version = z.infer<typeof S.Version>;
export type Certificate = z.infer<typeof S.Certificate>;
export type CertificateSettings = z.input<typeof CertificateSettingsSchema>;
export type Verification = z.infer<typeof S.Verification>;
export type ErrorBody = z.infer<typeof S.ErrorBody>;

export type Problem = NonNullable<ErrorBody['error']['problems']>[number];
export type Reason = NonNullable<ErrorBody['error']['reasons']>[number];

/** What the preview operation answers (JSON form). */
export interface PreviewResult {
  pdf: string | null;
  pageCount: number;
  diagnostics: Diagnostic[];
  boxes: DrawnBox[];
}

export interface Example {
  id: string;
  name: string;
}

/**
 * A failed call, as a value: the server's stable `code`, its message, and every problem or reason it
 * listed. Network failures get the code NETWORK (status 0) so screens handle one shape.
 */
export interface ApiError {
  ok: false;
  status: number;
  code: string;
  message: string;
  problems: Problem[];
  reasons: Reason[];
  details: Record<string, unknown> | undefined;
  requestId: string | undefined;
}

export type Result<T> = { ok: true; status: number; value: T } | ApiError;

export interface IssueFilters {
  state?: 'issued' | 'revoked' | 'expired' | undefined;
  locked?: 'true' | 'false' | undefined;
  learner?: string | undefined;
  certificate?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  limit?: number | undefined;
  after?: string | undefined;
}

export interface CertificateInput {
  name?: string;
  template_version_id?: string;
  course_id?: string;
  activity_id?: string | null;
  settings?: CertificateSettings;
}

const PREFIX = '/api/v1';
const CSRF_HEADER = 'x-attest-csrf';

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string';
}

/** Listeners told when any call answers 401, so the app can go back to the sign-in screen. */
const unauthenticated = new Set<() => void>();
export function onUnauthenticated(listener: () => void): () => void {
  unauthenticated.add(listener);
  return () => unauthenticated.delete(listener);
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  json?: unknown;
  raw?: { body: Blob | ArrayBuffer | Uint8Array; type: string };
  query?: Record<string, string | number | undefined>;
}

async function request<T>(path: string, options: RequestOptions = {}): Promise<Result<T>> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  // A session cookie alone may not change anything: the server asks for this header, which a
  // cross-site form cannot send.
  if (method !== 'GET') headers[CSRF_HEADER] = '1';
  let body: BodyInit | undefined;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.raw) {
    headers['content-type'] = options.raw.type;
    body = options.raw.body instanceof Uint8Array ? new Blob([options.raw.body as Uint8Array<ArrayBuffer>]) : options.raw.body;
  }
  let url = PREFIX + path;
  if (options.query) {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(options.query)) if (value !== undefined && value !== '') params.set(key, String(value));
    const q = params.toString();
    if (q) url += `?${q}`;
  }
  let res: Response;
  try {
    res = await fetch(url, { method, headers, credentials: 'same-origin', ...(body !== undefined ? { body } : {}) });
  } catch (e) {
    return { ok: false, status: 0, code: 'NETWORK', message: (e as Error).message, problems: [], reasons: [], details: undefined, requestId: undefined };
  }
  const type = res.headers.get('content-type') ?? '';
  let parsed: unknown;
  if (res.status !== 204 && type.includes('json')) {
    try {
      parsed = await res.json();
    } catch {
      parsed = undefined;
    }
  }
  if (res.ok) return { ok: true, status: res.status, value: parsed as T };
  if (res.status === 401) for (const l of unauthenticated) l();
  if (isErrorBody(parsed)) {
    const e = parsed.error;
    return { ok: false, status: res.status, code: e.code, message: e.message, problems: e.problems ?? [], reasons: e.reasons ?? [], details: e.details, requestId: e.requestId };
  }
  return { ok: false, status: res.status, code: `HTTP_${res.status}`, message: res.statusText || `HTTP ${res.status}`, problems: [], reasons: [], details: undefined, requestId: undefined };
}

const enc = encodeURIComponent;
/** Asset names may hold folders ("assets/seal.png"): each segment is encoded, the slashes kept. */
const assetPath = (name: string) => name.split('/').map(enc).join('/');

export const api = {
  signIn: (body: { tenant: string; username: string; password: string }) => request<Me>('/session', { method: 'POST', json: body }),
  signOut: () => request<{ ok: true }>('/session', { method: 'DELETE' }),
  me: () => request<Me>('/me'),

  examples: () => request<Example[]>('/examples'),
  templates: () => request<TemplateSummary[]>('/templates'),
  template: (id: string) => request<TemplateDetail>(`/templates/${enc(id)}`),
  createTemplate: (body: { name?: string; source?: string; example?: string; duplicate_of?: string }) => request<TemplateDetail>('/templates', { method: 'POST', json: body }),
  updateTemplate: (id: string, body: { name?: string; source?: string }) => request<TemplateDetail>(`/templates/${enc(id)}`, { method: 'PATCH', json: body }),
  deleteTemplate: (id: string) => request<undefined>(`/templates/${enc(id)}`, { method: 'DELETE' }),
  publish: (id: string) => request<{ version: Version; warnings: Diagnostic[] }>(`/templates/${enc(id)}/publish`, { method: 'POST' }),
  version: (id: string, n: number) => request<Version>(`/templates/${enc(id)}/versions/${n}`),
  preview: (id: string, body: { source?: string; persona?: string; data?: Record<string, unknown>; version?: number }) =>
    request<PreviewResult>(`/templates/${enc(id)}/preview`, { method: 'POST', json: body }),
  putAsset: (id: string, name: string, file: Blob, type: string) => request<Asset>(`/templates/${enc(id)}/assets/${assetPath(name)}`, { method: 'PUT', raw: { body: file, type } }),
  deleteAsset: (id: string, name: string) => request<undefined>(`/templates/${enc(id)}/assets/${assetPath(name)}`, { method: 'DELETE' }),
  assetUrl: (id: string, name: string) => `${PREFIX}/templates/${enc(id)}/assets/${assetPath(name)}`,

  certificates: () => request<Certificate[]>('/certificates'),
  createCertificate: (body: CertificateInput) => request<Certificate>('/certificates', { method: 'POST', json: body }),
  updateCertificate: (id: string, body: CertificateInput) => request<Certificate>(`/certificates/${enc(id)}`, { method: 'PATCH', json: body }),

  issues: (filters: IssueFilters) => request<{ issues: Issue[]; next: string | null }>('/issues', { query: { ...filters } }),
  audit: (code: string) => request<AuditEntry[]>(`/issues/${enc(code)}/audit`),
  unlock: (codes: string[], reason?: string) => request<{ results: BatchResult }>('/issues/unlock', { method: 'POST', json: { codes, ...(reason ? { reason } : {}) } }),
  lock: (codes: string[], reason?: string) => request<{ results: BatchResult }>('/issues/lock', { method: 'POST', json: { codes, ...(reason ? { reason } : {}) } }),
  revoke: (code: string, reason: string) => request<Issue>(`/issues/${enc(code)}/revoke`, { method: 'POST', json: { reason } }),
  regenerate: (code: string, reason?: string) => request<Issue>(`/issues/${enc(code)}/regenerate`, { method: 'POST', json: reason ? { reason } : {} }),
  documentUrl: (code: string) => `${PREFIX}/issues/${enc(code)}/document`,
  refusals: (filters: { learner?: string; certificate?: string } = {}) => request<Refusal[]>('/refusals', { query: { ...filters } }),
  verificationUrl: (code: string) => `/verify/${enc(code)}`,
};

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
  return error.problems.filter((p) => p.path === path || p.path.startsWith(`${path}.`) || p.path === `body.${path}` || p.path.startsWith(`body.${path}.`));
}

import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { MAX_ASSET_BYTES, sniffAsset } from '../../templates/assets';
import { bundledExamples, readAssetFile } from '../../templates/files';
import { contractOfText } from '../../templates/source/contract';
import { parseTemplateSource } from '../../templates/source/front-matter';
import type { Diagnostic } from '../../variables/diagnostics';
import type { Schema } from '../../variables/types';
import type { RenderAnswer } from '../render/protocol';
import { can, iso, recordAudit, requireCapability, type Actor, type Services } from './context';
import { DomainError, invalid, notFound } from './errors';
import type { Locale } from './error-codes';
import { newId } from './ids';
import { inTransaction, type Db } from '../storage/db';
import {
  blobBytes,
  blobById,
  blobInfos,
  deleteTemplate as removeTemplate,
  hasVersions,
  insertTemplate,
  insertVersion,
  lastVersionNumber,
  putBlob,
  templateById,
  templatesOf,
  updateTemplate as storeTemplate,
  versionById,
  versionIdByNumber,
  versionsWithCertificates,
} from '../storage/repositories/templates';
import { sha256Hex } from './hashing';

/**
 * Templates (a draft being edited, and its published versions, immutable) and their assets. A version
 * freezes its source and the exact bytes of its assets (by SHA-256), so a document can always be made
 * again exactly as it was.
 */
export const MAX_SOURCE_CHARS = 500_000;
const ASSET_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,99}(\/[A-Za-z0-9_][A-Za-z0-9._-]{0,99}){0,3}$/;
const MEDIA_TYPES = { pdf: 'application/pdf', font: 'font/sfnt', image: 'image' } as const;

export interface TemplateSummary {
  id: string;
  name: string;
  updatedAt: string;
  versions: { number: number; id: string; publishedAt: string; publishedBy: string; certificates: { id: string; name: string }[] }[];
}

export interface TemplateDetail extends TemplateSummary {
  source: string;
  assets: AssetInfo[];
}

export interface AssetInfo {
  name: string;
  sha256: string;
  size: number;
  mediaType: string;
}

export interface Version {
  id: string;
  templateId: string;
  number: number;
  source: string;
  assets: Record<string, string>;
  contentHash: string;
  publishedAt: string;
}

function checkSource(source: string): void {
  if (source.length > MAX_SOURCE_CHARS)
    throw new DomainError('too-large', 'SOURCE_TOO_LARGE', `A template source is limited to ${MAX_SOURCE_CHARS} characters.`);
}

export async function listTemplates(services: Services, actor: Actor): Promise<TemplateSummary[]> {
  requireCapability(actor, 'templates:preview');
  const db = services.storage.db;
  const rows = await templatesOf(db, actor.tenantId);
  const versions = await versionsOf(db, actor.tenantId);
  return rows.map((r) => ({ id: r.id, name: r.name, updatedAt: r.updated_at, versions: versions.get(r.id) ?? [] }));
}

async function versionsOf(db: Db, tenantId: string, templateId?: string): Promise<Map<string, TemplateSummary['versions']>> {
  const out = new Map<string, TemplateSummary['versions']>();
  for (const r of await versionsWithCertificates(db, tenantId, templateId)) {
    const list = out.get(r.template_id) ?? [];
    out.set(r.template_id, list);
    let v = list.find((x) => x.id === r.id);
    if (!v) list.push((v = { id: r.id, number: r.number, publishedAt: r.published_at, publishedBy: r.published_by, certificates: [] }));
    if (r.cid && r.cname !== null) v.certificates.push({ id: r.cid, name: r.cname });
  }
  return out;
}

export async function getTemplate(services: Services, actor: Actor, id: string): Promise<TemplateDetail> {
  requireCapability(actor, 'templates:preview');
  const db = services.storage.db;
  const row = await templateRow(db, actor.tenantId, id);
  const versions = (await versionsOf(db, actor.tenantId, id)).get(id) ?? [];
  return {
    id: row.id,
    name: row.name,
    updatedAt: row.updated_at,
    versions,
    source: row.draft_source,
    assets: await assetInfos(db, JSON.parse(row.draft_assets) as Record<string, string>),
  };
}

async function templateRow(db: Db, tenantId: string, id: string) {
  const row = await templateById(db, tenantId, id);
  if (!row) throw notFound('The template', 'TEMPLATE_NOT_FOUND');
  return row;
}

async function assetInfos(db: Db, map: Record<string, string>): Promise<AssetInfo[]> {
  const rows = await blobInfos(db, [...new Set(Object.values(map))]);
  if (!rows.length) return [];
  return Object.entries(map)
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([name, sha]) => {
      const r = rows.find((x) => x.sha256 === sha);
      return r ? [{ name, sha256: sha, size: r.size, mediaType: r.media_type }] : [];
    });
}

/** The bundled examples a template can start from: name → source file. */
export function exampleTemplates(): { id: string; name: string }[] {
  return bundledExamples().map((path) => {
    const parsed = parseTemplateSource(readFileSync(path, 'utf8'));
    return { id: basename(path, '.liquid'), name: parsed.source?.frontMatter.name ?? basename(path) };
  });
}

export async function createTemplate(
  services: Services,
  actor: Actor,
  input: { name?: string; source?: string; example?: string; duplicateOf?: string },
): Promise<TemplateDetail> {
  requireCapability(actor, 'templates:edit');
  const db = services.storage.db;
  let source = input.source ?? '';
  let assets: Record<string, string> = {};
  let name = input.name;
  if (input.example !== undefined) {
    const path = bundledExamples().find((p) => basename(p, '.liquid') === input.example);
    if (!path) throw invalid('EXAMPLE_UNKNOWN', `No bundled example "${input.example}"; see GET /api/v1/examples.`);
    source = readFileSync(path, 'utf8');
    const parsed = parseTemplateSource(source);
    name ??= parsed.source?.frontMatter.name ?? input.example;
    for (const file of assetFiles(parsed.source?.frontMatter.assets)) {
      const bytes = readAssetFile(dirname(path), file);
      if (bytes instanceof Uint8Array) assets[file] = await storeBlob(db, bytes, services.now());
    }
  } else if (input.duplicateOf !== undefined) {
    const from = await templateRow(db, actor.tenantId, input.duplicateOf);
    source = from.draft_source;
    assets = JSON.parse(from.draft_assets) as Record<string, string>;
    name ??= from.name;
  }
  if (!name || !name.trim()) throw invalid('TEMPLATE_NAME_REQUIRED', 'A template needs a name.');
  if (input.source === undefined && input.example === undefined && input.duplicateOf === undefined) source = emptyTemplate(name.trim());
  checkSource(source);
  // A name the designer typed is theirs; one we chose (the example's, the original's) must not make two
  // templates that the list cannot tell apart.
  if (input.name === undefined)
    name = distinctName(
      name.trim(),
      (await templatesOf(db, actor.tenantId)).map((t) => t.name),
    );
  const id = newId();
  const now = iso(services.now());
  await inTransaction(db, async (trx) => {
    await insertTemplate(trx, {
      id,
      tenant_id: actor.tenantId,
      name: name.trim().slice(0, 200),
      draft_source: source,
      draft_assets: JSON.stringify(assets),
      created_at: now,
      updated_at: now,
      deleted_at: null,
    });
    await recordAudit(trx, {
      tenantId: actor.tenantId,
      subjectType: 'template',
      subjectId: id,
      action: 'created',
      actor,
      at: now,
      details: { example: input.example, duplicateOf: input.duplicateOf },
    });
  });
  return getTemplate(services, { kind: 'system', tenantId: actor.tenantId }, id);
}

/** A template made from nothing: a name and one empty A4 page, which validates and publishes as it is. */
export function emptyTemplate(name: string): string {
  // JSON strings are YAML strings: a name with a colon or a quote stays one scalar.
  return `---\nname: ${JSON.stringify(name)}\npage:\n  size: A4\n  orientation: landscape\n  margin: 15mm\n---\n<page>\n</page>\n`;
}

/** `name`, or the first of "name (copy)", "name (copy 2)", … not in `taken` (a copy of a copy counts from the original's name). */
export function distinctName(name: string, taken: readonly string[]): string {
  const used = new Set(taken);
  if (!used.has(name)) return name;
  const root = name.replace(/ \(copy(?: \d+)?\)$/, '');
  for (let n = 1; ; n++) {
    const candidate = `${root} (copy${n === 1 ? '' : ` ${n}`})`.slice(0, 200);
    if (!used.has(candidate)) return candidate;
  }
}

function assetFiles(assets: unknown): string[] {
  if (!assets || typeof assets !== 'object') return [];
  return Object.values(assets as Record<string, unknown>).flatMap((v) =>
    typeof v === 'string'
      ? [v]
      : v && typeof v === 'object' && typeof (v as { path?: unknown }).path === 'string'
        ? [(v as { path: string }).path]
        : [],
  );
}

export async function updateTemplate(
  services: Services,
  actor: Actor,
  id: string,
  patch: { name?: string; source?: string },
): Promise<TemplateDetail> {
  requireCapability(actor, 'templates:edit');
  if (patch.source !== undefined) checkSource(patch.source);
  if (patch.name !== undefined && !patch.name.trim()) throw invalid('TEMPLATE_NAME_REQUIRED', 'A template needs a name.');
  const db = services.storage.db;
  await templateRow(db, actor.tenantId, id);
  await storeTemplate(db, actor.tenantId, id, {
    ...(patch.source !== undefined ? { draft_source: patch.source } : {}),
    ...(patch.name !== undefined ? { name: patch.name.trim().slice(0, 200) } : {}),
    updated_at: iso(services.now()),
  });
  return getTemplate(services, actor, id);
}

/** Only a template that was never published can be deleted: published versions are referenced by documents. */
export async function deleteTemplate(services: Services, actor: Actor, id: string): Promise<void> {
  requireCapability(actor, 'templates:edit');
  const db = services.storage.db;
  await templateRow(db, actor.tenantId, id);
  if (await hasVersions(db, id))
    throw new DomainError(
      'conflict',
      'TEMPLATE_PUBLISHED',
      'A template with published versions cannot be deleted; its versions are the record of issued documents.',
    );
  const now = iso(services.now());
  await inTransaction(db, async (trx) => {
    await removeTemplate(trx, actor.tenantId, id);
    await recordAudit(trx, { tenantId: actor.tenantId, subjectType: 'template', subjectId: id, action: 'deleted', actor, at: now });
  });
}

async function storeBlob(db: Db, bytes: Uint8Array, now: Date): Promise<string> {
  const kind = sniffAsset(bytes);
  const sha = sha256Hex(bytes);
  const mediaType =
    kind === 'image' ? (bytes[0] === 0x89 ? 'image/png' : 'image/jpeg') : kind ? MEDIA_TYPES[kind] : 'application/octet-stream';
  await putBlob(db, { sha256: sha, bytes, size: bytes.length, media_type: mediaType, created_at: iso(now) });
  return sha;
}

/** An upload is checked by its bytes, not its name or declared type: PDF, PNG, JPEG, TrueType or OpenType. */
export async function putAsset(services: Services, actor: Actor, templateId: string, name: string, bytes: Uint8Array): Promise<AssetInfo> {
  requireCapability(actor, 'templates:edit');
  if (!ASSET_NAME.test(name) || name.split('/').some((p) => p === '..' || p === '.')) {
    throw invalid(
      'ASSET_NAME_INVALID',
      'An asset name is letters, digits, dots, dashes and underscores, optionally in up to four folders ("assets/seal.png").',
    );
  }
  if (bytes.length === 0) throw invalid('ASSET_EMPTY', 'The uploaded file is empty.');
  if (bytes.length > MAX_ASSET_BYTES)
    throw new DomainError('too-large', 'ASSET_TOO_LARGE', `Assets are limited to ${MAX_ASSET_BYTES / 1e6} MB.`);
  if (!sniffAsset(bytes)) throw invalid('ASSET_TYPE_UNSUPPORTED', 'This file is not a PDF, PNG, JPEG, TrueType or OpenType font.');
  const db = services.storage.db;
  const now = services.now();
  let info: AssetInfo | undefined;
  await inTransaction(db, async (trx) => {
    const row = await templateRow(trx, actor.tenantId, templateId);
    const sha = await storeBlob(trx, bytes, now);
    const map = { ...(JSON.parse(row.draft_assets) as Record<string, string>), [name]: sha };
    await storeTemplate(trx, actor.tenantId, templateId, { draft_assets: JSON.stringify(map), updated_at: iso(now) });
    await recordAudit(trx, {
      tenantId: actor.tenantId,
      subjectType: 'template',
      subjectId: templateId,
      action: 'asset-uploaded',
      actor,
      at: iso(now),
      details: { name, sha256: sha, size: bytes.length },
    });
    info = (await assetInfos(trx, { [name]: sha }))[0];
  });
  return info!;
}

export async function deleteAsset(services: Services, actor: Actor, templateId: string, name: string): Promise<void> {
  requireCapability(actor, 'templates:edit');
  const db = services.storage.db;
  const row = await templateRow(db, actor.tenantId, templateId);
  const map = JSON.parse(row.draft_assets) as Record<string, string>;
  if (!(name in map)) throw notFound(`The asset "${name}"`, 'ASSET_NOT_FOUND');
  delete map[name];
  await storeTemplate(db, actor.tenantId, templateId, { draft_assets: JSON.stringify(map), updated_at: iso(services.now()) });
}

export async function readAsset(
  services: Services,
  actor: Actor,
  templateId: string,
  name: string,
): Promise<{ bytes: Uint8Array; mediaType: string }> {
  requireCapability(actor, 'templates:preview');
  const db = services.storage.db;
  const row = await templateRow(db, actor.tenantId, templateId);
  const sha = (JSON.parse(row.draft_assets) as Record<string, string>)[name];
  const blob = sha ? await blobById(db, sha) : undefined;
  if (!blob) throw notFound(`The asset "${name}"`, 'ASSET_NOT_FOUND');
  return { bytes: blob.bytes, mediaType: blob.media_type };
}

// Versions ----------------------------------------------------------------------------------------------

const renderable = new Map<string, { key: string; source: string; assets: Record<string, Uint8Array> }>();

/** A version's source and asset bytes, as the render pool needs them; versions never change, so kept. */
export async function versionPayload(
  db: Db,
  version: Version,
): Promise<{ key: string; source: string; assets: Record<string, Uint8Array> }> {
  let entry = renderable.get(version.id);
  if (!entry) {
    entry = { key: version.contentHash, source: version.source, assets: await loadBlobs(db, version.assets) };
    if (renderable.size > 200) renderable.delete(renderable.keys().next().value!);
    renderable.set(version.id, entry);
  }
  return entry;
}

async function loadBlobs(db: Db, map: Record<string, string>): Promise<Record<string, Uint8Array>> {
  const rows = await blobBytes(db, [...new Set(Object.values(map))]);
  const bySha = new Map(rows.map((r) => [r.sha256, r.bytes]));
  return Object.fromEntries(
    Object.entries(map).flatMap(([name, sha]) => (bySha.has(sha) ? [[name, new Uint8Array(bySha.get(sha)!)]] : [])),
  );
}

function contentHash(source: string, assets: Record<string, string>): string {
  return sha256Hex(JSON.stringify([source, Object.entries(assets).sort(([a], [b]) => a.localeCompare(b))]));
}

/** Checks a source the way publishing does, in a render worker (templates are untrusted). */
export async function validateSource(
  services: Services,
  actor: Actor,
  source: string,
  options: { assets?: Record<string, Uint8Array>; language?: Locale } = {},
): Promise<Diagnostic[]> {
  const assets = options.assets ?? {};
  if (!can(actor, 'templates:edit') && !can(actor, 'templates:preview')) requireCapability(actor, 'templates:edit');
  checkSource(source);
  const key = `validate:${sha256Hex(source)}:${Object.keys(assets).join(',')}`;
  const answer = await services.renderer.render({
    lane: 'preview',
    tenantId: actor.tenantId,
    kind: 'compile',
    templateKey: key,
    template: { source, assets },
    ...(options.language ? { language: options.language } : {}),
  });
  return poolDiagnostics(answer);
}

/** Busy and timed-out workers are the server's problem, not the template's: they surface as failures. */
export function poolDiagnostics(answer: RenderAnswer): Diagnostic[] {
  const first = answer.diagnostics[0];
  if (first?.code === 'RENDER_BUSY' || first?.code === 'RENDER_CLOSED') throw new DomainError('busy', first.code, first.message);
  return answer.diagnostics;
}

/**
 * What the publish check found, apart: errors stop publishing; warnings do not, but every document issued
 * from the version carries what they describe (a raw date, an optional value printed bare, text that
 * overflows for some learner), so the designer reads them before, not on a learner's certificate.
 */
export interface PublishFindings {
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

export function publishFindings(diagnostics: readonly Diagnostic[]): PublishFindings {
  return { errors: diagnostics.filter((d) => d.severity === 'error'), warnings: diagnostics.filter((d) => d.severity !== 'error') };
}

/** Publishing freezes the draft into the next version, if it compiles without errors. */
export async function publishTemplate(
  services: Services,
  actor: Actor,
  templateId: string,
  /** The language of the diagnostics it answers (the refusal's and the warnings): the caller's interface. */
  options: { language?: Locale } = {},
): Promise<{ version: Version; warnings: Diagnostic[] }> {
  requireCapability(actor, 'templates:publish');
  const db = services.storage.db;
  const row = await templateRow(db, actor.tenantId, templateId);
  const assets = JSON.parse(row.draft_assets) as Record<string, string>;
  const hash = contentHash(row.draft_source, assets);
  // Compiled and rendered with every sample learner: a version is published only if it can make documents.
  const answer = await services.renderer.render({
    lane: 'preview',
    tenantId: actor.tenantId,
    kind: 'check',
    templateKey: hash,
    template: { source: row.draft_source, assets: await loadBlobs(db, assets) },
    ...(options.language ? { language: options.language } : {}),
  });
  const diagnostics = poolDiagnostics(answer);
  const { errors, warnings } = publishFindings(diagnostics);
  if (errors.length > 0) {
    throw new DomainError(
      'invalid',
      'TEMPLATE_HAS_ERRORS',
      'The template has errors (found by compiling it, or by rendering it for the sample learners named in the messages); fix them before publishing.',
      // `diagnostics` (both, in source order) is what clients read before errors and warnings came apart.
      { details: { errors, warnings, diagnostics } },
    );
  }
  const now = iso(services.now());
  const version = await inTransaction(db, async (trx) => {
    const number = (await lastVersionNumber(trx, templateId)) + 1;
    const v: Version = { id: newId(), templateId, number, source: row.draft_source, assets, contentHash: hash, publishedAt: now };
    await insertVersion(trx, {
      id: v.id,
      tenant_id: actor.tenantId,
      template_id: templateId,
      number,
      source: v.source,
      assets: JSON.stringify(assets),
      content_hash: hash,
      published_at: now,
      published_by: actorLabel(actor),
    });
    await recordAudit(trx, {
      tenantId: actor.tenantId,
      subjectType: 'template',
      subjectId: templateId,
      action: 'published',
      actor,
      at: now,
      details: { version: number },
    });
    return v;
  });
  return { version, warnings };
}

function actorLabel(actor: Actor): string {
  return actor.kind === 'person' || actor.kind === 'token' ? actor.name : actor.kind;
}

const versions = new Map<string, Version & { tenantId: string }>();

/** Versions never change once published: each is read from the database once per process. */
export async function getVersion(db: Db, tenantId: string, versionId: string): Promise<Version> {
  const known = versions.get(versionId);
  if (known && known.tenantId === tenantId) {
    const { tenantId: _t, ...version } = known;
    return version;
  }
  const r = await versionById(db, tenantId, versionId);
  if (!r) throw notFound('The template version', 'VERSION_NOT_FOUND');
  const version: Version = {
    id: r.id,
    templateId: r.template_id,
    number: r.number,
    source: r.source,
    assets: JSON.parse(r.assets) as Record<string, string>,
    contentHash: r.content_hash,
    publishedAt: r.published_at,
  };
  if (versions.size > 1000) versions.delete(versions.keys().next().value!);
  versions.set(versionId, { ...version, tenantId });
  return version;
}

export async function findVersion(services: Services, actor: Actor, templateId: string, number: number): Promise<Version> {
  requireCapability(actor, 'templates:preview');
  const id = await versionIdByNumber(services.storage.db, actor.tenantId, templateId, number);
  if (!id) throw notFound(`Version ${number} of the template`, 'VERSION_NOT_FOUND');
  return getVersion(services.storage.db, actor.tenantId, id);
}

const contracts = new Map<string, Contract>();

export interface Contract {
  /** The catalogue plus the template's declared variables: what the data is bound against. */
  schema: Schema;
  declared: Schema;
  locale: string;
}

/** The data contract of a version, from its front matter alone (no fonts, no Liquid): cheap, and kept. */
export function versionContract(version: Version): Contract {
  let c = contracts.get(version.contentHash);
  if (!c) {
    const contract = contractOfText(version.source);
    if (!contract) throw new DomainError('invalid', 'TEMPLATE_HAS_ERRORS', 'The template version cannot be read.');
    c = { schema: contract.schema, declared: contract.declared, locale: contract.locale };
    if (contracts.size > 500) contracts.delete(contracts.keys().next().value!);
    contracts.set(version.contentHash, c);
  }
  return c;
}

/** The draft as the render pool needs it; its key changes with every edit, so each edit compiles once. */
export async function draftPayload(
  services: Services,
  actor: Actor,
  templateId: string,
): Promise<{ key: string; source: string; assets: Record<string, Uint8Array>; assetNames: string[] }> {
  requireCapability(actor, 'templates:preview');
  const db = services.storage.db;
  const row = await templateRow(db, actor.tenantId, templateId);
  const map = JSON.parse(row.draft_assets) as Record<string, string>;
  return {
    key: `draft:${contentHash(row.draft_source, map)}`,
    source: row.draft_source,
    assets: await loadBlobs(db, map),
    assetNames: Object.keys(map),
  };
}

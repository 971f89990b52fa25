import { createHash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { join } from 'node:path';
import { Transform, type PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { stringify } from 'csv-stringify/sync';
import { isoDay, iso, recordAudit, requireCapability, type Actor, type Services } from './context';
import { DomainError, invalid } from './errors';
import { checkSelection, type IssueSelection } from './selection';
import type { Tenant } from './tenants';
import { issueState, type IssueState } from './withholding';
import { certificatesOf } from '../storage/repositories/certificates';
import { countSelectedIssues, selectedIssues } from '../storage/repositories/issues';
import { currentRevisions, versionNumbers } from '../storage/repositories/exports';
import { PRIVATE_FILE, PRIVATE_FOLDER } from '../storage/documents';
import { documentFileName, EntryNames, safeComponent, UniqueNames } from './file-names';
import { certificateRow } from './certificates';
import { getTenant } from './tenants';
import { CertificateSettings, readSettings } from './settings';

/**
 * Bulk reading of issued documents for operators: the issues of a selection as records (`attest issues
 * list/export`), and `attest export`, which writes the delivered documents of a selection as ZIP archives.
 *
 * What "delivered" means here: the document Attest hands out for an issue is its current revision (the
 * one `retrieveDocument` serves; superseded revisions are never exported), and it is handed out only
 * while the issue is neither revoked nor locked. So an export takes, by default, the current revision of
 * every selected issue that is not revoked and not locked; expired documents are included (they are still
 * served: the date printed on them says they expired). `include.locked` adds locked documents (an
 * organisation's own archive of what is held back pending a payment), `include.revoked` revoked ones.
 * A selection that names the state `revoked` or `locked` without the matching include is refused rather
 * than answered with an empty export. Exporting is not delivering: it records no first delivery, only one
 * audit entry per tenant.
 */

export interface IssueRecord {
  /** The tenant's slug. */
  tenant: string;
  code: string;
  certificateId: string;
  /** The certificate's name, as it is now. */
  certificate: string;
  learnerId: string;
  /** The name the document was made with (its data's learner.fullname), empty when it had none. */
  learnerName: string;
  state: IssueState;
  locked: boolean;
  issuedOn: string;
  achievedOn: string | null;
  expiresOn: string | null;
  revision: number;
  templateVersionId: string;
  templateVersion: number | null;
  /** The current revision's SHA-256 and size; null when its row is missing (DOCUMENT_MISSING). */
  sha256: string | null;
  size: number | null;
  firstDeliveredAt: string | null;
  revokedAt: string | null;
  revokedReason: string | null;
  /** The document's file name from its certificate's `file_name` pattern (file-names.ts), when it has one. */
  fileName?: string;
}

const PAGE = 500;

/** The name printed on a document, from the data it was made with. */
export function learnerNameOf(data: string): string {
  try {
    const parsed = JSON.parse(data) as { learner?: { fullname?: unknown; firstname?: unknown; lastname?: unknown } };
    const l = parsed.learner;
    if (!l || typeof l !== 'object') return '';
    if (typeof l.fullname === 'string' && l.fullname.trim()) return l.fullname.trim();
    return [l.firstname, l.lastname]
      .filter((p): p is string => typeof p === 'string')
      .join(' ')
      .trim();
  } catch {
    return '';
  }
}

/** How many issues of the tenant the selection names. */
export async function countSelected(services: Services, actor: Actor, selection: IssueSelection): Promise<number> {
  requireCapability(actor, 'issues:manage');
  return countSelectedIssues(services.storage.db, actor.tenantId, checkSelection(selection), isoDay(services.now()));
}

/**
 * Every issue the selection names in the tenant, as records, read a page at a time (bounded memory
 * whatever the count): what `attest issues list/export` print and what an export works through.
 */
export async function* selectedRecords(
  services: Services,
  actor: Actor,
  tenant: Tenant,
  selection: IssueSelection,
  options: { pageSize?: number } = {},
): AsyncGenerator<IssueRecord> {
  requireCapability(actor, 'issues:manage');
  if (actor.tenantId !== tenant.id) throw new Error('the actor acts in another tenant');
  const checked = checkSelection(selection);
  const db = services.storage.db;
  const today = isoDay(services.now());
  const pageSize = options.pageSize ?? PAGE;
  const certificates = new Map(
    (await certificatesOf(db, tenant.id)).map((c) => [c.id, { name: c.name, settings: readSettings(CertificateSettings, c.settings) }]),
  );
  const versions = new Map<string, number>();
  let after: string | undefined;
  for (;;) {
    const rows = await selectedIssues(db, tenant.id, checked, { today, limit: pageSize, ...(after !== undefined ? { after } : {}) });
    if (!rows.length) return;
    after = rows[rows.length - 1]!.id;
    const unknown = [...new Set(rows.map((r) => r.template_version_id).filter((id) => !versions.has(id)))];
    for (const v of await versionNumbers(db, tenant.id, unknown)) versions.set(v.id, v.number);
    const revisions = new Map(
      (
        await currentRevisions(
          db,
          rows.map((r) => r.id),
        )
      ).map((d) => [d.issue_id, d]),
    );
    for (const r of rows) {
      const doc = revisions.get(r.id);
      const certificate = certificates.get(r.certificate_id);
      yield {
        tenant: tenant.slug,
        code: r.code,
        certificateId: r.certificate_id,
        certificate: certificate?.name ?? '',
        learnerId: r.learner_id,
        learnerName: learnerNameOf(r.data),
        state: issueState({ state: r.state, expiresOn: r.expires_on }, today),
        locked: r.locked === 1,
        issuedOn: r.issued_on,
        achievedOn: r.achieved_on,
        expiresOn: r.expires_on,
        revision: r.revision,
        templateVersionId: r.template_version_id,
        templateVersion: versions.get(r.template_version_id) ?? null,
        sha256: doc?.sha256 ?? null,
        size: doc ? Number(doc.size) : null,
        firstDeliveredAt: r.first_delivered_at,
        revokedAt: r.revoked_at,
        revokedReason: r.revoked_reason,
        ...(certificate?.settings.file_name !== undefined
          ? { fileName: documentFileName(certificate, { code: r.code, data: r.data }, tenant.settings.locale) }
          : {}),
      };
    }
    if (rows.length < pageSize) return;
  }
}

// What is exported --------------------------------------------------------------------------------------

export interface Include {
  locked?: boolean;
  revoked?: boolean;
}

/** Whether the issue's document is one an export takes (see the module's comment). */
export function exported(record: { state: IssueState; locked: boolean }, include: Include = {}): boolean {
  if (record.state === 'revoked' && !include.revoked) return false;
  if (record.locked && !include.locked) return false;
  return true;
}

/** A selection asking by name for what the export leaves out is a contradiction: said, not answered empty. */
export function checkExportSelection(selection: IssueSelection, include: Include = {}): void {
  const states = new Set(selection.states ?? []);
  const excluded = [
    ...(states.has('revoked') && !include.revoked ? ['revoked (add include-revoked)'] : []),
    ...(states.has('locked') && !include.locked ? ['locked (add include-locked)'] : []),
  ];
  if (excluded.length)
    throw invalid('EXPORT_STATE_EXCLUDED', `The selection asks for documents an export leaves out unless told: ${excluded.join(', ')}.`);
}

// Names: file-names.ts (safe components, unique entry names), shared with downloads, mail and the API's ZIP.

// Sizes --------------------------------------------------------------------------------------------------

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

/** "500MB" (powers of 1000), "1.5GiB" (of 1024), "250000" (bytes): a whole number of bytes, or undefined. */
export function parseSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  if (!m) return undefined;
  const unit = UNITS[m[2]!.toLowerCase()];
  if (unit === undefined) return undefined;
  const bytes = Math.floor(Number(m[1]) * unit);
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : undefined;
}

/**
 * The exact size of a ZIP as yazl writes it with stored (uncompressed) entries whose size and CRC are
 * known: a local header (30 bytes and the name) before the bytes, a central record (46, the name, a 9-byte
 * timestamp field, 28 more for ZIP64 past 4 GiB) per entry, and the end records. PDFs are compressed
 * already, so storing them costs little and makes the size known before an entry is written: an archive
 * is closed before a document would take it past the limit.
 */
class ZipSize {
  private local = 0;
  private central = 0;
  private entries = 0;

  add(nameBytes: number, size: number): void {
    const zip64 = this.local > 0xfffffffe || size > 0xfffffffe;
    this.local += 30 + nameBytes + size;
    this.central += 46 + nameBytes + 9 + (zip64 ? 28 : 0);
    this.entries++;
  }

  total(): number {
    const zip64 = this.entries >= 0xffff || this.central >= 0xffffffff || this.local >= 0xffffffff;
    return this.local + this.central + 22 + (zip64 ? 76 : 0);
  }

  copy(): ZipSize {
    const c = new ZipSize();
    c.local = this.local;
    c.central = this.central;
    c.entries = this.entries;
    return c;
  }
}

// Manifests ----------------------------------------------------------------------------------------------

/** The columns of a manifest, of the index and of every row in them, in this order. */
export const MANIFEST_COLUMNS = [
  'archive',
  'file',
  'code',
  'tenant',
  'certificate_id',
  'certificate',
  'learner_id',
  'learner_name',
  'issued_on',
  'state',
  'locked',
  'revision',
  'template_version',
  'sha256',
  'size',
] as const;

export type ManifestRow = Record<(typeof MANIFEST_COLUMNS)[number], string | number | boolean | null>;

/**
 * CSV as every export writes it: UTF-8 with a byte-order mark (spreadsheets read accents right), and a
 * field that starts with = + - @ tab or CR written after an apostrophe (csv-stringify's escape_formulas):
 * a learner named "=HYPERLINK(…)" is text in a spreadsheet, never a formula it runs.
 */
export const CSV_OPTIONS = { escape_formulas: true } as const;
export const CSV_BOM = '\ufeff';

const csvLine = (values: readonly unknown[]): string =>
  stringify([values.map((v) => (typeof v === 'boolean' ? String(v) : v))], CSV_OPTIONS);

export const MANIFEST_JSON = 'manifest.json';
export const MANIFEST_CSV = 'manifest.csv';
export const INDEX_JSON = 'index.json';
export const INDEX_CSV = 'index.csv';
export const EXPORT_FORMAT = 'attest-export/1';

/** The two manifests of one archive, built a row at a time so that their size is known before a row is taken. */
class Manifest {
  private readonly head: string;
  private readonly tail = '\n]}\n';
  private readonly jsonRows: string[] = [];
  private readonly csvRows: string[] = [];
  private jsonBytes: number;
  private csvBytes: number;
  private readonly csvHead = CSV_BOM + csvLine(MANIFEST_COLUMNS);

  constructor(
    readonly archive: string,
    createdAt: string,
  ) {
    this.head = `{"format":${JSON.stringify(EXPORT_FORMAT)},"archive":${JSON.stringify(archive)},"created_at":${JSON.stringify(createdAt)},"documents":[\n`;
    this.jsonBytes = Buffer.byteLength(this.head) + Buffer.byteLength(this.tail);
    this.csvBytes = Buffer.byteLength(this.csvHead);
  }

  static lines(row: ManifestRow): { json: string; csv: string } {
    return { json: JSON.stringify(row), csv: csvLine(MANIFEST_COLUMNS.map((c) => row[c])) };
  }

  /** The manifests' sizes with these lines added. */
  sizesWith(lines: { json: string; csv: string }): { json: number; csv: number } {
    return {
      json: this.jsonBytes + Buffer.byteLength(lines.json) + (this.jsonRows.length ? 2 : 0),
      csv: this.csvBytes + Buffer.byteLength(lines.csv),
    };
  }

  add(lines: { json: string; csv: string }): void {
    const sizes = this.sizesWith(lines);
    this.jsonRows.push(lines.json);
    this.csvRows.push(lines.csv);
    this.jsonBytes = sizes.json;
    this.csvBytes = sizes.csv;
  }

  /** The JSON manifest; `after` adds fields after the documents (the API's archive says what it left out). */
  json(after?: Record<string, unknown>): Buffer {
    const more = after ? Object.entries(after).map(([k, v]) => `,${JSON.stringify(k)}:${JSON.stringify(v)}`) : [];
    return Buffer.from(this.head + this.jsonRows.join(',\n') + this.tail.replace('}', `${more.join('')}}`));
  }

  csv(): Buffer {
    return Buffer.from(this.csvHead + this.csvRows.join(''));
  }
}

const MANIFEST_NAME_BYTES = { json: Buffer.byteLength(MANIFEST_JSON), csv: Buffer.byteLength(MANIFEST_CSV) };

/** One archive being planned (and, unless a dry run, written): what it holds and how big it will be. */
class ArchivePlan {
  readonly manifest: Manifest;
  private readonly size = new ZipSize();
  documents = 0;
  /** Holds a document larger than the limit alone: nothing joins it. */
  full = false;

  constructor(
    readonly name: string,
    createdAt: string,
  ) {
    this.manifest = new Manifest(name, createdAt);
  }

  /** The archive's size, manifests included, were this entry added. */
  sizeWith(nameBytes: number, bytes: number, lines: { json: string; csv: string }): number {
    const s = this.size.copy();
    s.add(nameBytes, bytes);
    const m = this.manifest.sizesWith(lines);
    s.add(MANIFEST_NAME_BYTES.json, m.json);
    s.add(MANIFEST_NAME_BYTES.csv, m.csv);
    return s.total();
  }

  add(nameBytes: number, bytes: number, lines: { json: string; csv: string }): void {
    this.size.add(nameBytes, bytes);
    this.manifest.add(lines);
    this.documents++;
  }

  /** The size once its manifests are written. */
  finalSize(): number {
    const s = this.size.copy();
    s.add(MANIFEST_NAME_BYTES.json, this.manifest.json().length);
    s.add(MANIFEST_NAME_BYTES.csv, this.manifest.csv().length);
    return s.total();
  }
}

export const archiveName = (n: number): string => `attest-export-${String(n).padStart(4, '0')}.zip`;

// Writing ------------------------------------------------------------------------------------------------

const PARTIAL = '.partial';

/** A file is durable once fsynced, and its new name once its folder is. */
async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * A ZIP written as it is filled: yazl's output goes through a hash to a file named `….partial`, renamed
 * to its own name only once complete and on disk, so a killed export never leaves a truncated archive
 * that looks complete. yazl writes an added buffer at once without waiting for the file; waiting for the
 * output to drain before the next document keeps at most one document in memory.
 */
class ArchiveFile {
  private readonly zip = new yazl.ZipFile();
  private readonly hash = createHash('sha256');
  private written = 0;
  private readonly done: Promise<void>;
  private failure: Error | undefined;
  /** yazl's output is a PassThrough (typed as a plain readable). */
  private readonly out = this.zip.outputStream as PassThrough;

  constructor(
    private readonly dir: string,
    readonly name: string,
    private readonly mtime: Date,
  ) {
    const counter = new Transform({
      transform: (chunk: Buffer, _encoding, callback) => {
        this.hash.update(chunk);
        this.written += chunk.length;
        callback(null, chunk);
      },
    });
    this.zip.on('error', (e: unknown) => {
      this.failure ??= e instanceof Error ? e : new Error(String(e));
      this.out.destroy(this.failure);
    });
    this.done = pipeline(this.out, counter, createWriteStream(this.partial, { flags: 'wx', mode: PRIVATE_FILE }));
    // Awaited in finish or abort; a failure meanwhile is also raised by the next add.
    this.done.catch((e: unknown) => void (this.failure ??= e instanceof Error ? e : new Error(String(e))));
  }

  private get partial(): string {
    return join(this.dir, this.name + PARTIAL);
  }

  async add(entry: string, bytes: Uint8Array): Promise<void> {
    this.raise();
    this.zip.addBuffer(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), entry, { compress: false, mtime: this.mtime });
    if (this.out.writableNeedDrain) await Promise.race([once(this.out, 'drain'), this.done]);
    this.raise();
  }

  /** A write that failed meanwhile (a full disk) stops the export at the next document. */
  private raise(): void {
    if (this.failure) throw this.failure;
  }

  async finish(): Promise<{ size: number; sha256: string }> {
    this.zip.end();
    await this.done;
    await fsyncPath(this.partial);
    await rename(this.partial, join(this.dir, this.name));
    await fsyncPath(this.dir);
    return { size: this.written, sha256: this.hash.digest('hex') };
  }

  async abort(): Promise<void> {
    this.out.destroy();
    await this.done.catch(() => {});
    await rm(this.partial, { force: true });
  }
}

/** A text file written as a stream under a temporary name, renamed when complete. */
class TextFile {
  private readonly stream: WriteStream;
  private readonly done: Promise<void>;

  constructor(
    private readonly dir: string,
    private readonly name: string,
  ) {
    this.stream = createWriteStream(join(dir, name + PARTIAL), { flags: 'wx', mode: PRIVATE_FILE });
    this.done = new Promise((resolve, reject) => {
      this.stream.once('close', resolve);
      this.stream.once('error', reject);
    });
    this.done.catch(() => {});
  }

  async write(text: string): Promise<void> {
    if (!this.stream.write(text)) await Promise.race([once(this.stream, 'drain'), this.done]);
  }

  async finish(): Promise<void> {
    this.stream.end();
    await this.done;
    await fsyncPath(join(this.dir, this.name + PARTIAL));
    await rename(join(this.dir, this.name + PARTIAL), join(this.dir, this.name));
  }

  async abort(): Promise<void> {
    this.stream.destroy();
    await this.done.catch(() => {});
    await rm(join(this.dir, this.name + PARTIAL), { force: true });
  }
}

// The export ---------------------------------------------------------------------------------------------

export interface ExportScope {
  tenant: Tenant;
  /** Who exports in this tenant (the CLI's system actor); needs issues:manage. */
  actor: Actor;
}

export interface ExportOptions {
  scopes: readonly ExportScope[];
  selection: IssueSelection;
  include?: Include;
  /** The folder the archives and the index go to: absent or empty. */
  out: string;
  /** No archive is larger, unless one document alone is (it then gets an archive of its own and a warning). */
  maxArchiveBytes: number;
  /** Plans with the recorded sizes and writes nothing; reads no document either. */
  dryRun?: boolean;
  /** Once per selected issue, exported or not: a progress bar's tick. */
  onIssue?: () => void;
}

export interface ArchiveSummary {
  name: string;
  documents: number;
  size: number;
  /** Of the whole archive file; null in a dry run. */
  sha256: string | null;
}

/** A selected document that was not written, and why (its stored bytes are damaged, or gone). */
export interface ExportProblem {
  tenant: string;
  code: string;
  learnerId: string;
  error: 'DOCUMENT_CORRUPT' | 'DOCUMENT_MISSING';
  message: string;
}

export interface ExportWarning {
  code: 'EXPORT_DOCUMENT_OVER_LIMIT';
  archive: string;
  file: string;
  documentCode: string;
  size: number;
  limit: number;
  message: string;
}

export interface ExportReport {
  format: typeof EXPORT_FORMAT;
  out: string;
  dryRun: boolean;
  createdAt: string;
  tenants: string[];
  selection: IssueSelection;
  include: Include;
  maxArchiveBytes: number;
  /** Issues the selection names. */
  selected: number;
  /** Documents written into the archives (planned, in a dry run). */
  documents: number;
  /** Selected issues left out: revoked or locked (see `exported`). */
  notDelivered: number;
  archives: ArchiveSummary[];
  problems: ExportProblem[];
  warnings: ExportWarning[];
}

/** The total of a progress bar: the issues the selection names in every tenant. */
export async function exportTotal(services: Services, scopes: readonly ExportScope[], selection: IssueSelection): Promise<number> {
  let total = 0;
  for (const s of scopes) total += await countSelected(services, s.actor, selection);
  return total;
}

async function checkFolder(out: string, create: boolean): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(out);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    if (create) await mkdir(out, { recursive: true, mode: PRIVATE_FOLDER });
    return;
  }
  if (entries.length)
    throw new DomainError(
      'invalid',
      'EXPORT_FOLDER_NOT_EMPTY',
      `The folder "${out}" is not empty: an export writes into a new or empty folder, so that its index covers everything in it.`,
      { details: { folder: out, entries: entries.slice(0, 5) } },
    );
}

/**
 * Writes the exported documents of the selection, tenant after tenant, into ZIP archives of at most
 * `maxArchiveBytes` in `out`, each with its manifest (JSON and CSV), then the index of all archives
 * (index.csv, then index.json last: an export is complete when index.json is there). Every document's
 * bytes are checked against their SHA-256 as they are read; a damaged or missing one is reported in
 * `problems` and not written, the others are.
 */
export async function exportDocuments(services: Services, options: ExportOptions): Promise<ExportReport> {
  const include = { locked: options.include?.locked === true, revoked: options.include?.revoked === true };
  const selection = checkSelection(options.selection);
  checkExportSelection(selection, include);
  for (const s of options.scopes) requireCapability(s.actor, 'issues:manage');
  if (!Number.isSafeInteger(options.maxArchiveBytes) || options.maxArchiveBytes <= 0)
    throw invalid('EXPORT_LIMIT_INVALID', 'The largest archive size is a positive number of bytes.');
  const dryRun = options.dryRun === true;
  const limit = options.maxArchiveBytes;
  const now = services.now();
  const createdAt = iso(now);
  await checkFolder(options.out, !dryRun);

  const report: ExportReport = {
    format: EXPORT_FORMAT,
    out: options.out,
    dryRun,
    createdAt,
    tenants: options.scopes.map((s) => s.tenant.slug),
    selection,
    include,
    maxArchiveBytes: limit,
    selected: 0,
    documents: 0,
    notDelivered: 0,
    archives: [],
    problems: [],
    warnings: [],
  };
  const db = services.storage.db;
  const names = new EntryNames();
  const index = dryRun ? undefined : new TextFile(options.out, INDEX_CSV);
  let plan: ArchivePlan | undefined;
  let file: ArchiveFile | undefined;
  const perTenant = new Map<string, { documents: number; archives: Set<string> }>();

  const close = async () => {
    if (!plan) return;
    const summary: ArchiveSummary = { name: plan.name, documents: plan.documents, size: plan.finalSize(), sha256: null };
    if (file) {
      await file.add(MANIFEST_JSON, plan.manifest.json());
      await file.add(MANIFEST_CSV, plan.manifest.csv());
      const written = await file.finish();
      if (written.size !== summary.size) throw new Error(`archive ${plan.name} is ${written.size} bytes, ${summary.size} were planned`);
      summary.sha256 = written.sha256;
    }
    report.archives.push(summary);
    plan = undefined;
    file = undefined;
  };
  const start = () => {
    plan = new ArchivePlan(archiveName(report.archives.length + 1), createdAt);
    if (!dryRun) file = new ArchiveFile(options.out, plan.name, now);
    return plan;
  };

  try {
    await index?.write(CSV_BOM + csvLine(MANIFEST_COLUMNS));
    for (const scope of options.scopes) {
      const tally = { documents: 0, archives: new Set<string>() };
      perTenant.set(scope.tenant.id, tally);
      for await (const record of selectedRecords(services, scope.actor, scope.tenant, selection)) {
        report.selected++;
        options.onIssue?.();
        if (!exported(record, include)) {
          report.notDelivered++;
          continue;
        }
        const problem = (error: ExportProblem['error'], message: string) =>
          report.problems.push({ tenant: record.tenant, code: record.code, learnerId: record.learnerId, error, message });
        let bytes: Uint8Array | undefined;
        let size = record.size ?? 0;
        if (record.sha256 === null) {
          problem('DOCUMENT_MISSING', 'The document’s current revision is not recorded.');
          continue;
        }
        if (!dryRun) {
          try {
            bytes = await services.storage.documents.read(db, record.sha256);
          } catch (e) {
            if (e instanceof DomainError && e.code === 'DOCUMENT_CORRUPT') {
              problem(
                'DOCUMENT_CORRUPT',
                'The stored bytes do not match the document’s SHA-256: not written (restore the file from a backup).',
              );
              continue;
            }
            throw e;
          }
          if (!bytes) {
            problem('DOCUMENT_MISSING', 'The document’s stored file does not exist.');
            continue;
          }
          size = bytes.length;
        }
        const entry = names.name(record);
        const nameBytes = Buffer.byteLength(entry);
        const rowFor = (archive: string): { json: string; csv: string } =>
          Manifest.lines({
            archive,
            file: entry,
            code: record.code,
            tenant: record.tenant,
            certificate_id: record.certificateId,
            certificate: record.certificate,
            learner_id: record.learnerId,
            learner_name: record.learnerName,
            issued_on: record.issuedOn,
            state: record.state,
            locked: record.locked,
            revision: record.revision,
            template_version: record.templateVersion,
            sha256: record.sha256,
            size,
          });
        let current = plan;
        let lines = current ? rowFor(current.name) : undefined;
        if (current && (current.full || current.sizeWith(nameBytes, size, lines!) > limit)) {
          await close();
          current = undefined;
        }
        if (!current) {
          current = start();
          lines = rowFor(current.name);
          if (current.sizeWith(nameBytes, size, lines) > limit) {
            current.full = true;
            report.warnings.push({
              code: 'EXPORT_DOCUMENT_OVER_LIMIT',
              archive: current.name,
              file: entry,
              documentCode: record.code,
              size,
              limit,
              message: `The document ${record.code} (${size} bytes) is larger than the archive limit alone: it has an archive of its own.`,
            });
          }
        }
        current.add(nameBytes, size, lines!);
        if (file && bytes) await file.add(entry, bytes);
        await index?.write(lines!.csv);
        report.documents++;
        tally.documents++;
        tally.archives.add(current.name);
      }
    }
    await close();
    if (index) {
      await index.finish();
      const text = JSON.stringify(
        {
          ...report,
          archives: report.archives,
        },
        null,
        2,
      );
      const json = new TextFile(options.out, INDEX_JSON);
      await json.write(`${text}\n`);
      await json.finish();
      await fsyncPath(options.out);
      for (const scope of options.scopes) {
        const tally = perTenant.get(scope.tenant.id)!;
        await recordAudit(db, {
          tenantId: scope.tenant.id,
          subjectType: 'tenant',
          subjectId: scope.tenant.id,
          action: 'exported',
          actor: scope.actor,
          at: createdAt,
          details: {
            documents: tally.documents,
            archives: [...tally.archives],
            folder: options.out,
            selection,
            include,
            problems: report.problems.filter((p) => p.tenant === scope.tenant.slug).length,
          },
        });
      }
    }
  } catch (e) {
    await file?.abort();
    await index?.abort();
    throw e;
  }
  return report;
}

// One certificate's documents, as a ZIP over HTTP --------------------------------------------------------

export interface CertificateZipOptions {
  /** The export's selection within the certificate (days, states, learners). */
  selection?: Omit<IssueSelection, 'certificateIds'>;
  include?: Include;
}

export interface CertificateZip {
  /** The archive's own file name: the certificate's name, made safe. */
  fileName: string;
  /** The archive as it is written: documents read one at a time, never the whole archive in memory. */
  stream: Readable;
}

/**
 * The delivered documents of one certificate of the caller's tenant as one ZIP, streamed: what `attest
 * export` would write for `--certificate ID` (the same selection, the same rule of what is exported:
 * locked and revoked documents left out unless included, the same manifests, JSON and CSV, last), but
 * flat, each entry named as a download of the document is (file-names.ts: the certificate's pattern, else
 * "<certificate> <code>.pdf"), `~2`, `~3`, … when two are equal. A document whose stored bytes are
 * damaged or gone is left out and listed under `problems` in manifest.json. Everything a caller can get
 * wrong (capability, another tenant's certificate, the selection) is refused before the first byte; a
 * failure of the server later on cuts the archive short, and a ZIP without its end record opens nowhere.
 */
export async function certificateDocumentsZip(
  services: Services,
  actor: Actor,
  certificateId: string,
  options: CertificateZipOptions = {},
): Promise<CertificateZip> {
  requireCapability(actor, 'issues:manage');
  const db = services.storage.db;
  const certificate = await certificateRow(db, actor.tenantId, certificateId);
  const tenant = await getTenant(db, actor.tenantId);
  const include = { locked: options.include?.locked === true, revoked: options.include?.revoked === true };
  const selection = checkSelection({ ...options.selection, certificateIds: [certificate.id] });
  checkExportSelection(selection, include);
  const now = services.now();
  const createdAt = iso(now);
  const fileName = `${safeComponent(certificate.name, 'certificate', 150)}.zip`;

  const zip = new yazl.ZipFile();
  const out = zip.outputStream as PassThrough;
  const gone = () => out.destroyed;
  /** Waits while the reader is behind: at most one document in memory beyond what the socket holds. */
  const drained = async () => {
    if (out.writableNeedDrain && !gone()) await Promise.race([once(out, 'drain'), once(out, 'close')]);
  };
  const fill = async () => {
    const manifest = new Manifest(fileName, createdAt);
    const names = new UniqueNames();
    const problems: { code: string; learnerId: string; error: string }[] = [];
    let documents = 0;
    let notDelivered = 0;
    for await (const record of selectedRecords(services, actor, tenant, selection)) {
      if (gone()) return;
      if (!exported(record, include)) {
        notDelivered++;
        continue;
      }
      let bytes: Uint8Array | undefined;
      try {
        bytes = record.sha256 === null ? undefined : await services.storage.documents.read(db, record.sha256);
      } catch (e) {
        if (!(e instanceof DomainError && e.code === 'DOCUMENT_CORRUPT')) throw e;
        problems.push({ code: record.code, learnerId: record.learnerId, error: 'DOCUMENT_CORRUPT' });
        continue;
      }
      if (!bytes) {
        problems.push({ code: record.code, learnerId: record.learnerId, error: 'DOCUMENT_MISSING' });
        continue;
      }
      const entry = names.take(record.fileName ?? documentFileName(certificate, { code: record.code, data: {} }));
      manifest.add(
        Manifest.lines({
          archive: fileName,
          file: entry,
          code: record.code,
          tenant: record.tenant,
          certificate_id: record.certificateId,
          certificate: record.certificate,
          learner_id: record.learnerId,
          learner_name: record.learnerName,
          issued_on: record.issuedOn,
          state: record.state,
          locked: record.locked,
          revision: record.revision,
          template_version: record.templateVersion,
          sha256: record.sha256,
          size: bytes.length,
        }),
      );
      zip.addBuffer(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), entry, { compress: false, mtime: now });
      documents++;
      await drained();
    }
    if (gone()) return;
    // The manifest's JSON says, besides each document, what was left out and why.
    zip.addBuffer(manifest.json({ not_delivered: notDelivered, problems }), MANIFEST_JSON, { mtime: now });
    zip.addBuffer(manifest.csv(), MANIFEST_CSV, { mtime: now });
    zip.end();
    await recordAudit(db, {
      tenantId: tenant.id,
      subjectType: 'certificate',
      subjectId: certificate.id,
      action: 'exported',
      actor,
      at: createdAt,
      details: { via: 'api', documents, notDelivered, problems: problems.length, selection, include },
    });
  };
  fill().catch((e: unknown) => out.destroy(e instanceof Error ? e : new Error(String(e))));
  return { fileName, stream: out };
}

import { parse } from 'csv-parse/sync';
import { parsePath, resolveType, type PathStep, type Schema } from '../../variables/types';
import { DomainError, type Problem } from './errors';

/**
 * Reading an uploaded CSV file of learners for a bulk issue: bytes that must be UTF-8 (a byte-order mark
 * is dropped), `,` or `;` between fields (told, or seen in the header line), quoted fields (with
 * delimiters, quotes and line breaks inside), CRLF or LF. The header names the columns; the mapping says
 * which variable of the template each column fills (`learner.firstname`, `completion.date`, …), which
 * column holds the LMS's learner id and, optionally, which says whether the certificate is available.
 *
 * Cells are text, as a request's data may be: binding (variables/bind.ts) then checks and converts them
 * to the variables' types, as it does for a single request. What is wrong with the file itself is said
 * here, cell by cell, with its row (the header is row 1, as a spreadsheet numbers it) and column.
 */
export interface CsvUpload {
  bytes: Uint8Array;
  /** Column name → variable path. */
  mapping: Record<string, string>;
  learnerIdColumn: string;
  availableColumn?: string;
  /** For every row when no column says it. */
  available: boolean;
  delimiter?: ',' | ';';
}

export interface CellProblem {
  row: number;
  /** The column's name in the header; null for a required variable no column fills. */
  column: string | null;
  variable: string | null;
  code: string;
  message: string;
}

export interface CsvRow {
  row: number;
  input: { learnerId: string; data: Record<string, unknown>; available: boolean };
  /** The column a variable path (as binding writes it) was read from. */
  columnOf: (path: string) => string | undefined;
  /** Cells accepted as text but worth a look (one that a spreadsheet would run as a formula). */
  warnings: CellProblem[];
}

/** The bytes a CSV file may have: ATTEST_BULK_MAX_CSV_BYTES changes it (default 1 MB). */
export const maxCsvBytes = (): number => {
  const n = Number(process.env.ATTEST_BULK_MAX_CSV_BYTES);
  return Number.isInteger(n) && n >= 1 && n <= 100_000_000 ? n : 1_000_000;
};

/** Parts of the data only the server says: never filled from a file. */
const SERVER_NAMESPACES = new Set(['certificate', 'organization']);

const FORMULA = /^[=+@\t\r]|^-(?![\d.])/;

function decode(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    // Where: the first byte that is not UTF-8, and its line.
    let at = 0;
    const d = new TextDecoder('utf-8', { fatal: true });
    for (let lo = 0, hi = bytes.length; lo < hi;) {
      const mid = (lo + hi) >> 1;
      try {
        d.decode(bytes.subarray(0, mid + 1));
        lo = mid + 1;
        at = lo;
      } catch {
        hi = mid;
      }
    }
    // A prefix ending inside a character fails too: step back to the start of the faulty sequence.
    let line = 1;
    for (let i = 0; i < at && i < bytes.length; i++) if (bytes[i] === 0x0a) line++;
    throw new DomainError('invalid', 'BULK_CSV_NOT_UTF8', 'The file is not UTF-8 text; save it as “CSV UTF-8” and send it again.', {
      details: { byte: at, line },
    });
  }
}

/** `;` or `,`: whichever the header line has more of, outside quotes (`,` when it has neither). */
export function sniffDelimiter(text: string): ',' | ';' {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch === ',') commas++;
    else if (!quoted && ch === ';') semicolons++;
  }
  return semicolons > commas ? ';' : ',';
}

function setAt(target: Record<string, unknown>, steps: readonly PathStep[], value: string): void {
  let here: Record<string, unknown> | unknown[] = target;
  steps.forEach((step, i) => {
    const key = 'key' in step ? step.key : (step.index as number);
    const last = i === steps.length - 1;
    const container = here as Record<string | number, unknown>;
    if (last) container[key] = value;
    else {
      const next = steps[i + 1]!;
      container[key] ??= 'index' in next ? [] : {};
      here = container[key] as Record<string, unknown> | unknown[];
    }
  });
}

function mappingProblems(upload: CsvUpload, header: readonly string[], schema: Schema): Problem[] {
  const columns = new Set(header);
  const problems: Problem[] = [];
  const at = (column: string) => `mapping[${JSON.stringify(column)}]`;
  const filled = new Map<string, string>();
  for (const [column, path] of Object.entries(upload.mapping)) {
    if (!columns.has(column)) {
      problems.push({ path: at(column), code: 'MAPPING_UNKNOWN_COLUMN', message: `The file has no column "${column}".` });
    }
    const steps = parsePath(path);
    const type = steps ? resolveType(schema, path) : undefined;
    if (!steps || !type || steps.some((s) => 'index' in s && s.index === '*')) {
      problems.push({ path: at(column), code: 'MAPPING_UNKNOWN_VARIABLE', message: `The template has no variable "${path}".` });
      continue;
    }
    const first = steps[0]!;
    if ('key' in first && SERVER_NAMESPACES.has(first.key)) {
      problems.push({
        path: at(column),
        code: 'MAPPING_SERVER_FIELD',
        message: `"${path}" is said by the server (the certificate, the tenant's settings), never by a file.`,
      });
      continue;
    }
    if (type.kind === 'list' || type.kind === 'object' || type.kind === 'map') {
      problems.push({
        path: at(column),
        code: 'MAPPING_NOT_SCALAR',
        message: `"${path}" is a ${type.kind}; a column fills one value (map it to one of its fields).`,
      });
      continue;
    }
    const other = filled.get(path);
    if (other !== undefined) {
      problems.push({
        path: at(column),
        code: 'MAPPING_DUPLICATE_VARIABLE',
        message: `"${path}" is filled by the column "${other}" already.`,
      });
    } else filled.set(path, column);
  }
  if (!columns.has(upload.learnerIdColumn)) {
    problems.push({
      path: 'learner_id_column',
      code: 'MAPPING_UNKNOWN_COLUMN',
      message: `The file has no column "${upload.learnerIdColumn}".`,
    });
  }
  if (upload.availableColumn !== undefined && !columns.has(upload.availableColumn)) {
    problems.push({
      path: 'available_column',
      code: 'MAPPING_UNKNOWN_COLUMN',
      message: `The file has no column "${upload.availableColumn}".`,
    });
  }
  return problems;
}

const AVAILABLE: Record<string, boolean> = { true: true, '1': true, false: false, '0': false };

/**
 * The file's rows as requests' data, with what is wrong with the file cell by cell (`problems`); the
 * file's size, encoding, shape and the mapping are refused at once (BULK_CSV_TOO_LARGE, BULK_CSV_NOT_UTF8,
 * BULK_CSV_UNREADABLE, BULK_MAPPING_INVALID, BULK_TOO_MANY_ROWS).
 */
export function readCsv(
  upload: CsvUpload,
  schema: Schema,
  maxRows = Number.POSITIVE_INFINITY,
): { rows: CsvRow[]; problems: CellProblem[] } {
  const limit = maxCsvBytes();
  if (upload.bytes.length > limit) {
    throw new DomainError(
      'too-large',
      'BULK_CSV_TOO_LARGE',
      `The file has ${upload.bytes.length} bytes; a bulk issue file may have ${limit}.`,
      {
        details: { limit, bytes: upload.bytes.length },
      },
    );
  }
  let text = decode(upload.bytes);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const delimiter = upload.delimiter ?? sniffDelimiter(text);
  let records: string[][];
  try {
    const read: unknown = parse(text, {
      delimiter,
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      ...(Number.isFinite(maxRows) ? { to: maxRows + 2 } : {}),
    });
    // Without `columns`, csv-parse answers each record as its fields, text.
    records = read as string[][];
  } catch (e) {
    const err = e as { message?: string; lines?: number; code?: string };
    throw new DomainError('invalid', 'BULK_CSV_UNREADABLE', `The file cannot be read as CSV: ${err.message ?? String(e)}`, {
      details: { line: err.lines ?? null, reason: err.code ?? 'unreadable' },
    });
  }
  const header = records[0] ?? [];
  if (!header.length || header.every((h) => !h)) {
    throw new DomainError('invalid', 'BULK_CSV_UNREADABLE', 'The file has no header row naming its columns.', {
      details: { line: 1, reason: 'no header' },
    });
  }
  const problems: CellProblem[] = [];
  const seen = new Set<string>();
  header.forEach((name, i) => {
    if (!name)
      problems.push({ row: 1, column: `#${i + 1}`, variable: null, code: 'CSV_HEADER_EMPTY', message: `Column ${i + 1} has no name.` });
    else if (seen.has(name))
      problems.push({ row: 1, column: name, variable: null, code: 'CSV_HEADER_DUPLICATE', message: `Two columns are named "${name}".` });
    seen.add(name);
  });
  const mapping = mappingProblems(upload, header, schema);
  if (mapping.length)
    throw new DomainError('invalid', 'BULK_MAPPING_INVALID', 'The mapping of columns to variables does not fit the file or the template.', {
      problems: mapping,
    });
  const body = records.slice(1);
  if (body.length > maxRows) {
    throw new DomainError('too-large', 'BULK_TOO_MANY_ROWS', `A bulk issue takes at most ${maxRows} learners.`, {
      details: { limit: maxRows, rows: body.length },
    });
  }
  const index = new Map(header.map((h, i) => [h, i]));
  const mapped = Object.entries(upload.mapping).map(([column, path]) => ({
    column,
    path,
    steps: parsePath(path)!,
    at: index.get(column)!,
  }));
  const byPath = new Map(mapped.map((m) => [m.path, m.column]));
  const rows: CsvRow[] = body.map((cells, i) => {
    const row = i + 2;
    if (cells.length !== header.length) {
      problems.push({
        row,
        column: null,
        variable: null,
        code: 'CSV_ROW_WIDTH',
        message: `This row has ${cells.length} fields; the header has ${header.length}.`,
      });
    }
    const learnerId = cells[index.get(upload.learnerIdColumn)!] ?? '';
    if (!learnerId) {
      problems.push({
        row,
        column: upload.learnerIdColumn,
        variable: null,
        code: 'CSV_LEARNER_ID_MISSING',
        message: 'The learner id is empty.',
      });
    }
    let available = upload.available;
    if (upload.availableColumn !== undefined) {
      const cell = (cells[index.get(upload.availableColumn)!] ?? '').toLowerCase();
      if (Object.hasOwn(AVAILABLE, cell)) available = AVAILABLE[cell]!;
      else
        problems.push({
          row,
          column: upload.availableColumn,
          variable: null,
          code: 'CSV_AVAILABLE_INVALID',
          message: `Expected true or false (or 1 or 0), got ${JSON.stringify(cell.slice(0, 60))}.`,
        });
    }
    const data: Record<string, unknown> = {};
    const warnings: CellProblem[] = [];
    for (const m of mapped) {
      const cell = cells[m.at];
      if (cell === undefined || cell === '') continue;
      setAt(data, m.steps, cell);
      if (FORMULA.test(cell)) {
        warnings.push({
          row,
          column: m.column,
          variable: m.path,
          code: 'CSV_FORMULA_LIKE',
          message: 'This cell starts like a spreadsheet formula; it is taken, and printed, as the text it is.',
        });
      }
    }
    return { row, input: { learnerId: learnerId || `(row ${row})`, data, available }, columnOf: (p) => byPath.get(p), warnings };
  });
  return { rows, problems };
}

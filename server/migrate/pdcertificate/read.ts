import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { SaxesParser } from 'saxes';
import { modelFromRow, type PdcertificateModel } from './model';

/**
 * What an operator hands `attest template import --from pdcertificate FILE`:
 * - a JSON export of `pdcertificate` rows: one row object, an array of rows, or `{ "pdcertificate": … }`
 *   (what `SELECT * FROM mdl_pdcertificate` gives through any client that writes JSON);
 * - a Moodle activity backup's `pdcertificate.xml` (inside an .mbz at `activities/pdcertificate_CMID/`);
 * - the folder of an unpacked backup (`tar -xzf course.mbz -C dir`): every `activities/pdcertificate_*`.
 * Moodle 3.9's backup writes the body (`customtext`) but not `headertext` or `footertext`; the report says so.
 */
export class ModelFileError extends Error {}

export async function readModelFile(path: string): Promise<PdcertificateModel[]> {
  let info;
  try {
    info = await stat(path);
  } catch (e) {
    throw new ModelFileError(`cannot read "${path}": ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (info.isDirectory()) return readBackupFolder(path);
  const text = await readFile(path, 'utf8');
  return modelsFromText(text, path);
}

/** The models in a file's text (JSON or backup XML), named after `origin` in the report. */
export function modelsFromText(text: string, origin: string): PdcertificateModel[] {
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (trimmed.startsWith('<')) return modelsFromBackupXml(trimmed, origin);
  let value: unknown;
  try {
    value = JSON.parse(trimmed) as unknown;
  } catch (e) {
    throw new ModelFileError(`"${origin}" is neither JSON nor a backup's pdcertificate.xml: ${(e as Error).message}`);
  }
  if (value && typeof value === 'object' && !Array.isArray(value) && 'pdcertificate' in value) value = value.pdcertificate;
  const rows = Array.isArray(value) ? value : [value];
  return rows.map((row, i) => {
    if (!row || typeof row !== 'object' || Array.isArray(row))
      throw new ModelFileError(`"${origin}": item ${i + 1} is not a pdcertificate row (an object)`);
    return modelFromRow(row as Record<string, unknown>, `${origin}#${idOf((row as { id?: unknown }).id, String(i + 1))}`);
  });
}

/** Moodle writes SQL NULL as this in backups. */
const BACKUP_NULL = '$@NULL@$';

export function modelsFromBackupXml(xml: string, origin: string): PdcertificateModel[] {
  const parser = new SaxesParser();
  const models: PdcertificateModel[] = [];
  const path: string[] = [];
  let row: Record<string, unknown> | undefined;
  let field: string | undefined;
  let value = '';
  let cmid: string | undefined;
  parser.on('opentag', (tag) => {
    path.push(tag.name);
    if (tag.name === 'activity' && path.length === 1)
      cmid = typeof tag.attributes.moduleid === 'string' ? tag.attributes.moduleid : undefined;
    if (tag.name === 'pdcertificate' && !row) row = { id: tag.attributes.id };
    else if (row && path.length === path.indexOf('pdcertificate') + 2 && path.indexOf('pdcertificate') >= 0) {
      field = tag.name;
      value = '';
    }
  });
  const onText = (t: string) => {
    if (field) value += t;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', (tag) => {
    if (row && field === tag.name && path.length === path.indexOf('pdcertificate') + 2) {
      row[field] = value === BACKUP_NULL ? null : value;
      field = undefined;
    } else if (tag.name === 'pdcertificate' && row) {
      models.push(modelFromRow(row, `${origin}#${idOf(row.id, '?')}${cmid ? ` (course module ${cmid})` : ''}`));
      row = undefined;
    }
    path.pop();
  });
  try {
    parser.write(xml).close();
  } catch (e) {
    throw new ModelFileError(`"${origin}" is not well-formed XML: ${(e as Error).message}`);
  }
  if (!models.length)
    throw new ModelFileError(`"${origin}" has no <pdcertificate> element (is it a backup's activities/pdcertificate_N/pdcertificate.xml?)`);
  return models;
}

async function readBackupFolder(dir: string): Promise<PdcertificateModel[]> {
  const found: string[] = [];
  const direct = join(dir, 'pdcertificate.xml');
  if (await exists(direct)) found.push(direct);
  const activities = join(dir, 'activities');
  if (await exists(activities)) {
    for (const name of (await readdir(activities)).sort()) {
      const file = join(activities, name, 'pdcertificate.xml');
      if (/^pdcertificate_\d+$/.test(name) && (await exists(file))) found.push(file);
    }
  }
  if (!found.length) throw new ModelFileError(`"${dir}" holds no pdcertificate.xml nor activities/pdcertificate_*/pdcertificate.xml`);
  const models: PdcertificateModel[] = [];
  for (const file of found) models.push(...modelsFromBackupXml(await readFile(file, 'utf8'), file));
  return models;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

function idOf(id: unknown, otherwise: string): string {
  return typeof id === 'string' || typeof id === 'number' ? String(id) : otherwise;
}

/**
 * A mod_pdcertificate "model": one row of Moodle's `pdcertificate` table (db/install.xml of the module),
 * as the import reads it from a JSON export, a backup's `activities/pdcertificate_N/pdcertificate.xml` or
 * the live database. Only what shapes the document is kept: the three texts, the formats, the layout and
 * the values printed through placeholders. Every field is read leniently (databases and XML give strings),
 * and what cannot be read is said in `problems`, never guessed silently.
 */
export interface PdcertificateModel {
  id: string;
  course?: string;
  name: string;
  headertext: string;
  /** The body ("custom text" in the module's form). */
  customtext: string;
  footertext: string;
  /** `A4_landscape`, `A4_portrait`, `letter_landscape`, `letter_portrait` (older: `A4_embedded`… with `orientation`). */
  type: string;
  orientation?: string;
  printconfig: PrintConfig;
  datefmt: number;
  gradefmt: number;
  caption: string;
  credithours: string;
  extradata: Record<string, string>;
  /** A group-specific block instance is configured (`info:group_specific` has content in the module). */
  groupspecificcontent: boolean;
  /** File areas of the instance that hold an image (printborders, printwmark, printseal, printsignature), when known. */
  images?: string[];
  /** Which text fields the input did not have at all (a 3.9 backup has no header or footer). */
  absent: string[];
  /** Where it was read: file and instance, for the report. */
  origin: string;
  problems: string[];
}

/** The layout settings of `printconfig` (JSON in the row) the converter uses; every key optional. */
export interface PrintConfig {
  fontbasefamily?: string;
  fontbasesize?: number;
  bordercolor?: number;
  printqrcode?: boolean;
  custx?: number;
  custy?: number;
  headerx?: number;
  headery?: number;
  headerw?: number;
  footerx?: number;
  footery?: number;
  footerw?: number;
  qrcodex?: number;
  qrcodey?: number;
  qrcodew?: number;
  qrcodeh?: number;
  printoutcome?: number;
}

const NUMERIC_KEYS = [
  'fontbasesize',
  'bordercolor',
  'custx',
  'custy',
  'headerx',
  'headery',
  'headerw',
  'footerx',
  'footery',
  'footerw',
  'qrcodex',
  'qrcodey',
  'qrcodew',
  'qrcodeh',
  'printoutcome',
] as const;

const str = (v: unknown): string =>
  v === null || v === undefined ? '' : typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';

function num(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

/** A row (any source) into a model. `origin` names it in the report. */
export function modelFromRow(row: Readonly<Record<string, unknown>>, origin: string): PdcertificateModel {
  const problems: string[] = [];
  const absent = ['headertext', 'customtext', 'footertext'].filter((k) => !(k in row) || row[k] === null || row[k] === undefined);
  const model: PdcertificateModel = {
    id: str(row.id) || '?',
    ...(row.course !== undefined && row.course !== null ? { course: str(row.course) } : {}),
    name: str(row.name).trim() || `pdcertificate ${str(row.id) || '?'}`,
    headertext: str(row.headertext),
    customtext: str(row.customtext),
    footertext: str(row.footertext),
    type: str(row.pdcertificatetype),
    ...(row.orientation ? { orientation: str(row.orientation) } : {}),
    printconfig: readPrintConfig(row.printconfig, problems),
    datefmt: num(row.datefmt) ?? 0,
    gradefmt: num(row.gradefmt) ?? 0,
    caption: str(row.caption),
    credithours: str(row.credithours),
    extradata: readExtraData(row.extradata, problems),
    groupspecificcontent: (num(row.groupspecificcontent) ?? 0) > 0,
    absent,
    origin,
    problems,
  };
  if (Array.isArray(row.images)) model.images = row.images.map(str);
  return model;
}

function readPrintConfig(raw: unknown, problems: string[]): PrintConfig {
  let value: unknown = raw;
  if (typeof raw === 'string') {
    if (raw.trim() === '') return {};
    try {
      value = JSON.parse(raw) as unknown;
    } catch {
      // The module falls back to PHP's unserialize() for very old rows; their layout is not read.
      problems.push(`printconfig is not JSON (an old serialized form?): the layout defaults are used`);
      return {};
    }
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  const o = value as Record<string, unknown>;
  const config: PrintConfig = {};
  if (typeof o.fontbasefamily === 'string') config.fontbasefamily = o.fontbasefamily;
  for (const key of NUMERIC_KEYS) {
    const n = num(o[key]);
    if (n !== undefined) config[key] = n;
  }
  if (o.printqrcode !== undefined) config.printqrcode = o.printqrcode === true || num(o.printqrcode) === 1;
  return config;
}

function readExtraData(raw: unknown, problems: string[]): Record<string, string> {
  let value: unknown = raw;
  if (typeof raw === 'string') {
    if (raw.trim() === '') return {};
    try {
      value = JSON.parse(raw) as unknown;
    } catch {
      problems.push('extradata is not valid JSON (the module ignores it too): no extra:KEY has a default');
      return {};
    }
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  return out;
}

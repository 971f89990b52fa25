import { createHash } from 'node:crypto';
import type { Diagnostic, Range } from '../variables/diagnostics';
import { DiagnosticError } from '../variables/diagnostics';
import { suggestion } from '../variables/suggest';
import { dataUrlBytes, MAX_DATA_IMAGE_BYTES } from '../variables/values';
import { ImportedPage, PreparedImage } from './pdf';
import { sniffFormat, type FontLibrary } from './fonts';
import { Lru } from './text/lru';

/**
 * A template's assets (background PDFs, images, fonts), checked and prepared once per template version:
 * images decoded, PDF pages turned into form XObjects, fonts parsed. Documents only copy the prepared bytes.
 */
export const MAX_ASSET_BYTES = 20_000_000;

export type AssetKind = 'image' | 'pdf' | 'font';

export interface AssetDeclaration {
  path: string;
  type?: AssetKind | undefined;
  family?: string | undefined;
  weight?: number | undefined;
  style?: 'normal' | 'italic' | undefined;
}

/** What a caller hands in for a declared asset: its bytes, or why they could not be read. */
export type AssetBytes = Uint8Array | { error: string } | undefined;
export type AssetLoader = (file: string) => AssetBytes;

export interface TemplateAssets {
  names(): string[];
  kind(name: string): AssetKind | undefined;
  image(name: string): PreparedImage | undefined;
  /** One page (1-based) of a PDF asset, prepared on first use and kept. */
  pdfPage(name: string, page: number): ImportedPage;
  pdfPageCount(name: string): number;
}

export function sniffAsset(bytes: Uint8Array): AssetKind | undefined {
  if (bytes.length >= 5 && bytes[0] === 0x25 && bytes[1] === 0x50 && bytes[2] === 0x44 && bytes[3] === 0x46) return 'pdf';
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'image';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image';
  const f = sniffFormat(bytes);
  if (f !== 'unknown') return 'font';
  return undefined;
}

function assetError(code: string, message: string, range: Range | undefined, path: string): Diagnostic {
  const d: Diagnostic = { stage: 'asset', code, severity: 'error', message, path };
  if (range) d.range = range;
  return d;
}

/**
 * Loads and prepares every declared asset. Problems are collected for all assets at once; an asset that
 * fails is left out, so the template still compiles far enough to report everything else.
 */
/** PDF backgrounds are prepared whole at compile time; more pages than this in one asset is a mistake. */
export const MAX_PDF_ASSET_PAGES = 50;

export async function prepareAssets(
  declared: Readonly<Record<string, string | AssetDeclaration>>,
  load: AssetLoader,
  fonts: FontLibrary,
  locate: (path: (string | number)[]) => Range | undefined,
): Promise<{ assets: TemplateAssets; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  const kinds = new Map<string, AssetKind>();
  const images = new Map<string, PreparedImage>();
  const pages = new Map<string, readonly ImportedPage[]>();

  for (const [name, decl] of Object.entries(declared)) {
    const file = typeof decl === 'string' ? decl : decl.path;
    const wanted = typeof decl === 'string' ? undefined : decl.type;
    const where = locate(['assets', name]);
    const got = load(file);
    if (got === undefined || !(got instanceof Uint8Array)) {
      const why = got && 'error' in got ? got.error : 'not found';
      diagnostics.push(assetError('ASSET_MISSING', `The asset "${name}" (${file}) cannot be loaded: ${why}.`, where, `assets.${name}`));
      continue;
    }
    if (got.length > MAX_ASSET_BYTES) {
      diagnostics.push(
        assetError(
          'ASSET_TOO_LARGE',
          `The asset "${name}" is ${Math.round(got.length / 1e6)} MB; the limit is ${MAX_ASSET_BYTES / 1e6} MB.`,
          where,
          `assets.${name}`,
        ),
      );
      continue;
    }
    const kind = sniffAsset(got);
    if (!kind) {
      diagnostics.push(
        assetError('ASSET_UNSUPPORTED', `The asset "${name}" is not a PNG, JPEG, PDF, TTF or OTF file.`, where, `assets.${name}`),
      );
      continue;
    }
    if (wanted && wanted !== kind) {
      diagnostics.push(
        assetError('ASSET_WRONG_TYPE', `The asset "${name}" is declared as ${wanted} but the file is a ${kind}.`, where, `assets.${name}`),
      );
      continue;
    }
    try {
      if (kind === 'image') images.set(name, PreparedImage.fromBytes(got));
      else if (kind === 'pdf') {
        // Corrupt or encrypted PDFs fail here, at compile time, never in a render.
        const prepared = await preparePdf(got);
        if (typeof prepared === 'number') {
          const count = prepared;
          diagnostics.push(
            assetError(
              'ASSET_PDF_TOO_MANY_PAGES',
              `The PDF asset "${name}" has ${count} pages; a background PDF may have at most ${MAX_PDF_ASSET_PAGES}.`,
              where,
              `assets.${name}`,
            ),
          );
          continue;
        }
        pages.set(name, prepared);
      } else {
        const face: Partial<AssetDeclaration> = typeof decl === 'string' ? {} : decl;
        fonts.addFace(got, {
          family: face.family ?? name,
          ...(face.weight ? { weight: face.weight } : {}),
          ...(face.style ? { style: face.style } : {}),
        });
      }
      kinds.set(name, kind);
    } catch (e) {
      if (e instanceof DiagnosticError) {
        for (const d of e.diagnostics)
          diagnostics.push({ ...d, message: `Asset "${name}": ${d.message}`, path: `assets.${name}`, ...(where ? { range: where } : {}) });
      } else {
        diagnostics.push(
          assetError('ASSET_INVALID', `The asset "${name}" could not be read: ${(e as Error).message}`, where, `assets.${name}`),
        );
      }
    }
  }

  const assets: TemplateAssets = {
    names: () => [...kinds.keys()],
    kind: (name) => kinds.get(name),
    image: (name) => images.get(name),
    pdfPageCount: (name) => pages.get(name)?.length ?? 0,
    pdfPage(name, page) {
      const p = pages.get(name)?.[page - 1];
      if (!p)
        throw new DiagnosticError([
          assetError(
            'ASSET_UNKNOWN',
            `There is no page ${page} in a PDF asset "${name}".${suggestion(name, pages.keys())}`,
            undefined,
            name,
          ),
        ]);
      return p;
    },
  };
  return { assets, diagnostics };
}

/**
 * Background PDFs prepared, by the SHA-256 of their bytes. The same background comes back with every
 * compile of a template being edited (a compile per keystroke in the live preview) and with every version
 * of a template: it is read once per process. Pages are immutable ready bytes, shared as they are between
 * the documents of one version; the few last backgrounds are kept, each at most MAX_PDF_ASSET_PAGES pages.
 */
const preparedPdfs = new Lru<string, readonly ImportedPage[]>(8);

/** The pages of a PDF asset, or its page count when it has too many to be a background. */
async function preparePdf(bytes: Uint8Array): Promise<readonly ImportedPage[] | number> {
  const key = createHash('sha256').update(bytes).digest('hex');
  const known = preparedPdfs.get(key);
  if (known) return known;
  const count = await ImportedPage.pageCount(bytes);
  if (count > MAX_PDF_ASSET_PAGES) return count;
  const pages: ImportedPage[] = [];
  for (let i = 0; i < count; i++) pages.push(await ImportedPage.fromPdf(bytes, i));
  preparedPdfs.set(key, pages);
  return pages;
}

/**
 * Images that arrive in the data (a signature, a photo) as data: URLs. Each is at most MAX_DATA_IMAGE_BYTES
 * and MAX_DATA_IMAGE_PIXELS, and goes through the same decoder and bounds as assets; PreparedImage keeps it by the SHA-256 of its
 * bytes, so every document with the same signature decodes it once.
 */
const DATA_IMAGE = /^data:image\/(png|jpeg|jpg);base64,/i;

export function isDataImage(src: string): boolean {
  return DATA_IMAGE.test(src);
}

export function imageFromData(src: string): PreparedImage {
  if (dataUrlBytes(src) > MAX_DATA_IMAGE_BYTES) throw dataImageTooLarge(dataUrlBytes(src));
  const bytes = Buffer.from(src.slice(src.indexOf(',') + 1), 'base64');
  if (bytes.length > MAX_DATA_IMAGE_BYTES) throw dataImageTooLarge(bytes.length);
  return PreparedImage.fromBytes(bytes, { maxPixels: MAX_DATA_IMAGE_PIXELS });
}

/**
 * Pixels of an image sent in the data, at most. A signature or a logo at print quality is well under one
 * megapixel; a megabyte of PNG could otherwise declare 50 and cost hundreds of MB to decode per document.
 */
export const MAX_DATA_IMAGE_PIXELS = 4_000_000;

function dataImageTooLarge(size: number): DiagnosticError {
  return new DiagnosticError([
    {
      stage: 'asset',
      code: 'DATA_IMAGE_TOO_LARGE',
      severity: 'error',
      message: `the image is ${(size / 1e6).toFixed(1)} MB; an image sent in the data may be at most ${MAX_DATA_IMAGE_BYTES / 1e6} MB`,
    },
  ]);
}

import { stringify } from 'yaml';
import { escapeMarkup } from '../../../templates/liquid/engine';
import {
  PLACEHOLDER_LABELS,
  resolvePlaceholder,
  type DateFormatCode,
  type GradeFormatCode,
  type MappingContext,
  type PlaceholderMapping,
} from '../../../variables/moodle';
import { decodeEntities, DROPPED_WITH_CONTENT, fontSizePoints, markupColor, readStyle, tokenizeHtml, type HtmlToken } from './html';
import type { PdcertificateModel } from './model';

/**
 * A mod_pdcertificate model → an Attest template source (front matter + Liquid + certificate markup), as a
 * pure function: the import, the dry run and the tests all call this. Each placeholder becomes the Liquid of
 * variables/moodle.ts (the table the README prints); the model's HTML becomes the markup's inline elements;
 * everything else in the texts stays text, escaped so that neither markup nor Liquid can come out of it.
 * What could not be mapped is left visible in the document and listed in the notes, with where it is.
 */
export type Section = 'header' | 'body' | 'footer';

/**
 * The codes of an import's notes: stable, for operators' scripts, and each explained in docs/scripts/pdcert.md
 * (a test holds the two together). They are a report's, not answers of the server's API.
 */
export const NOTE_CODES = [
  /** Left as visible text: the module fills no such name. */
  'PLACEHOLDER_UNKNOWN',
  /** Left as visible text: a Mustache section, comment, partial or delimiter change. */
  'MUSTACHE_UNSUPPORTED',
  /** Dropped with its attribute: markup takes no data in text attributes. */
  'PLACEHOLDER_IN_ATTRIBUTE',
  'PLACEHOLDER_DECLARED',
  'PROFILE_FIELD_ASSUMED',
  'RAW_HTML_AS_TEXT',
  'HTML_STRIPPED',
  'HTML_DROPPED',
  'HTML_ENTITY_UNKNOWN',
  'HTML_STYLE_DROPPED',
  'ALIGN_MIXED',
  'DATEFMT_DEFAULTED',
  'GRADEFMT_DEFAULTED',
  'TYPE_UNKNOWN',
  'FONT_SUBSTITUTED',
  'IMAGE_NOT_IMPORTED',
  'TEXT_ABSENT',
  'MODEL_PROBLEM',
] as const;
export type NoteCode = (typeof NOTE_CODES)[number];

/** The codes that mean part of a model's text has no Attest equivalent (the import exits 4 when one occurs). */
export const UNMAPPED_CODES: ReadonlySet<NoteCode> = new Set(['PLACEHOLDER_UNKNOWN', 'MUSTACHE_UNSUPPORTED', 'PLACEHOLDER_IN_ATTRIBUTE']);

export interface ImportNote {
  code: NoteCode;
  severity: 'warning' | 'info';
  message: string;
  section?: Section;
  /** 1-based, in the model's text field. */
  line?: number;
  column?: number;
  /** What the model says there, as written. */
  text?: string;
}

export interface ConvertedPlaceholder {
  /** As written in the model: `{{{info:course_summary}}}`. */
  text: string;
  name: string;
  form: 'escaped' | 'raw' | 'single';
  section: Section;
  line: number;
  column: number;
  variable: string;
  liquid: string;
}

export interface Conversion {
  id: string;
  origin: string;
  name: string;
  source: string;
  placeholders: ConvertedPlaceholder[];
  notes: ImportNote[];
  /** The certificate settings that reproduce the instance's values (caption, credit hours, extra data). */
  settings: { caption?: string; credit_hours?: number; extra?: Record<string, string> };
}

export interface ConvertOptions {
  /** The template's language: dates, numbers, and the words the module adds ("Not completed"). */
  locale?: 'en' | 'fr';
}

export function convertModel(model: PdcertificateModel, options: ConvertOptions = {}): Conversion {
  const locale = options.locale ?? 'en';
  const notes: ImportNote[] = [];
  const note = (n: ImportNote) => notes.push(n);
  for (const p of model.problems) note({ code: 'MODEL_PROBLEM', severity: 'warning', message: p });
  const ctx = mappingContext(model, locale, note);
  const page = pageOf(model, note);
  const font = fontOf(model, note);
  const size = clampSize(model.printconfig.fontbasesize ?? 10);

  const placeholders: ConvertedPlaceholder[] = [];
  const declared = new Map<string, NonNullable<PlaceholderMapping['declares']>>();
  const boxes: string[] = [];
  const pc = model.printconfig;
  const margin = 20;
  const layout: Record<Section, { field: 'headertext' | 'customtext' | 'footertext'; x: number; y: number; w?: number }> = {
    header: { field: 'headertext', x: pc.headerx ?? pc.custx ?? margin, y: pc.headery ?? 15, ...(pc.headerw ? { w: pc.headerw } : {}) },
    body: { field: 'customtext', x: pc.custx ?? margin, y: pc.custy ?? 50 },
    footer: {
      field: 'footertext',
      x: pc.footerx ?? pc.custx ?? margin,
      y: pc.footery ?? page.height - 30,
      ...(pc.footerw ? { w: pc.footerw } : {}),
    },
  };
  for (const field of model.absent) {
    const section = (Object.keys(layout) as Section[]).find((s) => layout[s].field === field);
    if (section && section !== 'body')
      note({
        code: 'TEXT_ABSENT',
        severity: 'warning',
        section,
        message: `the input has no ${field} (a Moodle 3.9 backup leaves the header and footer out): import from the database or a JSON export to keep it`,
      });
  }
  for (const section of ['header', 'body', 'footer'] as const) {
    const l = layout[section];
    const text = model[l.field];
    const converted = convertSection(text, section, ctx, size, note);
    placeholders.push(...converted.placeholders);
    for (const d of converted.declares) declared.set(d.name, d);
    if (!converted.markup.trim()) continue;
    const x = clamp(l.x, 0, page.width - 10);
    const y = clamp(l.y, 0, page.height - 5);
    const width = clamp(l.w ?? page.width - 2 * x, 10, page.width - x);
    const align = converted.align && converted.align !== 'left' ? ` align="${converted.align}"` : '';
    boxes.push(
      `  <!-- ${section} -->\n  <text x="${mm(x)}" y="${mm(y)}" width="${mm(width)}" size="${size}"${align} line-height="1.25">\n    ${converted.markup.trim()}\n  </text>`,
    );
  }

  const decoration = [...border(model, page), ...qr(model, page)];
  if (model.images?.length)
    note({
      code: 'IMAGE_NOT_IMPORTED',
      severity: 'warning',
      message: `the instance has images in Moodle's file pool (${model.images.join(', ')}): upload each as a template asset and place it with <image>`,
    });
  else if (!model.images)
    note({
      code: 'IMAGE_NOT_IMPORTED',
      severity: 'info',
      message:
        'border, watermark, seal and signature images live in Moodle’s file pool (areas printborders, printwmark, printseal, printsignature), not in the model: upload any the instance has as template assets',
    });

  const frontMatter: Record<string, unknown> = {
    name: model.name,
    description: `Imported from mod_pdcertificate instance ${model.id}${model.course ? ` (course ${model.course})` : ''} by attest template import.`,
    locale,
    page: { size: page.size, orientation: page.orientation, margin: '10mm' },
    fonts: { body: { family: font } },
    metadata: { title: liquidLiteral(model.name) },
  };
  if (declared.size) {
    frontMatter.variables = Object.fromEntries(
      [...declared.values()].map((d) => [d.name, { type: d.type, required: false, description: d.description }]),
    );
  }
  const body = ['<page>', ...decoration, ...boxes, '</page>', ''].join('\n');
  const source = `---\n${stringify(frontMatter, { lineWidth: 0 })}---\n${body}`;
  return { id: model.id, origin: model.origin, name: model.name, source, placeholders, notes, settings: settingsOf(model) };
}

function mappingContext(model: PdcertificateModel, locale: 'en' | 'fr', note: (n: ImportNote) => void): MappingContext {
  let datefmt = model.datefmt;
  if (![1, 2, 3, 4, 5].includes(datefmt)) {
    note({
      code: 'DATEFMT_DEFAULTED',
      severity: 'warning',
      message: `datefmt ${datefmt} is none of the module's formats (1–5; with 0 the module prints empty dates): dates use format 1, "%B %d, %Y"`,
    });
    datefmt = 1;
  }
  let gradefmt = model.gradefmt;
  if (![1, 2, 3].includes(gradefmt)) {
    note({
      code: 'GRADEFMT_DEFAULTED',
      severity: 'warning',
      message: `gradefmt ${gradefmt} is none of the module's formats (1 percentage, 2 points, 3 letter): the course grade prints as a percentage`,
    });
    gradefmt = 1;
  }
  const defaults: NonNullable<MappingContext['defaults']> = {};
  // The module prints the caption through format_string: its entities are characters.
  const caption = decodeEntities(model.caption.trim()).text;
  if (caption) defaults.caption = caption;
  if (model.credithours.trim()) defaults.credit_hours = model.credithours.trim();
  if (Object.keys(model.extradata).length) defaults.extra = model.extradata;
  return { datefmt: datefmt as DateFormatCode, gradefmt: gradefmt as GradeFormatCode, labels: PLACEHOLDER_LABELS[locale], defaults };
}

function settingsOf(model: PdcertificateModel): Conversion['settings'] {
  const s: Conversion['settings'] = {};
  const caption = decodeEntities(model.caption.trim()).text;
  if (caption) s.caption = caption.slice(0, 300);
  const hours = Number(model.credithours.trim());
  if (model.credithours.trim() && Number.isFinite(hours) && hours >= 0) s.credit_hours = hours;
  if (Object.keys(model.extradata).length) s.extra = model.extradata;
  return s;
}

// Page and decoration -------------------------------------------------------------------------------------

interface Page {
  size: 'A4' | 'Letter';
  orientation: 'landscape' | 'portrait';
  width: number;
  height: number;
}

function pageOf(model: PdcertificateModel, note: (n: ImportNote) => void): Page {
  const m = /^(a4|letter)(?:_(landscape|portrait|embedded|non_embedded))?$/i.exec(model.type.trim());
  const size = m?.[1]?.toLowerCase() === 'letter' ? 'Letter' : 'A4';
  let orientation: Page['orientation'] =
    m?.[2]?.toLowerCase() === 'portrait'
      ? 'portrait'
      : m?.[2]?.toLowerCase() === 'landscape'
        ? 'landscape'
        : model.orientation?.toUpperCase() === 'P'
          ? 'portrait'
          : 'landscape';
  if (!m) {
    note({
      code: 'TYPE_UNKNOWN',
      severity: 'warning',
      message: `pdcertificatetype "${model.type}" is none of the module's layouts (A4_landscape, A4_portrait, letter_landscape, letter_portrait): A4 landscape is used`,
    });
    orientation = 'landscape';
  }
  const [w, h] = size === 'A4' ? [210, 297] : [215.9, 279.4];
  return orientation === 'landscape' ? { size, orientation, width: h, height: w } : { size, orientation, width: w, height: h };
}

function fontOf(model: PdcertificateModel, note: (n: ImportNote) => void): 'sans' | 'serif' {
  const family = (model.printconfig.fontbasefamily ?? 'FreeSans').trim();
  const serif = /serif|times|garamond|georgia|palatino|book/i.test(family) && !/sans/i.test(family);
  if (!/^(freesans|helvetica|arial|dejavusans|freeserif|times|dejavuserif)$/i.test(family))
    note({
      code: 'FONT_SUBSTITUTED',
      severity: 'info',
      message: `font "${family}" is drawn with the bundled ${serif ? 'serif (EB Garamond)' : 'sans (Noto Sans)'}`,
    });
  return serif ? 'serif' : 'sans';
}

const BORDER_COLORS: Readonly<Record<number, string>> = { 1: '#000000', 2: '#996633', 3: '#0033cc', 4: '#00b400' };

/** The module's three-line frame (printconfig.bordercolor 1–4), at its positions for the page. */
function border(model: PdcertificateModel, page: Page): string[] {
  const color = BORDER_COLORS[model.printconfig.bordercolor ?? 0];
  if (!color) return [];
  const inset = page.size === 'A4' ? [10, 13, 16] : [10, 13, 16].map((n) => Math.round(n * 1.3));
  const widths = ['1.5mm', '0.2mm', '1mm'];
  return inset.map(
    (n, i) =>
      `  <rect x="${mm(n)}" y="${mm(n)}" width="${mm(page.width - 2 * n)}" height="${mm(page.height - 2 * n)}" stroke="${color}" stroke-width="${widths[i]}"/>`,
  );
}

function qr(model: PdcertificateModel, page: Page): string[] {
  const pc = model.printconfig;
  if (!pc.printqrcode) return [];
  const x = clamp(pc.qrcodex ?? page.width - 55, 0, page.width - 15);
  const y = clamp(pc.qrcodey ?? page.height - 55, 0, page.height - 15);
  const size = clamp(Math.min(pc.qrcodew ?? 35, pc.qrcodeh ?? 35), 10, Math.min(page.width - x, page.height - y));
  return [`  <qr x="${mm(x)}" y="${mm(y)}" size="${mm(size)}" value="{{ certificate.verification_url }}"/>`];
}

const clamp = (n: number, lo: number, hi: number): number => Math.min(Math.max(n, lo), Math.max(lo, hi));
const clampSize = (n: number): number => clamp(Math.round(n * 10) / 10, 4, 72);
const mm = (n: number): string => `${Math.round(n * 10) / 10}mm`;

/** Text for a Liquid field in text mode (the PDF title): braces printed by Liquid so none starts a tag. */
function liquidLiteral(text: string): string {
  return text.replace(/[{}]/g, (c) => `{{ "${c}" }}`);
}

// Sections ------------------------------------------------------------------------------------------------

/** Text of the model as markup text: escaped, and every `{` written as a character reference so no Liquid starts. */
export function literal(text: string): string {
  return escapeMarkup(text).replace(/\{/g, '&#123;');
}

const PLACEHOLDER = /\{\{\{\s*([^{}]*?)\s*\}\}\}|\{\{\s*([^{}]*?)\s*\}\}|\{((?:info|user|extra):[^{}\s]+)\}/g;

const BLOCKS = new Set([
  'p',
  'div',
  'center',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
  'pre',
  'address',
  'section',
  'article',
  'header',
  'footer',
  'nav',
  'aside',
  'main',
  'figure',
  'figcaption',
  'ul',
  'ol',
  'li',
  'dl',
  'dt',
  'dd',
  'table',
  'caption',
  'tr',
  'form',
  'fieldset',
]);
const VOID = new Set([
  'br',
  'img',
  'hr',
  'input',
  'meta',
  'link',
  'col',
  'area',
  'base',
  'wbr',
  'source',
  'track',
  'embed',
  'param',
  'keygen',
]);
/** Converted to markup (or to line breaks) without a note. */
const CONVERTED = new Set([
  'p',
  'div',
  'center',
  'br',
  'b',
  'strong',
  'i',
  'em',
  'u',
  'ins',
  'span',
  'font',
  'a',
  'html',
  'body',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
]);
const HEADING_SCALE: Readonly<Record<string, number>> = { h1: 2, h2: 1.5, h3: 1.17, h4: 1, h5: 0.83, h6: 0.67 };
const STYLE_USED = new Set(['color', 'font-size', 'font-weight', 'font-style', 'text-decoration', 'text-align']);

interface Open {
  name: string;
  closing: string[];
  size: number;
  block: boolean;
  align?: string;
  link?: boolean;
}

interface SectionResult {
  markup: string;
  align?: string;
  placeholders: ConvertedPlaceholder[];
  declares: NonNullable<PlaceholderMapping['declares']>[];
}

function convertSection(
  raw: string,
  section: Section,
  ctx: MappingContext,
  baseSize: number,
  note: (n: ImportNote) => void,
): SectionResult {
  const text = raw.replace(/\r\n?/g, '\n');
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const where = (at: number): { line: number; column: number } => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: at - lineStarts[lo]! + 1 };
  };
  const at = (offset: number) => ({ section, ...where(offset) });
  // One note per tag or style property and section: a model with forty <p style="…"> needs one line, not forty.
  const once = new Set<string>();
  const noteOnce = (key: string, n: ImportNote) => {
    if (once.has(key)) return;
    once.add(key);
    note(n);
  };

  const out: string[] = [];
  const stack: Open[] = [];
  const placeholders: ConvertedPlaceholder[] = [];
  const declares: NonNullable<PlaceholderMapping['declares']>[] = [];
  const aligns = new Map<string, number>();
  let hasContent = false;
  let lineHasContent = false;
  let pendingBreak = false;

  const size = () => stack[stack.length - 1]?.size ?? baseSize;
  // A block's line break is written when its next line starts: before the first text, or before the first
  // element that holds text, so `<p>a</p><p><b>b</b></p>` is `a<br/><b>b</b>`.
  const flushBreak = () => {
    if (pendingBreak && hasContent) out.push('<br/>\n    ');
    pendingBreak = false;
  };
  const content = () => {
    flushBreak();
    hasContent = true;
    lineHasContent = true;
    const align = [...stack].reverse().find((o) => o.align)?.align ?? 'left';
    aligns.set(align, (aligns.get(align) ?? 0) + 1);
  };
  const lineBreak = () => {
    // A <br> right after a block ends a line of its own: `</h1><br/><p>` leaves an empty line, as in HTML.
    flushBreak();
    out.push('<br/>\n    ');
    hasContent = true;
    lineHasContent = false;
    pendingBreak = false;
  };
  const endBlock = () => {
    if (lineHasContent) pendingBreak = true;
    lineHasContent = false;
  };

  const emitText = (s: string, offset: number) => {
    if (!s) return;
    const decoded = decodeEntities(s);
    for (const e of decoded.unknown)
      noteOnce(`entity:${e}`, {
        code: 'HTML_ENTITY_UNKNOWN',
        severity: 'warning',
        ...at(offset + s.indexOf(e)),
        text: e,
        message: `the entity ${e} is not known: it is printed as written`,
      });
    if (!decoded.text.trim()) {
      // Whitespace between words or elements: one space, never a line of its own.
      if (hasContent && !pendingBreak) out.push(' ');
      return;
    }
    content();
    out.push(literal(decoded.text));
  };

  const emitPlaceholder = (whole: string, m: RegExpExecArray, offset: number) => {
    const form: ConvertedPlaceholder['form'] = m[1] !== undefined ? 'raw' : m[2] !== undefined ? 'escaped' : 'single';
    let inner = (m[1] ?? m[2] ?? m[3] ?? '').trim();
    const pos = at(offset);
    if (form === 'escaped' && /^[#^/!><=$]/.test(inner)) {
      note({
        code: 'MUSTACHE_UNSUPPORTED',
        severity: 'warning',
        ...pos,
        text: whole,
        message:
          'a Mustache section, comment, partial or delimiter change has no Attest equivalent: left as text (write it as Liquid {% if %} / {% for %})',
      });
      emitText(whole, offset);
      return;
    }
    let rawForm = form === 'raw';
    if (form === 'escaped' && inner.startsWith('&')) {
      inner = inner.slice(1).trim();
      rawForm = true;
    }
    const resolved = resolvePlaceholder(inner);
    if (!resolved) {
      note({
        code: 'PLACEHOLDER_UNKNOWN',
        severity: 'warning',
        ...pos,
        text: whole,
        message: `mod_pdcertificate fills no placeholder "${inner}" (see the README's mapping table): left as text`,
      });
      emitText(whole, offset);
      return;
    }
    const { mapping, part } = resolved;
    const liquid = mapping.liquid(ctx, part);
    if (mapping.group === 'profile')
      note({
        code: 'PROFILE_FIELD_ASSUMED',
        severity: 'info',
        ...pos,
        text: whole,
        message: `"${inner}" is read as the custom profile field "${part}": the LMS sends it in learner.profile`,
      });
    if (mapping.declares) {
      declares.push(mapping.declares);
      note({
        code: 'PLACEHOLDER_DECLARED',
        severity: 'info',
        ...pos,
        text: whole,
        message: `no catalogue variable holds "${inner}": the template declares ${mapping.declares.name} (${mapping.declares.type}), which the LMS must send`,
      });
    }
    if (rawForm && liquid.includes('strip_html'))
      note({
        code: 'RAW_HTML_AS_TEXT',
        severity: 'info',
        ...pos,
        text: whole,
        message: `the HTML of "${inner}" prints as text (Attest never prints data as markup): its tags are removed`,
      });
    placeholders.push({ text: whole, name: inner, form, ...pos, variable: mapping.declares?.name ?? mapping.variable, liquid });
    content();
    out.push(liquid);
  };

  const emitTextWithPlaceholders = (s: string, offset: number) => {
    PLACEHOLDER.lastIndex = 0;
    let last = 0;
    for (let m = PLACEHOLDER.exec(s); m; m = PLACEHOLDER.exec(s)) {
      emitLines(s.slice(last, m.index), offset + last);
      emitPlaceholder(m[0], m, offset + m.index);
      last = m.index + m[0].length;
    }
    emitLines(s.slice(last), offset + last);
  };

  // Moodle's format_text (FORMAT_MOODLE) turns the line breaks of a text into <br>, except those next to a tag.
  const emitLines = (s: string, offset: number) => {
    const parts = s.split('\n');
    let k = offset;
    parts.forEach((p, i) => {
      if (i > 0) lineBreak();
      emitText(p, k);
      k += p.length + 1;
    });
  };

  const tokens = tokenizeHtml(text);
  tokens.forEach((token, index) => {
    switch (token.kind) {
      case 'text': {
        const prevTag = index === 0 || tokens[index - 1]!.kind !== 'text';
        const nextTag = index === tokens.length - 1 || tokens[index + 1]!.kind !== 'text';
        let s = token.text;
        if (!s.trim() && s.includes('\n') && prevTag && nextTag) return;
        if (prevTag && s.startsWith('\n')) s = ` ${s.slice(1)}`;
        if (nextTag && s.endsWith('\n')) s = `${s.slice(0, -1)} `;
        emitTextWithPlaceholders(s, token.at);
        return;
      }
      case 'comment':
      case 'skipped':
        return;
      case 'declaration':
        if (token.raw.trim())
          noteOnce(`declaration:${token.raw.slice(0, 12)}`, {
            code: 'HTML_DROPPED',
            severity: 'warning',
            ...at(token.at),
            text: token.raw.slice(0, 60),
            message: 'left out: not text for the certificate (a script, a style sheet, a declaration or CDATA)',
          });
        return;
      case 'close':
        closeElement(token);
        return;
      case 'open':
        openElement(token);
        return;
    }
  });
  while (stack.length) out.push(...stack.pop()!.closing);

  function openElement(token: Extract<HtmlToken, { kind: 'open' }>) {
    const name = token.name;
    for (const [attr, value] of Object.entries(token.attrs)) {
      PLACEHOLDER.lastIndex = 0;
      for (let m = PLACEHOLDER.exec(value); m; m = PLACEHOLDER.exec(value)) {
        const k = token.raw.indexOf(m[0]);
        note({
          code: 'PLACEHOLDER_IN_ATTRIBUTE',
          severity: 'warning',
          ...at(token.at + Math.max(0, k)),
          text: m[0],
          message: `a placeholder in the ${attr} attribute of <${name}> cannot be carried over (markup takes no data there): the attribute is left out`,
        });
      }
    }
    if (name === 'br') {
      lineBreak();
      return;
    }
    if (VOID.has(name)) {
      const what = name === 'img' ? `an image${token.attrs.src ? ` (${token.attrs.src.slice(0, 80)})` : ''}` : `<${name}>`;
      note({
        code: 'HTML_DROPPED',
        severity: 'warning',
        ...at(token.at),
        text: token.raw.slice(0, 80),
        message: `${what} is left out: ${name === 'img' ? 'upload it as a template asset and place it with <image>' : 'the markup has no such element in text'}`,
      });
      return;
    }
    if (DROPPED_WITH_CONTENT.has(name)) {
      noteOnce(`drop:${name}`, {
        code: 'HTML_DROPPED',
        severity: 'warning',
        ...at(token.at),
        text: `<${name}>`,
        message: `<${name}> is left out with its content: it is not text for the certificate`,
      });
      return;
    }
    if (!CONVERTED.has(name))
      noteOnce(`tag:${name}`, {
        code: 'HTML_STRIPPED',
        severity: 'warning',
        ...at(token.at),
        text: `<${name}>`,
        message: `<${name}> has no markup equivalent: its text is kept${BLOCKS.has(name) ? ' on lines of its own' : ''}, without its formatting`,
      });
    const style = readStyle(token.attrs.style);
    for (const prop of Object.keys(style))
      if (!STYLE_USED.has(prop))
        noteOnce(`style:${prop}`, {
          code: 'HTML_STYLE_DROPPED',
          severity: 'info',
          ...at(token.at),
          text: `${prop}: ${style[prop]}`,
          message: `the style property ${prop} has no markup equivalent: left out`,
        });
    const block = BLOCKS.has(name);
    const open: Open = { name, closing: [], size: size(), block };
    if (block) {
      if (lineHasContent) pendingBreak = true;
      lineHasContent = false;
      const align = (style['text-align'] ?? token.attrs.align ?? (name === 'center' ? 'center' : '')).toLowerCase();
      if (['left', 'center', 'right', 'justify'].includes(align)) open.align = align;
    }
    const wrap = (start: string, end: string) => {
      flushBreak();
      out.push(start);
      open.closing.unshift(end);
    };
    if (name === 'b' || name === 'strong' || /^h[1-6]$/.test(name) || /^(bold|[6-9]00)$/.test(style['font-weight'] ?? ''))
      wrap('<b>', '</b>');
    if (name === 'i' || name === 'em' || style['font-style'] === 'italic') wrap('<i>', '</i>');
    if (name === 'u' || name === 'ins' || /underline/.test(style['text-decoration'] ?? '')) wrap('<u>', '</u>');
    const spanAttrs: string[] = [];
    const color = style.color ?? (name === 'font' ? token.attrs.color : undefined);
    if (color !== undefined) {
      const c = markupColor(color);
      if (c) spanAttrs.push(`color="${c}"`);
      else
        noteOnce(`color:${color}`, {
          code: 'HTML_STYLE_DROPPED',
          severity: 'info',
          ...at(token.at),
          text: color,
          message: `the colour "${color}" has no markup equivalent: left out`,
        });
    }
    const heading = HEADING_SCALE[name];
    const sizeValue =
      heading !== undefined ? String(heading * size()) + 'pt' : (style['font-size'] ?? (name === 'font' ? token.attrs.size : undefined));
    if (sizeValue !== undefined) {
      const points = fontSizePoints(sizeValue, size(), name === 'font' && style['font-size'] === undefined);
      if (points !== undefined) {
        spanAttrs.push(`size="${points}"`);
        open.size = points;
      } else
        noteOnce(`size:${sizeValue}`, {
          code: 'HTML_STYLE_DROPPED',
          severity: 'info',
          ...at(token.at),
          text: sizeValue,
          message: `the font size "${sizeValue}" cannot be read: left out`,
        });
    }
    if (spanAttrs.length) wrap(`<span ${spanAttrs.join(' ')}>`, '</span>');
    if (name === 'a') {
      const href = token.attrs.href?.trim() ?? '';
      if (/^(https?:\/\/|mailto:)/i.test(href) && !stack.some((o) => o.link) && !/[{}]/.test(href)) {
        wrap(`<link href="${literal(href)}">`, '</link>');
        open.link = true;
      } else if (href)
        noteOnce(`href:${href}`, {
          code: 'HTML_STRIPPED',
          severity: 'warning',
          ...at(token.at),
          text: token.raw.slice(0, 80),
          message: 'the link is kept as plain text: only http(s) and mailto addresses, not nested, can be links',
        });
    }
    if (name === 'li') {
      content();
      out.push('• ');
    }
    if ((name === 'td' || name === 'th') && lineHasContent) out.push(' ');
    if (token.selfClosing) {
      out.push(...open.closing);
      if (block) endBlock();
      return;
    }
    stack.push(open);
  }

  function closeElement(token: Extract<HtmlToken, { kind: 'close' }>) {
    const k = stack.map((o) => o.name).lastIndexOf(token.name);
    if (k < 0) {
      if (token.name === 'p' || token.name === 'div') endBlock();
      return; // A stray closing tag closes nothing.
    }
    while (stack.length > k) {
      const o = stack.pop()!;
      out.push(...o.closing);
      if (o.block) endBlock();
    }
  }

  const ranked = [...aligns.entries()].sort((a, b) => b[1] - a[1]);
  const align = ranked[0]?.[0];
  if (ranked.length > 1)
    note({
      code: 'ALIGN_MIXED',
      severity: 'warning',
      section,
      message: `the ${section} mixes alignments (${ranked.map(([a]) => a).join(', ')}): one text box has one, so it is ${align}`,
    });
  return { markup: out.join(''), ...(align ? { align } : {}), placeholders, declares };
}

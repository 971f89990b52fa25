import { ENTITIES } from '../../../templates/markup/entities';
import { NAMED_COLORS } from '../../../templates/markup/values';

/**
 * Reading the HTML a Moodle text field holds (the module's header, body and footer pass through Moodle's
 * format_text and TCPDF's writeHTMLCell) into tokens, tolerantly: Moodle editors and hand-written
 * textareas produce unclosed tags, stray `<` and HTML entities that an XML parser would refuse. Only the
 * shapes the converter needs are recognised; anything else is text, so nothing in a model is ever lost.
 */
export type HtmlToken =
  | { kind: 'text'; text: string; at: number }
  | { kind: 'open'; name: string; attrs: Record<string, string>; selfClosing: boolean; raw: string; at: number }
  | { kind: 'close'; name: string; raw: string; at: number }
  | { kind: 'comment'; raw: string; at: number }
  /** `<!DOCTYPE …>`, `<?xml …?>`, `<![CDATA[…]]>`: never content of a certificate. */
  | { kind: 'declaration'; raw: string; at: number }
  /** The content of an element dropped whole (a script, a style sheet). */
  | { kind: 'skipped'; raw: string; at: number };

const TAG = /<(\/?)([A-Za-z][A-Za-z0-9:-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*(\/?)>/y;
const ATTR = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
/** Elements whose content is not text for a reader: dropped whole. */
export const DROPPED_WITH_CONTENT = new Set([
  'script',
  'style',
  'title',
  'head',
  'template',
  'noscript',
  'textarea',
  'select',
  'svg',
  'math',
  'object',
  'iframe',
  'video',
  'audio',
]);

export function tokenizeHtml(text: string): HtmlToken[] {
  const tokens: HtmlToken[] = [];
  let textStart = 0;
  let i = 0;
  const flush = (end: number) => {
    if (end > textStart) tokens.push({ kind: 'text', text: text.slice(textStart, end), at: textStart });
  };
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (lt < 0) break;
    let consumed = 0;
    let token: HtmlToken | undefined;
    if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt + 4);
      consumed = (end < 0 ? text.length : end + 3) - lt;
      token = { kind: 'comment', raw: text.slice(lt, lt + consumed), at: lt };
    } else if (text.startsWith('<![CDATA[', lt)) {
      const end = text.indexOf(']]>', lt);
      consumed = (end < 0 ? text.length : end + 3) - lt;
      token = { kind: 'declaration', raw: text.slice(lt, lt + consumed), at: lt };
    } else if (/^<[!?][A-Za-z]/.test(text.slice(lt, lt + 3))) {
      const end = text.indexOf('>', lt);
      consumed = (end < 0 ? text.length : end + 1) - lt;
      token = { kind: 'declaration', raw: text.slice(lt, lt + consumed), at: lt };
    } else {
      TAG.lastIndex = lt;
      const m = TAG.exec(text);
      if (m) {
        consumed = m[0].length;
        const name = m[2]!.toLowerCase();
        token =
          m[1] === '/'
            ? { kind: 'close', name, raw: m[0], at: lt }
            : { kind: 'open', name, attrs: readAttributes(m[3] ?? ''), selfClosing: m[4] === '/', raw: m[0], at: lt };
      }
    }
    if (!token) {
      // A `<` that starts no tag ("a < b") is text.
      i = lt + 1;
      continue;
    }
    flush(lt);
    tokens.push(token);
    i = lt + consumed;
    textStart = i;
    if (token.kind === 'open' && DROPPED_WITH_CONTENT.has(token.name) && !token.selfClosing) {
      const close = new RegExp(`</${token.name}\\s*>`, 'ig');
      close.lastIndex = i;
      const c = close.exec(text);
      const end = c ? c.index : text.length;
      // The content is skipped as one token so it is neither printed nor scanned for placeholders.
      if (end > i) tokens.push({ kind: 'skipped', raw: text.slice(i, end), at: i });
      if (c) tokens.push({ kind: 'close', name: token.name, raw: c[0], at: c.index });
      i = c ? c.index + c[0].length : text.length;
      textStart = i;
    }
  }
  flush(text.length);
  return tokens;
}

function readAttributes(raw: string): Record<string, string> {
  const attrs: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const m of raw.matchAll(ATTR)) attrs[m[1]!.toLowerCase()] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '').text;
  return attrs;
}

/** HTML 4's entities (what Moodle's editors write: `&eacute;`, `&rsquo;`), beyond the markup's own list. */
const LATIN1 =
  'nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml';
const OTHERS: Readonly<Record<string, number>> = {
  OElig: 338,
  oelig: 339,
  Scaron: 352,
  scaron: 353,
  Yuml: 376,
  fnof: 402,
  circ: 710,
  tilde: 732,
  ensp: 8194,
  emsp: 8195,
  thinsp: 8201,
  zwnj: 8204,
  zwj: 8205,
  lrm: 8206,
  rlm: 8207,
  ndash: 8211,
  mdash: 8212,
  lsquo: 8216,
  rsquo: 8217,
  sbquo: 8218,
  ldquo: 8220,
  rdquo: 8221,
  bdquo: 8222,
  dagger: 8224,
  Dagger: 8225,
  bull: 8226,
  hellip: 8230,
  permil: 8240,
  prime: 8242,
  Prime: 8243,
  lsaquo: 8249,
  rsaquo: 8250,
  euro: 8364,
  trade: 8482,
  larr: 8592,
  rarr: 8594,
};
const HTML_ENTITIES: Readonly<Record<string, string>> = Object.freeze(
  Object.assign(
    Object.create(null) as Record<string, string>,
    Object.fromEntries(LATIN1.split(' ').map((name, i) => [name, String.fromCodePoint(160 + i)])),
    Object.fromEntries(Object.entries(OTHERS).map(([name, n]) => [name, String.fromCodePoint(n)])),
  ),
);

const ENTITY = /&(#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});/g;

/** HTML entities to characters; names the markup does not know stay as written, and are listed. */
export function decodeEntities(text: string): { text: string; unknown: string[] } {
  const unknown: string[] = [];
  const out = text.replace(ENTITY, (whole, body: string) => {
    if (body.startsWith('#')) {
      const n = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return n > 0 && n <= 0x10ffff && !(n >= 0xd800 && n <= 0xdfff) ? String.fromCodePoint(n) : whole;
    }
    if (Object.hasOwn(ENTITIES, body)) return ENTITIES[body]!;
    if (Object.hasOwn(HTML_ENTITIES, body)) return HTML_ENTITIES[body]!;
    unknown.push(whole);
    return whole;
  });
  return { text: out, unknown };
}

/** A CSS declaration list (`style="color: #333; font-size: 14pt"`) as property → value. */
export function readStyle(style: string | undefined): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const part of (style ?? '').split(';')) {
    const k = part.indexOf(':');
    if (k > 0) out[part.slice(0, k).trim().toLowerCase()] = part.slice(k + 1).trim();
  }
  return out;
}

/** A CSS or HTML colour as the markup writes it (#rrggbb or one of its names); undefined when it has no equal. */
export function markupColor(value: string): string | undefined {
  const v = value.trim().toLowerCase();
  if (/^#[0-9a-f]{3}$/.test(v) || /^#[0-9a-f]{6}$/.test(v)) return v;
  if (Object.hasOwn(NAMED_COLORS, v)) return v;
  const rgb = /^rgba?\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*(?:,\s*[\d.]+\s*)?\)$/.exec(v);
  if (rgb) {
    const hex = rgb
      .slice(1, 4)
      .map((c) => Math.min(255, Number(c)).toString(16).padStart(2, '0'))
      .join('');
    return `#${hex}`;
  }
  return undefined;
}

const SIZE_KEYWORDS: Readonly<Record<string, number>> = {
  'xx-small': 0.6,
  'x-small': 0.75,
  small: 0.89,
  medium: 1,
  large: 1.2,
  'x-large': 1.5,
  'xx-large': 2,
  smaller: 0.83,
  larger: 1.2,
};
/** `<font size="1…7">`, as browsers scale it. */
const FONT_SIZES = [0, 0.6, 0.8, 1, 1.2, 1.5, 2, 3];

/** A CSS font-size (or `<font size>`) in points, from the size around it; undefined when unreadable. */
export function fontSizePoints(value: string, base: number, htmlFontSize = false): number | undefined {
  const v = value.trim().toLowerCase();
  if (htmlFontSize) {
    const rel = /^([+-])(\d)$/.exec(v);
    const n = rel ? 3 + (rel[1] === '+' ? 1 : -1) * Number(rel[2]) : Number(v);
    return Number.isInteger(n) && n >= 1 && n <= 7 ? round(base * FONT_SIZES[n]!) : undefined;
  }
  if (Object.hasOwn(SIZE_KEYWORDS, v)) return round(base * SIZE_KEYWORDS[v]!);
  const m = /^(\d+(?:\.\d+)?|\.\d+)\s*(pt|px|em|rem|%|mm)?$/.exec(v);
  if (!m) return undefined;
  const n = Number(m[1]);
  const points = { pt: n, px: n * 0.75, em: n * base, rem: n * base, '%': (n / 100) * base, mm: n * 2.8346 }[m[2] ?? 'px'];
  return points !== undefined && points >= 1 && points <= 1000 ? round(points) : undefined;
}

const round = (n: number): number => Math.round(n * 10) / 10;

/**
 * mod_certificate's custom text is HTML that TCPDF drew (`writeHTMLCell`). Attest's templates are Liquid
 * producing certificate markup, so the text has to cross two languages without being read by either:
 * whatever the custom text says — `<b>` written as `&lt;b&gt;`, `{{ 7*7 }}`, `{% include %}`, a `<page>` or
 * an `<image>` tag — must print as those characters or be dropped, never become Liquid or markup.
 *
 * The few tags that mean formatting are carried over (b/strong, i/em, u, br, p/div/li as line breaks,
 * font/span colour, http(s)/mailto links); every other tag is dropped with its text kept (or, for script,
 * style and TCPDF's own `<tcpdf>`, dropped with its content). Text is re-escaped for XML, and `{`/`}` are
 * written as character references, which Liquid does not see and the markup parser turns back into braces.
 */

/** Escapes text for the body of a markup element, out of Liquid's reach. */
export function markupText(text: string): string {
  return (
    text
      // Characters XML cannot hold (controls, lone surrogates, U+FFFE/F) would break the markup.
      .replace(
        /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
        '',
      )
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/\{/g, '&#123;')
      .replace(/\}/g, '&#125;')
  );
}

/**
 * A Liquid string literal holding exactly `text`. Anything but letters, digits and a few punctuation
 * marks is written as a `\uXXXX` escape (liquidjs reads them), so quotes, braces and percent signs in the
 * text can neither end the literal nor the tag.
 */
export function liquidString(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    out += /[\p{L}\p{N} .,;:!?()_\-–—’]/u.test(c) ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  }
  return out + '"';
}

export interface ConvertedHtml {
  /** Inline certificate markup (text, b, i, u, span, br, link); empty when the HTML holds no text. */
  markup: string;
  /** What could not be carried over, one sentence each. */
  dropped: string[];
}

const COLOR_NAMES = new Set(['black', 'white', 'gray', 'grey', 'red', 'green', 'blue', 'navy', 'maroon', 'gold', 'silver']);

/** A colour the markup accepts, from an HTML colour value; undefined for anything else. */
function markupColor(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const v = value.trim().toLowerCase();
  if (/^#([0-9a-f]{3}|[0-9a-f]{6})$/.test(v)) return v;
  if (/^[0-9a-f]{6}$/.test(v)) return `#${v}`;
  if (COLOR_NAMES.has(v)) return v;
  const rgb = /^rgb\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*\)$/.exec(v);
  if (rgb) {
    const parts = rgb.slice(1, 4).map(Number);
    if (parts.every((n) => n <= 255)) return `#${parts.map((n) => n.toString(16).padStart(2, '0')).join('')}`;
  }
  return undefined;
}

function styleColor(style: string | undefined): string | undefined {
  const m = style ? /(?:^|;)\s*color\s*:\s*([^;]+)/i.exec(style) : null;
  return markupColor(m?.[1]);
}

// The HTML 4 Latin-1 entities and the typographic ones French and English texts use. An entity not listed
// here prints as written, which is what a browser does with an unknown name too.
const LATIN1 =
  'nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest ' +
  'Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig ' +
  'agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml';
const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  OElig: '\u0152',
  oelig: '\u0153',
  Scaron: '\u0160',
  scaron: '\u0161',
  Yuml: '\u0178',
  ndash: '\u2013',
  mdash: '\u2014',
  lsquo: '\u2018',
  rsquo: '\u2019',
  sbquo: '\u201A',
  ldquo: '\u201C',
  rdquo: '\u201D',
  bdquo: '\u201E',
  hellip: '\u2026',
  bull: '\u2022',
  euro: '\u20AC',
  trade: '\u2122',
  thinsp: '\u2009',
  ensp: '\u2002',
  emsp: '\u2003',
  lsaquo: '\u2039',
  rsaquo: '\u203A',
  dagger: '\u2020',
  permil: '\u2030',
};
LATIN1.split(' ').forEach((name, i) => (ENTITIES[name] = String.fromCharCode(160 + i)));

export function decodeEntities(text: string): string {
  return text.replace(/&(#[0-9]{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});/gi, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : '\uFFFD';
    }
    return Object.hasOwn(ENTITIES, ref) ? ENTITIES[ref]! : whole;
  });
}

type Token =
  | { kind: 'text'; text: string }
  | { kind: 'open'; name: string; attrs: Record<string, string>; selfClosing: boolean }
  | { kind: 'close'; name: string };

const ATTR = /([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

/** A forgiving HTML tokenizer: what is not a well-formed tag is text, as browsers (and TCPDF) read it. */
function tokenize(html: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let text = '';
  const flush = (): void => {
    if (text) tokens.push({ kind: 'text', text: decodeEntities(text) });
    text = '';
  };
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt === -1) {
      text += html.slice(i);
      break;
    }
    text += html.slice(i, lt);
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      flush();
      i = end === -1 ? html.length : end + 3;
      continue;
    }
    const tag = /^<(\/?)([a-zA-Z][a-zA-Z0-9:-]*)((?:\s+[^\s"'<>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*(\/?)>/.exec(
      html.slice(lt),
    );
    if (!tag) {
      // A "<" that opens no tag (`a < b`, `<b` cut short) is a character of the text.
      text += '<';
      i = lt + 1;
      continue;
    }
    flush();
    const name = tag[2]!.toLowerCase();
    if (tag[1]) tokens.push({ kind: 'close', name });
    else {
      const attrs: Record<string, string> = {};
      for (const a of tag[3]!.matchAll(ATTR)) {
        const key = a[1]!.toLowerCase();
        if (!Object.hasOwn(attrs, key)) attrs[key] = decodeEntities(a[2] ?? a[3] ?? a[4] ?? '');
      }
      tokens.push({ kind: 'open', name, attrs, selfClosing: tag[4] === '/' });
    }
    i = lt + tag[0].length;
  }
  flush();
  return tokens;
}

const BLOCKS = new Set([
  'p',
  'div',
  'li',
  'ul',
  'ol',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
  'table',
  'tr',
  'hr',
  'center',
  'pre',
  'address',
]);
const SKIP_CONTENT = new Set(['script', 'style', 'tcpdf', 'head', 'title', 'object', 'iframe', 'svg', 'math']);
const VOID = new Set(['br', 'img', 'hr', 'input', 'meta', 'link', 'wbr', 'col', 'area', 'base', 'embed', 'source', 'param']);
// Tags that only change how text looks in ways Attest does not draw: their text is kept, silently.
const QUIET = new Set([
  'font',
  'span',
  'sup',
  'sub',
  'small',
  'big',
  'strike',
  's',
  'del',
  'ins',
  'mark',
  'cite',
  'q',
  'abbr',
  'code',
  'tt',
  'kbd',
  'body',
  'html',
  'td',
  'th',
  'tbody',
  'thead',
  'dl',
  'dt',
  'dd',
  'label',
]);

/** Converts mod_certificate custom text (HTML) into inline certificate markup; never Liquid. */
export function convertCustomText(html: string): ConvertedHtml {
  const dropped = new Set<string>();
  // Each open HTML element and the markup tag it opened (or none: its text is kept without formatting).
  const stack: { html: string; markup?: string }[] = [];
  let out = '';
  let pendingBreak = false;
  let skipping: string | undefined;
  let sawText = false;

  const inside = (markupTag: string): boolean => stack.some((s) => s.markup === markupTag);
  const block = (): void => {
    if (sawText) pendingBreak = true;
  };

  for (const t of tokenize(html)) {
    if (skipping) {
      if (t.kind === 'close' && t.name === skipping) skipping = undefined;
      continue;
    }
    if (t.kind === 'text') {
      const text = t.text;
      if (!/\S/.test(text) && !sawText) continue;
      if (pendingBreak && /\S/.test(text)) {
        out += '<br/>';
        pendingBreak = false;
      }
      out += markupText(text);
      if (/\S/.test(text)) sawText = true;
      continue;
    }
    if (t.kind === 'open') {
      const name = t.name;
      if (SKIP_CONTENT.has(name)) {
        dropped.add(`<${name}> and its content`);
        if (!t.selfClosing) skipping = name;
        continue;
      }
      if (name === 'br') {
        if (pendingBreak) out += '<br/>';
        pendingBreak = false;
        out += '<br/>';
        continue;
      }
      if (name === 'img') {
        dropped.add('<img> (images inside the custom text: add the image as a template asset instead)');
        continue;
      }
      if (BLOCKS.has(name)) {
        block();
        if (name === 'li') {
          if (pendingBreak) out += '<br/>';
          pendingBreak = false;
          out += '• ';
          sawText = true;
        }
        continue;
      }
      if (VOID.has(name) || t.selfClosing) {
        if (!QUIET.has(name)) dropped.add(`<${name}>`);
        continue;
      }
      let markup: string | undefined;
      let open = '';
      if (name === 'b' || name === 'strong') markup = 'b';
      else if (name === 'i' || name === 'em') markup = 'i';
      else if (name === 'u') markup = 'u';
      else if (name === 'font' || name === 'span') {
        const color = markupColor(t.attrs.color) ?? styleColor(t.attrs.style);
        if (color) {
          markup = 'span';
          open = `<span color="${color}">`;
        }
      } else if (name === 'a') {
        const href = (t.attrs.href ?? '').trim();
        if (/^(https?:\/\/[^\s]+|mailto:[^\s]+)$/i.test(href) && !inside('link')) {
          markup = 'link';
          open = `<link href="${markupText(href)}">`;
        } else if (href) dropped.add(`the link to "${href}" (only http, https and mailto links are kept; its text is)`);
      } else if (!QUIET.has(name)) dropped.add(`<${name}>`);
      if (markup) {
        if (pendingBreak && sawText) {
          out += '<br/>';
          pendingBreak = false;
        }
        out += open || `<${markup}>`;
      }
      stack.push(markup ? { html: name, markup } : { html: name });
      continue;
    }
    // A close tag: ends its element and any left open inside it; a stray one is ignored, as browsers do.
    if (BLOCKS.has(t.name)) {
      block();
      continue;
    }
    const at = stack.map((s) => s.html).lastIndexOf(t.name);
    if (at === -1) continue;
    while (stack.length > at) {
      const s = stack.pop()!;
      if (s.markup) out += `</${s.markup}>`;
    }
  }
  while (stack.length > 0) {
    const s = stack.pop()!;
    if (s.markup) out += `</${s.markup}>`;
  }
  return { markup: sawText ? out.trim() : '', dropped: [...dropped] };
}

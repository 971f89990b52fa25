import { HEX4, utf16Hex } from './syntax';

const HEAD =
  '/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n' +
  '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n' +
  '/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n';
const TAIL = 'endcmap\nCMapName currentdict /CIDInit /ProcSet findresource exch defineresource pop\nend\nend\n';

/**
 * A ToUnicode CMap (glyph id → the characters it stands for) so text can be selected, searched and
 * extracted. A ligature maps to all its characters; characters outside the BMP stay UTF-16 surrogate pairs.
 */
export function toUnicodeCMap(map: ReadonlyMap<number, string>): string {
  const entries = [...map].filter(([, text]) => text.length > 0).sort((a, b) => a[0] - b[0]);
  let out = HEAD;
  for (let i = 0; i < entries.length; i += 100) {
    const block = entries.slice(i, i + 100);
    out += `${block.length} beginbfchar\n`;
    for (const [gid, text] of block) out += `<${HEX4[gid]}> <${utf16Hex(visualOrder(text))}>\n`;
    out += 'endbfchar\n';
  }
  return out + TAIL;
}

const RTL = /^[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]+$/;

/**
 * Extractors read glyphs in drawing (visual) order and reverse right-to-left lines character by character,
 * so a right-to-left ligature (Arabic lam-alef) must be stored in visual order to come out in logical order.
 */
function visualOrder(text: string): string {
  return text.length > 1 && RTL.test(text) ? [...text].reverse().join('') : text;
}

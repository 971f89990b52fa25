import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FontFace, FontStyle } from './face';
import { parseFace } from './face';

/** A face shipped with Attest: known by name at once, read and parsed on first use only. */
export interface BundledFace {
  family: string;
  weight: number;
  style: FontStyle;
  key: string;
  load(): FontFace;
}

/** Every bundled family (see LICENSES.md). `aliases` are other names designers may write in front matter. */
export const BUNDLED_FAMILIES: readonly { family: string; aliases: readonly string[]; fallback?: readonly string[] }[] = [
  { family: 'serif', aliases: ['EB Garamond'] },
  { family: 'sans', aliases: ['Noto Sans'] },
  // Great Vibes has Latin only (and a few Greek letters): its letters in other scripts come from the serif.
  { family: 'script', aliases: ['Great Vibes'], fallback: ['serif'] },
  { family: 'Noto Serif', aliases: [] },
  { family: 'Noto Sans Arabic', aliases: ['arabic'] },
  { family: 'Noto Sans Hebrew', aliases: ['hebrew'] },
  { family: 'Noto Sans Devanagari', aliases: ['hindi', 'devanagari'] },
  { family: 'Noto Sans Bengali', aliases: ['bengali'] },
  { family: 'Noto Sans Gurmukhi', aliases: ['gurmukhi'] },
  { family: 'Noto Sans Gujarati', aliases: ['gujarati'] },
  { family: 'Noto Sans Tamil', aliases: ['tamil'] },
  { family: 'Noto Sans Telugu', aliases: ['telugu'] },
  { family: 'Noto Sans Kannada', aliases: ['kannada'] },
  { family: 'Noto Sans Malayalam', aliases: ['malayalam'] },
  { family: 'Noto Sans Sinhala', aliases: ['sinhala'] },
  { family: 'Noto Sans Thai', aliases: ['thai'] },
  { family: 'Noto Sans Lao', aliases: ['lao'] },
  { family: 'Noto Sans Khmer', aliases: ['khmer'] },
  { family: 'Noto Sans Myanmar', aliases: ['myanmar'] },
  { family: 'Noto Sans Georgian', aliases: ['georgian'] },
  { family: 'Noto Sans Armenian', aliases: ['armenian'] },
  { family: 'Noto Sans Ethiopic', aliases: ['ethiopic', 'amharic'] },
  { family: 'Noto Sans Oriya', aliases: ['odia', 'oriya'] },
  { family: 'Noto Serif Tibetan', aliases: ['tibetan'] },
  { family: 'Noto Sans Thaana', aliases: ['thaana', 'dhivehi'] },
  { family: 'Noto Sans Syriac', aliases: ['syriac'] },
  { family: 'Noto Sans NKo', aliases: ['nko'] },
  { family: 'Noto Sans Tifinagh', aliases: ['tifinagh', 'amazigh'] },
  { family: 'Noto Sans Ol Chiki', aliases: ['ol-chiki', 'santali'] },
  { family: 'Noto Sans Cherokee', aliases: ['cherokee'] },
  { family: 'Noto Sans Canadian Aboriginal', aliases: ['syllabics', 'inuktitut'] },
  { family: 'Noto Sans JP', aliases: ['cjk', 'japanese'] },
  { family: 'Noto Sans KR', aliases: ['korean'] },
  { family: 'Noto Sans SC', aliases: ['chinese'] },
  { family: 'DejaVu Sans', aliases: ['symbols'] },
  { family: 'Noto Emoji', aliases: ['emoji'] },
];

/**
 * Faces tried after a role's own chain, so a name in any widely written script, a symbol or an emoji inside
 * Latin text finds a glyph. Faces are parsed only when a document needs them, so a Latin certificate never
 * opens the large CJK files. Han ideographs try Japanese forms first, then Simplified Chinese for the
 * characters the Japanese face lacks.
 */
export const GLOBAL_FALLBACK: readonly string[] = [
  'Noto Sans Arabic',
  'Noto Sans Hebrew',
  'Noto Sans Devanagari',
  'Noto Sans Bengali',
  'Noto Sans Gurmukhi',
  'Noto Sans Gujarati',
  'Noto Sans Tamil',
  'Noto Sans Telugu',
  'Noto Sans Kannada',
  'Noto Sans Malayalam',
  'Noto Sans Sinhala',
  'Noto Sans Thai',
  'Noto Sans Lao',
  'Noto Sans Khmer',
  'Noto Sans Myanmar',
  'Noto Sans Georgian',
  'Noto Sans Armenian',
  'Noto Sans Ethiopic',
  'Noto Sans Oriya',
  'Noto Serif Tibetan',
  'Noto Sans Thaana',
  'Noto Sans Syriac',
  'Noto Sans NKo',
  'Noto Sans Tifinagh',
  'Noto Sans Ol Chiki',
  'Noto Sans Cherokee',
  'Noto Sans Canadian Aboriginal',
  'DejaVu Sans',
  'Noto Sans JP',
  'Noto Sans KR',
  'Noto Sans SC',
  'Noto Emoji',
];

const require = createRequire(import.meta.url);
const packageDir = (name: string): string => dirname(require.resolve(`${name}/package.json`));

const WEIGHT_NAMES: Record<number, string> = {
  100: 'Thin',
  200: 'ExtraLight',
  300: 'Light',
  400: 'Regular',
  500: 'Medium',
  600: 'SemiBold',
  700: 'Bold',
  800: 'ExtraBold',
  900: 'Black',
};

/** @expo-google-fonts lays files out as `<weight><Name>[_Italic]/<Prefix>_<weight><Name>[_Italic].ttf`. */
function expoFaces(family: string, pkg: string, prefix: string, weights: number[], italic: boolean): BundledFace[] {
  const faces: BundledFace[] = [];
  for (const weight of weights) {
    for (const style of italic ? (['normal', 'italic'] as const) : (['normal'] as const)) {
      const name = `${weight}${WEIGHT_NAMES[weight]}${style === 'italic' ? '_Italic' : ''}`;
      faces.push(bundled(family, weight, style, () => join(packageDir(pkg), name, `${prefix}_${name}.ttf`)));
    }
  }
  return faces;
}

function dejavu(file: string, weight: number, style: FontStyle): BundledFace {
  return bundled('DejaVu Sans', weight, style, () => join(packageDir('dejavu-fonts-ttf'), 'ttf', file));
}

function bundled(family: string, weight: number, style: FontStyle, path: () => string): BundledFace {
  const key = `${family.toLowerCase().replace(/\s+/g, '-')}-${weight}-${style}`;
  let face: FontFace | undefined;
  return {
    family,
    weight,
    style,
    key,
    load() {
      face ??= parseFace(new Uint8Array(readFileSync(path())), { family, weight, style }, key, `${family} ${weight} ${style}`);
      return face;
    },
  };
}

const ALL = [100, 200, 300, 400, 500, 600, 700, 800, 900];

/** Module-level so that every FontLibrary of the process shares one parse of each face. */
export const BUNDLED_FACES: readonly BundledFace[] = [
  ...expoFaces('serif', '@expo-google-fonts/eb-garamond', 'EBGaramond', [400, 500, 600, 700, 800], true),
  ...expoFaces('sans', '@expo-google-fonts/noto-sans', 'NotoSans', ALL, true),
  ...expoFaces('script', '@expo-google-fonts/great-vibes', 'GreatVibes', [400], false),
  ...expoFaces('Noto Serif', '@expo-google-fonts/noto-serif', 'NotoSerif', ALL, true),
  ...expoFaces('Noto Sans Arabic', '@expo-google-fonts/noto-sans-arabic', 'NotoSansArabic', ALL, false),
  ...expoFaces('Noto Sans Hebrew', '@expo-google-fonts/noto-sans-hebrew', 'NotoSansHebrew', ALL, false),
  ...expoFaces('Noto Sans Devanagari', '@expo-google-fonts/noto-sans-devanagari', 'NotoSansDevanagari', [400, 700], false),
  ...expoFaces('Noto Sans Bengali', '@expo-google-fonts/noto-sans-bengali', 'NotoSansBengali', [400, 700], false),
  ...expoFaces('Noto Sans Gurmukhi', '@expo-google-fonts/noto-sans-gurmukhi', 'NotoSansGurmukhi', [400, 700], false),
  ...expoFaces('Noto Sans Gujarati', '@expo-google-fonts/noto-sans-gujarati', 'NotoSansGujarati', [400, 700], false),
  ...expoFaces('Noto Sans Tamil', '@expo-google-fonts/noto-sans-tamil', 'NotoSansTamil', [400, 700], false),
  ...expoFaces('Noto Sans Telugu', '@expo-google-fonts/noto-sans-telugu', 'NotoSansTelugu', [400, 700], false),
  ...expoFaces('Noto Sans Kannada', '@expo-google-fonts/noto-sans-kannada', 'NotoSansKannada', [400, 700], false),
  ...expoFaces('Noto Sans Malayalam', '@expo-google-fonts/noto-sans-malayalam', 'NotoSansMalayalam', [400, 700], false),
  ...expoFaces('Noto Sans Sinhala', '@expo-google-fonts/noto-sans-sinhala', 'NotoSansSinhala', [400, 700], false),
  ...expoFaces('Noto Sans Thai', '@expo-google-fonts/noto-sans-thai', 'NotoSansThai', [400, 700], false),
  ...expoFaces('Noto Sans Lao', '@expo-google-fonts/noto-sans-lao', 'NotoSansLao', [400, 700], false),
  ...expoFaces('Noto Sans Khmer', '@expo-google-fonts/noto-sans-khmer', 'NotoSansKhmer', [400, 700], false),
  ...expoFaces('Noto Sans Myanmar', '@expo-google-fonts/noto-sans-myanmar', 'NotoSansMyanmar', [400, 700], false),
  ...expoFaces('Noto Sans Georgian', '@expo-google-fonts/noto-sans-georgian', 'NotoSansGeorgian', [400, 700], false),
  ...expoFaces('Noto Sans Armenian', '@expo-google-fonts/noto-sans-armenian', 'NotoSansArmenian', [400, 700], false),
  ...expoFaces('Noto Sans Ethiopic', '@expo-google-fonts/noto-sans-ethiopic', 'NotoSansEthiopic', [400, 700], false),
  ...expoFaces('Noto Sans Oriya', '@expo-google-fonts/noto-sans-oriya', 'NotoSansOriya', [400, 700], false),
  ...expoFaces('Noto Serif Tibetan', '@expo-google-fonts/noto-serif-tibetan', 'NotoSerifTibetan', [400, 700], false),
  ...expoFaces('Noto Sans Thaana', '@expo-google-fonts/noto-sans-thaana', 'NotoSansThaana', [400, 700], false),
  ...expoFaces('Noto Sans Syriac', '@expo-google-fonts/noto-sans-syriac', 'NotoSansSyriac', [400, 700], false),
  ...expoFaces('Noto Sans NKo', '@expo-google-fonts/noto-sans-nko', 'NotoSansNKo', [400], false),
  ...expoFaces('Noto Sans Tifinagh', '@expo-google-fonts/noto-sans-tifinagh', 'NotoSansTifinagh', [400], false),
  ...expoFaces('Noto Sans Ol Chiki', '@expo-google-fonts/noto-sans-ol-chiki', 'NotoSansOlChiki', [400, 700], false),
  ...expoFaces('Noto Sans Cherokee', '@expo-google-fonts/noto-sans-cherokee', 'NotoSansCherokee', [400, 700], false),
  ...expoFaces(
    'Noto Sans Canadian Aboriginal',
    '@expo-google-fonts/noto-sans-canadian-aboriginal',
    'NotoSansCanadianAboriginal',
    [400, 700],
    false,
  ),
  ...expoFaces('Noto Sans JP', '@expo-google-fonts/noto-sans-jp', 'NotoSansJP', [400, 700], false),
  ...expoFaces('Noto Sans KR', '@expo-google-fonts/noto-sans-kr', 'NotoSansKR', [400, 700], false),
  ...expoFaces('Noto Sans SC', '@expo-google-fonts/noto-sans-sc', 'NotoSansSC', [400, 700], false),
  ...expoFaces('Noto Emoji', '@expo-google-fonts/noto-emoji', 'NotoEmoji', [400], false),
  dejavu('DejaVuSans.ttf', 400, 'normal'),
  dejavu('DejaVuSans-Oblique.ttf', 400, 'italic'),
  dejavu('DejaVuSans-Bold.ttf', 700, 'normal'),
  dejavu('DejaVuSans-BoldOblique.ttf', 700, 'italic'),
];

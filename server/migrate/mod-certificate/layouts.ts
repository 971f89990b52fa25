/**
 * The four layouts of mod_certificate (type/A4_embedded, A4_non_embedded, letter_embedded,
 * letter_non_embedded), as measured from the plugin's type files: where each line and image goes, in the
 * plugin's own unit (A4 types work in millimetres, letter types in points), so that the positions written
 * into the migrated template are the plugin's numbers, not conversions of them.
 */
export type Paper = 'A4' | 'letter';
export type Orientation = 'landscape' | 'portrait';
export type FontRole = 'sans' | 'serif';

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Layout {
  unit: 'mm' | 'pt';
  page: { w: number; h: number };
  /** TCPDF's right margin (1 cm): a line of width 0 runs from its x to here. */
  rightMargin: number;
  /** Left edge and top of the centred block of lines. */
  x: number;
  y: number;
  /** Offsets from `y` of each centred line. */
  lines: { certify: number; name: number; statement: number; course: number; date: number; grade: number; outcome: number; hours: number };
  codeY: number;
  seal: { x: number; y: number };
  signature: { x: number; y: number };
  customText: { x: number; y: number };
  /** Teacher n (from 1) is printed at signature.y + n × teacherStep. */
  teacherStep: number;
  watermark: Box;
  watermarkOpacity: number;
  border: Box;
  /** The three frame lines drawn in the border colour: outer, middle, inner, with their thickness. */
  frame: (Box & { stroke: number })[];
}

const A4_LINES = { certify: 20, name: 36, statement: 55, course: 72, date: 92, grade: 102, outcome: 112, hours: 122 };
const LETTER_LINES = { certify: 55, name: 105, statement: 155, course: 205, date: 255, grade: 283, outcome: 311, hours: 339 };

export const LAYOUTS: Record<Paper, Record<Orientation, Layout>> = {
  A4: {
    landscape: {
      unit: 'mm',
      page: { w: 297, h: 210 },
      rightMargin: 10,
      x: 10,
      y: 30,
      lines: A4_LINES,
      codeY: 175,
      seal: { x: 230, y: 150 },
      signature: { x: 47, y: 155 },
      customText: { x: 47, y: 155 },
      teacherStep: 4,
      watermark: { x: 40, y: 31, w: 212, h: 148 },
      watermarkOpacity: 0.2,
      border: { x: 0, y: 0, w: 297, h: 210 },
      frame: [
        { x: 10, y: 10, w: 277, h: 190, stroke: 1.5 },
        { x: 13, y: 13, w: 271, h: 184, stroke: 0.2 },
        { x: 16, y: 16, w: 265, h: 178, stroke: 1.0 },
      ],
    },
    portrait: {
      unit: 'mm',
      page: { w: 210, h: 297 },
      rightMargin: 10,
      x: 10,
      y: 40,
      lines: A4_LINES,
      codeY: 250,
      seal: { x: 150, y: 220 },
      signature: { x: 30, y: 230 },
      customText: { x: 30, y: 230 },
      teacherStep: 4,
      watermark: { x: 26, y: 58, w: 158, h: 170 },
      watermarkOpacity: 0.2,
      border: { x: 0, y: 0, w: 210, h: 297 },
      frame: [
        { x: 10, y: 10, w: 190, h: 277, stroke: 1.5 },
        { x: 13, y: 13, w: 184, h: 271, stroke: 0.2 },
        { x: 16, y: 16, w: 178, h: 265, stroke: 1.0 },
      ],
    },
  },
  letter: {
    landscape: {
      unit: 'pt',
      page: { w: 792, h: 612 },
      rightMargin: 28.35,
      x: 28,
      y: 125,
      lines: LETTER_LINES,
      codeY: 505,
      seal: { x: 590, y: 425 },
      signature: { x: 130, y: 440 },
      customText: { x: 133, y: 440 },
      teacherStep: 12,
      watermark: { x: 100, y: 90, w: 600, h: 420 },
      watermarkOpacity: 0.1,
      border: { x: 0, y: 0, w: 792, h: 612 },
      frame: [
        { x: 28, y: 28, w: 736, h: 556, stroke: 4.25 },
        { x: 37, y: 37, w: 718, h: 538, stroke: 0.2 },
        { x: 46, y: 46, w: 700, h: 520, stroke: 2.8 },
      ],
    },
    portrait: {
      unit: 'pt',
      page: { w: 612, h: 792 },
      rightMargin: 28.35,
      x: 28,
      y: 170,
      lines: LETTER_LINES,
      codeY: 660,
      seal: { x: 440, y: 590 },
      signature: { x: 85, y: 580 },
      customText: { x: 88, y: 580 },
      teacherStep: 12,
      watermark: { x: 78, y: 130, w: 450, h: 480 },
      watermarkOpacity: 0.1,
      border: { x: 10, y: 10, w: 594, h: 771 },
      frame: [
        { x: 25, y: 20, w: 561, h: 751, stroke: 1.5 },
        { x: 40, y: 35, w: 531, h: 721, stroke: 0.2 },
        { x: 51, y: 46, w: 509, h: 699, stroke: 1.0 },
      ],
    },
  },
};

/** Which face each line is set in. The types differ here, and only here, beyond paper size. */
export interface LineFonts {
  title: FontRole;
  certify: FontRole;
  name: FontRole;
  statement: FontRole;
  course: FontRole;
  date: FontRole;
  /** Grade, outcome, credit hours, code, teachers and custom text. */
  small: FontRole;
}

// A4 types and letter_non_embedded: sans for the title, the name, the statement, the course and the date.
const MIXED: LineFonts = { title: 'sans', certify: 'serif', name: 'sans', statement: 'sans', course: 'sans', date: 'sans', small: 'serif' };
// letter_embedded sets everything but the title in the serif face.
const SERIF: LineFonts = {
  title: 'sans',
  certify: 'serif',
  name: 'serif',
  statement: 'serif',
  course: 'serif',
  date: 'serif',
  small: 'serif',
};

export function lineFonts(paper: Paper, embedded: boolean): LineFonts {
  return paper === 'letter' && embedded ? SERIF : MIXED;
}

/** The plugin's colours (RGB from its frame functions, and the title's dark blue). */
export const BORDER_COLORS: Record<string, { hex: string; name: string }> = {
  '1': { hex: '#000000', name: 'black' },
  '2': { hex: '#996633', name: 'brown' },
  '3': { hex: '#0033cc', name: 'blue' },
  '4': { hex: '#00b400', name: 'green' },
};
export const TITLE_COLOR = '#000078';

/** Point sizes of each line, the same in every type. */
export const SIZES = { title: 30, certify: 20, name: 30, statement: 20, course: 20, date: 14, small: 10, teachers: 12 };

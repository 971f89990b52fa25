import { PT_PER_IN, PT_PER_MM, type Unit } from '../../templates/layout/units';

/**
 * Lengths as the designer wrote them: read with their unit and spacing, converted to millimetres (the
 * canvas's unit), and written back in the same unit and style, so "1.5in" stays inches and "20 MM" keeps
 * its space and its capitals. Pure and browser-safe.
 */
export interface WrittenLength {
  value: number;
  /** A bare number is millimetres (templates/markup/values.ts readLength). */
  unit: Unit;
  /** The unit as written ("MM"), empty for a bare number. */
  unitText: string;
  /** Spacing around the number and the unit, kept as written. */
  lead: string;
  gap: string;
  trail: string;
}

/** What the markup reader accepts as a length. */
const LENGTH = /^(\s*)([-+]?(?:\d+(?:\.\d*)?|\.\d+))(\s*)(mm|cm|in|pt|%)?(\s*)$/i;

/** Rounding per unit: about a tenth of a millimetre, which is finer than a hand can drag. */
export const STEP: Readonly<Record<Unit, number>> = { mm: 0.1, cm: 0.01, in: 0.01, pt: 0.1, '%': 0.01 };

export function readWrittenLength(text: string): WrittenLength | undefined {
  const m = LENGTH.exec(text);
  if (!m) return undefined;
  return {
    value: Number(m[2]),
    unit: (m[4]?.toLowerCase() ?? 'mm') as Unit,
    unitText: m[4] ?? '',
    lead: m[1]!,
    gap: m[3]!,
    trail: m[5]!,
  };
}

/** Millimetres in one `unit`; percentages are of `pageMm` (the page along that axis), unknown without it. */
export function mmPerUnit(unit: Unit, pageMm?: number): number | undefined {
  switch (unit) {
    case 'mm':
      return 1;
    case 'cm':
      return 10;
    case 'in':
      return PT_PER_IN / PT_PER_MM;
    case 'pt':
      return 1 / PT_PER_MM;
    case '%':
      return pageMm ? pageMm / 100 : undefined;
  }
}

export function lengthToMm(length: Pick<WrittenLength, 'value' | 'unit'>, pageMm?: number): number | undefined {
  const per = mmPerUnit(length.unit, pageMm);
  return per === undefined ? undefined : length.value * per;
}

/** A number rounded to the unit's step, without trailing zeros and never "-0". */
export function formatInUnit(value: number, unit: Unit): string {
  const step = STEP[unit];
  const decimals = Math.max(0, Math.round(-Math.log10(step)));
  const rounded = Math.round(value / step) * step;
  const text = rounded.toFixed(decimals).replace(/\.?0+$/, '');
  return text === '-0' ? '0' : text;
}

/** `mm` millimetres written as `like` was (unit, spacing); undefined for a percentage without the page size. */
export function writeLengthLike(like: WrittenLength, mm: number, pageMm?: number): string | undefined {
  const per = mmPerUnit(like.unit, pageMm);
  if (per === undefined) return undefined;
  return `${like.lead}${formatInUnit(mm / per, like.unit)}${like.gap}${like.unitText}${like.trail}`;
}

/** A new length, in millimetres with its unit written (what the canvas adds when the source has none). */
export function writeMm(mm: number): string {
  return `${formatInUnit(mm, 'mm')}mm`;
}

/** A page margin as written in the front matter (1 to 4 lengths, CSS order), in millimetres. */
export function marginsMm(margin: string | number | undefined): { top: number; right: number; bottom: number; left: number } {
  const parts = String(margin ?? '15mm')
    .trim()
    .split(/\s+/)
    .map((p) => {
      const l = readWrittenLength(p);
      return (l && l.unit !== '%' && lengthToMm(l)) || 0;
    });
  const [top = 0, right = top, bottom = top, left = right] = parts;
  return { top, right, bottom, left };
}

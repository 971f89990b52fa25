/** Everything on a page is measured in PDF points in the end; these convert what designers write. */
export const PT_PER_MM = 72 / 25.4;
export const PT_PER_IN = 72;

export type Unit = 'mm' | 'cm' | 'in' | 'pt' | '%';

export interface Length {
  value: number;
  unit: Unit;
}

/** Resolves a length to points; percentages are of `reference` (the page or container dimension). */
export function toPoints(length: Length, reference: number): number {
  switch (length.unit) {
    case 'mm':
      return length.value * PT_PER_MM;
    case 'cm':
      return length.value * 10 * PT_PER_MM;
    case 'in':
      return length.value * PT_PER_IN;
    case 'pt':
      return length.value;
    case '%':
      return (length.value / 100) * reference;
  }
}

/** Named paper sizes, portrait, in millimetres. */
export const PAPER_SIZES_MM: Readonly<Record<string, readonly [number, number]>> = {
  A3: [297, 420],
  A4: [210, 297],
  A5: [148, 210],
  A6: [105, 148],
  Letter: [215.9, 279.4],
  Legal: [215.9, 355.6],
};

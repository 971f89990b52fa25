import { describe, expect, it } from 'vitest';
import { readValue, type TextElement } from '../../../templates/markup';
import { page, parse } from './helpers';

describe('attribute values', () => {
  it('reads lengths in every unit; a bare number is mm', () => {
    const cases: [string, unknown][] = [
      ['12mm', { value: 12, unit: 'mm' }],
      ['1.5in', { value: 1.5, unit: 'in' }],
      ['2cm', { value: 2, unit: 'cm' }],
      ['30pt', { value: 30, unit: 'pt' }],
      ['50%', { value: 50, unit: '%' }],
      ['7', { value: 7, unit: 'mm' }],
      ['.5', { value: 0.5, unit: 'mm' }],
      ['-3mm', { value: -3, unit: 'mm' }],
      [' 4 MM ', { value: 4, unit: 'mm' }],
    ];
    for (const [raw, value] of cases) expect(readValue({ kind: 'length' }, raw)).toEqual({ ok: true, value });
    for (const raw of ['12px', '', 'mm', '1e3', '1,5mm', 'Infinity', '12 mm 3']) expect(readValue({ kind: 'length' }, raw).ok).toBe(false);
    expect(readValue({ kind: 'length', nonNegative: true }, '-1').ok).toBe(false);
  });

  it('reads colours: #rgb, #rrggbb, names, with a suggestion for near-misses', () => {
    expect(readValue({ kind: 'color' }, '#f00')).toEqual({ ok: true, value: { r: 1, g: 0, b: 0 } });
    expect(readValue({ kind: 'color' }, '#1F3A5F')).toEqual({ ok: true, value: { r: 0x1f / 255, g: 0x3a / 255, b: 0x5f / 255 } });
    expect(readValue({ kind: 'color' }, 'Grey')).toEqual({ ok: true, value: { r: 128 / 255, g: 128 / 255, b: 128 / 255 } });
    expect(readValue({ kind: 'color' }, 'gold')).toEqual({ ok: true, value: { r: 1, g: 215 / 255, b: 0 } });
    expect(readValue({ kind: 'color' }, 'sliver')).toMatchObject({ ok: false, suggestion: 'silver' });
    for (const raw of ['#12345', '#ggg', 'rgb(0,0,0)', 'toString', '']) expect(readValue({ kind: 'color' }, raw).ok).toBe(false);
  });

  it('reads sizes in points, converting mm/cm/in, refusing %', () => {
    const points = { kind: 'points', min: 1, max: 1000 } as const;
    expect(readValue(points, '12')).toEqual({ ok: true, value: 12 });
    expect(readValue(points, '12pt')).toEqual({ ok: true, value: 12 });
    expect(readValue(points, '1in')).toEqual({ ok: true, value: 72 });
    expect((readValue(points, '10mm') as { value: number }).value).toBeCloseTo(28.3465, 3);
    expect(readValue(points, '50%').ok).toBe(false);
    expect(readValue(points, '0.5').ok).toBe(false);
  });

  it('reads numbers, integers, angles, dashes, boxes, column lists and page sizes', () => {
    expect(readValue({ kind: 'number', min: 0, max: 1 }, '0.25')).toEqual({ ok: true, value: 0.25 });
    expect(readValue({ kind: 'number', min: 1, integer: true }, '2.5').ok).toBe(false);
    expect(readValue({ kind: 'angle' }, '-45deg')).toEqual({ ok: true, value: -45 });
    expect(readValue({ kind: 'dash' }, '3 2')).toEqual({ ok: true, value: [3, 2] });
    expect(readValue({ kind: 'dash' }, '0 0').ok).toBe(false);
    const mm = (value: number) => ({ value, unit: 'mm' });
    expect(readValue({ kind: 'box' }, '1 2 3')).toEqual({ ok: true, value: { top: mm(1), right: mm(2), bottom: mm(3), left: mm(2) } });
    expect(readValue({ kind: 'box' }, '1 2 3 4 5').ok).toBe(false);
    expect(readValue({ kind: 'lengths' }, '30% 20% 50%')).toEqual({
      ok: true,
      value: [
        { value: 30, unit: '%' },
        { value: 20, unit: '%' },
        { value: 50, unit: '%' },
      ],
    });
    expect(readValue({ kind: 'page-size' }, 'letter')).toEqual({
      ok: true,
      value: { name: 'Letter', width: mm(215.9), height: mm(279.4) },
    });
    expect(readValue({ kind: 'page-size' }, '200mm 4in')).toEqual({
      ok: true,
      value: { width: mm(200), height: { value: 4, unit: 'in' } },
    });
    expect(readValue({ kind: 'page-size' }, '100 x 50')).toEqual({ ok: true, value: { width: mm(100), height: mm(50) } });
    expect(readValue({ kind: 'page-size' }, 'A9')).toMatchObject({ ok: false, suggestion: 'A3' });
  });

  it('checks enums exactly and suggests the closest value', () => {
    const type = { kind: 'enum', values: ['contain', 'cover', 'fill'] } as const;
    expect(readValue(type, 'cover')).toEqual({ ok: true, value: 'cover' });
    expect(readValue(type, 'contian')).toMatchObject({ ok: false, suggestion: 'contain', expected: 'one of contain, cover, fill' });
  });

  it('fills defaults from the vocabulary, and leaves context-dependent ones unset', () => {
    const r = parse(
      page(
        '<text x="1" y="2" width="3">a</text><rect x="0" y="0" width="1" height="1"/><line x1="0" y1="0" x2="1" y2="1"/><image x="0" y="0" width="1" src="s"/><qr x="0" y="0" size="1" value="v"/>',
      ),
    );
    expect(r.diagnostics).toEqual([]);
    const [t, rect, line, image, qr] = r.document!.pages[0]!.elements;
    expect(t).toMatchObject({
      valign: 'top',
      font: 'body',
      size: 11,
      lineHeight: 1.2,
      letterSpacing: 0,
      fit: 'none',
      minSize: 6,
      direction: 'auto',
      opacity: 1,
      rotate: 0,
      color: { r: 0, g: 0, b: 0 },
    });
    expect((t as TextElement).align).toBeUndefined();
    expect((t as TextElement).height).toBeUndefined();
    expect((t as TextElement).maxLines).toBeUndefined();
    expect(rect).toMatchObject({ strokeWidth: 0.5, radius: { value: 0, unit: 'mm' } });
    expect(rect).not.toHaveProperty('fill');
    expect(line).toMatchObject({ width: 0.5 });
    expect(line).not.toHaveProperty('dash');
    expect(image).toMatchObject({ fit: 'contain', align: 'center' });
    expect(qr).toMatchObject({ ec: 'M', margin: 0 });
    expect(qr).not.toHaveProperty('background');
    // Defaults are shared between documents, so they are frozen.
    expect(Object.isFrozen((t as TextElement).color)).toBe(true);
  });

  it('reads given values into camelCase fields', () => {
    const r = parse(
      page(
        '<text x="1" y="2" width="3" height="4cm" align="justify" valign="bottom" line-height="1.45" letter-spacing="1.2pt" fit="shrink" min-size="14" max-lines="2" direction="rtl" rotate="90" opacity="0.5">a</text>',
      ),
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.document!.pages[0]!.elements[0]).toMatchObject({
      height: { value: 4, unit: 'cm' },
      align: 'justify',
      valign: 'bottom',
      lineHeight: 1.45,
      letterSpacing: 1.2,
      fit: 'shrink',
      minSize: 14,
      maxLines: 2,
      direction: 'rtl',
      rotate: 90,
      opacity: 0.5,
    });
  });
});

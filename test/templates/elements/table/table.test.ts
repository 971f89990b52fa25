import { describe, expect, it } from 'vitest';
import type { TableNode } from '../../../../templates/markup';
import { bare, page, parse } from '../../markup/helpers';
import { boxes } from '../../layout/helpers';

describe('<table>: read', () => {
  it('reads thead, tbody, bare rows, th/td, colspan and cell alignment', () => {
    const r = parse(
      page(`<table x="20mm" y="120mm" width="170mm" columns="10% 60% 30%" header-fill="#17545c" header-color="white" stripe-fill="#f1f6f6" bottom="272mm" continue-y="22mm">
  <thead><tr><th align="right">#</th><th>Module</th><th>Hours</th></tr></thead>
  <tbody>
    <tr><td align="right">1</td><td> Intro  <b>course</b> </td><td>6</td></tr>
  </tbody>
  <tr><td colspan="2"><b>Total</b></td><td>6</td></tr>
</table>`),
    );
    expect(r.diagnostics).toEqual([]);
    const table = r.document!.pages[0]!.elements[0] as TableNode;
    expect(table).toMatchObject({
      kind: 'table',
      columns: [
        { value: 10, unit: '%' },
        { value: 60, unit: '%' },
        { value: 30, unit: '%' },
      ],
      headerFill: { r: 0x17 / 255, g: 0x54 / 255, b: 0x5c / 255 },
      headerColor: { r: 1, g: 1, b: 1 },
      bottom: { value: 272, unit: 'mm' },
      continueY: { value: 22, unit: 'mm' },
      size: 10,
      borderWidth: 0.5,
    });
    expect(table.header).toHaveLength(1);
    expect(table.header[0]!.cells.map((c) => [c.header, c.align, c.colspan])).toEqual([
      [true, 'right', 1],
      [true, undefined, 1],
      [true, undefined, 1],
    ]);
    expect(table.body.map((row) => row.cells.length)).toEqual([3, 2]);
    expect(bare(table.body[0]!.cells[1]!.content)).toEqual([
      { kind: 'text', text: 'Intro ' },
      { kind: 'b', children: [{ kind: 'text', text: 'course' }] },
    ]);
    expect(table.body[1]!.cells[0]).toMatchObject({ kind: 'cell', header: false, colspan: 2 });
    expect(table.body[1]!.range!.start.line).toBe(7);
  });

  it('keeps rows of a misplaced section out of any table', () => {
    const r = parse(page('<tbody><tr><td>x</td></tr></tbody>'));
    expect(r.diagnostics.map((d) => d.message)).toEqual(['<tbody> cannot go inside <page>: it goes inside <table>.']);
    expect(r.document!.pages[0]!.elements).toEqual([]);
  });
});

describe('<table>: drawn boxes', () => {
  it('flows onto a new page at continue-y when a row would pass bottom, its header rows drawn again first', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => `<tr><td>Row ${i + 1}</td></tr>`).join('\n');
    const drawn = await boxes(
      `<page size="A6">\n<table x="10mm" y="20mm" width="80mm" bottom="130mm" continue-y="15mm">\n<thead><tr><th>Module</th></tr></thead>\n${rows}\n</table>\n</page>`,
    );
    const tables = drawn.filter((b) => b.kind === 'table');
    expect(tables.length).toBeGreaterThan(1);
    expect(tables[0]).toMatchObject({ page: 0, x: 10, y: 20, width: 80, line: 5 });
    for (const t of tables.slice(1)) expect(t).toMatchObject({ x: 10, y: 15, width: 80 });
    for (const t of tables) expect(t.y + t.height).toBeLessThanOrEqual(130.1);
    // Each page's rows start with the header row (line 6), right at the top of the table's part.
    for (const t of tables) {
      const first = drawn.filter((b) => b.kind === 'row' && b.page === t.page)[0]!;
      expect(first).toMatchObject({ line: 6, y: t.y });
    }
    // Every body row is drawn once.
    expect(drawn.filter((b) => b.kind === 'row' && b.line !== 6)).toHaveLength(30);
  });
});

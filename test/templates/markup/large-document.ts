/** 300 elements (also measured by bench/run.ts): 100 text boxes with inline styles, 100 shapes, a table of 98 rows, an image and a QR code. */
export function bigDocument(): string {
  const parts: string[] = ['<page size="A4" margin="15mm">'];
  for (let i = 0; i < 100; i++) {
    parts.push(
      `  <text x="${i % 10}mm" y="${i}mm" width="80mm" align="center" size="11" color="#1f3a5f" line-height="1.3">Line ${i} &amp; <b>bold <i>both</i></b> &lt;data&gt;<br/>more</text>`,
    );
  }
  for (let i = 0; i < 50; i++)
    parts.push(`  <rect x="${i}mm" y="10mm" width="5mm" height="5mm" fill="#eeeeee" stroke="navy" stroke-width="0.5"/>`);
  for (let i = 0; i < 50; i++) parts.push(`  <line x1="${i}mm" y1="0" x2="${i}mm" y2="10mm" color="gray" width="0.3" dash="3 2"/>`);
  parts.push(
    '  <image x="1" y="1" width="20mm" height="20mm" src="seal"/>',
    '  <qr x="1" y="1" size="20mm" value="https://example.org/v/ABC"/>',
  );
  parts.push(
    '  <table x="20mm" y="120mm" width="170mm" columns="10% 60% 30%"><thead><tr><th>#</th><th>Module</th><th>Hours</th></tr></thead><tbody>',
  );
  for (let i = 0; i < 97; i++) parts.push(`    <tr><td align="right">${i}</td><td>Module ${i}</td><td>${i % 7}</td></tr>`);
  parts.push('  </tbody></table>', '</page>');
  return parts.join('\n');
}

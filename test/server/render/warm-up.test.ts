import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RenderPool } from '../../../server/render/pool';
import { FULLY_WARMED_TEMPLATES, TEMPLATE_WARM_UP_DOCUMENTS, warmUp, warmUpKindOf, warmUpTemplate } from '../../../server/render/warm-up';
import { compileTemplate } from '../../../templates/compile';
import { renderDocument } from '../../../templates/render';
import { EXAMPLES_DIR } from '../../../templates/files';
import { findPersona } from '../../../variables/personas';
import { previewData } from '../../../variables/samples';

const SOURCE = `---
name: Warm-up test
---
<page>
  <text x="20mm" y="20mm" width="170mm" size="28" fit="shrink" height="15mm">{{ learner.fullname }}</text>
  <text x="20mm" y="40mm" width="170mm">Certificate {{ certificate.code }}</text>
  <qr x="20mm" y="60mm" size="30mm" value="{{ certificate.verification_url }}"/>
</page>`;

describe('render worker warm-up', () => {
  it('a worker warms fully unless it was started light', () => {
    expect(warmUpKindOf({ warmUp: 'light' })).toBe('light');
    expect(warmUpKindOf({ warmUp: 'full' })).toBe('full');
    expect(warmUpKindOf({ warmUp: 'something else' })).toBe('full');
    expect(warmUpKindOf(null)).toBe('full');
    expect(warmUpKindOf(undefined)).toBe('full');
  });

  it('a template about to be issued is warmed with several learners, within its limits', async () => {
    const { template } = await compileTemplate(SOURCE);
    expect(template).toBeDefined();
    expect(warmUpTemplate(template!, 'full', { documents: 7, ms: 600_000 }).documents).toBe(7);
    // Whatever time it is given, one document is always made: the fonts and the static text are prepared.
    expect(warmUpTemplate(template!, 'full', { documents: 7, ms: 0 }).documents).toBe(1);
    expect(warmUpTemplate(template!, 'full', { documents: 0 }).documents).toBe(0);
    // A light worker makes one; a worker's later templates find the code hot and make one too.
    expect(warmUpTemplate(template!, 'light', { ms: 600_000 }).documents).toBe(1);
    const counts = Array.from({ length: FULLY_WARMED_TEMPLATES + 1 }, () => warmUpTemplate(template!, 'full', { ms: 600_000 }).documents);
    expect(counts.at(-1)).toBe(1);
    expect(Math.max(...counts)).toBeLessThanOrEqual(TEMPLATE_WARM_UP_DOCUMENTS);
  });

  it('leaves nothing behind that changes a document: the same learner gives the same bytes before and after', async () => {
    const { template } = await compileTemplate(SOURCE.replace('Warm-up test', 'Warm-up bytes'));
    const data = previewData(template!.declared, findPersona('camille-martin')!.data);
    const before = renderDocument(template!, data).pdf!;
    warmUpTemplate(template!, 'full', { documents: 20, ms: 600_000 });
    await warmUp({ documents: 12, cpuMs: 600_000 });
    const after = renderDocument(template!, data).pdf!;
    expect(Buffer.from(after).equals(Buffer.from(before))).toBe(true);
  });

  it('the full warm-up makes the documents it is allowed, of a bundled example', async () => {
    const result = await warmUp({ documents: 9, cpuMs: 600_000 });
    expect(result.documents).toBe(9);
    expect(result.cpuMs).toBeGreaterThan(0);
  });

  it('a pool told to warm up fully still comes up and renders', async () => {
    const pool = new RenderPool({ size: 1, warmUp: 'full', timeoutMs: 60_000 });
    try {
      await pool.whenReady();
      const frame = readFileSync(join(EXAMPLES_DIR, 'assets', 'guilloche-frame.pdf'));
      const answer = await pool.render({
        templateKey: 'warm-up-test',
        template: { source: SOURCE, assets: { 'assets/guilloche-frame.pdf': new Uint8Array(frame) } },
        data: previewData({}, findPersona('oliver-bennett')!.data),
      });
      expect(answer.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(Buffer.from(answer.pdf!).subarray(0, 5).toString()).toBe('%PDF-');
    } finally {
      await pool.close();
    }
  });
});

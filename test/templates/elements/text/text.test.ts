import { describe, expect, it } from 'vitest';
import { compileTemplate } from '../../../../templates/compile';
import { renderDocument } from '../../../../templates/render';
import { findPersona } from '../../../../variables/personas';
import { words } from '../../pdf/helpers';
import { boxes } from '../../layout/helpers';

const learner = findPersona('camille-martin')!.data;

describe('<text>, measured on the PDF', () => {
  it('shrinks a long name to fit its box on one line, and keeps a short one at its size', async () => {
    const text = `---\nname: T\n---\n<page><text x="10mm" y="10mm" width="100mm" size="30" fit="shrink">{{ learner.fullname }}</text></page>`;
    const { template } = await compileTemplate(text);
    const long = findPersona('long-name')!.data;
    for (const data of [learner, long]) {
      const w = words(renderDocument(template!, data).pdf!);
      const ys = new Set(w.map((x) => Math.round(x.yMin)));
      expect(ys.size).toBe(1);
      expect(Math.max(...w.map((x) => x.xMax)) * (25.4 / 72)).toBeLessThanOrEqual(110.5);
    }
    const short = words(renderDocument(template!, learner).pdf!)[0]!;
    expect(short.yMax - short.yMin).toBeGreaterThan(25);
  });
});

describe('<text>: drawn boxes', () => {
  it('is as tall as given, or grows with its lines when no height is given', async () => {
    const drawn = (
      await boxes(
        '<page>\n<text x="10mm" y="20mm" width="100mm" height="30mm">One line</text>\n<text x="10mm" y="60mm" width="100mm" size="10">One<br/>two<br/>three</text>\n<text x="10mm" y="90mm" width="100mm" size="10">One</text>\n</page>',
      )
    ).filter((b) => b.kind === 'text');
    expect(drawn[0]).toMatchObject({ x: 10, y: 20, width: 100, height: 30 });
    // Three lines of 10 pt at the default line height of 1.2 are 36 pt high, against 12 pt for one.
    expect(drawn[1]!.height).toBeCloseTo(3 * drawn[2]!.height, 0);
    expect(drawn[2]!.height).toBeCloseTo((12 * 25.4) / 72, 0);
  });
});

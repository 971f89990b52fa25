import { describe, expect, it } from 'vitest';
import { diagnose } from '../../editor/monaco/language';

const SOURCE = `---
name: Attestation
locale: fr
---
<page><text x="10mm" y="10mm" width="100mm">{{ learner.fulname }} le {{ certificate.issued }}</text></page>
`;

describe('the diagnostics worker’s check, in the interface language', () => {
  it('says the analyzer’s diagnostics in French for a French interface, the same codes and places', () => {
    const en = diagnose(SOURCE);
    const fr = diagnose(SOURCE, 'fr');
    expect(fr.map((d) => [d.code, d.range])).toEqual(en.map((d) => [d.code, d.range]));
    expect(fr.map((d) => d.message)).toEqual([
      '"fulname" n’est pas une propriété de learner. Vouliez-vous dire "fullname" ?',
      'certificate.issued est une date imprimée telle que la donnée la contient (2026-03-01), ce qui n’est pas l’écriture des dates en français : formatez-la avec | date: "long".',
    ]);
    expect(en[0]!.message).toBe('"fulname" is not a property of learner. Did you mean "fullname"?');
  });
});

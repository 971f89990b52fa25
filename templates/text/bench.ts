/**
 * Times the text layout of one certificate (10 paragraphs, the learner's name differing each time) after
 * warm-up, and prints the median. Run: node --import tsx templates/text/bench.ts
 */
import { FontLibrary } from '../fonts/library';
import { resolveRoles } from '../fonts/roles';
import { layoutParagraph } from './paragraph';
import type { ParagraphOptions, TextSpan, TextStyle } from './types';

const roles = resolveRoles(new FontLibrary(), {
  title: { family: 'serif', weight: 700 },
  name: { family: 'script', fallback: ['serif'] },
  small: { family: 'sans' },
});
const style = (role: string, size: number, extra: Partial<TextStyle> = {}): TextStyle => ({
  role,
  bold: false,
  italic: false,
  underline: false,
  size,
  color: [0.1, 0.1, 0.2],
  letterSpacing: 0,
  ...extra,
});

const FIRST = ['Jean', 'Zoé', 'Αλέξανδρος', 'Şükrü', 'Nguyễn Thị', 'محمد', 'Ёлкин', 'Marie-Hélène', 'דוד', 'Björn'];
const LAST = ['Dupont', 'Lefèvre', 'Παπαδόπουλος', 'Çağlar', 'Ngọc Ánh', 'عبد الله', 'Щукин', 'de La Tour d’Auvergne', 'כהן', 'Ångström'];

function certificate(i: number): [TextSpan[], ParagraphOptions][] {
  const name = `${FIRST[i % FIRST.length]} ${LAST[(i * 7) % LAST.length]} ${i}`;
  const box = (width: number, extra: Partial<ParagraphOptions> = {}): ParagraphOptions => ({ width, align: 'center', ...extra });
  return [
    [[{ text: 'ATTESTATION DE FORMATION', style: style('title', 30, { letterSpacing: 2 }) }], box(700)],
    [[{ text: 'Nous certifions que', style: style('body', 14, { italic: true }) }], box(700)],
    [[{ text: name, style: style('name', 40) }], box(600, { height: 60, fit: 'shrink', maxLines: 1 })],
    [[{ text: 'a suivi avec assiduité la formation', style: style('body', 14) }], box(700)],
    [
      [{ text: '« Sécurité des systèmes d’information et protection des données personnelles »', style: style('title', 18) }],
      box(600, { maxLines: 2 }),
    ],
    [
      [
        { text: 'du ', style: style('body', 12) },
        { text: `${(i % 28) + 1} mars 2026`, style: style('body', 12, { bold: true }) },
        { text: ' au ', style: style('body', 12) },
        { text: `${(i % 28) + 2} avril 2026`, style: style('body', 12, { bold: true }) },
        { text: ', pour une durée de 35 heures, et a obtenu la note de 17,5/20.', style: style('body', 12) },
      ],
      box(500, { align: 'justify' }),
    ],
    [[{ text: `Fait à Lyon, le ${(i % 28) + 3} avril 2026`, style: style('body', 12) }], box(250, { align: 'left' })],
    [[{ text: 'Dr Claire Martin-Duval', style: style('name', 22) }], box(250)],
    [[{ text: 'Directrice pédagogique', style: style('small', 9) }], box(250)],
    [
      [{ text: `Code de vérification : ATT-2026-${String(100000 + i)} — https://attest.example/v/${i}`, style: style('small', 8) }],
      box(400, { align: 'right' }),
    ],
  ];
}

function run(iterations: number, offset: number, same = false): number[] {
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const paragraphs = certificate(same ? offset : offset + i);
    const start = process.hrtime.bigint();
    for (const [spans, options] of paragraphs) layoutParagraph(spans, roles, options);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times;
}

run(300, 0); // warm-up: fonts parsed, JIT warm, common words shaped
const times = run(2000, 1000).sort((a, b) => a - b);
const median = times[times.length >> 1]!;
const p95 = times[Math.floor(times.length * 0.95)]!;
const repeated = run(2000, 7, true).sort((a, b) => a - b);
console.log(`same certificate again (everything cached but line placement): median ${repeated[repeated.length >> 1]!.toFixed(3)} ms`);
console.log(
  `text layout of one certificate (10 paragraphs): median ${median.toFixed(3)} ms, p95 ${p95.toFixed(3)} ms, ${Math.round(1000 / median)} certificates/s`,
);

/**
 * How long the analyzer takes on a 300-line template (the editor runs it on every keystroke).
 * Run: node --import tsx variables/analyzer/bench.ts
 */
import { catalogue } from '../catalogue';
import { analyzeTemplate } from './index';

const block = `<text x="20mm" y="40mm" width="170mm" size="12">{{ learner.fullname | upcase }}</text>
<text x="20mm" y="50mm" width="170mm">{{ course.fullname }} — {{ course.shortname | default: "" }}</text>
{%- if course.startdate and course.enddate %}
<text>du {{ course.startdate | date: "long" }} au {{ course.enddate | date: "dd/MM/yyyy" }}</text>
{%- endif %}
{%- assign hours = course.duration_hours | default: 0 | times: 1 %}
<text>{{ hours | number: 1 }} h — {{ completion.date | default: certificate.issued | date: "long" }}</text>
{%- for t in teachers %}
<text>{{ forloop.index }}. {{ t.name }}{% if t.role %} ({{ t.role | downcase }}){% endif %}</text>
{%- endfor %}
{%- if grade.value != nil and grade.max != nil %}
<text>{{ grade.value | grade: grade.max }}{% if grade.passed %} — admis{% endif %}</text>
{%- endif %}
<text>{{ learner.email | default: "" }} {{ learner.country | default: "FR" | country_name }}</text>
<qr value="{{ certificate.verification_url }}"/> {{ certificate.code }}
`;
const body = Array.from({ length: 20 }, () => block).join('');
const lines = body.split('\n').length;

const times: number[] = [];
let count = 0;
for (let i = 0; i < 210; i++) {
  // A fresh text each time, as in the editor: the parse cache must not hide the parse.
  const text = `${body}<!-- ${i} -->`;
  const t0 = performance.now();
  count = analyzeTemplate({ body: text, bodyStart: { line: 20, column: 1 }, schema: catalogue, locale: 'fr' }).length;
  times.push(performance.now() - t0);
}
const sorted = times.slice(10).sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)]!;
console.log(`analyze: ${lines}-line template, median ${median.toFixed(2)} ms over ${sorted.length} runs (${count} diagnostics)`);

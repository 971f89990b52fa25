import { GOALS, meetsGoal, readResults, type Figure, type Results } from './results';

/** The parts of `npm run bench` in the order the README shows them (others follow, by name). */
const ORDER = ['render', 'batch', 'server-sqlite', 'server-postgresql', 'regenerate', 'options', 'credentials', 'preview'];

const fmt = (n: number): string => {
  const digits = Math.abs(n) >= 100 ? 0 : Math.abs(n) >= 10 ? 1 : Math.abs(n) >= 1 ? 2 : 3;
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
};

function spread(f: Figure): string {
  if (!f.runs || f.runs.length < 2) return '';
  return `${fmt(Math.min(...f.runs))}–${fmt(Math.max(...f.runs))} (${f.runs.length} runs)`;
}

function goalCell(f: Figure): string {
  const goal = GOALS[f.id];
  if (!goal) return '';
  const text =
    goal.text ??
    `${goal.at === 'least' ? '≥' : '≤'} ${fmt(goal.value)} ${f.unit}${goal.p99Below !== undefined ? `, p99 < ${goal.p99Below} ms` : ''}`;
  return `${text}: **${meetsGoal(f, goal) ? 'met' : 'not met'}**`;
}

/**
 * The README's speed figures, written from bench/results.json (the last `npm run bench`): every figure
 * with its median, spread, CPU cost and latency, the goal it is held to and whether this run met it, then
 * where the time of the staged figures goes and when and on what each part was measured.
 */
export function speedSection(results: Results = readResults()): string {
  const names = Object.keys(results.parts).sort((a, b) => {
    const ia = ORDER.indexOf(a);
    const ib = ORDER.indexOf(b);
    return (ia < 0 ? ORDER.length : ia) - (ib < 0 ? ORDER.length : ib) || a.localeCompare(b);
  });
  if (names.length === 0) return '_No figures yet: run `npm run bench`._';
  const rows = ['| figure | median | spread | CPU | latency | goal |', '| --- | --- | --- | --- | --- | --- |'];
  const stages: string[] = [];
  for (const name of names) {
    for (const f of results.parts[name]!.figures) {
      const cpu = f.cpuMs !== undefined ? `${fmt(f.cpuMs)} ms${f.cpuUnit ? ` per ${f.cpuUnit}` : ''}` : '';
      const latency = f.p99 !== undefined ? `${f.p50 !== undefined ? `p50 ${fmt(f.p50)} ms, ` : ''}p99 ${fmt(f.p99)} ms` : '';
      const label = f.detail ? `${f.label} (${f.detail})` : f.label;
      rows.push(`| ${label} | ${fmt(f.value)} ${f.unit} | ${spread(f)} | ${cpu} | ${latency} | ${goalCell(f)} |`);
      if (f.stages)
        stages.push(
          `- ${f.label}: ${Object.entries(f.stages)
            .filter(([, share]) => share >= 1)
            .map(([stage, share]) => `${stage} ${share} %`)
            .join(', ')}`,
        );
    }
  }
  const when = names.map((name) => {
    const p = results.parts[name]!;
    return `\`${name}\` ${p.measuredAt}, commit ${p.commit}, load average ${p.machine.loadAverage}`;
  });
  const machine = results.parts[names[0]!]!.machine;
  return [
    `Written from \`bench/results.json\` by \`node --import tsx scripts/write-readme.ts\` after \`npm run bench\` (each part`,
    `records its figures when it ends). Machine: ${machine.cpus} × ${machine.model}. Rates are medians of the runs, the`,
    `spread is the slowest and fastest run, CPU counts every thread of the process measured.`,
    '',
    ...rows,
    '',
    ...(stages.length ? ['Where the time goes (share of the measured stages):', '', ...stages, ''] : []),
    `Measured: ${when.join('; ')}.`,
  ].join('\n');
}

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

/**
 * What `npm run bench` measured, kept in `bench/results.json` (committed): each part of the bench (one
 * script) replaces its own entry when it ends, so the README's speed section (bench/speed-section.ts) is
 * written from the last full run and says when and on what it was made. A part that fails leaves the
 * previous entry alone.
 */
export const RESULTS_FILE = fileURLToPath(new URL('./results.json', import.meta.url));

/** One figure: its median over the runs, each run's value (the spread) and what it cost. */
export interface Figure {
  /** Stable name, the key of its goal (GOALS): `render.steady`, `server.sqlite.issue`. */
  id: string;
  /** What it is, in the README's words. */
  label: string;
  value: number;
  unit: string;
  /** Each run's value: min and max are the spread the README shows. */
  runs?: number[];
  /** CPU one document (or request, or page) cost, all threads; `cpuUnit` says of what. */
  cpuMs?: number;
  cpuUnit?: string;
  /** Latency percentiles (ms), medians over the runs. */
  p50?: number;
  p99?: number;
  /** Share of the measured time per stage, in %. */
  stages?: Record<string, number>;
  /** Said after the figure (how many documents, which engine). */
  detail?: string;
}

export interface Part {
  measuredAt: string;
  commit: string;
  machine: { cpus: number; model: string; loadAverage: number };
  figures: Figure[];
}

export interface Results {
  parts: Record<string, Part>;
}

/** The goals of issue 16; a figure without one is reported only. */
export interface Goal {
  at: 'least' | 'most';
  value: number;
  /** And its p99 under this (ms). */
  p99Below?: number;
  /** The goal as the issue states it, when that reads better than the number. */
  text?: string;
}

export const GOALS: Readonly<Record<string, Goal>> = {
  'render.steady': { at: 'least', value: 1000, text: '≤ 1.0 ms (≥ 1,000/s)' },
  'render.fresh': { at: 'most', value: 1.5, text: 'within 1.5× of steady' },
  'server.sqlite.issue': { at: 'least', value: 500, p99Below: 50 },
  'server.sqlite.downloads': { at: 'least', value: 3000 },
  'server.sqlite.verifications': { at: 'least', value: 5000 },
  'server.postgresql.issue': { at: 'least', value: 400, p99Below: 60 },
  'server.postgresql.downloads': { at: 'least', value: 2000 },
  'regenerate.sqlite': { at: 'least', value: 100_000 / 180, text: '100,000 in < 3 min (≥ 556/s)' },
  'batch.pages': { at: 'least', value: 1000 },
};

/** Whether a figure meets its goal; undefined when it has none. */
export function meetsGoal(figure: Figure, goal: Goal | undefined = GOALS[figure.id]): boolean | undefined {
  if (!goal) return undefined;
  const value = goal.at === 'least' ? figure.value >= goal.value : figure.value <= goal.value;
  const latency = goal.p99Below === undefined || (figure.p99 !== undefined && figure.p99 < goal.p99Below);
  return value && latency;
}

export function readResults(file = RESULTS_FILE): Results {
  if (!existsSync(file)) return { parts: {} };
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<Results>;
  return { parts: parsed.parts ?? {} };
}

/**
 * Replaces one part's figures in the results file (written whole to a new name, then renamed). The
 * committed file takes only what `npm run bench` measures (bench/all.sh sets BENCH_RECORD=1): a part run
 * by hand, often with fewer runs or other settings, prints its figures and leaves the file alone.
 */
export function recordFigures(part: string, figures: Figure[], file = RESULTS_FILE): Part | undefined {
  if (file === RESULTS_FILE && process.env.BENCH_RECORD !== '1') return undefined;
  const results = readResults(file);
  const entry: Part = {
    measuredAt: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    commit: currentCommit(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model.trim() ?? 'unknown', loadAverage: Math.round(loadavg()[0]! * 100) / 100 },
    figures: figures.map(rounded),
  };
  results.parts[part] = entry;
  const sorted: Results = { parts: Object.fromEntries(Object.entries(results.parts).sort(([a], [b]) => a.localeCompare(b))) };
  const temp = `${file}.${process.pid}`;
  writeFileSync(temp, JSON.stringify(sorted, null, 2) + '\n');
  renameSync(temp, file);
  return entry;
}

/** Figures keep what their spread can tell: three significant digits is already more than the noise. */
function rounded(f: Figure): Figure {
  const r = (n: number) => (n === 0 || !Number.isFinite(n) ? n : Number(n.toPrecision(4)));
  return {
    ...f,
    value: r(f.value),
    ...(f.runs ? { runs: f.runs.map(r) } : {}),
    ...(f.cpuMs !== undefined ? { cpuMs: r(f.cpuMs) } : {}),
    ...(f.p50 !== undefined ? { p50: r(f.p50) } : {}),
    ...(f.p99 !== undefined ? { p99: r(f.p99) } : {}),
    ...(f.stages ? { stages: Object.fromEntries(Object.entries(f.stages).map(([k, v]) => [k, Math.round(v)])) } : {}),
  };
}

/** The commit measured, `+` when the tree had changes (the results themselves aside); `unknown` outside a git checkout. */
function currentCommit(): string {
  try {
    const cwd = fileURLToPath(new URL('..', import.meta.url));
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no', '--', '.', ':!bench/results.json'], {
      cwd,
      encoding: 'utf8',
    }).trim();
    return dirty ? `${head}+` : head;
  } catch {
    return 'unknown';
  }
}

/** Stage times (ms, summed) as shares of their total, largest first. */
export function stageShares(timings: Record<string, number>): Record<string, number> {
  const total = Object.values(timings).reduce((a, b) => a + b, 0);
  return Object.fromEntries(
    Object.entries(timings)
      .sort((a, b) => b[1] - a[1])
      .map(([stage, ms]) => [stage, total > 0 ? (100 * ms) / total : 0]),
  );
}

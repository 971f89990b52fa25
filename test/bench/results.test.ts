import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GOALS, meetsGoal, readResults, recordFigures, RESULTS_FILE, stageShares, type Figure, type Results } from '../../bench/results';
import { speedSection } from '../../bench/speed-section';

const dirs: string[] = [];
const tempFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'attest-bench-results-'));
  dirs.push(dir);
  return join(dir, 'results.json');
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const steady = (value: number): Figure => ({
  id: 'render.steady',
  label: 'render',
  value,
  unit: 'documents/s',
  runs: [value - 10, value, value + 5],
});

describe('bench results', () => {
  it('records each part apart: a part run again replaces only its own figures', () => {
    const file = tempFile();
    recordFigures('render', [steady(600)], file);
    recordFigures('batch', [{ id: 'batch.pages', label: 'batch', value: 812.3456, unit: 'pages/s' }], file);
    recordFigures('render', [steady(640)], file);
    const results = readResults(file);
    expect(Object.keys(results.parts)).toEqual(['batch', 'render']);
    expect(results.parts.render!.figures).toHaveLength(1);
    expect(results.parts.render!.figures[0]!.value).toBe(640);
    // Rounded to what the noise allows, and stamped with when and on what.
    expect(results.parts.batch!.figures[0]!.value).toBe(812.3);
    expect(results.parts.batch!.measuredAt).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
    expect(results.parts.batch!.machine.cpus).toBeGreaterThan(0);
    expect(results.parts.batch!.commit).toMatch(/^([0-9a-f]{7,}\+?|unknown)$/);
    // Written whole, as JSON a person can read in a diff.
    expect(readFileSync(file, 'utf8')).toContain('\n  "parts": {\n');
  });

  it('the committed file takes only what npm run bench measures: a part run by hand leaves it alone', () => {
    const before = readFileSync(RESULTS_FILE, 'utf8');
    const saved = process.env.BENCH_RECORD;
    delete process.env.BENCH_RECORD;
    try {
      expect(recordFigures('render', [steady(1)])).toBeUndefined();
    } finally {
      if (saved !== undefined) process.env.BENCH_RECORD = saved;
    }
    expect(readFileSync(RESULTS_FILE, 'utf8')).toBe(before);
  });

  it('a file that is not there yet reads as no results', () => {
    expect(readResults(join(tempFile(), 'nothing.json'))).toEqual({ parts: {} });
  });

  it('holds each figure to its goal, latency included', () => {
    expect(meetsGoal(steady(1000))).toBe(true);
    expect(meetsGoal(steady(999))).toBe(false);
    expect(meetsGoal({ id: 'render.fresh', label: '', value: 1.5, unit: '×' })).toBe(true);
    expect(meetsGoal({ id: 'render.fresh', label: '', value: 1.51, unit: '×' })).toBe(false);
    const issue = { id: 'server.sqlite.issue', label: '', value: 520, unit: '/s' };
    expect(meetsGoal({ ...issue, p99: 49 })).toBe(true);
    expect(meetsGoal({ ...issue, p99: 50 })).toBe(false);
    expect(meetsGoal(issue)).toBe(false); // a latency goal without a latency measured is not met
    expect(meetsGoal({ id: 'markup', label: '', value: 1, unit: 'ms' })).toBeUndefined();
    expect(GOALS['regenerate.sqlite']!.value).toBeCloseTo(555.6, 1);
  });

  it('stage shares add up to the whole, largest first', () => {
    const shares = stageShares({ save: 1, liquid: 3, 'draw:text': 6 });
    expect(Object.keys(shares)).toEqual(['draw:text', 'liquid', 'save']);
    expect(Object.values(shares).reduce((a, b) => a + b, 0)).toBeCloseTo(100, 6);
  });

  it('the README section shows every figure with its spread, cost, latency and whether its goal is met', () => {
    const machine = { cpus: 2, model: 'Test CPU', loadAverage: 0.5 };
    const results: Results = {
      parts: {
        'server-sqlite': {
          measuredAt: '2026-12-01 10:00 UTC',
          commit: 'abc1234',
          machine,
          figures: [
            {
              id: 'server.sqlite.issue',
              label: 'issued',
              value: 520,
              unit: '/s',
              runs: [480, 520, 530],
              p50: 20,
              p99: 61,
              cpuMs: 3.2,
              cpuUnit: 'request',
            },
          ],
        },
        render: {
          measuredAt: '2026-12-01 09:00 UTC',
          commit: 'abc1234+',
          machine,
          figures: [{ ...steady(1100), stages: { 'draw:text': 40, save: 20, bind: 0.4 } }],
        },
      },
    };
    const section = speedSection(results);
    const rows = section.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| figure') && !l.startsWith('| ---'));
    // The render part first, whatever order the file holds.
    expect(rows[0]).toContain('| render | 1,100 documents/s | 1,090–1,105 (3 runs) |');
    expect(rows[0]).toContain('**met**');
    // 520/s meets the rate but not the p99.
    expect(rows[1]).toContain('p50 20.0 ms, p99 61.0 ms');
    expect(rows[1]).toContain('3.20 ms per request');
    expect(rows[1]).toContain('≥ 500 /s, p99 < 50 ms: **not met**');
    expect(section).toContain('- render: draw:text 40 %, save 20 %');
    expect(section).not.toContain('bind 0');
    expect(section).toContain('`render` 2026-12-01 09:00 UTC, commit abc1234+');
    expect(section).toContain('2 × Test CPU');
    expect(speedSection({ parts: {} })).toContain('run `npm run bench`');
  });
});

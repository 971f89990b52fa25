import { defineConfig } from 'vitest/config';

/** The editor's browser tests share one build of the editor, made by their project's global setup. */
const EDITOR_BROWSER = 'test/editor/**/*-browser.test.ts';

const common = {
  // PDF tests shell out to poppler and qpdf; two cores are shared between workers and those processes.
  pool: 'forks',
  // Generous: a test waits on real work (renders, browsers, databases), and a busy machine only slows it.
  testTimeout: 120_000,
  hookTimeout: 180_000,
  // Render workers warm up with one small document instead of a few hundred: tests measure no speed, and a
  // full warm-up per pool would cost the suite minutes (test/server/render/warm-up.test.ts tests the full one).
  env: { ATTEST_RENDER_WARM_UP: 'light' },
} as const;

export default defineConfig({
  test: {
    // Run once for the whole run, whichever projects have tests in it.
    globalSetup: ['test/support/temp-dir.ts', 'test/support/postgres.ts'],
    // Three on two cores: about a third of a test's time is spent waiting on PostgreSQL, poppler, qpdf or a browser.
    maxWorkers: 3,
    projects: [
      { test: { ...common, name: 'unit', include: ['test/**/*.test.ts'], exclude: ['**/node_modules/**', EDITOR_BROWSER] } },
      { test: { ...common, name: 'editor', include: [EDITOR_BROWSER], globalSetup: ['test/support/editor-build.ts'] } },
    ],
  },
});

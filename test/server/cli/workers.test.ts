import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { attest } from './attest';
import { MAX_WORKERS, workersFrom } from '../../../server/cli/framework';

/** Every command that renders reads `--workers` the same way: a bad count is a usage error before anything starts. */
describe('--workers', () => {
  const database = join(mkdtempSync(join(tmpdir(), 'attest-workers-')), 'attest.sqlite');

  it('is a whole number from 1 to MAX_WORKERS; absent, one per core', () => {
    expect(workersFrom('3')).toBe(3);
    expect(workersFrom(String(MAX_WORKERS))).toBe(MAX_WORKERS);
    expect(workersFrom(undefined)).toBeGreaterThanOrEqual(1);
    for (const bad of ['0', '-1', '1.5', 'two', '', String(MAX_WORKERS + 1), '999999999'])
      expect(() => workersFrom(bad)).toThrow(/--workers/);
  });

  it('is refused with exit 2 by start, regenerate and migrate alike', async () => {
    for (const argv of [
      ['start', '--workers', '999999999', '--database', database],
      ['regenerate', '--all-tenants', '--workers', '0', '--database', database],
      [
        'migrate',
        'mod-certificate',
        '--from',
        'mysql://root@127.0.0.1/test',
        '--tenant',
        'x',
        '--workers',
        '100000',
        '--database',
        database,
      ],
    ]) {
      const r = await attest(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err).toContain(`--workers is a whole number from 1 to ${MAX_WORKERS}`);
    }
  });
});

import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { requestDocument, type IssueView } from '../../../server/domain/issues';
import {
  ENGINES,
  freshServices,
  learnerData,
  setupTenant,
  useRenderPool,
  type TenantFixture,
  type TestServices,
} from '../../support/storage';
import { run, writeTemp } from '../../templates/pdf/helpers';
import { attest } from './attest';

const pool = useRenderPool(1);

// The HTTP test covers both engines; the command itself is the same code over either.
describe('attest batch', () => {
  const engine = ENGINES[0];
  let s: TestServices;
  let fx: TenantFixture;
  const docs: IssueView[] = [];
  const file = () => join(mkdtempSync(join(tmpdir(), 'attest-cli-batch-')), 'session.pdf');

  beforeAll(async () => {
    s = await freshServices(engine, { pool: pool() });
    fx = await setupTenant(s, { example: 'diploma-background' });
    for (const [id, persona] of [
      ['1', 'camille-martin'],
      ['2', 'greek'],
      ['3', 'arabic'],
    ] as const)
      docs.push(
        (
          await requestDocument(s, fx.lms, {
            certificateId: fx.certificate.id,
            learnerId: id,
            data: learnerData({}, persona),
            available: true,
          })
        ).issue,
      );
  });

  it('writes one PDF of the documents named, in that order, and reports it as JSON; nothing on standard error', async () => {
    // One run (a CLI run starts and warms a render worker: seconds); the selection flags are the HTTP test's.
    const out = file();
    const r = await attest(
      'batch',
      '--tenant',
      fx.tenant.slug,
      '--database',
      s.url,
      '--certificate',
      fx.certificate.id,
      '--code',
      docs[2]!.code,
      '--code',
      docs[0]!.code,
      '--out',
      out,
      '--json',
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as { documents: number; pages: number; leftOut: number; codes: string[] };
    expect(report).toMatchObject({ documents: 2, pages: 2, leftOut: 0, codes: [docs[2]!.code, docs[0]!.code] });
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const pdf = writeTemp(readFileSync(out));
    expect(run('pdfinfo', [pdf])).toMatch(/^Pages:\s+2$/m);
    expect(run('pdftotext', ['-f', '1', '-l', '1', pdf, '-'])).toContain(docs[2]!.code);
  });

  it('says what is wrong: no certificate, codes with filters, an empty selection', async () => {
    const base = ['batch', '--tenant', fx.tenant.slug, '--database', s.url, '--out', file()];
    expect((await attest(...base)).code).toBe(2);
    expect((await attest(...base, '--certificate', fx.certificate.id, '--code', docs[0]!.code, '--issued-from', '2020-01-01')).code).toBe(
      2,
    );
    const empty = await attest(...base, '--certificate', fx.certificate.id, '--issued-from', '2999-01-01');
    expect(empty.code).not.toBe(0);
    expect(empty.err).toContain('BATCH_EMPTY');
  });
});

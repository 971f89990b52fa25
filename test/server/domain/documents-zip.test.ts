import { describe, expect, it, beforeAll } from 'vitest';
import { setImmediate as turn } from 'node:timers/promises';
import { certificateDocumentsZip, exportDocuments } from '../../../server/domain/exports';
import { updateCertificate } from '../../../server/domain/certificates';
import { requestDocument } from '../../../server/domain/issues';
import { freshServices, learnerData, setupTenant, useRenderPool, type TenantFixture, type TestServices } from '../../support/storage';
import { readZip } from '../../support/zip';
import { writeTemp } from '../../templates/pdf/helpers';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The documents ZIP of a certificate is written as it is read: with nobody reading, the server has read
 * only the first documents from storage; read to the end, it has them all. And `attest export` names its
 * entries by the certificate's pattern too, inside its tenant/certificate folders.
 */
const pool = useRenderPool(1);
const LEARNERS = 12;

describe('the documents ZIP of a certificate', () => {
  let services: TestServices;
  let t: TenantFixture;
  let reads = 0;

  beforeAll(async () => {
    services = await freshServices('sqlite', { pool: pool() });
    t = await setupTenant(services);
    await updateCertificate(services, t.admin, t.certificate.id, { settings: { file_name: '{{ learner.lastname }}' } });
    for (let i = 0; i < LEARNERS; i++)
      await requestDocument(services, t.lms, { certificateId: t.certificate.id, learnerId: `L${i}`, available: true, data: learnerData() });
    const documents = services.storage.documents;
    const read = documents.read.bind(documents);
    documents.read = (...args: Parameters<typeof read>) => {
      reads++;
      return read(...args);
    };
  }, 60_000);

  it('reads documents from storage only as fast as the archive is read', async () => {
    reads = 0;
    const zip = await certificateDocumentsZip(services, t.admin, t.certificate.id);
    // Nobody reads: however many turns of the event loop pass, the server stops after the first few.
    for (let i = 0; i < 200; i++) await turn();
    const waiting = reads;
    expect(waiting).toBeGreaterThan(0);
    expect(waiting).toBeLessThanOrEqual(2);
    const chunks: Buffer[] = [];
    for await (const c of zip.stream) chunks.push(c as Buffer);
    expect(reads).toBe(LEARNERS);
    const entries = await readZip(writeTemp(Buffer.concat(chunks), 'stream.zip'));
    expect([...entries.keys()].filter((k) => k.endsWith('.pdf'))).toEqual([
      'Martin.pdf',
      ...Array.from({ length: LEARNERS - 1 }, (_, i) => `Martin~${i + 2}.pdf`),
    ]);
  });

  it('is what `attest export` names by the same pattern, in its folders', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'attest-zip-')), 'out');
    const report = await exportDocuments(services, {
      scopes: [{ tenant: t.tenant, actor: t.admin }],
      selection: {},
      out,
      maxArchiveBytes: 1e9,
    });
    expect(report.documents).toBe(LEARNERS);
    const entries = await readZip(
      join(
        out,
        readdirSync(out).find((f) => f.endsWith('.zip'))!,
      ),
    );
    const names = [...entries.keys()].filter((k) => k.endsWith('.pdf'));
    expect(names[0]).toBe(`${t.tenant.slug}/Sauveteur secouriste du travail/Martin.pdf`);
    expect(new Set(names).size).toBe(LEARNERS);
  });
});

import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openServices } from '../../../server/services';
import { createTenant } from '../../../server/domain/tenants';
import { createTemplate, publishTemplate, updateTemplate } from '../../../server/domain/templates';
import type { Actor } from '../../../server/domain/context';
import { EXAMPLES_DIR } from '../../../templates/files';
import { attest, snapshot } from './attest';

/** `attest template list|export|validate` on templates stored in a real SQLite file. */
describe('attest template', () => {
  const dir = mkdtempSync(join(tmpdir(), 'attest-cli-templates-'));
  const db = join(dir, 'attest.sqlite');
  const example = readFileSync(join(EXAMPLES_DIR, 'attestation-fr.liquid'), 'utf8');
  const draft = example.replace('ATTESTATION DE FORMATION', 'ATTESTATION DE STAGE');
  let templateId = '';

  beforeAll(async () => {
    // Publishing renders with every sample learner: one render worker.
    const services = await openServices({ databaseUrl: db, baseUrl: 'http://127.0.0.1', render: { size: 1 } });
    try {
      const alpha = await createTenant(services, { slug: 'alpha', name: 'Alpha' });
      const beta = await createTenant(services, { slug: 'beta', name: 'Beta' });
      const inAlpha: Actor = { kind: 'system', tenantId: alpha.id };
      const t = await createTemplate(services, inAlpha, { example: 'attestation-fr' });
      templateId = t.id;
      await publishTemplate(services, inAlpha, t.id);
      await updateTemplate(services, inAlpha, t.id, { source: draft });
      await createTemplate(
        services,
        { kind: 'system', tenantId: beta.id },
        {
          name: 'Broken',
          source: '---\nname: Broken\n---\n<page>\n  <txt x="0" y="0"/>\n</page>\n',
        },
      );
    } finally {
      await services.close();
    }
  }, 120_000);

  it('lists the templates of the tenants given, with their versions', async () => {
    const r = await attest('template', 'list', '--all-tenants', '--json', '--database', db);
    expect(r.code, r.err).toBe(0);
    const rows = JSON.parse(r.out) as { tenant: string; name: string; versions: { number: number }[] }[];
    expect(rows.map((t) => [t.tenant, t.name, t.versions.map((v) => v.number)])).toEqual([
      ['alpha', 'Attestation de formation', [1]],
      ['beta', 'Broken', []],
    ]);
    expect((await attest('template', 'list', '--tenant', 'beta', '--database', db)).out).toContain('draft only');
    const unknown = await attest('template', 'list', '--tenant', 'gamma', '--database', db);
    expect([unknown.code, unknown.err]).toEqual([1, expect.stringContaining('"gamma"')]);
  });

  it('exports the draft with its assets into a folder that attest render reads back', async () => {
    const out = join(dir, 'draft');
    const r = await attest('template', 'export', 'Attestation de formation', '--tenant', 'alpha', '--out', out, '--json', '--database', db);
    expect(r.code, r.err).toBe(0);
    const report = JSON.parse(r.out) as { file: string; version: null; assets: { name: string; path: string }[] };
    expect(report.file).toBe(join(out, 'attestation-de-formation.liquid'));
    expect(report.version).toBeNull();
    expect(readFileSync(report.file, 'utf8')).toBe(draft);
    expect(report.assets.map((a) => a.name)).toEqual(['assets/seal.png', 'assets/signature.png']);
    for (const a of report.assets) expect(readFileSync(a.path)).toEqual(readFileSync(join(EXAMPLES_DIR, a.name)));
    const pdf = join(dir, 'draft.pdf');
    const rendered = await attest('render', report.file, '--persona', 'camille-martin', '--out', pdf);
    expect(rendered.code, rendered.err).toBe(0);
    expect(rendered.err).toBe('');
    expect(existsSync(pdf)).toBe(true);

    const again = await attest('template', 'export', templateId, '--tenant', 'alpha', '--out', out, '--database', db);
    expect([again.code, again.err]).toEqual([3, expect.stringContaining('--force')]);
    expect((await attest('template', 'export', templateId, '--tenant', 'alpha', '--out', out, '--force', '--database', db)).code).toBe(0);
  });

  it('exports a published version to a file, exactly as it was published', async () => {
    const file = join(dir, 'v1', 'attestation-v1.liquid');
    const r = await attest('template', 'export', templateId, '--tenant', 'alpha', '--version', '1', '--out', file, '--database', db);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('version 1');
    expect(readFileSync(file, 'utf8')).toBe(example);
    expect(existsSync(join(dir, 'v1', 'assets', 'seal.png'))).toBe(true);
    const missing = await attest(
      'template',
      'export',
      templateId,
      '--tenant',
      'alpha',
      '--version',
      '7',
      '--out',
      file,
      '--force',
      '--database',
      db,
    );
    expect([missing.code, missing.err]).toEqual([1, expect.stringContaining('VERSION_NOT_FOUND')]);
    const nothing = await attest('template', 'export', 'No such template', '--tenant', 'alpha', '--out', file, '--database', db);
    expect([nothing.code, nothing.err]).toEqual([1, expect.stringContaining('TEMPLATE_NOT_FOUND')]);
    expect(
      (await attest('template', 'export', templateId, '--tenant', 'alpha', '--version', 'two', '--out', file, '--database', db)).code,
    ).toBe(2);
  });

  it('writes nothing on --dry-run, and says what it would write', async () => {
    const out = join(dir, 'dry');
    const before = await snapshot(db);
    const r = await attest('template', 'export', templateId, '--tenant', 'alpha', '--out', out, '--dry-run', '--json', '--database', db);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ dryRun: true, file: join(out, 'attestation-de-formation.liquid') });
    expect(existsSync(out)).toBe(false);
    expect(await snapshot(db)).toBe(before);
  });

  it('validates stored templates (draft or version) and files with the checks of attest check', async () => {
    const draftCheck = await attest(
      'template',
      'validate',
      '--tenant',
      'alpha',
      'Attestation de formation',
      '--no-personas',
      '--database',
      db,
    );
    expect(draftCheck.code, draftCheck.err).toBe(0);
    expect(draftCheck.out).toContain('alpha:Attestation de formation (draft): 0 errors, 0 warnings');
    const v1 = await attest('template', 'validate', '--tenant', 'alpha', templateId, '--version', '1', '--json', '--database', db);
    expect(v1.code, v1.err).toBe(0);
    expect(JSON.parse(v1.out)).toEqual([{ file: 'alpha:Attestation de formation (version 1)', diagnostics: [] }]);

    const broken = await attest('template', 'validate', '--tenant', 'beta', 'Broken', '--json', '--database', db);
    expect(broken.code).toBe(1);
    const [report] = JSON.parse(broken.out) as { diagnostics: { code: string }[] }[];
    expect(report!.diagnostics.map((d) => d.code)).toContain('MARKUP_UNKNOWN_ELEMENT');
    const text = await attest('template', 'validate', '--tenant', 'beta', 'Broken', '--database', db);
    expect(text.err).toMatch(/beta:Broken \(draft\):5:4 error MARKUP_UNKNOWN_ELEMENT/);

    const file = join(dir, 'narrow.liquid');
    writeFileSync(file, '---\nname: Narrow\n---\n<page>\n  <text x="10mm" y="10mm" width="30mm">{{ learner.fullname }}</text>\n</page>\n');
    const onFile = await attest('template', 'validate', file, '--no-personas', '--json');
    expect(onFile.code, onFile.err).toBe(0);
    expect(JSON.parse(onFile.out)).toEqual([{ file, diagnostics: [] }]);
    expect((await attest('template', 'validate', file, '--version', '1')).code).toBe(2);
    expect((await attest('template', 'validate', '--tenant', 'gamma', 'Broken', '--database', db)).code).toBe(1);
  });
});

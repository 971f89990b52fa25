import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../server/cli/main';
import { EXAMPLES_DIR } from '../../../templates/files';
import { findPersona } from '../../../variables/personas';

const dir = mkdtempSync(join(tmpdir(), 'attest-cli-'));
const example = join(EXAMPLES_DIR, 'attestation-fr.liquid');

async function attest(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

describe('attest render', () => {
  it('renders a template with a sample learner into a PDF whose text is the learner', async () => {
    const pdf = join(dir, 'camille.pdf');
    const r = await attest('render', example, '--persona', 'camille-martin', '--out', pdf);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/wrote .*camille\.pdf \(1 page/);
    expect(execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' })).toContain('Camille Martin');
  });

  it('renders with data from a JSON file, and --json describes the result', async () => {
    const data = join(dir, 'data.json');
    writeFileSync(data, JSON.stringify(findPersona('greek')!.data));
    const r = await attest('render', example, '--data', data, '--out', join(dir, 'greek.pdf'), '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ ok: true, pages: 1 });
  });

  it('lists every data problem with its path and exits 1, writing nothing', async () => {
    const data = join(dir, 'bad.json');
    writeFileSync(data, JSON.stringify({ learner: { email: 'not-an-email' }, course: {} }));
    const out = join(dir, 'never.pdf');
    const r = await attest('render', example, '--data', data, '--out', out);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/BIND_MISSING.*\(learner\.fullname\)/);
    expect(r.err).toMatch(/BIND_FORMAT.*\(learner\.email\)/);
    expect(r.err).toMatch(/\(course\.fullname\)/);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses malformed JSON data with exit 1 and the parser message', async () => {
    const data = join(dir, 'broken.json');
    writeFileSync(data, '{ "learner": ');
    const r = await attest('render', example, '--data', data, '--out', join(dir, 'x.pdf'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/is not valid JSON/);
  });

  it('exits 2 for a wrong command line and 3 for a file it cannot read', async () => {
    expect((await attest('render', example, '--persona', 'nobody', '--out', join(dir, 'x.pdf'))).code).toBe(2);
    expect((await attest('render', example, '--out', join(dir, 'x.pdf'))).code).toBe(2);
    expect((await attest('render', example, '--persona', 'camille-martin')).code).toBe(2);
    expect((await attest('frobnicate')).code).toBe(2);
    const missing = await attest('render', join(dir, 'missing.liquid'), '--persona', 'camille-martin', '--out', join(dir, 'x.pdf'));
    expect(missing.code).toBe(3);
    expect(missing.err).toContain('error SOURCE_UNREADABLE: Cannot read the template');
    expect((await attest('render', example, '--data', join(dir, 'missing.json'), '--out', join(dir, 'x.pdf'))).code).toBe(3);
    expect((await attest('render', example, '--persona', 'camille-martin', '--out', join(dir, 'no', 'such', 'dir.pdf'))).code).toBe(3);
  });
});

describe('attest check', () => {
  it('passes the bundled examples with every sample learner', async () => {
    const r = await attest(
      'check',
      ...readdirSync(EXAMPLES_DIR)
        .filter((f) => f.endsWith('.liquid'))
        .map((f) => join(EXAMPLES_DIR, f)),
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out.match(/0 errors, 0 warnings/g)).toHaveLength(3);
  });

  it('reports problems as file:line:column severity CODE: message and exits 1', async () => {
    const file = join(dir, 'broken.liquid');
    writeFileSync(file, '---\nname: Broken\n---\n<page>\n  <txt x="0" y="0"/>\n</page>\n');
    const r = await attest('check', file);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${file}:5:4 error MARKUP_UNKNOWN_ELEMENT: <txt> is not a certificate element. Did you mean <text>?`);
    const json = await attest('check', file, '--json');
    const reports = JSON.parse(json.out) as { diagnostics: unknown[] }[];
    expect(reports[0]?.diagnostics[0]).toMatchObject({
      code: 'MARKUP_UNKNOWN_ELEMENT',
      range: { start: { line: 5, column: 4 } },
    });
  });

  it('names the sample learners whose data makes a layout problem', async () => {
    const file = join(dir, 'narrow.liquid');
    writeFileSync(
      file,
      '---\nname: Narrow\n---\n<page>\n  <text x="10mm" y="10mm" width="30mm" height="6mm">{{ learner.fullname }}</text>\n</page>\n',
    );
    const r = await attest('check', file);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/warning LAYOUT_TEXT_OVERFLOW: \[[^\]]*long-name/);
  });
});

describe('the attest program', () => {
  it('runs from bin/ with node alone (no build step)', () => {
    const out = execFileSync('node', ['bin/attest.mjs', '--help'], { encoding: 'utf8' });
    expect(out).toMatch(/render.*\n.*check/s);
  });
});

/** The parts of a printed JSON Schema these tests look at. */
interface JsonSchema {
  $schema?: string;
  type?: string;
  properties?: Record<string, JsonSchema | undefined>;
  required?: string[];
}

describe('attest schema', () => {
  it("prints the catalogue, or a template's contract with its own variables, as JSON Schema", async () => {
    const all = await attest('schema');
    expect(all.code).toBe(0);
    const catalogue = JSON.parse(all.out) as JsonSchema;
    expect(catalogue.$schema).toContain('2020-12');
    expect(catalogue.properties?.learner?.properties?.fullname).toBeDefined();
    expect(catalogue.properties?.modules).toBeUndefined();
    const transcript = JSON.parse((await attest('schema', join(EXAMPLES_DIR, 'transcript-en.liquid'))).out) as JsonSchema;
    expect(transcript.properties?.modules?.type).toBe('array');
    const lms = JSON.parse((await attest('schema', '--lms')).out) as JsonSchema;
    expect(lms.required ?? []).not.toContain('certificate');
  });
});

import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { checkCommand } from '../../../server/cli/check';
import { checkSource, registerTemplateImport } from '../../../server/cli/commands/template-import';
import type { Cli } from '../../../server/cli/framework';
import { CliError, type IO } from '../../../server/cli/output';
import { getTemplate, listTemplates } from '../../../server/domain/templates';
import { createTenant } from '../../../server/domain/tenants';
import { convertModel, UNMAPPED_CODES, type Conversion } from '../../../server/migrate/pdcertificate/convert';
import { readModelsFromDatabase } from '../../../server/migrate/pdcertificate/database';
import { modelFromRow } from '../../../server/migrate/pdcertificate/model';
import { modelsFromText, readModelFile } from '../../../server/migrate/pdcertificate/read';
import { openServices } from '../../../server/services';
import { compileTemplate } from '../../../templates/compile';
import { renderDocument } from '../../../templates/render';
import { hasErrors } from '../../../variables/diagnostics';
import { DEFAULT_MAPPING_CONTEXT, pdcertificatePlaceholders, resolvePlaceholder } from '../../../variables/moodle';
import { findPersona } from '../../../variables/personas';
import { scratchDatabase } from '../../support/storage';
import { pdftotext, writeTemp } from '../../templates/pdf/helpers';

/**
 * The mod_pdcertificate import: every placeholder name of ../shared/PDCERTIFICATE.md (the authority) in its
 * three brace forms, the README's table against the converter, HTML, hostile text, the model readers (JSON,
 * backup XML, a live MariaDB and PostgreSQL), and the command writing templates into a tenant.
 */
const FACTS = readFileSync('/work/shared/PDCERTIFICATE.md', 'utf8');
const README = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const PARTS: Record<string, string> = { CMID: '42', SHORTNAME: 'employer', KEY: 'session' };

/** Every placeholder name the facts list, with the varying parts filled (the persona has activity 42, profile field employer, extra session). */
function factNames(): string[] {
  const section = FACTS.slice(FACTS.indexOf('## mod_pdcertificate placeholders'), FACTS.indexOf('Date formats'));
  const names = new Set<string>();
  for (const line of section
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| group | placeholders') && !l.startsWith('| ---'))) {
    const [group, list] = line
      .split('|')
      .slice(1, 3)
      .map((c) => c.trim());
    for (const [, name] of list!.matchAll(/`((?:info|user|extra):[A-Za-z_]+)`/g)) {
      if (name === 'user:X' || name === 'info:user_X') continue;
      names.add(name!.replace(/(CMID|SHORTNAME|KEY)$/, (p) => PARTS[p]!));
      // "learner (each also as `user:X`, and `info:user_X`)": the user: form of every learner name.
      if (group!.startsWith('learner') && name!.startsWith('info:user_')) names.add(`user:${name!.slice('info:user_'.length)}`);
    }
  }
  return [...names];
}

const model = (row: Record<string, unknown>) =>
  modelFromRow({ id: 7, course: 3, name: 'Attestation', pdcertificatetype: 'A4_landscape', datefmt: 1, gradefmt: 1, ...row }, 'test#7');
const unmapped = (c: Conversion) => c.notes.filter((n) => UNMAPPED_CODES.has(n.code));
const FORMS = [(n: string) => `{{${n}}}`, (n: string) => `{{{${n}}}}`, (n: string) => `{${n}}`] as const;

const tmp = mkdtempSync(join(tmpdir(), 'attest-pdcert-'));
const pdfText = (pdf: Uint8Array): string => pdftotext(writeTemp(pdf)).replace(/\s+/g, ' ');

async function renderWith(source: string, persona = 'oliver-bennett'): Promise<string> {
  const compiled = await compileTemplate(source);
  expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const r = renderDocument(compiled.template!, findPersona(persona)!.data);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return pdfText(r.pdf!);
}

describe('the placeholders of PDCERTIFICATE.md', () => {
  const names = factNames();

  it('are all read from the facts (the table has not changed shape)', () => {
    expect(names.length).toBeGreaterThanOrEqual(55);
    for (const n of [
      'info:user_enrolment_date',
      'user:enrolment_end_date',
      'info:course_total_time',
      'info:pdcertificate_teachers',
      'extra:session',
    ])
      expect(names).toContain(n);
    expect(names).not.toContain('info:user_enrol_start');
  });

  it('each converts in all three brace forms, to the Liquid of the mapping table', () => {
    for (const name of names) {
      const resolved = resolvePlaceholder(name);
      expect(resolved, name).toBeDefined();
      for (const form of FORMS) {
        const c = convertModel(model({ customtext: `x ${form(name)} y` }));
        expect(unmapped(c), form(name)).toEqual([]);
        expect(
          c.placeholders.map((p) => p.name),
          form(name),
        ).toEqual([name]);
        expect(c.placeholders[0]!.liquid).toBe(resolved!.mapping.liquid({ ...DEFAULT_MAPPING_CONTEXT, defaults: {} }, resolved!.part));
        expect(c.source, form(name)).toContain(c.placeholders[0]!.liquid);
      }
    }
  });

  it('all together pass the checks of attest check, and render the persona’s values into the PDF', async () => {
    const all = names.map((n, i) => `${n}=${FORMS[i % 3]!(n)}`).join(' ; ');
    const c = convertModel(
      model({
        headertext: '<p>Header {{info:user_fullname}}</p>',
        customtext: all,
        footertext: '{info:site_fullname}',
        printconfig: '{"fontbasefamily":"FreeSans","fontbasesize":"6","bordercolor":"3","printqrcode":"1"}',
        extradata: '{"session":"from the instance","room":"B12"}',
        caption: 'Instance caption',
        credithours: '10',
      }),
    );
    expect(unmapped(c)).toEqual([]);
    const diagnostics = await checkSource(c.source);
    expect(hasErrors(diagnostics), JSON.stringify(diagnostics, null, 1)).toBe(false);
    expect(diagnostics.filter((d) => d.stage === 'analyze')).toEqual([]);
    // And through `attest check` itself, on the file.
    const file = join(tmp, 'all.liquid');
    writeFileSync(file, c.source);
    const out: string[] = [];
    expect(await checkCommand([file], { personas: true }, { out: (s) => out.push(s), err: (s) => out.push(s) })).toBe(0);

    const text = await renderWith(c.source);
    for (const expected of [
      'Header Oliver Bennett',
      'info:user_fullname=Oliver Bennett',
      'user:fullname=Oliver Bennett',
      'info:user_country=GB',
      'info:user_enrolment_date=January 12, 2026',
      'user:enrolment_end_date=June 30, 2026',
      'info:user_employer=ACME',
      'user:employer=ACME',
      'info:course_fullname=Workplace First Aid — Initial Training',
      'info:course_summary=Train employees to respond to an accident at work.',
      'info:course_grade=Course Grade: 77.50%',
      'info:completion_date=February 03, 2026',
      'info:course_total_time=14 h',
      'info:certificate_code=ATT-3H8D-5R2T',
      'info:certificate_date=February 04, 2026',
      'info:certificate_outcome=Protect: Achieved, Alert: Achieved',
      'info:certificate_credit_hours_text=Credit Hours: 14',
      'info:certificate_user_credit_hours_text=User credit hours: 14',
      'info:certificate_teachers=Harriet Cole',
      'info:pdcertificate_certifier=Margaret Hughes',
      'info:group_names=Group A',
      'info:last_group_name=Group A',
      'info:module_completion_date_42=February 02, 2026',
      'info:module_grade_42=16.0/20',
      'extra:session=Spring session',
      'Northfield Learning',
    ])
      expect(text).toContain(expected);
    // pdftotext may join a line broken after the hyphen.
    expect(text).toMatch(/info:user_email=oliver-?bennett@example\.org/);
  });

  it('print the module’s words and the instance’s values when the data has none', async () => {
    const c = convertModel(
      model({
        customtext:
          '[{{info:completion_date}}] [{{info:module_grade_99}}] [{{info:module_completion_date_99}}] [{{extra:room}}] [{{info:certificate_caption}}] [{{info:user_enrolment_date}}]',
        extradata: '{"room":"B12"}',
        caption: 'Instance caption',
        datefmt: 3,
      }),
      { locale: 'fr' },
    );
    const compiled = await compileTemplate(c.source);
    const data = structuredClone(findPersona('oliver-bennett')!.data) as Record<string, Record<string, unknown>>;
    delete data.completion;
    delete data.learner!.enrolment_start;
    delete data.certificate!.caption;
    const text = pdfText(renderDocument(compiled.template!, data).pdf!);
    expect(text).toContain('[Non achevé] [Non noté] [Non achevé] [B12] [Instance caption] [--]');
  });

  it('follow the model’s date and grade formats', async () => {
    const line = '{{info:certificate_date}} | {{info:course_grade}}';
    expect(await renderWith(convertModel(model({ customtext: line, datefmt: 3, gradefmt: 2 })).source)).toContain(
      '04 February 2026 | Course Grade: 15.50',
    );
    expect(await renderWith(convertModel(model({ customtext: line, datefmt: 4, gradefmt: 3 })).source)).toContain(
      'February 2026 | Course Grade: B',
    );
    expect(await renderWith(convertModel(model({ customtext: line, datefmt: 5 })).source)).toContain(
      'February 4, 2026 | Course Grade: 77.50%',
    );
    const defaulted = convertModel(model({ customtext: line, datefmt: 0, gradefmt: 0 }));
    expect(defaulted.notes.map((n) => n.code)).toEqual(expect.arrayContaining(['DATEFMT_DEFAULTED', 'GRADEFMT_DEFAULTED']));
  });
});

describe('the README mapping table', () => {
  const section = README.slice(README.indexOf('<!-- generated:placeholders -->'), README.indexOf('<!-- /generated:placeholders -->'));
  const rows = section
    .split('\n')
    .filter((l) => l.startsWith('| `{'))
    .map((l) => l.split(/(?<!\\)\|/).map((c) => c.trim()));

  it('has a row for every mapping, and says what the converter writes for each name it lists', () => {
    expect(rows).toHaveLength(pdcertificatePlaceholders.length);
    const examples: Record<string, string> = { CMID: '12', SHORTNAME: 'badge_no', KEY: 'room' };
    for (const [, names, , liquid] of rows) {
      const expected = liquid!.replace(/^`|`$/g, '').replace(/\\\|/g, '|');
      for (const [, name] of names!.matchAll(/`\{\{([^`]+)\}\}`/g)) {
        const concrete = name!.replace(/(CMID|SHORTNAME|KEY)$/, (p) => examples[p]!);
        const c = convertModel(model({ customtext: `{{${concrete}}}` }));
        expect(c.placeholders[0]?.liquid, name).toBe(expected);
      }
    }
  });

  it('names every placeholder of the facts, and none the module does not have', () => {
    const listed = [...section.matchAll(/`\{\{([^`{}]+)\}\}`/g)].map((m) => m[1]!);
    for (const name of factNames())
      expect(
        listed.some(
          (l) => l === name || resolvePlaceholder(name)?.mapping.name === l || resolvePlaceholder(name)?.mapping.aliases.includes(l),
        ),
        name,
      ).toBe(true);
    for (const wrong of ['info:user_enrol_start', 'info:course_startdate', 'info:teachers', 'info:activity_grade:ID'])
      expect(listed, wrong).not.toContain(wrong);
  });
});

describe('text and HTML of a model', () => {
  it('keeps hostile text as text: no Liquid, no markup comes out of it', async () => {
    const hostile = [
      '<b>{{ 7*7 }}</b> {% assign x = 49 %}{{x}} {%- raw -%}',
      '</text></page><page><qr x="0" y="0" size="9mm" value="https://evil.example"/>',
      '&lt;script&gt; "quotes" \'single\' & ampersand {{{ 7*7 }}} {{=<% %>=}} {{#each}}loop{{/each}} {{! comment }} {{> partial}}',
      '{{info:no_such_thing}} {user:} {{  }} {{{info:user_fullname}} } ]]> <![CDATA[ x ]]>',
    ].join('\n');
    const c = convertModel(model({ customtext: hostile }));
    expect(c.source).not.toContain('{{ 7*7 }}');
    expect(c.source).not.toContain('{% assign');
    expect(c.source).not.toContain('value="https://evil.example"');
    const diagnostics = await checkSource(c.source);
    expect(hasErrors(diagnostics), JSON.stringify(diagnostics)).toBe(false);
    const text = await renderWith(c.source);
    for (const visible of [
      '{{ 7*7 }}',
      '{% assign x = 49 %}',
      '{%- raw -%}',
      '<script>',
      '"quotes" \'single\' & ampersand',
      '{{{ 7*7 }}}',
      '{{#each}}loop{{/each}}',
      '{{info:no_such_thing}}',
    ])
      expect(text).toContain(visible);
    const codes = unmapped(c).map((n) => `${n.code} ${n.text}`);
    expect(codes).toEqual(
      expect.arrayContaining([
        'PLACEHOLDER_UNKNOWN {{ 7*7 }}',
        'PLACEHOLDER_UNKNOWN {{x}}',
        'PLACEHOLDER_UNKNOWN {{{ 7*7 }}}',
        'MUSTACHE_UNSUPPORTED {{#each}}',
        'MUSTACHE_UNSUPPORTED {{/each}}',
        'MUSTACHE_UNSUPPORTED {{! comment }}',
        'MUSTACHE_UNSUPPORTED {{> partial}}',
        'PLACEHOLDER_UNKNOWN {{info:no_such_thing}}',
      ]),
    );
  });

  it('keeps hostile instance values (caption, extra data) as text in the Liquid defaults', async () => {
    const c = convertModel(
      model({
        caption: `a }} b {% x %} "q" 'r' <b>&amp;`,
        extradata: JSON.stringify({ k: 'v }}\n{{ 7*7 }} %}' }),
        customtext: '[{{info:certificate_caption}}] [{{extra:k}}]',
      }),
    );
    const compiled = await compileTemplate(c.source);
    expect(compiled.diagnostics).toEqual([]);
    const data = structuredClone(findPersona('oliver-bennett')!.data) as Record<string, Record<string, unknown>>;
    delete data.certificate!.caption;
    delete data.extra;
    const text = pdfText(renderDocument(compiled.template!, data).pdf!);
    expect(text).toContain(`[a }} b {% x %} ”q” 'r' <b>&] [v }} {{ 7*7 }} %}]`);
  });

  it('reports each unmapped placeholder with its section, line and column', () => {
    const c = convertModel(
      model({ headertext: 'line one\n  {{info:bogus}}', customtext: 'ok', footertext: '<p>\n<b>{info:nope}</b></p>' }),
    );
    expect(unmapped(c).map((n) => [n.section, n.line, n.column, n.text])).toEqual([
      ['header', 2, 3, '{{info:bogus}}'],
      ['footer', 2, 4, '{info:nope}'],
    ]);
  });

  it('converts p, br, b, strong, i, em, u, span and div to inline markup; strips the rest with a note', async () => {
    const html =
      '<div style="text-align:center"><p>One <b>bold</b> <strong>strong</strong><br>two <i>it</i> <em>em</em> <u>under</u></p>' +
      '<p><span style="color: #1f3a5f; font-size: 14pt; letter-spacing: 2px">blue</span> <font color="red">red</font></p>' +
      '<h2>Title</h2><table><tr><td>alpha</td><td>beta</td></tr></table><img src="seal.png"><ul><li>first</li><li>second</li></ul>' +
      '<a href="https://example.org/x">site</a> <a href="javascript:alert(1)">bad</a> <sup>2</sup>&nbsp;&eacute;&copy;</div>';
    const c = convertModel(model({ customtext: html }));
    expect(c.source).toContain('align="center"');
    expect(c.source).toContain('One <b>bold</b> <b>strong</b><br/>');
    expect(c.source).toContain('two <i>it</i> <i>em</i> <u>under</u>');
    expect(c.source).toContain('<span color="#1f3a5f" size="14">blue</span> <span color="red">red</span>');
    expect(c.source).toContain('<b><span size="15">Title</span></b>');
    expect(c.source).toContain('<link href="https://example.org/x">site</link>');
    expect(c.source).toContain('• first');
    const codes = c.notes.map((n) => `${n.code} ${n.text ?? ''}`);
    expect(codes).toEqual(
      expect.arrayContaining([
        'HTML_STRIPPED <table>',
        'HTML_STRIPPED <sup>',
        'HTML_STRIPPED <ul>',
        'HTML_DROPPED <img src="seal.png">',
        'HTML_STYLE_DROPPED letter-spacing: 2px',
      ]),
    );
    const text = await renderWith(c.source);
    for (const s of ['One bold strong', 'two it em under', 'blue red', 'Title', 'alpha beta', '• first', '• second', 'site bad 2 é©'])
      expect(text).toContain(s);
  });

  it('turns the line breaks of a plain text into line breaks, as Moodle’s format_text does', () => {
    const c = convertModel(model({ customtext: 'first line\nsecond {{info:user_fullname}}\n\n<p>\npara</p>' }));
    // As Moodle: the newline right before a tag is a space, the others are line breaks; the paragraph starts a line.
    expect(c.source).toMatch(/first line<br\/>\s+second \{\{ learner\.fullname \}\}<br\/>\s+para/);
    // The module's default body: a <br/> after a heading leaves an empty line, as in HTML.
    const d = convertModel(model({ customtext: '\n<center>\n<h1>Certificate</h1>\n<br/>\n<p>We, {info:certifier_name}</p>\n</center>\n' }));
    expect(d.source).toMatch(/<b><span size="20">Certificate<\/span><\/b><br\/>\s+<br\/>\s+We, \{\{ certifier\.name/);
  });

  it('lays out the page from the type and printconfig: size, border, QR code, font and positions', () => {
    const c = convertModel(
      model({
        pdcertificatetype: 'letter_portrait',
        printconfig:
          '{"fontbasefamily":"freeserif","fontbasesize":12,"bordercolor":1,"printqrcode":true,"qrcodex":150,"qrcodey":220,"custx":25,"custy":70}',
        customtext: 'Body',
      }),
    );
    expect(c.source).toMatch(/size: Letter\n\s+orientation: portrait/);
    expect(c.source).toContain('family: serif');
    expect(c.source).toContain('<qr x="150mm" y="220mm"');
    expect(c.source).toContain('stroke="#000000"');
    expect(c.source).toContain('<text x="25mm" y="70mm" width="165.9mm" size="12"');
    const unknown = convertModel(model({ pdcertificatetype: 'fancy', printconfig: 'a:1:{s:1:"x";}', customtext: 'x' }));
    expect(unknown.notes.map((n) => n.code)).toEqual(expect.arrayContaining(['TYPE_UNKNOWN', 'MODEL_PROBLEM']));
  });

  it('declares group_specific and names the certificate settings that keep the instance’s values', () => {
    const c = convertModel(
      model({ customtext: '{{{info:group_specific}}}', caption: 'Cap', credithours: '12.5', extradata: '{"room":"B12","n":3}' }),
    );
    expect(c.source).toMatch(/variables:\n\s+group_specific:\n\s+type: text/);
    expect(c.notes.map((n) => n.code)).toEqual(expect.arrayContaining(['PLACEHOLDER_DECLARED', 'RAW_HTML_AS_TEXT']));
    expect(c.settings).toEqual({ caption: 'Cap', credit_hours: 12.5, extra: { room: 'B12', n: '3' } });
  });
});

describe('model files', () => {
  const row = {
    id: 5,
    course: 2,
    name: 'From JSON',
    customtext: 'Hello {{info:user_fullname}}',
    headertext: 'H',
    footertext: 'F',
    pdcertificatetype: 'A4_portrait',
  };

  it('reads a JSON row, an array of rows, or { pdcertificate: … }', () => {
    expect(modelsFromText(JSON.stringify(row), 'a.json').map((m) => m.name)).toEqual(['From JSON']);
    expect(modelsFromText(JSON.stringify([row, { ...row, id: 6 }]), 'a.json').map((m) => m.id)).toEqual(['5', '6']);
    expect(modelsFromText(JSON.stringify({ pdcertificate: [row] }), 'a.json')[0]!.origin).toBe('a.json#5');
    expect(() => modelsFromText('nope', 'bad.json')).toThrow(/neither JSON nor/);
  });

  it('reads a backup’s pdcertificate.xml (3.9 leaves the header and footer out) and an unpacked backup folder', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<activity id="9" moduleid="42" modulename="pdcertificate" contextid="77">
  <pdcertificate id="9">
    <name>From &lt;backup&gt;</name>
    <pdcertificatetype>A4_landscape</pdcertificatetype>
    <printconfig>{"fontbasefamily":"FreeSans","fontbasesize":"10"}</printconfig>
    <datefmt>3</datefmt>
    <gradefmt>1</gradefmt>
    <customtext>&lt;p&gt;Bravo {{info:user_fullname}}&lt;/p&gt;</customtext>
    <caption>$@NULL@$</caption>
    <extradata>{"room":"B12"}</extradata>
    <issues><issue id="1"><code>ABC</code></issue></issues>
  </pdcertificate>
</activity>`;
    const dir = join(tmp, 'backup');
    mkdirSync(join(dir, 'activities', 'pdcertificate_42'), { recursive: true });
    writeFileSync(join(dir, 'activities', 'pdcertificate_42', 'pdcertificate.xml'), xml);
    for (const models of [modelsFromText(xml, 'pdcertificate.xml'), await readModelFile(dir)]) {
      expect(models).toHaveLength(1);
      const m = models[0]!;
      expect([m.id, m.name, m.datefmt, m.caption, m.extradata.room, m.absent]).toEqual([
        '9',
        'From <backup>',
        3,
        '',
        'B12',
        ['headertext', 'footertext'],
      ]);
      expect(m.origin).toContain('course module 42');
      const c = convertModel(m);
      expect(c.source).toContain('Bravo {{ learner.fullname }}');
      expect(c.notes.filter((n) => n.code === 'TEXT_ABSENT').map((n) => n.section)).toEqual(['header', 'footer']);
    }
  });
});

// The command ----------------------------------------------------------------------------------------

interface Run {
  code: number;
  out: string;
  err: string;
}

async function attest(args: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const io: IO = { out: (s) => out.push(s), err: (s) => err.push(s) };
  let code = 0;
  const cli: Cli = {
    io,
    run: async (work) => {
      code = await work();
    },
  };
  const program = new Command('attest').exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err });
  registerTemplateImport(program.command('template'), cli);
  try {
    await program.parseAsync(['template', 'import', ...args], { from: 'user' });
  } catch (e) {
    if (e instanceof CliError) {
      err.push(e.message);
      code = e.exitCode;
    } else if (e instanceof Error && 'exitCode' in e) code = (e as { exitCode: number }).exitCode === 0 ? 0 : 2;
    else throw e;
  }
  return { code, out: out.join(''), err: err.join('') };
}

async function attestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const db = await scratchDatabase('sqlite');
  const services = await openServices({ databaseUrl: db.url, baseUrl: 'https://attest.test', render: { size: 0 } });
  await createTenant(services, { slug: 'campus', name: 'Campus' });
  await services.close();
  return db;
}

describe('attest template import', () => {
  const jsonFile = join(tmp, 'models.json');
  writeFileSync(
    jsonFile,
    JSON.stringify([
      {
        id: 1,
        name: 'Model one',
        customtext: '<p>Bravo {{info:user_fullname}} {{info:nope}}</p>',
        pdcertificatetype: 'A4_landscape',
        datefmt: 1,
        gradefmt: 1,
      },
      { id: 2, name: 'Model two', customtext: 'Code {{info:certificate_code}}', pdcertificatetype: 'A4_portrait', datefmt: 2, gradefmt: 1 },
    ]),
  );

  it('shows its help with examples, and refuses a wrong command line', async () => {
    const help = await attest(['--help']);
    expect(help.out).toContain('Examples:');
    expect(help.out).toContain('--from pdcertificate --db mysql://');
    expect((await attest(['--from', 'pdcertificate', '--tenant', 'campus'])).code).toBe(2);
    expect((await attest(['--from', 'pdcertificate', jsonFile, '--db', 'mysql://x/y', '--tenant', 'campus'])).code).toBe(2);
    expect((await attest(['--from', 'pdcertificate', join(tmp, 'missing.json'), '--dry-run'])).code).toBe(3);
  });

  it('--dry-run prints the converted sources and the report, and writes nothing', async () => {
    const db = await attestDatabase();
    try {
      const r = await attest(['--from', 'pdcertificate', jsonFile, '--tenant', 'campus', '--database', db.url, '--dry-run']);
      expect(r.code, r.err).toBe(4);
      expect(r.out).toContain('name: Model one');
      expect(r.out).toContain('Bravo {{ learner.fullname }} &#123;&#123;info:nope}}');
      expect(r.out).toContain('body:1:33 warning PLACEHOLDER_UNKNOWN {{info:nope}}');
      expect(r.out).toContain('would be created (dry run: nothing written)');
      const json = await attest(['--from', 'pdcertificate', jsonFile, '--instance', '2', '--dry-run', '--json']);
      expect(json.code).toBe(0);
      const value = JSON.parse(json.out) as {
        dryRun: boolean;
        templates: { instance: string; outcome: string; source: string }[];
        unmapped: number;
      };
      expect(value.templates.map((t) => [t.instance, t.outcome])).toEqual([['2', 'would-create']]);
      expect(value.templates[0]!.source).toContain('{{ certificate.code | upcase }}');
      const services = await openServices({ databaseUrl: db.url, baseUrl: 'https://attest.test', render: { size: 0 } });
      const tenant = await services.storage.db.selectFrom('tenants').select('id').executeTakeFirstOrThrow();
      expect(await listTemplates(services, { kind: 'system', tenantId: tenant.id })).toEqual([]);
      await services.close();
    } finally {
      await db.drop();
    }
  });

  it('creates each template in the tenant (publishing on request), and a second run changes nothing', async () => {
    const db = await attestDatabase();
    try {
      const first = await attest(['--from', 'pdcertificate', jsonFile, '--tenant', 'campus', '--database', db.url, '--json']);
      expect(first.code, first.err).toBe(4);
      const report = JSON.parse(first.out) as {
        templates: { name: string; outcome: string; template: { id: string } }[];
        unmapped: number;
      };
      expect(report.unmapped).toBe(1);
      expect(report.templates.map((t) => [t.name, t.outcome])).toEqual([
        ['Model one', 'created'],
        ['Model two', 'created'],
      ]);
      const again = await attest(['--from', 'pdcertificate', jsonFile, '--tenant', 'campus', '--database', db.url, '--json']);
      expect((JSON.parse(again.out) as typeof report).templates.map((t) => t.outcome)).toEqual(['exists', 'exists']);

      const attestFile = join(tmp, 'plain.liquid');
      writeFileSync(attestFile, convertModel(model({ name: 'Plain one', customtext: 'Hi {{info:user_firstname}}' })).source);
      const plain = await attest(['--from', 'attest', attestFile, '--tenant', 'campus', '--database', db.url, '--publish', '--json']);
      expect(plain.code, plain.err).toBe(0);
      const published = (JSON.parse(plain.out) as { templates: { outcome: string; template: { id: string; version: number } }[] })
        .templates[0]!;
      expect(published.outcome).toBe('published');
      expect(published.template.version).toBe(1);

      const services = await openServices({ databaseUrl: db.url, baseUrl: 'https://attest.test', render: { size: 0 } });
      const tenant = await services.storage.db.selectFrom('tenants').select('id').executeTakeFirstOrThrow();
      const actor = { kind: 'system', tenantId: tenant.id } as const;
      expect((await listTemplates(services, actor)).map((t) => t.name).sort()).toEqual(['Model one', 'Model two', 'Plain one']);
      const one = await getTemplate(services, actor, report.templates[0]!.template.id);
      expect(one.source).toContain('Bravo {{ learner.fullname }}');
      await services.close();
    } finally {
      await db.drop();
    }
  }, 60_000);
});

// Live Moodle databases --------------------------------------------------------------------------------

const COLUMNS = {
  id: 'INT PRIMARY KEY',
  course: 'INT NOT NULL',
  name: 'VARCHAR(255) NOT NULL',
  pdcertificatetype: 'VARCHAR(50) NOT NULL',
  printconfig: 'TEXT NOT NULL',
  datefmt: 'INT NOT NULL',
  gradefmt: 'INT NOT NULL',
  headertext: 'TEXT',
  customtext: 'TEXT',
  footertext: 'TEXT',
  caption: 'VARCHAR(255)',
  credithours: 'VARCHAR(255)',
  extradata: 'TEXT',
  groupspecificcontent: 'INT NOT NULL DEFAULT 0',
};
const ROWS = [
  {
    id: 11,
    course: 4,
    name: 'Live one',
    pdcertificatetype: 'A4_landscape',
    printconfig: '{"fontbasefamily":"FreeSans","fontbasesize":"11","printqrcode":"1"}',
    datefmt: 3,
    gradefmt: 2,
    headertext: '<p style="text-align:center">{{info:site_fullname}}</p>',
    customtext: '<p>Bravo <b>{{info:user_fullname}}</b>, {{info:course_grade}} — {{extra:room}} {{info:unknown_one}}</p>',
    footertext: '{info:certificate_code}',
    caption: 'Live caption',
    credithours: '7',
    extradata: '{"room":"B12"}',
    groupspecificcontent: 0,
  },
  {
    id: 12,
    course: 4,
    name: 'Live two',
    pdcertificatetype: 'letter_portrait',
    printconfig: '',
    datefmt: 1,
    gradefmt: 1,
    headertext: null,
    customtext: 'Delivered on {{info:certificate_date}}',
    footertext: null,
    caption: null,
    credithours: null,
    extradata: null,
    groupspecificcontent: 0,
  },
];

function createTableSql(quote: (s: string) => string): string {
  return `CREATE TABLE ${quote('mdl_pdcertificate')} (${Object.entries(COLUMNS)
    .map(([k, t]) => `${quote(k)} ${t}`)
    .join(', ')})`;
}

async function checkLiveRead(url: string, imagesKnown: boolean): Promise<void> {
  const all = await readModelsFromDatabase(url, { prefix: 'mdl_' });
  expect(all.map((m) => [m.id, m.name])).toEqual([
    ['11', 'Live one'],
    ['12', 'Live two'],
  ]);
  const [one] = await readModelsFromDatabase(url, { instance: 11 });
  expect([one!.datefmt, one!.gradefmt, one!.printconfig.fontbasesize, one!.extradata, one!.caption]).toEqual([
    3,
    2,
    11,
    { room: 'B12' },
    'Live caption',
  ]);
  const c = convertModel(one!);
  expect(unmapped(c).map((n) => [n.section, n.line, n.column, n.text])).toEqual([['body', 1, 80, '{{info:unknown_one}}']]);
  const images = c.notes.find((n) => n.code === 'IMAGE_NOT_IMPORTED')!;
  if (imagesKnown) expect(images.message).toContain('printseal');
  else expect(images.severity).toBe('info');
  const text = await renderWith(c.source);
  expect(text).toContain('Northfield Learning');
  expect(text).toContain('Bravo Oliver Bennett, Course Grade: 15.50 — B12 {{info:unknown_one}}');
  expect(text).toContain('ATT-3H8D-5R2T');

  const db = await attestDatabase();
  try {
    const r = await attest([
      '--from',
      'pdcertificate',
      '--db',
      url,
      '--instance',
      '12',
      '--tenant',
      'campus',
      '--database',
      db.url,
      '--json',
    ]);
    expect(r.code, r.err).toBe(0);
    expect((JSON.parse(r.out) as { templates: { name: string; outcome: string }[] }).templates.map((t) => [t.name, t.outcome])).toEqual([
      ['Live two', 'created'],
    ]);
    const missing = await attest(['--from', 'pdcertificate', '--db', url, '--instance', '99', '--tenant', 'campus', '--database', db.url]);
    expect(missing.code).toBe(1);
  } finally {
    await db.drop();
  }
  await expect(readModelsFromDatabase(url, { prefix: 'nope_' })).rejects.toThrow(/cannot read nope_pdcertificate/);
}

describe('--db against a live Moodle database', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  it('reads MariaDB read-only (mysql2) and imports', async () => {
    const name = `attest_pdc_${process.pid}_${randomBytes(4).toString('hex')}`;
    const admin = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
    await admin.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4`);
    cleanups.push(async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name}`);
      await admin.end();
    });
    await admin.query(`USE ${name}`);
    await admin.query(createTableSql((s) => `\`${s}\``));
    for (const row of ROWS) await admin.query('INSERT INTO mdl_pdcertificate SET ?', [row]);
    // Only the module's table: the file tables are not there, so the images are not known.
    await checkLiveRead(`mysql://root@127.0.0.1:3306/${name}`, false);
  }, 60_000);

  it('reads PostgreSQL read-only (pg), with the instance images from the file tables, and imports', async () => {
    const scratch = await scratchDatabase('postgres');
    cleanups.push(() => scratch.drop());
    const client = new pg.Client({ connectionString: scratch.url });
    await client.connect();
    try {
      await client.query(createTableSql((s) => `"${s}"`));
      for (const row of ROWS) {
        const keys = Object.keys(row);
        await client.query(
          `INSERT INTO mdl_pdcertificate (${keys.join(', ')}) VALUES (${keys.map((_, i) => `$${i + 1}`).join(', ')})`,
          Object.values(row),
        );
      }
      await client.query(`CREATE TABLE mdl_modules (id INT PRIMARY KEY, name VARCHAR(20));
        CREATE TABLE mdl_course_modules (id INT PRIMARY KEY, module INT, instance INT);
        CREATE TABLE mdl_context (id INT PRIMARY KEY, contextlevel INT, instanceid INT);
        CREATE TABLE mdl_files (id INT PRIMARY KEY, contextid INT, component VARCHAR(100), filearea VARCHAR(50), filename VARCHAR(255));
        INSERT INTO mdl_modules VALUES (23, 'pdcertificate');
        INSERT INTO mdl_course_modules VALUES (42, 23, 11);
        INSERT INTO mdl_context VALUES (77, 70, 42);
        INSERT INTO mdl_files VALUES (1, 77, 'mod_pdcertificate', 'printseal', 'seal.png'), (2, 77, 'mod_pdcertificate', 'printseal', '.');`);
    } finally {
      await client.end();
    }
    await checkLiveRead(scratch.url, true);
  }, 60_000);
});

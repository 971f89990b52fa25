import { execFileSync } from 'node:child_process';
import { SaxesParser } from 'saxes';
import { expect } from 'vitest';
import { srgbIccProfile } from '../../../templates/pdf/icc';
import { pdffonts, run } from './helpers';

/**
 * Everything of PDF/A-3b a tool here can see in a file, checked: the XMP packet parsed as XML (its
 * identification, and each property equal to the Info entry pdfinfo reads), the catalog's uncompressed
 * /Metadata, the sRGB output intent and its ICC profile (the very bytes we build), every font embedded
 * (pdffonts), no encryption or JavaScript (pdfinfo), link annotations printable, every embedded file
 * declared in /AF with its relationship, and qpdf's structure check. Answers what it read, for more checks.
 */
export interface PdfAFacts {
  xmp: Map<string, string>;
  info: Map<string, string>;
  attachments: { name: string; relationship: string; subtype: string }[];
}

type Json = Record<string, unknown>;
const NS = {
  pdfaid: 'http://www.aiim.org/pdfa/ns/id/',
  dc: 'http://purl.org/dc/elements/1.1/',
  pdf: 'http://ns.adobe.com/pdf/1.3/',
  xmp: 'http://ns.adobe.com/xap/1.0/',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
};

/** Properties of the rdf:Descriptions (prefix:name → text; a list's items joined with ", "). */
export function parseXmp(xml: string): Map<string, string> {
  const props = new Map<string, string>();
  const parser = new SaxesParser({ xmlns: true });
  const stack: string[] = [];
  let current: string | undefined;
  let items: string[] = [];
  let text = '';
  parser.on('opentag', (tag) => {
    const parent = stack[stack.length - 1];
    stack.push(`${tag.uri} ${tag.local}`);
    if (parent === `${NS.rdf} Description`) {
      const prefix = Object.entries(NS).find(([, uri]) => uri === tag.uri)?.[0] ?? tag.uri;
      current = `${prefix}:${tag.local}`;
      items = [];
    }
    text = '';
  });
  parser.on('text', (t) => (text += t));
  parser.on('closetag', (tag) => {
    stack.pop();
    if (tag.uri === NS.rdf && tag.local === 'li') items.push(text);
    else if (current && stack[stack.length - 1] === `${NS.rdf} Description`) {
      props.set(current, items.length ? items.join(', ') : text.trim());
      current = undefined;
    }
    text = '';
  });
  parser.write(xml).close();
  return props;
}

const ref = (v: unknown) => `obj:${String(v)}`;

export function checkPdfA(path: string): PdfAFacts {
  expect(run('qpdf', ['--check', path])).toContain('No syntax or stream encoding errors');
  const objects = (JSON.parse(run('qpdf', ['--json', '--json-key=qpdf', path])) as { qpdf: [unknown, Record<string, Json>] }).qpdf[1];
  const value = (key: string) => objects[key]?.value as Json;
  const trailer = value('trailer');
  expect(trailer['/Encrypt']).toBeUndefined();
  expect(Array.isArray(trailer['/ID']) && (trailer['/ID'] as string[]).length === 2).toBe(true);
  const catalog = value(ref(trailer['/Root']));
  expect(catalog['/OpenAction']).toBeUndefined();
  expect(catalog['/AA']).toBeUndefined();

  // Metadata: an uncompressed XML stream, parsed.
  const metaKey = ref(catalog['/Metadata']);
  const metaDict = (objects[metaKey]?.stream as { dict: Json }).dict;
  expect(metaDict['/Type']).toBe('/Metadata');
  expect(metaDict['/Subtype']).toBe('/XML');
  expect(metaDict['/Filter']).toBeUndefined();
  const metaNum = String(catalog['/Metadata']).split(' ')[0]!;
  const xml = execFileSync('qpdf', [`--show-object=${metaNum}`, '--raw-stream-data', path]).toString('utf8');
  const xmp = parseXmp(xml);
  expect(xmp.get('pdfaid:part')).toBe('3');
  expect(xmp.get('pdfaid:conformance')).toBe('B');

  // The same values as the Info dictionary.
  const info = new Map<string, string>();
  for (const line of run('pdfinfo', ['-isodates', '-enc', 'UTF-8', path]).split('\n')) {
    const m = /^([A-Za-z ]+):\s+(.*)$/.exec(line);
    if (m) info.set(m[1]!, m[2]!);
  }
  const pairs: [string, string][] = [
    ['Title', 'dc:title'],
    ['Author', 'dc:creator'],
    ['Subject', 'dc:description'],
    ['Keywords', 'pdf:Keywords'],
    ['Creator', 'xmp:CreatorTool'],
    ['Producer', 'pdf:Producer'],
    ['CreationDate', 'xmp:CreateDate'],
    ['ModDate', 'xmp:ModifyDate'],
  ];
  for (const [key, prop] of pairs) expect(xmp.get(prop), `${prop} = Info ${key}`).toBe(info.get(key));
  expect(info.get('Encrypted')).toMatch(/^no/);
  expect(info.get('JavaScript')).toBe('no');

  // The output intent: GTS_PDFA1 with the sRGB profile we build, three components.
  const intents = catalog['/OutputIntents'] as unknown[];
  expect(intents).toHaveLength(1);
  const intent = value(ref(intents[0]));
  expect(intent['/S']).toBe('/GTS_PDFA1');
  expect(intent['/Type']).toBe('/OutputIntent');
  expect(intent['/OutputConditionIdentifier']).toBe('u:sRGB IEC61966-2.1');
  const profileRef = String(intent['/DestOutputProfile']);
  expect((objects[ref(profileRef)]?.stream as { dict: Json }).dict['/N']).toBe(3);
  const icc = execFileSync('qpdf', [`--show-object=${profileRef.split(' ')[0]}`, '--filtered-stream-data', path]);
  expect(Buffer.compare(icc, Buffer.from(srgbIccProfile()))).toBe(0);

  // Fonts: every one embedded (none of the standard 14, which are never embedded).
  const fonts = pdffonts(path);
  for (const f of fonts) expect(f.emb, `${f.name} embedded`).toBe(true);

  // Every annotation printable; links only.
  for (const o of Object.values(objects)) {
    const v = o.value as Json | undefined;
    if (v && v['/Type'] === '/Annot') {
      expect(v['/Subtype']).toBe('/Link');
      expect(v['/F']).toBe(4);
    }
    if (v && (v['/S'] === '/JavaScript' || v['/JS'] !== undefined)) throw new Error('JavaScript in a PDF/A file');
  }

  // Embedded files: each in /AF with its relationship, a MIME subtype and a modification date.
  const attachments: PdfAFacts['attachments'] = [];
  const af = (catalog['/AF'] as unknown[] | undefined) ?? [];
  for (const r of af) {
    const spec = value(ref(r));
    expect(spec['/Type']).toBe('/Filespec');
    expect(spec['/F']).toBeDefined();
    expect(spec['/UF']).toBeDefined();
    const ef = spec['/EF'] as Json;
    const file = (objects[ref(ef['/F'])]?.stream as { dict: Json }).dict;
    // qpdf shows names decoded: the slash is written #2F in the file, as a name must.
    expect(String(file['/Subtype'])).toMatch(/^\/[a-z]+\/[a-z0-9.+-]+$/);
    expect((file['/Params'] as Json)['/ModDate']).toBeDefined();
    attachments.push({
      name: String(spec['/UF']).replace(/^u:/, ''),
      relationship: String(spec['/AFRelationship']),
      subtype: String(file['/Subtype']),
    });
  }
  const listed = run('pdfdetach', ['-list', '-enc', 'UTF-8', path]);
  expect(listed).toContain(`${af.length} embedded files`);
  for (const a of attachments) expect(listed).toContain(a.name);
  return { xmp, info, attachments };
}

import type { CertificateSettings } from '../../domain/settings';
import { MAX_ASSET_BYTES } from '../../../templates/assets';
import { PreparedImage } from '../../../templates/pdf';
import type { ModCertificateInstance } from './instance';
import { convertCustomText, liquidString, markupText } from './html';
import { BORDER_COLORS, LAYOUTS, SIZES, TITLE_COLOR, lineFonts, type Orientation, type Paper } from './layouts';

export type ImageKind = 'border' | 'watermark' | 'signature' | 'seal';

export interface ImageFile {
  bytes: Uint8Array;
  /** image/png or image/jpeg. */
  mediaType: string;
}

/**
 * The image files an instance names (borderstyle, printwmark, printsignature, printseal), as the caller
 * found them in moodledata's file pool or the plugin's pix folders. A kind absent from both maps is one the
 * instance does not use; a kind in `missing` is one it names but whose file was not found (the value says
 * where it was looked for, or why it could not be read). The element is then left out and a warning says so.
 */
export interface InstanceImages {
  found: Partial<Record<ImageKind, ImageFile>>;
  missing: Partial<Record<ImageKind, string>>;
}

export interface MigrationWarning {
  /** The `certificate` column the warning is about (`printsignature`, `customtext`, …). */
  field: string;
  message: string;
}

export interface MigratedTemplate {
  name: string;
  /** The .liquid template file's text. */
  source: string;
  /** File name (as the front matter names it, e.g. `assets/border.png`) → bytes. */
  assets: Record<string, ImageFile>;
  /** What the instance says that Attest keeps in a certificate's settings. */
  certificateSettings: Partial<CertificateSettings>;
  warnings: MigrationWarning[];
}

export interface MigrationContext {
  /** The course's full name: it names the template (the document prints `course.fullname` from the data). */
  courseName: string;
  /** The language of the printed wording. */
  locale: 'fr' | 'en';
  /** When `printgrade` is a course module: its name, printed before its grade as the plugin did. */
  gradeActivityName?: string;
  /** When `printoutcome` is set: the outcome's name, to pick it from the learner's `outcomes`. */
  outcomeName?: string;
}

/**
 * The plugin's image columns, the asset each becomes and the folder of its pix directory. The folder names
 * are the plugin's (`pix/borders/…`), so a caller can find a file from the column's value.
 */
export const IMAGE_COLUMNS: Record<ImageKind, { column: keyof ModCertificateInstance; folder: string }> = {
  border: { column: 'borderstyle', folder: 'borders' },
  watermark: { column: 'printwmark', folder: 'watermarks' },
  signature: { column: 'printsignature', folder: 'signatures' },
  seal: { column: 'printseal', folder: 'seals' },
};

/** The image file an instance names for a kind, or undefined when it prints none ("0" or empty). */
export function namedImage(instance: ModCertificateInstance, kind: ImageKind): string | undefined {
  const value = String(instance[IMAGE_COLUMNS[kind].column] ?? '').trim();
  return value === '' || value === '0' ? undefined : value;
}

interface Words {
  title: string;
  certify: string;
  statement: string;
  courseGrade: string;
  grade: string;
  creditHours: string;
  code: string;
}

/** What a tagged document's seal and signature figures say, in the instance's language. */
const IMAGE_ALT: Record<'fr' | 'en', Record<'seal' | 'signature', string>> = {
  en: { seal: 'Seal', signature: 'Signature' },
  fr: { seal: 'Sceau', signature: 'Signature' },
};

// Attest's own wording of what the plugin prints, in the instance's language.
const WORDS: Record<'fr' | 'en', Words> = {
  en: {
    title: 'Certificate of Achievement',
    certify: 'This certifies that',
    statement: 'has successfully completed the course',
    courseGrade: 'Course grade',
    grade: 'Grade',
    creditHours: 'Credit hours',
    code: 'Certificate code',
  },
  fr: {
    title: 'Certificat de réussite',
    certify: 'Nous certifions que',
    statement: 'a suivi avec succès le cours',
    courseGrade: 'Note du cours',
    grade: 'Note',
    creditHours: 'Heures créditées',
    code: 'Code du certificat',
  },
};

/** "Label: " in English, "Libellé : " (no-break space before the colon) in French. */
function label(text: string, locale: 'fr' | 'en'): string {
  return `${markupText(text)}${locale === 'fr' ? '&nbsp;: ' : ': '}`;
}

const TYPES: Record<string, { paper: Paper; embedded: boolean }> = {
  A4_embedded: { paper: 'A4', embedded: true },
  A4_non_embedded: { paper: 'A4', embedded: false },
  letter_embedded: { paper: 'letter', embedded: true },
  letter_non_embedded: { paper: 'letter', embedded: false },
};

const SNIFF_PNG = [0x89, 0x50, 0x4e, 0x47];

function sniffImage(bytes: Uint8Array): 'png' | 'jpeg' | undefined {
  if (bytes.length >= 8 && SNIFF_PNG.every((b, i) => bytes[i] === b)) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return undefined;
}

/** Numbers written into the template: at most two decimals, no trailing zeros. */
function num(n: number): string {
  return String(Math.round(n * 100) / 100);
}

/**
 * One mod_certificate instance as an Attest template: the same page, the same lines at the same places in
 * the same faces and sizes, the same images and frame, and what the instance says about delivery as
 * certificate settings. Everything that could not be carried over is a warning naming the column.
 */
export function templateFromInstance(
  instance: ModCertificateInstance,
  images: InstanceImages,
  context: MigrationContext,
): MigratedTemplate {
  const warnings: MigrationWarning[] = [];
  const warn = (field: string, message: string): void => {
    warnings.push({ field, message });
  };
  const locale = context.locale;
  const words = WORDS[locale];

  // ---- page, type and fonts
  let type = TYPES[instance.certificatetype];
  if (!type) {
    const paper: Paper = /^letter/i.test(instance.certificatetype) ? 'letter' : 'A4';
    type = { paper, embedded: true };
    warn(
      'certificatetype',
      `"${instance.certificatetype}" is not one of the plugin's four types (a type folder added to the site); its layout is unknown, so the ${paper}_embedded layout is used.`,
    );
  }
  const orientation: Orientation = instance.orientation === 'L' ? 'landscape' : 'portrait';
  if (instance.orientation !== 'L' && instance.orientation !== 'P')
    warn('orientation', `"${instance.orientation}" is neither L nor P; the plugin printed it in portrait, and so does the template.`);
  const layout = LAYOUTS[type.paper][orientation];
  const fonts = lineFonts(type.paper, type.embedded);
  const u = layout.unit;
  const len = (n: number): string => `${num(n)}${u}`;
  // A line printed with width 0 runs from its x to the right margin, as TCPDF's cells do.
  const widthFrom = (x: number): string => len(layout.page.w - layout.rightMargin - x);

  // ---- images
  const assets: Record<string, ImageFile> = {};
  const assetDecl: string[] = [];
  const prepared: Partial<Record<ImageKind, { width: number; height: number }>> = {};
  for (const kind of ['border', 'watermark', 'signature', 'seal'] as const) {
    const named = namedImage(instance, kind);
    const column = IMAGE_COLUMNS[kind].column;
    if (!named) continue;
    const file = images.found[kind];
    if (!file) {
      const why = images.missing[kind];
      warn(
        column,
        `The ${kind} image "${named}" was not found${why && why !== named ? ` (${why})` : ''}: the template is migrated without it.`,
      );
      continue;
    }
    const format = sniffImage(file.bytes);
    if (!format) {
      warn(column, `The ${kind} image "${named}" is not a PNG or a JPEG (${file.mediaType}): the template is migrated without it.`);
      continue;
    }
    if (file.bytes.length > MAX_ASSET_BYTES) {
      warn(column, `The ${kind} image "${named}" is larger than ${MAX_ASSET_BYTES / 1e6} MB: the template is migrated without it.`);
      continue;
    }
    let image: PreparedImage;
    try {
      image = PreparedImage.fromBytes(file.bytes);
    } catch (e) {
      warn(column, `The ${kind} image "${named}" cannot be read (${(e as Error).message}): the template is migrated without it.`);
      continue;
    }
    const fileName = `assets/${kind}.${format === 'png' ? 'png' : 'jpg'}`;
    assets[fileName] = { bytes: file.bytes, mediaType: format === 'png' ? 'image/png' : 'image/jpeg' };
    assetDecl.push(`  ${kind}: ${fileName}`);
    prepared[kind] = { width: image.width, height: image.height };
  }

  // ---- the page's elements, in the plugin's drawing order
  const body: string[] = [];
  if (prepared.border) {
    const b = layout.border;
    body.push(`  <image x="${len(b.x)}" y="${len(b.y)}" width="${len(b.w)}" height="${len(b.h)}" fit="fill" src="border" alt=""/>`);
  }
  const color = BORDER_COLORS[String(instance.bordercolor).trim()];
  if (color) {
    for (const f of layout.frame)
      body.push(
        `  <rect x="${len(f.x)}" y="${len(f.y)}" width="${len(f.w)}" height="${len(f.h)}" stroke="${color.hex}" stroke-width="${num(f.stroke)}${u}"/>`,
      );
    if (prepared.border || namedImage(instance, 'border'))
      warn('bordercolor', 'Both a border image and border lines are set: the plugin drew both, and so does the template.');
  } else if (!['', '0'].includes(String(instance.bordercolor).trim())) {
    warn('bordercolor', `"${instance.bordercolor}" is not one of the plugin's border colours (1–4): no border lines are drawn.`);
  }
  if (prepared.watermark) {
    const w = layout.watermark;
    body.push(
      `  <image x="${len(w.x)}" y="${len(w.y)}" width="${len(w.w)}" height="${len(w.h)}" fit="fill" opacity="${layout.watermarkOpacity}" src="watermark" alt=""/>`,
    );
  }
  // Seal and signature were printed at their own size: TCPDF gives an image without a size one point per
  // pixel. An image that would then leave the page is made smaller, keeping its proportions.
  for (const kind of ['seal', 'signature'] as const) {
    const p = prepared[kind];
    if (!p) continue;
    const at = layout[kind];
    const toUnit = u === 'pt' ? 1 : 25.4 / 72;
    const maxW = layout.page.w - at.x;
    const maxH = layout.page.h - at.y;
    let w = p.width * toUnit;
    let h = p.height * toUnit;
    const scale = Math.min(1, maxW / w, maxH / h);
    if (scale < 1) {
      w *= scale;
      h *= scale;
      warn(
        IMAGE_COLUMNS[kind].column,
        `The ${kind} image (${p.width}×${p.height} pixels) would leave the page at the plugin's size; it is made ${Math.round(scale * 100)}% as large.`,
      );
    }
    // The frame and the watermark above are decoration (alt=""); the seal and the signature say what they are.
    body.push(
      `  <image x="${len(at.x)}" y="${len(at.y)}" width="${len(w)}" height="${len(h)}" fit="fill" src="${kind}" alt="${IMAGE_ALT[locale][kind]}"/>`,
    );
  }

  // ---- the lines of text
  const x = layout.x;
  const width = widthFrom(x);
  const line = (offset: number, font: string, size: number, content: string, extra = ''): string =>
    `  <text x="${len(x)}" y="${len(layout.y + offset)}" width="${width}" align="center" font="${font}" size="${size}"${extra}>${content}</text>`;
  const L = layout.lines;

  body.push(line(0, fonts.title, SIZES.title, markupText(words.title), ` color="${TITLE_COLOR}"`));
  body.push(line(L.certify, fonts.certify, SIZES.certify, markupText(words.certify)));
  body.push(line(L.name, fonts.name, SIZES.name, '{{ learner.fullname }}', ' fit="shrink" min-size="12"'));
  body.push(line(L.statement, fonts.statement, SIZES.statement, markupText(words.statement)));
  // Room for two lines of the course name before the date, shrinking what would take more.
  const courseHeight = L.date - L.course - (u === 'mm' ? 2 : 6);
  body.push(
    line(
      L.course,
      fonts.course,
      SIZES.course,
      '{{ course.fullname }}',
      ` height="${len(courseHeight)}" fit="shrink" min-size="9" max-lines="2"`,
    ),
  );

  const declarations: string[] = [];

  // printdate: 0 none, 1 issue date, 2 course completion date, else the completion date of that course module.
  const printdate = Number(instance.printdate);
  if (printdate > 0) {
    let source = 'certificate.issued';
    if (printdate === 2) source = 'completion.date | default: certificate.issued';
    else if (printdate > 2) source = `activities[${liquidString(String(printdate))}] | default: certificate.issued`;
    body.push(`  {%- assign printed_date = ${source} -%}`);
    body.push(line(L.date, fonts.date, SIZES.date, dateLiquid('printed_date', Number(instance.datefmt), locale, warn)));
  }

  // printgrade: 0 none, 1 course grade, > 1 a course module's grade, < 0 a grade category's.
  const printgrade = Number(instance.printgrade);
  if (printgrade !== 0) {
    let gradefmt = Number(instance.gradefmt);
    if (![1, 2, 3].includes(gradefmt)) {
      warn(
        'gradefmt',
        `Grade format ${instance.gradefmt} is not one of the plugin's (1 percentage, 2 points, 3 letter): the percentage is printed.`,
      );
      gradefmt = 1;
    }
    let base: string;
    let prefix: string;
    if (printgrade === 1) {
      base = 'grade';
      prefix = label(words.courseGrade, locale);
    } else if (printgrade > 1) {
      base = `grade.activities[${liquidString(String(printgrade))}]`;
      const name = context.gradeActivityName?.trim();
      prefix = label(name ? `${name} ${words.grade.toLowerCase()}` : words.grade, locale);
      if (!name)
        warn(
          'printgrade',
          `The grade of course module ${printgrade} is printed as "${words.grade}", without the activity's name (not given).`,
        );
    } else {
      // The catalogue has no grade categories: the template declares one, which the LMS sends.
      base = 'grade_category';
      prefix = '';
      declarations.push(
        '  grade_category:',
        '    description: { en: "The learner’s grade in the grade category the certificate prints", fr: "La note de l’apprenant dans la catégorie de notes que le certificat imprime" }',
        '    personal: true',
        '    fields:',
        '      value: number',
        '      max: number',
        '      percent: number',
        '      letter: string',
      );
      warn(
        'printgrade',
        `The grade of grade category ${-printgrade} is not part of the data an LMS sends: the template declares "grade_category" (value, max, percent, letter), which must be sent for the grade to print.`,
      );
    }
    const field = gradefmt === 1 ? 'percent' : gradefmt === 2 ? 'value' : 'letter';
    const shown = gradefmt === 1 ? `${base}.percent | percent: 2` : gradefmt === 2 ? `${base}.value | number: 2` : `${base}.letter`;
    body.push(`  {%- if ${base}.${field} != nil %}`);
    body.push(line(L.grade, fonts.small, SIZES.small, `${prefix}{{ ${shown} }}`));
    body.push('  {%- endif %}');
  }

  // printoutcome: the id of an outcome's grade item; the LMS sends the learner's outcomes by name.
  if (Number(instance.printoutcome) > 0) {
    const text = `{{ o.name }}${locale === 'fr' ? '&nbsp;: ' : ': '}{{ o.grade | default: "-" }}`;
    const name = context.outcomeName?.trim();
    if (name) {
      body.push(`  {%- for o in outcomes %}{% if o.name == ${liquidString(name)} %}`);
      body.push(line(L.outcome, fonts.small, SIZES.small, text));
      body.push('  {%- break %}{% endif %}{% endfor %}');
    } else {
      body.push('  {%- for o in outcomes limit: 1 %}');
      body.push(line(L.outcome, fonts.small, SIZES.small, text));
      body.push('  {%- endfor %}');
      warn('printoutcome', `The outcome (grade item ${instance.printoutcome}) has no name given: the learner's first outcome is printed.`);
    }
  }

  // printhours: free text; the plugin printed it when PHP found it true ("0" and "" are not).
  const certificateSettings: Partial<CertificateSettings> = {};
  const hours = (instance.printhours ?? '').trim();
  if (hours !== '' && hours !== '0') {
    if (/^\d+(\.\d+)?$/.test(hours) && Number(hours) <= 100_000) {
      certificateSettings.credit_hours = Number(hours);
      body.push('  {%- if credit_hours != nil %}');
      body.push(line(L.hours, fonts.small, SIZES.small, `${label(words.creditHours, locale)}{{ credit_hours | number }}`));
      body.push('  {%- endif %}');
    } else {
      body.push(line(L.hours, fonts.small, SIZES.small, `${label(words.creditHours, locale)}${markupText(hours)}`));
      warn('printhours', `"${hours}" is not a number: it is printed as written, and a learner's own credit hours cannot replace it.`);
    }
  }

  if (Number(instance.printnumber) > 0) {
    body.push(
      `  <text x="${len(x)}" y="${len(layout.codeY)}" width="${width}" align="center" font="${fonts.small}" size="${SIZES.small}">${label(words.code, locale)}{{ certificate.code }}</text>`,
    );
  }

  // Teachers, one per line below the signature, as the plugin listed them. The plugin printed the custom
  // text at the signature's place too, over the names; with both, the custom text follows the names.
  const custom = convertCustomText(instance.customtext ?? '');
  for (const d of custom.dropped) warn('customtext', `Not carried over from the custom text: ${d}.`);
  const teachers = Number(instance.printteacher) > 0;
  if (teachers) {
    const s = layout.signature;
    // The plugin's step between names (4 mm, 12 pt) as a line height for 12 pt text.
    const lineHeight = num((layout.teacherStep * (u === 'mm' ? 72 / 25.4 : 1)) / SIZES.teachers);
    const open = `  <text x="${len(s.x)}" y="${len(s.y + layout.teacherStep)}" width="${widthFrom(s.x)}" font="${fonts.small}" size="${SIZES.teachers}" line-height="${lineHeight}">`;
    if (custom.markup) {
      body.push(`${open}{% for t in teachers %}{{ t.name }}<br/>{% endfor %}${custom.markup}</text>`);
      warn('customtext', 'The plugin printed the custom text over the teachers’ names; in the template it follows them.');
    } else {
      body.push('  {%- if teachers.size > 0 %}');
      body.push(`${open}{% for t in teachers %}{{ t.name }}{% unless forloop.last %}<br/>{% endunless %}{% endfor %}</text>`);
      body.push('  {%- endif %}');
    }
  } else if (custom.markup) {
    const c = layout.customText;
    body.push(
      `  <text x="${len(c.x)}" y="${len(c.y)}" width="${widthFrom(c.x)}" font="${fonts.small}" size="${SIZES.small}">${custom.markup}</text>`,
    );
  }

  // ---- what is not part of a template
  const delivery = Number(instance.delivery);
  certificateSettings.delivery = delivery === 0 ? 'inline' : 'download';
  if (delivery === 2)
    warn('delivery', 'The plugin e-mailed the certificate; Attest does not send documents by e-mail: learners download it.');
  else if (delivery !== 0 && delivery !== 1)
    warn('delivery', `Delivery ${delivery} is not one of the plugin's (0 browser, 1 download, 2 e-mail): download is used.`);
  const required = Number(instance.requiredtime);
  if (required > 0) certificateSettings.min_time_spent_minutes = Math.min(Math.round(required), 10_000_000);
  if (Number(instance.emailteachers) > 0) warn('emailteachers', 'Attest does not e-mail teachers when a certificate is issued.');
  if ((instance.emailothers ?? '').trim() !== '')
    warn('emailothers', `Attest does not e-mail others when a certificate is issued (${instance.emailothers!.trim()}).`);

  const name = `${instance.name} — ${context.courseName}`.slice(0, 200);
  const description = `Migrated from mod_certificate instance ${instance.id} (${instance.certificatetype}, ${orientation}, ${
    type.embedded ? 'embedded fonts' : 'Helvetica and Times'
  }).`;
  const frontMatter = [
    '---',
    `name: ${JSON.stringify(name)}`,
    `description: ${JSON.stringify(description)}`,
    `locale: ${locale}`,
    `page: { size: ${type.paper === 'A4' ? 'A4' : 'Letter'}, orientation: ${orientation}, margin: ${len(layout.rightMargin)} }`,
    // Attest embeds (subsets of) every font, so the embedded and non-embedded types differ only in which
    // line is set in which face: sans stands for Helvetica/FreeSans, serif for Times/FreeSerif.
    `fonts: # ${
      type.embedded ? 'the type embedded FreeSans and FreeSerif' : 'the type used Helvetica and Times, not embedded'
    }; Attest embeds its own: sans for the one, Noto Serif for the other`,
    '  body: { family: "Noto Serif" }',
    '  serif: { family: "Noto Serif" }',
    '  sans: { family: sans }',
    ...(assetDecl.length ? ['assets:', ...assetDecl] : []),
    'metadata:',
    `  title: ${JSON.stringify(`{{ ${liquidString(instance.name)} }}`)}`,
    `  subject: ${JSON.stringify(`{{ ${liquidString(words.title)} }}`)}`,
    '  author: "{{ organization.name }}"',
    ...(declarations.length ? ['variables:', ...declarations] : []),
    '---',
  ];
  const source = `${frontMatter.join('\n')}\n<page>\n${body.join('\n')}\n</page>\n`;
  return { name, source, assets, certificateSettings, warnings };
}

/**
 * The date in the plugin's formats: 1 "January 1, 2000", 2 "January 1st, 2000", 3 "1 January 2000",
 * 4 "January 2000", 5 the language's own long date. Month names follow the template's language, as
 * Moodle's userdate followed the user's.
 */
function dateLiquid(variable: string, datefmt: number, locale: 'fr' | 'en', warn: (field: string, message: string) => void): string {
  switch (datefmt) {
    case 2:
      if (locale === 'fr')
        return `{%- assign day = ${variable} | date: "d" -%}{{ day }}{% if day == "1" %}er{% endif %} {{ ${variable} | date: "MMMM yyyy" }}`;
      return (
        `{%- assign day = ${variable} | date: "d" -%}{{ ${variable} | date: "MMMM d" }}` +
        `{% case day %}{% when "1", "21", "31" %}st{% when "2", "22" %}nd{% when "3", "23" %}rd{% else %}th{% endcase %}` +
        `{{ ${variable} | date: ", yyyy" }}`
      );
    case 3:
      return `{{ ${variable} | date: "d MMMM yyyy" }}`;
    case 4:
      return `{{ ${variable} | date: "MMMM yyyy" }}`;
    case 5:
      return `{{ ${variable} | date: "long" }}`;
    case 1:
      return `{{ ${variable} | date: "MMMM d, yyyy" }}`;
    default:
      warn('datefmt', `Date format ${datefmt} is not one of the plugin's (1–5): the first ("January 1, 2000") is used.`);
      return `{{ ${variable} | date: "MMMM d, yyyy" }}`;
  }
}

/**
 * What each placeholder of Moodle's mod_pdcertificate becomes in Attest: the variable that holds the value
 * and the Liquid that prints it as mod_pdcertificate did. Names are exactly the module's (its printlib.php,
 * branch MOODLE_39_WORKING): an operator moving a site searches for them. The import
 * (server/migrate/pdcertificate/) converts with this table, and the README and docs/variables.md print it,
 * so the documentation cannot say something the converter does not do.
 *
 * A model prints dates in its `datefmt` and the course grade in its `gradefmt`, so the Liquid is a function
 * of those settings; the documentation shows it for datefmt 1 and gradefmt 1 in English.
 */

/** `datefmt` of a pdcertificate instance: 1 and 2 "%B %d, %Y", 3 "%d %B %Y", 4 "%B %Y", 5 the learner's language. */
export type DateFormatCode = 1 | 2 | 3 | 4 | 5;
/** `gradefmt`: 1 percentage, 2 points, 3 letter. */
export type GradeFormatCode = 1 | 2 | 3;

/** The words the module adds around some values, in the template's language. */
export interface PlaceholderLabels {
  notCompleted: string;
  ungraded: string;
  courseGrade: string;
  creditHours: string;
  userCreditHours: string;
}

export const PLACEHOLDER_LABELS: Readonly<Record<'en' | 'fr', PlaceholderLabels>> = {
  en: {
    notCompleted: 'Not completed',
    ungraded: 'Ungraded',
    courseGrade: 'Course Grade',
    creditHours: 'Credit Hours',
    userCreditHours: 'User credit hours',
  },
  fr: {
    notCompleted: 'Non achevé',
    ungraded: 'Non noté',
    courseGrade: 'Note du cours',
    creditHours: 'Crédit d’heures',
    userCreditHours: 'Heures créditées',
  },
};

export interface MappingContext {
  datefmt: DateFormatCode;
  gradefmt: GradeFormatCode;
  labels: PlaceholderLabels;
  /** Values the instance itself holds (its caption, credit hours, extra data), printed when the data has none. */
  defaults?: { caption?: string; credit_hours?: string; extra?: Readonly<Record<string, string>> };
}

export const DEFAULT_MAPPING_CONTEXT: MappingContext = { datefmt: 1, gradefmt: 1, labels: PLACEHOLDER_LABELS.en };

/** The Attest date pattern (Unicode letters, variables/filters/dates.ts) for a `datefmt` (PHP strftime in the module). */
export const DATE_FORMATS: Readonly<Record<DateFormatCode, { strftime: string; liquid: string }>> = {
  1: { strftime: '%B %d, %Y', liquid: 'date: "MMMM dd, yyyy"' },
  2: { strftime: '%B %d, %Y', liquid: 'date: "MMMM dd, yyyy"' },
  3: { strftime: '%d %B %Y', liquid: 'date: "dd MMMM yyyy"' },
  4: { strftime: '%B %Y', liquid: 'date: "MMMM yyyy"' },
  5: { strftime: "the learner's language format", liquid: 'date: "long"' },
};

/** How `info:course_grade` prints the value for a `gradefmt` (the module: two decimals, letters as the scale says). */
export const GRADE_FORMATS: Readonly<Record<GradeFormatCode, { name: string; liquid: string }>> = {
  1: { name: 'percentage', liquid: '{{ grade.percent | percent: 2 | default: "" }}' },
  2: { name: 'points', liquid: '{{ grade.value | number: 2 | default: "" }}' },
  3: { name: 'letter', liquid: '{{ grade.letter | default: "" }}' },
};

export type PlaceholderGroup = 'learner' | 'profile' | 'site' | 'course' | 'certificate' | 'groups' | 'activity' | 'extra';

export interface PlaceholderMapping {
  /** The module's name without braces (`info:user_fullname`); `CMID`, `SHORTNAME` or `KEY` stand for the part that varies. */
  name: string;
  /** Other names the module fills with the same value (`user:fullname`, `info:pdcertificate_teachers`). */
  aliases: readonly string[];
  group: PlaceholderGroup;
  /** The catalogue path that holds the value (`*` where the name carries an id or a key). */
  variable: string;
  /** A variable the converted template declares in its front matter, when the catalogue has none for it. */
  declares?: { name: string; type: string; description: { en: string; fr: string } };
  /** The Liquid that prints it; `part` is the varying part (an activity id, a field shortname, a key). */
  liquid: (ctx: MappingContext, part: string) => string;
  /** How Attest differs from the module, when it does. */
  note?: string;
}

/** A Liquid string literal: the converter puts values from the model (a caption, extra data) in them. */
export function liquidString(value: string): string {
  // Liquid strings have no escapes: pick the quote the value lacks, and drop the other when it has both.
  if (!value.includes('"')) return `"${value}"`;
  if (!value.includes("'")) return `'${value}'`;
  return `"${value.replace(/"/g, '”')}"`;
}

/** `learner.profile.SHORTNAME`, or the bracket form when the shortname is not a plain identifier. */
export function member(path: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${path}.${key}` : `${path}[${liquidString(key)}]`;
}

const date = (ctx: MappingContext): string => DATE_FORMATS[ctx.datefmt].liquid;
const plain = (path: string) => (): string => `{{ ${path} | default: "" }}`;
const withDefault = (path: string, value: string | undefined): string =>
  `{{ ${path} | default: ${value !== undefined && value !== '' ? liquidString(value) : '""'} }}`;

/** The learner's standard fields: each `info:user_X` is also `user:X`. */
const learner = (field: string, variable: string, liquid: PlaceholderMapping['liquid'], note?: string): PlaceholderMapping => ({
  name: `info:user_${field}`,
  aliases: [`user:${field}`],
  group: 'learner',
  variable,
  liquid,
  ...(note ? { note } : {}),
});

const row = (
  group: PlaceholderGroup,
  name: string,
  variable: string,
  liquid: PlaceholderMapping['liquid'],
  more: { aliases?: string[]; note?: string; declares?: PlaceholderMapping['declares'] } = {},
): PlaceholderMapping => ({
  name: `info:${name}`,
  aliases: (more.aliases ?? []).map((a) => `info:${a}`),
  group,
  variable,
  liquid,
  ...(more.note ? { note: more.note } : {}),
  ...(more.declares ? { declares: more.declares } : {}),
});

export const pdcertificatePlaceholders: readonly PlaceholderMapping[] = [
  learner('fullname', 'learner.fullname', () => '{{ learner.fullname }}'),
  learner('firstname', 'learner.firstname', plain('learner.firstname')),
  learner('lastname', 'learner.lastname', plain('learner.lastname')),
  learner(
    'alternatename',
    'learner.alternatename',
    plain('learner.alternatename'),
    'The module prints the last name here (a bug); Attest prints the alternate name.',
  ),
  learner('email', 'learner.email', plain('learner.email')),
  learner('idnumber', 'learner.idnumber', plain('learner.idnumber')),
  learner(
    'country',
    'learner.country',
    plain('learner.country'),
    'The ISO code, as the module prints it; `learner.country_name` is the name.',
  ),
  learner('city', 'learner.city', plain('learner.city')),
  learner('institution', 'learner.institution', plain('learner.institution')),
  learner('department', 'learner.department', plain('learner.department')),
  learner(
    'enrolment_date',
    'learner.enrolment_start',
    (ctx) => `{{ learner.enrolment_start | ${date(ctx)} | default: "--" }}`,
    'The LMS sends the start of the latest active enrolment; "--" when none, as in the module.',
  ),
  learner('enrolment_end_date', 'learner.enrolment_end', (ctx) => `{{ learner.enrolment_end | ${date(ctx)} | default: "--" }}`),
  {
    name: 'info:user_SHORTNAME',
    aliases: ['user:SHORTNAME'],
    group: 'profile',
    variable: 'learner.profile.*',
    liquid: (_ctx, part) => `{{ ${member('learner.profile', part)} | default: "" }}`,
    note: 'A custom profile field by its shortname: any `info:user_X` or `user:X` that is not a standard field above.',
  },
  row('site', 'site_fullname', 'site.fullname', plain('site.fullname')),
  row('site', 'site_shortname', 'site.shortname', plain('site.shortname')),
  row('site', 'site_city', 'site.city', plain('site.city')),
  row('site', 'site_country', 'site.country', plain('site.country'), { note: 'The ISO code, as the module prints it.' }),
  row('course', 'course_shortname', 'course.shortname', plain('course.shortname')),
  row('course', 'course_fullname', 'course.fullname', () => '{{ course.fullname }}'),
  row('course', 'course_summary', 'course.summary', () => '{{ course.summary | default: "" | strip_html }}', {
    note: 'HTML in the module; Attest prints data as text, so its tags are removed.',
  }),
  row('course', 'course_category', 'course.category', plain('course.category')),
  row('course', 'course_idnumber', 'course.idnumber', plain('course.idnumber')),
  row(
    'course',
    'course_grade',
    'grade.value',
    (ctx) => `{% if grade.value != nil %}${ctx.labels.courseGrade}: ${GRADE_FORMATS[ctx.gradefmt].liquid}{% endif %}`,
    { note: 'With the label the module puts before it; the format follows the model’s `gradefmt`.' },
  ),
  row(
    'course',
    'completion_date',
    'completion.date',
    (ctx) => `{{ completion.date | ${date(ctx)} | default: ${liquidString(ctx.labels.notCompleted)} }}`,
  ),
  row('course', 'course_total_time', 'course.timespent', () => '{{ course.timespent | duration | default: "" }}'),
  row('certificate', 'certificate_name', 'certificate.name', plain('certificate.name'), {
    note: 'The name of the Attest certificate the document is issued for.',
  }),
  row('certificate', 'certificate_date', 'certificate.issued', (ctx) => `{{ certificate.issued | ${date(ctx)} }}`),
  row('certificate', 'certificate_code', 'certificate.code', () => '{{ certificate.code | upcase }}'),
  row('certificate', 'certificate_caption', 'certificate.caption', (ctx) => withDefault('certificate.caption', ctx.defaults?.caption), {
    note: 'The instance’s caption is kept as the default; a certificate’s `caption` setting replaces it.',
  }),
  row(
    'certificate',
    'certificate_outcome',
    'outcomes',
    () => '{% for o in outcomes %}{{ o.name }}: {{ o.grade | default: "" }}{% unless forloop.last %}, {% endunless %}{% endfor %}',
  ),
  row(
    'certificate',
    'certificate_credit_hours',
    'certificate.credit_hours',
    (ctx) => withDefault('certificate.credit_hours', ctx.defaults?.credit_hours),
    {
      note: 'The instance’s credit hours are kept as the default; a certificate’s `credit_hours` setting replaces them.',
    },
  ),
  row(
    'certificate',
    'certificate_credit_hours_text',
    'certificate.credit_hours',
    (ctx) => `${ctx.labels.creditHours}: ${withDefault('certificate.credit_hours', ctx.defaults?.credit_hours)}`,
  ),
  row('certificate', 'certificate_user_credit_hours', 'credit_hours', (ctx) => withDefault('credit_hours', ctx.defaults?.credit_hours), {
    note: 'The learner’s override (`learner.credit_hours`), else the certificate’s.',
  }),
  row(
    'certificate',
    'certificate_user_credit_hours_text',
    'credit_hours',
    (ctx) => `${ctx.labels.userCreditHours}: ${withDefault('credit_hours', ctx.defaults?.credit_hours)}`,
  ),
  row('certificate', 'certifier_name', 'certifier.name', plain('certifier.name')),
  row('certificate', 'certificate_certifier', 'certifier.name', plain('certifier.name'), { aliases: ['pdcertificate_certifier'] }),
  row('certificate', 'certificate_teachers', 'teachers', () => '{{ teachers | map: "name" | join: ", " | default: "" }}', {
    aliases: ['pdcertificate_teachers'],
    note: 'In the order the LMS sends them (the module sorts by last name).',
  }),
  row('groups', 'group_names', 'learner.groups', () => '{{ learner.groups | join: ", " | default: "" }}'),
  row('groups', 'last_group_name', 'learner.groups', () => '{{ learner.groups | last | default: "" }}', {
    note: 'The last of `learner.groups` (the module takes the group created last): send them in that order.',
  }),
  row('groups', 'group_specific', 'group_specific', () => '{{ group_specific | default: "" | strip_html }}', {
    declares: {
      name: 'group_specific',
      type: 'text',
      description: {
        en: 'Group-specific content (from a groupspecifichtml block in Moodle), as text',
        fr: 'Contenu propre au groupe (bloc groupspecifichtml de Moodle), en texte',
      },
    },
    note: 'No catalogue variable holds it: the template declares `group_specific` (text) and the LMS sends it.',
  }),
  {
    name: 'info:module_completion_date_CMID',
    aliases: [],
    group: 'activity',
    variable: 'activities.*',
    liquid: (ctx, part) => `{{ activities[${liquidString(part)}] | ${date(ctx)} | default: ${liquidString(ctx.labels.notCompleted)} }}`,
    note: 'CMID is the course module id, the key of `activities`. The module’s "Disabled" (completion off) prints as not completed.',
  },
  {
    name: 'info:module_grade_CMID',
    aliases: [],
    group: 'activity',
    variable: 'grade.activities.*.value',
    liquid: (ctx, part) => {
      const a = `grade.activities[${liquidString(part)}]`;
      return `{% if ${a}.value != nil %}{{ ${a}.value | number: 1 }}{% if ${a}.max != nil %}/{{ ${a}.max | number: 0 }}{% endif %}{% else %}${ctx.labels.ungraded}{% endif %}`;
    },
    note: 'grade/max with one decimal, as the module prints it.',
  },
  {
    name: 'extra:KEY',
    aliases: [],
    group: 'extra',
    variable: 'extra.*',
    liquid: (ctx, part) => withDefault(member('extra', part), ctx.defaults?.extra?.[part]),
    note: 'The instance’s extra data (JSON) is kept as each key’s default; data sent with the request replaces it, as in the module.',
  },
];

/** The varying part of a name pattern, as a regular expression. */
const PARTS: Readonly<Record<string, string>> = { CMID: '([0-9]+)', SHORTNAME: '([A-Za-z0-9_-]+)', KEY: '(.+)' };

export interface ResolvedPlaceholder {
  mapping: PlaceholderMapping;
  /** The varying part (activity id, shortname, key); empty for fixed names. */
  part: string;
}

const fixed = new Map<string, PlaceholderMapping>();
const patterns: { re: RegExp; mapping: PlaceholderMapping }[] = [];
for (const m of pdcertificatePlaceholders) {
  for (const name of [m.name, ...m.aliases]) {
    const variable = Object.keys(PARTS).find((p) => name.endsWith(p));
    if (variable)
      patterns.push({
        re: new RegExp(`^${name.slice(0, -variable.length).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}${PARTS[variable]}$`),
        mapping: m,
      });
    else fixed.set(name, m);
  }
}
// A fixed name wins over a pattern (`info:user_city` is the city, not a profile field called "city"); among
// patterns, the per-activity ones come before the profile-field one.
patterns.sort((a, b) => Number(a.mapping.group === 'profile') - Number(b.mapping.group === 'profile'));

/** The mapping of a placeholder name as written in a model (`info:user_city`, `user:badge_no`, `extra:room`). */
export function resolvePlaceholder(name: string): ResolvedPlaceholder | undefined {
  const m = fixed.get(name);
  if (m) return { mapping: m, part: '' };
  for (const p of patterns) {
    const match = p.re.exec(name);
    if (match) return { mapping: p.mapping, part: match[1]! };
  }
  return undefined;
}

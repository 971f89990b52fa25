/**
 * Named entities the markup understands. XML knows only the first five; the others are the HTML names
 * designers reach for in certificates (French spacing, quotes, dashes, ©). Any other character can be
 * written as itself or as &#NNNN;. A null prototype keeps `&constructor;` from resolving to a function.
 */
export const ENTITIES: Readonly<Record<string, string>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, string>, {
    amp: '&',
    lt: '<',
    gt: '>',
    quot: '"',
    apos: "'",
    nbsp: '\u00A0',
    thinsp: '\u2009',
    ensp: '\u2002',
    emsp: '\u2003',
    shy: '\u00AD',
    copy: '©',
    reg: '®',
    trade: '™',
    deg: '°',
    middot: '·',
    bull: '•',
    hellip: '…',
    ndash: '–',
    mdash: '—',
    lsquo: '‘',
    rsquo: '’',
    ldquo: '“',
    rdquo: '”',
    laquo: '«',
    raquo: '»',
    euro: '€',
    times: '×',
    sect: '§',
  }),
);

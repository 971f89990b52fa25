/** Stable codes; never reworded once shipped. */
export const MARKUP_CODES = {
  syntax: 'MARKUP_SYNTAX',
  unknownElement: 'MARKUP_UNKNOWN_ELEMENT',
  unknownAttribute: 'MARKUP_UNKNOWN_ATTRIBUTE',
  invalidValue: 'MARKUP_INVALID_VALUE',
  missingAttribute: 'MARKUP_MISSING_ATTRIBUTE',
  misplacedElement: 'MARKUP_MISPLACED_ELEMENT',
  empty: 'MARKUP_EMPTY',
  tooDeep: 'MARKUP_TOO_DEEP',
  /** A link to anything but an http(s) or mailto address: templates are untrusted. */
  urlRefused: 'MARKUP_URL_REFUSED',
  /** A warning of the trial renders (templates/check.ts): an image that says nothing to a screen reader. */
  altMissing: 'MARKUP_ALT_MISSING',
} as const;

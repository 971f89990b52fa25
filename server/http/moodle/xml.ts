import type { MoodleValue } from '../../domain/moodle-ws';

/**
 * Moodle's REST XML, its default format (webservice/rest/locallib.php): a list is MULTIPLE, a structure
 * SINGLE with a KEY per field, a value VALUE; booleans are written 1 and 0, as PHP writes them.
 */
const escape = (s: string): string =>
  s
    .replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

function xmlize(value: MoodleValue): string {
  if (value === null) return '<VALUE null="null"/>\n';
  if (Array.isArray(value)) return `<MULTIPLE>\n${(value as readonly MoodleValue[]).map(xmlize).join('')}</MULTIPLE>\n`;
  if (typeof value === 'object') {
    const keys = Object.entries(value as Record<string, MoodleValue>).map(([k, v]) => `<KEY name="${escape(k)}">${xmlize(v)}</KEY>\n`);
    return `<SINGLE>\n${keys.join('')}</SINGLE>\n`;
  }
  const text = typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
  return `<VALUE>${escape(text)}</VALUE>\n`;
}

const HEAD = '<?xml version="1.0" encoding="UTF-8" ?>\n';

export const xmlResponse = (value: MoodleValue): string => `${HEAD}<RESPONSE>\n${xmlize(value)}</RESPONSE>\n`;

export const xmlException = (e: { exception: string; errorcode: string; message: string; debuginfo?: string }): string =>
  `${HEAD}<EXCEPTION class="${escape(e.exception)}">\n<ERRORCODE>${escape(e.errorcode)}</ERRORCODE>\n<MESSAGE>${escape(e.message)}</MESSAGE>\n${
    e.debuginfo !== undefined ? `<DEBUGINFO>${escape(e.debuginfo)}</DEBUGINFO>\n` : ''
  }</EXCEPTION>\n`;

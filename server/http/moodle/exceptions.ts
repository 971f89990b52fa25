import { errorMessage, problemMessage, type Locale } from '../../domain/error-codes';
import { DomainError, type Problem } from '../../domain/errors';

/**
 * Failures as Moodle's web service layer says them: `{ exception, errorcode, message, debuginfo? }`, with
 * HTTP 200 (a Moodle site's client reads the body, never the status). Failures Moodle itself defines (a
 * bad token, a missing capability, invalid parameters, the module's own `notissued` and `missingmodule`)
 * keep Moodle's class, code and words, so a site's existing handling works; Attest's own (a locked
 * document, a revoked one) keep their Attest code, which the README's error index explains, in the
 * caller's language.
 */
export interface MoodleException {
  exception: string;
  errorcode: string;
  message: string;
  debuginfo?: string;
  /** Not Moodle's: each problem of invalid parameters at its path, as /api/v1 lists them. */
  problems?: { path: string; code: string; message: string }[];
}

const INVALID_TOKEN: MoodleException = {
  exception: 'moodle_exception',
  errorcode: 'invalidtoken',
  message: 'Invalid token - token not found',
};

/** Attest codes that are a bad parameter for Moodle: the module threw invalid_parameter_exception for them. */
const BAD_PARAMETER = new Set([
  'MOODLE_COURSE_NOT_FOUND',
  'MOODLE_USER_NOT_FOUND',
  'MOODLE_USER_AMBIGUOUS',
  'MOODLE_CERTIFICATE_AMBIGUOUS',
  'LEARNER_ID_INVALID',
  'LEARNER_ID_RESERVED',
  'MOODLE_CERTIFICATE_IDNUMBER',
]);

/** The module's own error codes (its lang strings) for what it also refused. */
const MODULE_CODES: Readonly<Record<string, string>> = { MOODLE_NOT_ISSUED: 'notissued', CERTIFICATE_NOT_FOUND: 'missingmodule' };

const sayProblems = (problems: readonly Problem[], locale: Locale) =>
  problems.map((p) => ({ path: p.path, code: p.code, message: problemMessage(p.code, locale, p.params ?? {}, p.message) }));

export function moodleException(e: unknown, locale: Locale): MoodleException {
  if (!(e instanceof DomainError))
    return { exception: 'moodle_exception', errorcode: 'INTERNAL', message: errorMessage('INTERNAL', locale) ?? 'Internal error' };
  const message =
    errorMessage(e.code, locale, {
      ...e.extra.details,
      ...(e.extra.reasons ? { reasons: e.extra.reasons.map((r) => r.message).join(' ') } : {}),
    }) ?? e.message;
  if (e.kind === 'unauthenticated') return INVALID_TOKEN;
  if (e.code === 'CAPABILITY_REQUIRED')
    return {
      exception: 'required_capability_exception',
      errorcode: 'nopermissions',
      message: `Sorry, but you do not currently have permissions to do that (${typeof e.extra.details?.capability === 'string' ? e.extra.details.capability : ''}).`,
    };
  if (e.code === 'MOODLE_FUNCTION_UNKNOWN')
    return {
      exception: 'dml_missing_record_exception',
      errorcode: 'invalidrecord',
      message: "Can't find data record in database table external_functions.",
      debuginfo: message,
    };
  if (e.kind === 'invalid' || BAD_PARAMETER.has(e.code)) {
    const problems = sayProblems(e.extra.problems ?? [], locale);
    return {
      exception: 'invalid_parameter_exception',
      errorcode: 'invalidparameter',
      message: 'Invalid parameter value detected',
      debuginfo: problems.length ? problems.map((p) => (p.path ? `${p.path} => ${p.message}` : p.message)).join('\n') : message,
      ...(problems.length ? { problems } : {}),
    };
  }
  const moduleCode = MODULE_CODES[e.code];
  if (moduleCode) return { exception: 'moodle_exception', errorcode: moduleCode, message, debuginfo: e.code };
  return { exception: 'moodle_exception', errorcode: e.code, message };
}

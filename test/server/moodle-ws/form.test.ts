import { describe, expect, it } from 'vitest';
import { MAX_FORM_DEPTH, MAX_FORM_PAIRS, parseForm } from '../../../server/http/moodle/form';
import { xmlException, xmlResponse } from '../../../server/http/moodle/xml';
import { moodleException } from '../../../server/http/moodle/exceptions';
import { DomainError } from '../../../server/domain/errors';
import { httpBuildQuery } from '../../support/moodle-rest-client';

describe('reading Moodle’s form encoding', () => {
  it('reads what http_build_query writes: values, lists in order, structures', () => {
    const sent = { wsfunction: 'f', uids: ['7', 'é è', '9'], s: { a: 'x', b: ['1', '2'] } };
    expect(parseForm(httpBuildQuery(sent), 'body')).toEqual({ values: sent, problems: [] });
  });

  it('appends `name[]` as PHP does and keeps insertion order', () => {
    expect(parseForm('u[]=a&u[]=b&v[3]=x&v[1]=y', 'query').values).toEqual({ u: ['a', 'b'], v: ['x', 'y'] });
  });

  it('lists each malformed name as a problem and reads the rest', () => {
    const r = parseForm('a=1&a=2&b[0]=1&b=2&c=1&c[0]=2&d[x=1&[0]=1&e=%E9&f[1][2][3][4][5][6]=1&ok=yes', 'body');
    expect(r.values).toEqual({ a: '1', b: ['1'], c: '1', ok: 'yes' });
    expect(r.problems.map((p) => [p.path, p.code])).toEqual([
      ['a', 'MOODLE_FORM_CONFLICT'],
      ['b', 'MOODLE_FORM_CONFLICT'],
      ['c', 'MOODLE_FORM_CONFLICT'],
      ['d[x', 'MOODLE_FORM_NAME'],
      ['[0]', 'MOODLE_FORM_NAME'],
      ['', 'MOODLE_FORM_ENCODING'],
      ['f', 'MOODLE_FORM_TOO_DEEP'],
    ]);
    expect(MAX_FORM_DEPTH).toBe(5);
  });

  it('keeps __proto__ a name like any other', () => {
    const r = parseForm('__proto__[polluted]=1&x[__proto__]=2', 'body');
    expect(Object.getPrototypeOf(r.values)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(r.values)).toEqual(['__proto__', 'x']);
  });

  it('reads at most PHP’s max_input_vars pairs', () => {
    const r = parseForm(Array.from({ length: MAX_FORM_PAIRS + 5 }, (_, i) => `p${i}=1`).join('&'), 'body');
    expect(Object.keys(r.values)).toHaveLength(MAX_FORM_PAIRS);
    expect(r.problems.map((p) => p.code)).toEqual(['MOODLE_FORM_TOO_MANY']);
  });
});

describe('Moodle’s answers', () => {
  it('writes XML as Moodle’s REST server does', () => {
    expect(xmlResponse([{ id: 'a&b', locked: false, n: 3, none: null }])).toBe(
      '<?xml version="1.0" encoding="UTF-8" ?>\n<RESPONSE>\n<MULTIPLE>\n<SINGLE>\n<KEY name="id"><VALUE>a&amp;b</VALUE>\n</KEY>\n<KEY name="locked"><VALUE>0</VALUE>\n</KEY>\n<KEY name="n"><VALUE>3</VALUE>\n</KEY>\n<KEY name="none"><VALUE null="null"/>\n</KEY>\n</SINGLE>\n</MULTIPLE>\n</RESPONSE>\n',
    );
    expect(xmlException({ exception: 'e', errorcode: 'c', message: '<m>', debuginfo: 'd' })).toContain(
      '<MESSAGE>&lt;m&gt;</MESSAGE>\n<DEBUGINFO>d</DEBUGINFO>',
    );
  });

  it('says Attest failures as Moodle exceptions, in the caller’s language for Attest’s own', () => {
    expect(moodleException(new DomainError('not-found', 'MOODLE_NOT_ISSUED', 'x'), 'fr')).toEqual({
      exception: 'moodle_exception',
      errorcode: 'notissued',
      message: 'Cet apprenant n’a pas de document pour ce certificat.',
      debuginfo: 'MOODLE_NOT_ISSUED',
    });
    expect(moodleException(new Error('boom'), 'en')).toMatchObject({ exception: 'moodle_exception', errorcode: 'INTERNAL' });
    expect(
      moodleException(new DomainError('not-found', 'MOODLE_USER_NOT_FOUND', 'x', { details: { source: 'email', value: 'a@b' } }), 'en'),
    ).toEqual({
      exception: 'invalid_parameter_exception',
      errorcode: 'invalidparameter',
      message: 'Invalid parameter value detected',
      debuginfo: 'No learner of this certificate has this identifier (email "a@b").',
    });
  });
});

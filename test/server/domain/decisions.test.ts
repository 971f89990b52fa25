import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../server/domain/context';
import type { Capability } from '../../../server/domain/capabilities';
import { DomainError } from '../../../server/domain/errors';
import { actsFor } from '../../../server/domain/learners';
import { checkManages, gatherPeople } from '../../../server/domain/people';
import { checkCapabilities, checkRoles, holds } from '../../../server/domain/roles';
import { revokedWith } from '../../../server/domain/tokens';
import { issueFacts, setBound } from '../../../server/domain/issue-facts';
import { deliveryChannel, issueState, refusedLink, withheldData, withheldDocument } from '../../../server/domain/withholding';

/** The domain's decisions over plain values, tested the way rules.test.ts tests the delivery rules: no database. */
const token = (capabilities: Capability[]): Actor => ({
  kind: 'token',
  id: 'tok',
  tenantId: 't',
  name: 'lms',
  capabilities: new Set(capabilities),
});
const person = (capabilities: Capability[], id = 'p1'): Actor => ({
  kind: 'person',
  id,
  tenantId: 't',
  name: 'Camille',
  username: 'camille',
  capabilities: new Set(capabilities),
});
const link: Actor = { kind: 'link', tenantId: 't', code: 'ABCDE-FGHJK-MNPQR-STVWX' };

function thrown(run: () => unknown): DomainError {
  try {
    run();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

describe('an issue’s state', () => {
  it('is revoked whatever its expiry, expired the day after its expiry, issued otherwise', () => {
    expect(issueState({ state: 'revoked', expiresOn: '2020-01-01' }, '2026-03-10')).toBe('revoked');
    expect(issueState({ state: 'issued', expiresOn: '2026-03-09' }, '2026-03-10')).toBe('expired');
    expect(issueState({ state: 'issued', expiresOn: '2026-03-10' }, '2026-03-10')).toBe('issued');
    expect(issueState({ state: 'issued', expiresOn: null }, '2026-03-10')).toBe('issued');
  });
});

describe('what withholds a document', () => {
  const open = { state: 'issued', locked: false };
  const learner = { staff: false, retrievesOwn: true };

  it('revocation, for everyone (410), before the lock', () => {
    expect(withheldDocument({ state: 'revoked', locked: true }, 'download', { staff: true, retrievesOwn: true })).toEqual({
      kind: 'gone',
      reason: 'DOCUMENT_REVOKED',
    });
  });

  it('the lock, for everyone on every channel, staff included (423)', () => {
    expect(withheldDocument({ state: 'issued', locked: true }, 'download', { staff: true, retrievesOwn: true })).toEqual({
      kind: 'locked',
      reason: 'DOCUMENT_LOCKED',
    });
    expect(withheldDocument({ state: 'issued', locked: true }, 'download', learner)).toEqual({ kind: 'locked', reason: 'DOCUMENT_LOCKED' });
  });

  it('staff-only delivery, for all but staff', () => {
    expect(withheldDocument(open, 'staff', learner)).toEqual({ kind: 'forbidden', reason: 'STAFF_DELIVERY_ONLY' });
    expect(withheldDocument(open, 'staff', { staff: true, retrievesOwn: false })).toBeUndefined();
  });

  it('the retrieve-own capability, for learners and integrations', () => {
    expect(withheldDocument(open, 'download', { staff: false, retrievesOwn: false })).toEqual({
      kind: 'forbidden',
      reason: 'RETRIEVE_OWN_MISSING',
    });
    expect(withheldDocument(open, 'inline', learner)).toBeUndefined();
  });

  it('a real issue’s data in a preview: like the document, revoked then locked, whatever the delivery mode', () => {
    expect(withheldData({ state: 'revoked', locked: true })).toEqual({ kind: 'gone', reason: 'DOCUMENT_REVOKED' });
    expect(withheldData({ state: 'issued', locked: true })).toEqual({ kind: 'locked', reason: 'DOCUMENT_LOCKED' });
    expect(withheldData(open)).toBeUndefined();
  });

  it('a download link is not made for a revoked document or staff-only delivery; the lock is judged when it is used', () => {
    expect(refusedLink({ state: 'revoked' }, 'download')).toEqual({ kind: 'gone', reason: 'DOCUMENT_REVOKED' });
    expect(refusedLink({ state: 'issued' }, 'staff')).toEqual({ kind: 'forbidden', reason: 'STAFF_DELIVERY_ONLY' });
    expect(refusedLink({ state: 'issued' }, 'download')).toBeUndefined();
  });

  it('records staff fetching through the API as staff', () => {
    expect(deliveryChannel('api', true)).toBe('staff');
    expect(deliveryChannel('api', false)).toBe('api');
    expect(deliveryChannel('link', true)).toBe('link');
  });
});

describe('who may act for whom', () => {
  it('staff reach every learner, people and LMS learners alike', () => {
    expect(actsFor(token(['issues:manage']), 'person:someone', undefined)).toBe(true);
    expect(actsFor(person(['issues:manage']), 'L-42', 'person:p1')).toBe(true);
  });

  it('a person reaches only the learner they are', () => {
    expect(actsFor(person(['certificate:apply']), 'L-42', 'L-42')).toBe(true);
    expect(actsFor(person(['certificate:apply']), 'L-43', 'L-42')).toBe(false);
    expect(actsFor(person(['certificate:apply']), 'person:p2', 'person:p1')).toBe(false);
  });

  it('an integration or a link reaches LMS learners, never a person', () => {
    expect(actsFor(token(['certificate:apply']), 'L-42', undefined)).toBe(true);
    expect(actsFor(token(['certificate:apply']), 'person:p1', undefined)).toBe(false);
    expect(actsFor(link, 'person:p1', undefined)).toBe(false);
  });
});

describe('granting', () => {
  it('the system holds every capability; a token only its own; a link none', () => {
    expect(holds({ kind: 'system', tenantId: 't' })('tenant:manage')).toBe(true);
    expect(holds(token(['issues:manage']))('issues:manage')).toBe(true);
    expect(holds(token(['issues:manage']))('tenant:manage')).toBe(false);
    expect(holds(link)('certificate:apply')).toBe(false);
  });

  it('refuses unknown capabilities and those not held, each at its path', () => {
    const e = thrown(() =>
      checkCapabilities(token(['issues:manage']), ['issues:manage', 'nonsense', 'tenant:manage'], 'TOKEN_CAPABILITIES_INVALID', 'no'),
    );
    expect(e.code).toBe('TOKEN_CAPABILITIES_INVALID');
    expect(e.extra.problems?.map((p) => [p.path, p.code])).toEqual([
      ['capabilities[1]', 'CAPABILITY_UNKNOWN'],
      ['capabilities[2]', 'CAPABILITY_NOT_HELD'],
    ]);
    expect(checkCapabilities(token(['issues:manage']), ['issues:manage', 'issues:manage'], 'X_INVALID', 'no')).toEqual(['issues:manage']);
  });

  it('gives only roles that exist and whose capabilities the giver holds', () => {
    const roles = [
      { id: 'r1', name: 'teacher', capabilities: JSON.stringify(['certificate:printed-as-teacher']) },
      { id: 'r2', name: 'admin', capabilities: JSON.stringify(['tenant:manage']) },
    ];
    const giver = token(['certificate:printed-as-teacher']);
    expect(checkRoles(giver, ['teacher'], roles)).toEqual([roles[0]]);
    expect(thrown(() => checkRoles(giver, ['admin'], roles)).code).toBe('ROLE_NOT_HELD');
    expect(thrown(() => checkRoles(giver, ['admin', 'ghost'], roles)).code).toBe('ROLE_UNKNOWN');
  });

  it('nobody manages themself or someone holding more than they do', () => {
    const target = {
      id: 'p2',
      username: 'dana',
      displayName: 'Dana',
      email: null,
      roles: ['admin'],
      disabled: false,
      holds: new Set(['tenant:manage', 'issues:revoke']),
    };
    expect(thrown(() => checkManages(person(['tenant:manage'], 'p2'), target)).code).toBe('PERSON_IS_YOU');
    const outranked = thrown(() => checkManages(person(['tenant:manage']), target));
    expect([outranked.code, outranked.extra.details]).toEqual(['PERSON_OUTRANKS_YOU', { capabilities: ['issues:revoke'] }]);
    expect(() => checkManages(person(['tenant:manage', 'issues:revoke']), target)).not.toThrow();
  });

  it('gathers one person per id with what their roles grant, and keeps only holders when asked', () => {
    const row = (id: string, role: string | null, caps: string[] | null) => ({
      id,
      username: id,
      display_name: id.toUpperCase(),
      email: null,
      disabled_at: null,
      role,
      capabilities: caps && JSON.stringify(caps),
    });
    const people = gatherPeople([
      row('a', 'teacher', ['certificate:printed-as-teacher']),
      row('a', 'signer', ['certificate:signing-authority']),
      row('b', null, null),
    ]);
    expect(people.map((p) => [p.id, p.roles, [...p.holds]])).toEqual([
      ['a', ['teacher', 'signer'], ['certificate:printed-as-teacher', 'certificate:signing-authority']],
      ['b', [], []],
    ]);
    expect(
      gatherPeople([row('a', 'teacher', ['certificate:printed-as-teacher']), row('b', null, null)], ['certificate:printed-as-teacher']).map(
        (p) => p.id,
      ),
    ).toEqual(['a']);
  });

  it('revoking a token revokes what it made, and what those made', () => {
    const tokens = [
      { id: 'root', created_by_token: null },
      { id: 'child', created_by_token: 'root' },
      { id: 'grandchild', created_by_token: 'child' },
      { id: 'other', created_by_token: null },
    ];
    expect(revokedWith('root', tokens)).toEqual(['root', 'child', 'grandchild']);
    expect(revokedWith('child', tokens)).toEqual(['child', 'grandchild']);
    expect(revokedWith('other', tokens)).toEqual(['other']);
  });
});

describe('the facts the rules judge, read from the bound data', () => {
  it('reads completion, its date, the grade percent and the time spent where binding put them', () => {
    const bound = { completion: { completed: true, date: '2026-03-01' }, grade: { percent: 82.5 }, course: { timespent: 5400 } };
    expect(issueFacts(bound)).toEqual({ completed: true, achievedOn: '2026-03-01', gradePercent: 82.5, timeSpentSeconds: 5400 });
  });

  it('says unknown (null) for what is missing or of another type, never guesses', () => {
    expect(issueFacts({ completion: null, grade: { percent: '80' }, course: [] })).toEqual({
      completed: null,
      achievedOn: null,
      gradePercent: null,
      timeSpentSeconds: null,
    });
    expect(issueFacts({})).toEqual({ completed: null, achievedOn: null, gradePercent: null, timeSpentSeconds: null });
  });

  it('sets a server-decided field of the bound data, and nothing where its object is absent', () => {
    const bound = { certificate: { code: 'X', expires: null } };
    setBound(bound, ['certificate', 'expires'], '2028-03-01');
    expect(bound.certificate.expires).toBe('2028-03-01');
    const none: { certificate?: null } = { certificate: null };
    setBound(none, ['certificate', 'expires'], '2028-03-01');
    expect(none).toEqual({ certificate: null });
  });
});

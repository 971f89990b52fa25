import { describe, expect, it } from 'vitest';
import { evaluateDeliveryRules, expiryDate, type DeliveryFacts } from '../../../server/domain/rules';
import { CertificateSettings, TenantSettings } from '../../../server/domain/settings';
import { REASON_CODES, reason } from '../../../server/domain/reasons';
import { findCycle } from '../../../server/domain/certificates';

const tenant = (patch: Record<string, unknown> = {}): TenantSettings => TenantSettings.parse({ locale: 'en', ...patch });
const cert = (patch: Record<string, unknown> = {}): CertificateSettings => CertificateSettings.parse(patch);
const facts = (patch: Partial<DeliveryFacts> = {}): DeliveryFacts => ({
  completed: true,
  available: true,
  gradePercent: 80,
  timeSpentSeconds: 3600,
  today: '2026-03-10',
  prerequisites: [],
  ...patch,
});
const codes = (t: TenantSettings, c: CertificateSettings, f: DeliveryFacts): string[] => evaluateDeliveryRules(t, c, f).map((r) => r.code);

describe('delivery rules (pure)', () => {
  it('lets a completed, available learner with no certificate rules through', () => {
    expect(evaluateDeliveryRules(tenant(), cert(), facts())).toEqual([]);
  });

  it('lists every failing rule, in the order of DESIGN.md: completion, availability, grade, time, window', () => {
    const c = cert({ min_grade_percent: 90, min_time_spent_minutes: 120, window_start: '2026-04-01' });
    expect(codes(tenant(), c, facts({ completed: false, available: false, gradePercent: 50, timeSpentSeconds: 600 }))).toEqual([
      'COURSE_NOT_COMPLETED',
      'NOT_AVAILABLE',
      'GRADE_TOO_LOW',
      'TIME_SPENT_TOO_SHORT',
      'WINDOW_NOT_OPEN',
    ]);
  });

  describe('completion', () => {
    it('refuses an uncompleted or unknown completion when the tenant tracks completion', () => {
      expect(codes(tenant(), cert(), facts({ completed: false }))).toEqual(['COURSE_NOT_COMPLETED']);
      expect(codes(tenant(), cert(), facts({ completed: null }))).toEqual(['COURSE_NOT_COMPLETED']);
    });
    it('ignores completion when the tenant does not track it', () => {
      expect(codes(tenant({ completion_tracking: false }), cert(), facts({ completed: false }))).toEqual([]);
      expect(codes(tenant({ completion_tracking: false }), cert(), facts({ completed: null }))).toEqual([]);
    });
    it('tracks completion by default', () => {
      expect(TenantSettings.parse({}).completion_tracking).toBe(true);
    });
  });

  describe('availability', () => {
    it('refuses what the LMS says is not available, with its reason when given', () => {
      const [r] = evaluateDeliveryRules(tenant(), cert(), facts({ available: false, unavailableReason: 'group restriction' }));
      expect(r).toEqual({ code: 'NOT_AVAILABLE', message: 'This certificate is not available to the learner (group restriction).' });
      expect(evaluateDeliveryRules(tenant(), cert(), facts({ available: false }))[0]!.message).toBe(
        'This certificate is not available to the learner.',
      );
    });
    it('applies even without completion tracking', () => {
      expect(codes(tenant({ completion_tracking: false }), cert(), facts({ available: false }))).toEqual(['NOT_AVAILABLE']);
    });
  });

  describe('minimum grade', () => {
    const c = cert({ min_grade_percent: 75 });
    it('passes at or above the minimum', () => {
      expect(codes(tenant(), c, facts({ gradePercent: 75 }))).toEqual([]);
      expect(codes(tenant(), c, facts({ gradePercent: 100 }))).toEqual([]);
    });
    it('refuses below it, saying both numbers', () => {
      const [r] = evaluateDeliveryRules(tenant(), c, facts({ gradePercent: 74.5 }));
      expect(r).toEqual({ code: 'GRADE_TOO_LOW', message: 'The course grade (74.5 %) is below the required 75 %.' });
    });
    it('tells a missing grade from a low one', () => {
      expect(codes(tenant(), c, facts({ gradePercent: null }))).toEqual(['GRADE_MISSING']);
    });
    it('does not look at the grade when the certificate sets no minimum', () => {
      expect(codes(tenant(), cert(), facts({ gradePercent: null }))).toEqual([]);
      expect(codes(tenant(), cert(), facts({ gradePercent: 0 }))).toEqual([]);
    });
  });

  describe('minimum time spent', () => {
    const c = cert({ min_time_spent_minutes: 60 });
    it('compares seconds with minutes', () => {
      expect(codes(tenant(), c, facts({ timeSpentSeconds: 3600 }))).toEqual([]);
      expect(codes(tenant(), c, facts({ timeSpentSeconds: 3599 }))).toEqual(['TIME_SPENT_TOO_SHORT']);
      expect(evaluateDeliveryRules(tenant(), c, facts({ timeSpentSeconds: 1799 }))[0]!.message).toBe(
        'Time spent in the course (29 min) is below the required 60 min.',
      );
    });
    it('tells a missing time from a short one', () => {
      expect(codes(tenant(), c, facts({ timeSpentSeconds: null }))).toEqual(['TIME_SPENT_MISSING']);
      expect(codes(tenant(), cert(), facts({ timeSpentSeconds: null }))).toEqual([]);
    });
  });

  describe('issue window', () => {
    const c = cert({ window_start: '2026-03-01', window_end: '2026-03-31' });
    it('is open on both of its days, inclusive', () => {
      expect(codes(tenant(), c, facts({ today: '2026-03-01' }))).toEqual([]);
      expect(codes(tenant(), c, facts({ today: '2026-03-31' }))).toEqual([]);
    });
    it('refuses before it opens and after it closes, naming the date', () => {
      const before = evaluateDeliveryRules(tenant(), c, facts({ today: '2026-02-28' }));
      expect(before).toEqual([{ code: 'WINDOW_NOT_OPEN', message: 'Documents can be issued from March 1, 2026.' }]);
      const after = evaluateDeliveryRules(tenant(), c, facts({ today: '2026-04-01' }));
      expect(after).toEqual([{ code: 'WINDOW_CLOSED', message: 'Documents could be issued until March 31, 2026.' }]);
    });
    it('refuses a window that ends before it starts', () => {
      const parsed = CertificateSettings.safeParse({ window_start: '2026-04-01', window_end: '2026-03-01' });
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.path).toEqual(['window_end']);
    });
  });

  describe('languages', () => {
    it('speaks the tenant’s language: French', () => {
      const c = cert({ min_grade_percent: 80, min_time_spent_minutes: 90, window_end: '2026-03-01' });
      const r = evaluateDeliveryRules(
        tenant({ locale: 'fr' }),
        c,
        facts({ completed: false, available: false, gradePercent: 62.5, timeSpentSeconds: 60 * 45 }),
      );
      expect(r).toEqual([
        { code: 'COURSE_NOT_COMPLETED', message: 'Le cours n’est pas encore achevé.' },
        { code: 'NOT_AVAILABLE', message: 'Ce certificat n’est pas accessible à l’apprenant.' },
        { code: 'GRADE_TOO_LOW', message: 'La note du cours (62,5 %) est inférieure aux 80 % exigés.' },
        { code: 'TIME_SPENT_TOO_SHORT', message: 'Le temps passé dans le cours (45 min) est inférieur aux 90 min exigées.' },
        { code: 'WINDOW_CLOSED', message: 'Les documents pouvaient être délivrés jusqu’au 1 mars 2026.' },
      ]);
    });
    it('has a French and an English sentence for every reason code, and they differ', () => {
      for (const code of REASON_CODES) {
        const en = reason('en', code, '1', '2');
        const fr = reason('fr', code, '1', '2');
        expect(en.code).toBe(code);
        expect(fr.code).toBe(code);
        expect(en.message.length).toBeGreaterThan(10);
        expect(fr.message).not.toBe(en.message);
      }
    });
  });

  describe('prerequisites', () => {
    const held = (id: string, name: string, isHeld: boolean) => ({ certificateId: id, name, held: isHeld });
    it('asks nothing of a certificate that requires none', () => {
      expect(codes(tenant(), cert(), facts({ prerequisites: [held('A', 'Alpha', false)] }))).toEqual([]);
    });
    it('in "all" mode names every required certificate not held, in the order required', () => {
      const c = cert({ requires: ['A', 'B', 'C'] });
      const f = facts({ prerequisites: [held('A', 'Alpha', false), held('B', 'Beta', true), held('C', 'Gamma', false)] });
      const [r] = evaluateDeliveryRules(tenant(), c, f);
      expect(r).toEqual({
        code: 'PREREQUISITE_MISSING',
        message: 'This certificate requires holding these certificates first: “Alpha” and “Gamma”.',
      });
      expect(evaluateDeliveryRules(tenant({ locale: 'fr' }), c, f)[0]!.message).toBe(
        'Ce certificat exige d’avoir obtenu d’abord ces certificats : « Alpha » et « Gamma ».',
      );
      expect(codes(tenant(), c, facts({ prerequisites: ['A', 'B', 'C'].map((id) => held(id, id, true)) }))).toEqual([]);
    });
    it('in "any" mode is satisfied by one, and names all of them otherwise', () => {
      const c = cert({ requires: ['A', 'B'], requires_mode: 'any' });
      expect(codes(tenant(), c, facts({ prerequisites: [held('A', 'Alpha', false), held('B', 'Beta', true)] }))).toEqual([]);
      const [r] = evaluateDeliveryRules(tenant(), c, facts({ prerequisites: [held('A', 'Alpha', false), held('B', 'Beta', false)] }));
      expect(r!.message).toBe('This certificate requires holding one of these certificates first: “Alpha” or “Beta”.');
      expect(evaluateDeliveryRules(tenant({ locale: 'fr' }), c, facts({ prerequisites: [] }))[0]!.message).toBe(
        'Ce certificat exige d’avoir obtenu d’abord l’un de ces certificats : « A » ou « B ».',
      );
    });
    it('counts a requirement the facts leave out as not held (by its id), and comes after the other rules', () => {
      const c = cert({ requires: ['A'], min_grade_percent: 90 });
      expect(codes(tenant(), c, facts({ prerequisites: [] }))).toEqual(['GRADE_TOO_LOW', 'PREREQUISITE_MISSING']);
    });
    it('is pure: the same facts give the same reasons, and the facts are not changed', () => {
      const c = cert({ requires: ['A', 'B'] });
      const f = facts({ prerequisites: Object.freeze([held('A', 'Alpha', false), held('B', 'Beta', true)]) });
      expect(evaluateDeliveryRules(tenant(), c, f)).toEqual(evaluateDeliveryRules(tenant(), c, f));
    });
    it('finds a cycle of requirements through any number of certificates, and none in a diamond', () => {
      const graph = (edges: Record<string, string[]>) => (id: string) => edges[id] ?? [];
      expect(findCycle('A', graph({ A: ['B'], B: ['C'], C: ['A'] }))).toEqual(['A', 'B', 'C', 'A']);
      expect(findCycle('A', graph({ A: ['B', 'C'], B: ['D'], C: ['D'], D: [] }))).toBeUndefined();
      expect(findCycle('A', graph({ A: ['B'], B: ['C'], C: ['B'] }))).toBeUndefined(); // a cycle A is not part of
      expect(findCycle('A', graph({ A: ['B', 'C'], B: ['D'], C: ['D'], D: ['E'], E: ['A'] }))).toEqual(['A', 'B', 'D', 'E', 'A']);
    });
    it('refuses a certificate named twice in requires', () => {
      const parsed = CertificateSettings.safeParse({ requires: ['A', 'A'] });
      expect(parsed.success).toBe(false);
    });
  });

  describe('expiry', () => {
    it('adds the validity to the issue date, across months and years', () => {
      expect(expiryDate('2026-02-03', cert({ validity_days: 30 }))).toBe('2026-03-05');
      expect(expiryDate('2026-12-31', cert({ validity_days: 1 }))).toBe('2027-01-01');
      expect(expiryDate('2026-02-03', cert())).toBeNull();
    });
  });
});

import { describe, expect, it } from 'vitest';
import { keptDecision, type IdempotentRequest } from '../../../server/http/idempotency';

/** What a request with an Idempotency-Key already used gets, from the row the first one left: no database. */
const request: IdempotentRequest = { tenantId: 't', caller: 'token:a', operation: 'requestIssue', key: 'k-1', fingerprint: 'f' };
const row = (
  patch: Partial<{ caller: string; operation: string; fingerprint: string; status: number | null; response: string | null }> = {},
) => ({
  caller: 'token:a',
  operation: 'requestIssue',
  fingerprint: 'f',
  status: null,
  response: null,
  ...patch,
});

describe('an idempotency key met again', () => {
  it('asks for a retry when the first request left nothing (it failed and was forgotten)', () => {
    expect(keptDecision(undefined, request)).toEqual({ kind: 'retry' });
  });

  it('is refused as reused for another caller, operation or body, even while the first is still running', () => {
    expect(keptDecision(row({ caller: 'token:b' }), request).kind).toBe('reused');
    expect(keptDecision(row({ operation: 'revokeIssue' }), request).kind).toBe('reused');
    expect(keptDecision(row({ fingerprint: 'g', status: 201, response: '{}' }), request).kind).toBe('reused');
  });

  it('waits for the same request still running', () => {
    expect(keptDecision(row(), request)).toEqual({ kind: 'running' });
  });

  it('gets the kept answer, marked as replayed', () => {
    expect(keptDecision(row({ status: 201, response: '{"code":"X"}' }), request)).toEqual({
      kind: 'answer',
      reply: { status: 201, json: { code: 'X' }, headers: { 'Idempotent-Replayed': 'true' } },
    });
  });

  it('gets the kept refusal again, with its kind, code and extra', () => {
    const decision = keptDecision(
      row({ status: -1, response: JSON.stringify({ kind: 'refused', code: 'DELIVERY_REFUSED', message: 'no', extra: { reasons: [] } }) }),
      request,
    );
    expect(decision.kind).toBe('refusal');
    if (decision.kind !== 'refusal') return;
    expect([decision.error.kind, decision.error.code, decision.error.message, decision.error.extra]).toEqual([
      'refused',
      'DELIVERY_REFUSED',
      'no',
      { reasons: [] },
    ]);
  });
});

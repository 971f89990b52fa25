import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLES_DIR } from '../../../templates/files';
import { z } from 'zod';
import { OPERATIONS } from '../../../server/http/operations';
import { fullPath } from '../../../server/http/contract/declaration';
import type { Operation } from '../../../server/http/operation';
import { ALL_CAPABILITIES } from '../../../server/domain/capabilities';
import { createToken } from '../../../server/domain/tokens';
import { createOperatorToken } from '../../../server/domain/operators';
import { requestDocument } from '../../../server/domain/issues';
import {
  ENGINES,
  freshServices,
  learnerData,
  setupTenant,
  useRenderPool,
  type TenantFixture,
  type TestServices,
} from '../../support/storage';
import { call, startApp, type Running } from '../../support/http';

/**
 * Seeded fuzzing of every operation, shaped by the operation's own schemas: bodies with the right field
 * names but hostile values (wrong types, huge, empty, control characters, prototype keys, deep nesting),
 * hostile path parameters and query strings. Whatever arrives, the answer is a JSON error with a code or a
 * success, never a 500 or a stack trace, and the tenant's data survives; every error code answered is one
 * the API document declares for that operation and status. The seed is printed on failure so a run can be
 * replayed with ATTEST_FUZZ_SEED.
 */
const SEED = Number(process.env.ATTEST_FUZZ_SEED ?? Date.now() % 1_000_000);
const PER_OPERATION = Number(process.env.ATTEST_FUZZ_PER_OPERATION ?? 25);
const MUTATIONS = Number(process.env.ATTEST_FUZZ_MUTATIONS ?? 40);

function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    // xorshift32: small, seedable, good enough to pick cases.
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

/** Real ids of the tenant, so that some requests get past the lookups into the domain's checks. */
const known: string[] = [];
const deep = (n: number): unknown => (n === 0 ? 'bottom' : { d: deep(n - 1) });
const HOSTILE: readonly unknown[] = [
  '',
  ' ',
  'a'.repeat(20_000),
  '\u0000',
  '\ud800',
  '\u202e\u0627\u0644',
  '<script>alert(1)</script>',
  '{{ learner.fullname }}{% raw %}',
  '../../../etc/passwd',
  '%00',
  '2026-13-45',
  '9999-12-31T23:59:59Z',
  '-0001-01-01',
  'NaN',
  '1e309',
  -1,
  0,
  1.5,
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER + 2,
  true,
  false,
  null,
  [],
  {},
  [[[[[]]]]],
  { __proto__: { admin: true } },
  JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}'),
  Array.from({ length: 5000 }, (_, i) => i),
  deep(200),
];

interface Shape {
  type?: string | string[];
  properties?: Record<string, Shape>;
  items?: Shape;
  enum?: unknown[];
  anyOf?: Shape[];
  oneOf?: Shape[];
}

/** A value of roughly the schema's shape: right names, and now and then a hostile value at any depth. */
function valueFor(shape: Shape | undefined, rnd: () => number, depth = 0): unknown {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  if (!shape || rnd() < 0.3 || depth > 5) return pick(HOSTILE);
  const alternatives = shape.anyOf ?? shape.oneOf;
  if (alternatives?.length) return valueFor(pick(alternatives), rnd, depth + 1);
  if (shape.enum?.length) return rnd() < 0.8 ? pick(shape.enum) : pick(HOSTILE);
  const type = Array.isArray(shape.type) ? pick(shape.type) : shape.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(shape.properties ?? {})) if (rnd() < 0.85) out[k] = valueFor(v, rnd, depth + 1);
      if (rnd() < 0.1) out[pick(['__proto__', 'constructor', 'extra', ''])] = pick(HOSTILE);
      return out;
    }
    case 'array':
      return Array.from({ length: Math.floor(rnd() * 4) }, () => valueFor(shape.items, rnd, depth + 1));
    case 'string':
      return pick(['x', 'Camille Martin', '2026-02-03', 'fr', 'course-1', 'assets/logo.png', pick(HOSTILE), ...known]);
    case 'integer':
    case 'number':
      return pick([0, 1, 15, 20, 100, -5, 3.7, pick(HOSTILE)]);
    case 'boolean':
      return rnd() < 0.5;
    default:
      return pick(HOSTILE);
  }
}

function shapeOf(schema: z.ZodType | undefined): Shape | undefined {
  if (!schema) return undefined;
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Shape;
}

const pool = useRenderPool(1);

const PARAM_VALUES = ['x', '0', '-1', '%00', '%2e%2e%2f%2e%2e%2f', 'Z'.repeat(300), '%F0%9F%98%80', "'; drop table issues; --", '%E0%A4%A'];

function pathFor(op: Operation, rnd: () => number, a: TenantFixture, code: string): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const real = rnd() < 0.5;
  const id = /\/templates\//.test(op.path) ? a.templateId : /\/certificates\//.test(op.path) ? a.certificate.id : 'x';
  return fullPath(op)
    .replace(':id', real ? id : pick(PARAM_VALUES))
    .replace(':code', real ? code : pick(PARAM_VALUES))
    .replace(':number', real ? '1' : pick(PARAM_VALUES))
    .replace('*name', real ? 'assets/logo.png' : pick(PARAM_VALUES))
    .replace(':tenant', real ? a.tenant.slug : pick(PARAM_VALUES))
    .replace(/:\w+/g, () => pick(PARAM_VALUES));
}

/** Every byte of the text's UTF-8 percent-encoded (encodeURIComponent throws on a lone surrogate). */
const percent = (text: string): string => [...Buffer.from(text)].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');

function queryFor(op: Operation, rnd: () => number): string {
  const shape = shapeOf(op.query);
  const names = Object.keys(shape?.properties ?? {});
  if (!names.length || rnd() < 0.3) return '';
  const parts: string[] = [];
  for (const name of names) {
    if (rnd() < 0.5) continue;
    const v = valueFor(shape?.properties?.[name], rnd);
    const text = typeof v === 'string' ? v.slice(0, 500) : (JSON.stringify(v)?.slice(0, 500) ?? '');
    parts.push(`${encodeURIComponent(name)}=${percent(text)}`);
    if (rnd() < 0.1) parts.push(`${encodeURIComponent(name)}=${percent(text)}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

// Signing out would end nothing here (tokens), and the webhook needs a signature it cannot guess; both
// are still fuzzed. Deleting is fuzzed too: the last test checks what must survive.
describe.each(ENGINES)(`fuzzing every operation (%s, seed ${SEED})`, (engine) => {
  let services: TestServices;
  let app: Running;
  let a: TenantFixture;
  let token: string;
  /** The operator operations take only the operator's token: with it the fuzzer reaches their handlers. */
  let operatorToken: string;
  let code: string;
  /** operationId → status → the error codes the API document declares. */
  const declared = new Map<string, Record<string, string[]>>();

  beforeAll(async () => {
    services = await freshServices(engine, { pool: pool() });
    // Limits raised so the fuzzer reaches the verification and sign-in handlers, not only the limiter.
    app = await startApp(services, { limits: { verifyPerMinute: 1_000_000, signInPerMinute: 1_000_000 } });
    a = await setupTenant(services);
    token = (await createToken(services, a.system, { name: 'all', capabilities: [...ALL_CAPABILITIES] })).token;
    operatorToken = (await createOperatorToken(services, { name: 'operator' })).token;
    code = (
      await requestDocument(services, a.lms, {
        certificateId: a.certificate.id,
        learnerId: 'learner-a',
        data: learnerData(),
        available: true,
      })
    ).issue.code;
    known.length = 0;
    known.push(a.templateId, a.certificate.id, a.version.id, code, 'camille-martin', 'attestation-fr');
    const doc = (await call(app.base, 'GET', '/api/v1/openapi.json')).json as unknown as {
      paths: Record<string, Record<string, { operationId: string; responses: Record<string, { 'x-error-codes'?: string[] }> }>>;
    };
    for (const entries of Object.values(doc.paths)) {
      for (const entry of Object.values(entries))
        declared.set(
          entry.operationId,
          Object.fromEntries(Object.entries(entry.responses).map(([status, r]) => [status, r['x-error-codes'] ?? []])),
        );
    }
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  });

  it.each(OPERATIONS.map((op) => [op.id, op] as const))(
    '%s',
    async (id, op) => {
      const rnd = prng(SEED ^ [...id].reduce((h, c) => Math.imul(h, 31) + c.charCodeAt(0), 7));
      const bodyShape = op.body && 'json' in op.body ? shapeOf(op.body.json) : undefined;
      for (let i = 0; i < PER_OPERATION; i++) {
        const path = pathFor(op, rnd, a, code) + queryFor(op, rnd);
        const options: Parameters<typeof call>[3] = { token: 'operator' in op.access ? operatorToken : token };
        if (op.body && 'json' in op.body) options.body = valueFor(bodyShape, rnd);
        else if (op.body)
          options.raw =
            rnd() < 0.5
              ? JSON.stringify(valueFor(undefined, rnd))
              : new Uint8Array(Array.from({ length: 64 }, () => Math.floor(rnd() * 256)));
        if (op.body && 'raw' in op.body)
          options.headers = {
            'content-type': op.body.raw[Math.floor(rnd() * op.body.raw.length)]!,
            'x-attest-timestamp': String(Math.floor(rnd() * 2e9)),
            'x-attest-signature': 'sha256=' + '0'.repeat(64),
          };
        const r = await call(app.base, op.method.toUpperCase(), path, options);
        const what = `${op.method.toUpperCase()} ${path.slice(0, 200)} with ${JSON.stringify(options.body ?? '').slice(0, 300)} (seed ${SEED}) → ${r.status} ${r.text.slice(0, 300)}`;
        expect(r.status, what).toBeLessThan(500);
        expect(r.text, what).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
        if (r.status >= 400 && path.startsWith('/api/')) expect(typeof r.json.error?.code, what).toBe('string');
        if (r.status >= 400 && r.json?.error)
          expect(declared.get(op.id)?.[String(r.status)] ?? [], `${what}: not declared in the API document`).toContain(r.json.error.code);
      }
    },
    120_000,
  );

  it('the server still answers, and the issued document is still there', async () => {
    const health = await call(app.base, 'GET', '/health');
    expect(health.status).toBe(200);
    const probe = await call(app.base, 'GET', `/api/v1/issues/${code}`, { token });
    // Fuzzing may have revoked or deleted it (those operations are fuzzed with real codes); either way
    // the answer is a well-formed one.
    expect([200, 404]).toContain(probe.status);
    expect({} as Record<string, unknown>).not.toHaveProperty('polluted');
    expect({} as Record<string, unknown>).not.toHaveProperty('admin');
  });
});

/**
 * Templates broken in seeded ways, through the whole server path a designer and an LMS take: save the
 * draft, validate, preview, publish, put on a certificate, issue for a hard persona, download. Each step
 * answers a success or a 4xx naming the problem; nothing half-made is left (an issue answered 201 has its
 * PDF).
 */
describe('seeded template mutations through the server', () => {
  let services: TestServices;
  let app: Running;
  let a: TenantFixture;
  let token: string;
  beforeAll(async () => {
    services = await freshServices('sqlite', { pool: pool() });
    app = await startApp(services);
    a = await setupTenant(services);
    token = (await createToken(services, a.system, { name: 'all', capabilities: [...ALL_CAPABILITIES] })).token;
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  it(`${MUTATIONS} mutations of an example: every answer is a success or a named problem`, async () => {
    const source = readFileSync(join(EXAMPLES_DIR, 'attestation-fr.liquid'), 'utf8');
    const snippets = [
      '<',
      '>',
      '"',
      '{%',
      '%}',
      '{{',
      '}}',
      '</text>',
      '<page>',
      '&bogus;',
      '---',
      ':',
      '\n',
      '{% for x in y %}',
      'x="-5"',
      '{{ learner.nothing }}',
      '| date: "%Q"',
      '<image src="assets/none.png"/>',
      '{% include "x" %}',
      '🎓',
    ];
    const rnd = prng(SEED);
    const outcomes = new Map<string, number>();
    const note = (step: string, r: { status: number; json: { error?: { code?: unknown } | undefined } }) => {
      const key = `${step} ${r.status}${r.status >= 400 ? ` ${String(r.json.error?.code)}` : ''}`;
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    };
    for (let i = 0; i < MUTATIONS; i++) {
      let text = source;
      // The first round is the example itself: whatever the seed, one template goes all the way through
      // (most mutants stop at publishing, and a seed may leave none that publish).
      const edits = i === 0 ? 0 : 1 + Math.floor(rnd() * 3);
      for (let k = 0; k < edits; k++) {
        const pos = Math.floor(rnd() * text.length);
        text =
          rnd() < 0.4
            ? text.slice(0, pos) + text.slice(pos + 1 + Math.floor(rnd() * 20))
            : text.slice(0, pos) + snippets[Math.floor(rnd() * snippets.length)] + text.slice(pos);
      }
      const ctx = `mutation ${i} (seed ${SEED})`;
      const check = (step: string, r: Awaited<ReturnType<typeof call>>) => {
        note(step, r);
        expect(r.status, `${ctx}: ${step} → ${r.status} ${r.text.slice(0, 300)}`).toBeLessThan(500);
        if (r.status >= 400) expect(typeof r.json.error?.code, `${ctx}: ${step}`).toBe('string');
        return r;
      };
      // From the example (its assets come along), then the mutated source saved as the draft.
      const tpl = check('create', await call(app.base, 'POST', '/api/v1/templates', { token, body: { example: 'attestation-fr' } }));
      const id = String(tpl.json.id);
      const saved = check('save', await call(app.base, 'PATCH', `/api/v1/templates/${id}`, { token, body: { source: text } }));
      if (saved.status !== 200) continue;
      check('validate', await call(app.base, 'POST', '/api/v1/validate', { token, body: { source: text } }));
      const preview = check(
        'preview',
        await call(app.base, 'POST', `/api/v1/templates/${id}/preview`, { token, body: { persona: 'long-name' } }),
      );
      if (preview.status === 200) expect(typeof preview.json.pdf === 'string' || Array.isArray(preview.json.diagnostics), ctx).toBe(true);
      const published = check('publish', await call(app.base, 'POST', `/api/v1/templates/${id}/publish`, { token }));
      if (published.status !== 201) continue;
      const cert = check(
        'certificate',
        await call(app.base, 'POST', '/api/v1/certificates', {
          token,
          body: { name: `Mutant ${i}`, template_version_id: String(published.json.version?.id), course_id: 'c' },
        }),
      );
      if (cert.status !== 201) continue;
      const issued = check(
        'issue',
        await call(app.base, 'POST', `/api/v1/certificates/${String(cert.json.id)}/issues`, {
          token,
          body: { learner_id: `m-${i}`, available: true, data: learnerData({}, 'long-name') },
        }),
      );
      // Publishing rendered the version for every sample learner, this one included: it makes the document.
      expect(issued.status, `${ctx}: ${issued.text.slice(0, 300)}`).toBe(201);
      const pdf = check('download', await call(app.base, 'GET', `/api/v1/issues/${String(issued.json.issue?.code)}/document`, { token }));
      expect(Buffer.from(pdf.bytes.subarray(0, 5)).toString(), ctx).toBe('%PDF-');
    }
    if (process.env.ATTEST_FUZZ_SHOW) console.log(JSON.stringify([...outcomes]));
    // The mutations reached every step, not only the first refusal.
    const steps = new Set([...outcomes.keys()].map((k) => k.split(' ')[0]));
    for (const step of ['save', 'preview', 'publish', 'issue', 'download']) expect(steps, JSON.stringify([...outcomes])).toContain(step);
  }, 300_000);
});

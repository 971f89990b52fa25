import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { Diagnostic as AnalyzerDiagnostic } from '../../../variables/diagnostics';
import { MAX_ASSET_BYTES } from '../../../templates/assets';
import { ALL_CAPABILITIES } from '../../../server/domain/capabilities';
import { createToken } from '../../../server/domain/tokens';
import { CONTRACT, type BodyIn, type Contract, type ParamsIn, type ResponseOf } from '../../../server/http/contract';
import { batchDeclarations } from '../../../server/http/contract/batch';
import { certificateDeclarations } from '../../../server/http/contract/certificates';
import { createClient, pathWith } from '../../../server/http/contract/client';
import { bulkDeclarations } from '../../../server/http/contract/bulk';
import { issueDeclarations } from '../../../server/http/contract/issues';
import { statsDeclarations } from '../../../server/http/contract/stats';
import { metaDeclarations } from '../../../server/http/contract/meta';
import { operatorDeclarations } from '../../../server/http/contract/operator';
import { notificationDeclarations } from '../../../server/http/contract/notifications';
import { privacyDeclarations } from '../../../server/http/contract/privacy';
import { signatureDeclarations } from '../../../server/http/contract/signature';
import { Diagnostic } from '../../../server/http/contract/schemas';
import { ASSET_LIMIT_MB, templateDeclarations } from '../../../server/http/contract/templates';
import { tenantDeclarations } from '../../../server/http/contract/tenant';
import { verificationDeclarations } from '../../../server/http/contract/verification';
import { credentialDeclarations } from '../../../server/http/contract/credentials';
import { openApiDocument } from '../../../server/http/openapi';
import { OPERATIONS } from '../../../server/http/operations';
import { freshServices, setupTenant, useRenderPool, type TenantFixture, type TestServices } from '../../support/storage';
import { startApp, type Running } from '../../support/http';

/**
 * The HTTP contract (server/http/contract) is what the editor and the server share: it must hold no server
 * code, every declaration must be bound by the server, and the client typed from it must reach the
 * operations it names.
 */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CONTRACT_DIR = join(ROOT, 'server/http/contract');

/** Modules of server/ outside the contract that it may read: the settings and capability names it describes, which are plain data and zod. */
const ALLOWED_SERVER = new Set([
  'server/domain/capabilities.ts',
  'server/domain/settings.ts',
  'server/domain/public-url.ts',
  'server/domain/stats-range.ts',
]);
/** Browser-safe modules of templates/ it may read: the drawn-box type the preview answers with. */
const ALLOWED_TEMPLATES = new Set(['templates/layout/boxes.ts']);
/** Packages that run in a browser. */
const ALLOWED_PACKAGES = new Set(['zod']);

const importsOf = (file: string): string[] =>
  [...readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm)]
    .filter((m) => !/^\s*(?:import|export)\s+type\s/.test(m[0]))
    .map((m) => m[1]!);

function resolveTs(from: string, spec: string): string {
  const base = resolve(dirname(from), spec);
  for (const candidate of [`${base}.ts`, join(base, 'index.ts'), base]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // next candidate
    }
  }
  throw new Error(`${relative(ROOT, from)} imports ${spec}, which is not a TypeScript module`);
}

/** Every module the contract loads at run time (type-only imports are erased), and what it loads outside ours. */
function walk(entries: string[]): { modules: Set<string>; packages: Set<string> } {
  const modules = new Set<string>();
  const packages = new Set<string>();
  const todo = [...entries];
  while (todo.length) {
    const file = todo.pop()!;
    if (modules.has(file)) continue;
    modules.add(file);
    for (const spec of importsOf(file)) {
      if (spec.startsWith('.')) todo.push(resolveTs(file, spec));
      else packages.add(spec);
    }
  }
  return { modules, packages };
}

const contractFiles = readdirSync(CONTRACT_DIR)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => join(CONTRACT_DIR, f));

describe('the HTTP contract', () => {
  it('loads nothing Node-only: zod, variables/, itself, the drawn-box type and the plain data of the domain it describes', () => {
    const { modules, packages } = walk(contractFiles);
    expect([...packages].filter((p) => !ALLOWED_PACKAGES.has(p))).toEqual([]);
    const outside = [...modules]
      .map((m) => relative(ROOT, m))
      .filter(
        (m) => !m.startsWith('server/http/contract/') && !m.startsWith('variables/') && !ALLOWED_SERVER.has(m) && !ALLOWED_TEMPLATES.has(m),
      );
    expect(outside).toEqual([]);
  });

  it('is the only part of server/ the editor imports', () => {
    const offenders: string[] = [];
    const visit = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (name === 'node_modules' || name === 'dist') continue;
        if (statSync(path).isDirectory()) visit(path);
        else if (/\.ts$/.test(name)) {
          for (const m of readFileSync(path, 'utf8').matchAll(/from\s+['"]([^'"]+)['"]/g)) {
            const target = relative(ROOT, resolve(dirname(path), m[1]!));
            if (target.startsWith('server/') && !target.startsWith('server/http/contract'))
              offenders.push(`${relative(ROOT, path)} → ${target}`);
          }
        }
      }
    };
    visit(join(ROOT, 'editor'));
    expect(offenders).toEqual([]);
  });

  it('declares each operation once, and the server binds every one of them, in its order', () => {
    const groups = [
      issueDeclarations,
      bulkDeclarations,
      statsDeclarations,
      certificateDeclarations,
      batchDeclarations,
      templateDeclarations,
      verificationDeclarations,
      credentialDeclarations,
      tenantDeclarations,
      operatorDeclarations,
      notificationDeclarations,
      privacyDeclarations,
      signatureDeclarations,
      metaDeclarations,
    ];
    expect(Object.keys(CONTRACT)).toHaveLength(groups.reduce((n, g) => n + Object.keys(g).length, 0));
    expect(OPERATIONS.map((op) => op.id)).toEqual(Object.keys(CONTRACT));
    for (const op of OPERATIONS) expect(op.id).toBe(CONTRACT[op.id as keyof Contract].id);
  });

  it('says the asset limit the server binds', () => {
    expect(ASSET_LIMIT_MB * 1e6).toBe(MAX_ASSET_BYTES);
    const putAsset = OPERATIONS.find((op) => op.id === 'putAsset')!;
    expect(putAsset.body && 'limit' in putAsset.body && putAsset.body.limit).toBe(MAX_ASSET_BYTES);
  });

  it('publishes a diagnostic’s quick fixes as `fixes`, the field the analyzer and the editor use', () => {
    expectTypeOf<AnalyzerDiagnostic['fixes']>().toExtend<z.infer<typeof Diagnostic>['fixes']>();
    const doc = openApiDocument(OPERATIONS, 'http://x') as {
      paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>;
    };
    const schema = JSON.stringify(doc.paths['/api/v1/validate']!.post!.responses['200']!.content!['application/json']!.schema);
    expect(schema).toContain('"fixes"');
    expect(schema).not.toContain('"fix"');
    const analyzerKeys: (keyof AnalyzerDiagnostic)[] = ['stage', 'code', 'severity', 'message', 'range', 'path', 'fixes'];
    expect(Object.keys(Diagnostic.shape).sort()).toEqual([...analyzerKeys].sort());
  });

  it('types the client from the schemas', () => {
    expectTypeOf<BodyIn<Contract['updateTemplate']>>().toEqualTypeOf<{ name?: string | undefined; source?: string | undefined }>();
    expectTypeOf<ParamsIn<Contract['putAsset']>>().toEqualTypeOf<{ id: string | number; name: readonly string[] }>();
    expectTypeOf<ResponseOf<Contract['publishTemplate']>['version']['number']>().toEqualTypeOf<number>();
    expectTypeOf<ResponseOf<Contract['deleteTemplate']>>().toEqualTypeOf<undefined>();
  });

  it('fills paths: parameters encoded, a path of segments kept as segments', () => {
    expect(pathWith(CONTRACT.getTemplate, { id: 'a b/c' })).toBe('/api/v1/templates/a%20b%2Fc');
    expect(pathWith(CONTRACT.getAsset, { id: 't', name: ['assets', 'sceau é.png'] })).toBe(
      '/api/v1/templates/t/assets/assets/sceau%20%C3%A9.png',
    );
    expect(pathWith(CONTRACT.verificationPage, { code: 'X-1' })).toBe('/verify/X-1');
    expect(() => pathWith(CONTRACT.getTemplate, {})).toThrow(/id/);
  });
});

describe('the typed client against the server', () => {
  const pool = useRenderPool(1);
  let services: TestServices;
  let fx: TenantFixture;
  let app: Running;
  let client: ReturnType<typeof createClient<Contract>>;
  let token: string;

  beforeAll(async () => {
    services = await freshServices('sqlite', { pool: pool() });
    fx = await setupTenant(services);
    ({ token } = await createToken(services, fx.admin, { name: 'contract', capabilities: [...ALL_CAPABILITIES] }));
    app = await startApp(services);
    client = createClient(CONTRACT, { base: app.base, headers: { authorization: `Bearer ${token}` } });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  it('creates, saves, uploads to and reads a template by operation id', async () => {
    const created = await client.call('createTemplate', { body: { name: 'Contract', source: '---\nname: Contract\n---\n<page></page>' } });
    expect(created.ok && created.status).toBe(201);
    if (!created.ok) return;
    const id = created.value.id;
    const saved = await client.call('updateTemplate', { params: { id }, body: { name: 'Contract 2' } });
    expect(saved.ok && saved.value.name).toBe('Contract 2');
    const png = Uint8Array.from(
      Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'),
    );
    const put = await client.call('putAsset', { params: { id, name: ['assets', 'dot.png'] }, body: png, type: 'image/png' });
    expect(put.ok && put.value.name).toBe('assets/dot.png');
    const read = await fetch(client.url('getAsset', { params: { id, name: ['assets', 'dot.png'] } }), {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(read.status).toBe(200);
    const missing = await client.call('getTemplate', { params: { id: 'nope' } });
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.code).toBe('TEMPLATE_NOT_FOUND');
  });
});

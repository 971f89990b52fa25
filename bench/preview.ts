/**
 * `npm run bench` (last part): the live preview's server time per keystroke. The editor sends the whole
 * source on every edit, so each request carries a source the worker has never compiled. This types one
 * character at a time into attestation-fr and diploma-background (a background PDF) (drafts of fresh templates on SQLite, one render worker) and
 * reports the median of the domain's previewTemplate, then where a keystroke's time goes in this process
 * (compile vs. render).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage } from '../server/storage/database';
import { RenderPool } from '../server/render/pool';
import { createTenant } from '../server/domain/tenants';
import { createTemplate, draftPayload } from '../server/domain/templates';
import { previewTemplate } from '../server/domain/preview';
import type { Actor, Services } from '../server/domain/context';
import { compileTemplate } from '../templates/compile';
import { renderDocument } from '../templates/render';
import { findPersona } from '../variables/personas';
import { previewData } from '../variables/samples';
import { recordFigures, type Figure } from './results';

const EDITS = Number(process.env.BENCH_PREVIEW_EDITS ?? 50);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number) => n.toFixed(1);

const dir = mkdtempSync(join(tmpdir(), 'attest-bench-preview-'));
const storage = await openStorage(join(dir, 'attest.sqlite'));
const pool = new RenderPool({ size: 1, timeoutMs: 20_000, preview: { timeoutMs: 20_000 } });
try {
  await pool.whenReady();
  const services: Services = { storage, renderer: pool, now: () => new Date(), baseUrl: 'https://attest.test' };
  const tenant = await createTenant(services, { slug: 'bench-preview', name: 'Bench', settings: { locale: 'fr' } });
  const system: Actor = { kind: 'system', tenantId: tenant.id };
  const data = previewData({}, findPersona('oliver-bennett')!.data);
  const figures: Figure[] = [];
  for (const example of ['attestation-fr', 'diploma-background']) {
    const template = await createTemplate(services, system, { example });
    const draft = await draftPayload(services, system, template.id);
    // Each keystroke adds one more letter at the end of the first text, as typing there would.
    const anchor = draft.source.indexOf('</text>');
    const typed = (i: number) => draft.source.slice(0, anchor) + 'x'.repeat(i + 1) + draft.source.slice(anchor);

    const server: number[] = [];
    let cpu = process.cpuUsage();
    for (let i = -5; i < EDITS; i++) {
      if (i === 0) cpu = process.cpuUsage();
      const t = performance.now();
      const p = await previewTemplate(services, system, { templateId: template.id, source: typed(i + 5) });
      if (!p.pdf) throw new Error(`preview failed: ${JSON.stringify(p.diagnostics)}`);
      if (i >= 0) server.push(performance.now() - t);
    }
    // CPU of the whole process (the worker thread included): what load on a shared machine does not change.
    const used = process.cpuUsage(cpu);
    const cpuPerEdit = (used.user + used.system) / 1000 / EDITS;

    const compile: number[] = [];
    const render: number[] = [];
    for (let i = -5; i < EDITS; i++) {
      const t0 = performance.now();
      const c = await compileTemplate(typed(EDITS + 10 + i), { loadAsset: (file) => draft.assets[file] });
      const t1 = performance.now();
      const r = renderDocument(c.template!, data, { specimen: true });
      if (!r.pdf) throw new Error('render failed');
      if (i >= 0) {
        compile.push(t1 - t0);
        render.push(performance.now() - t1);
      }
    }
    console.log(
      `preview per keystroke (${example}, ${EDITS} edits): previewTemplate median ${fmt(median(server))} ms, CPU ${fmt(cpuPerEdit)} ms per edit`,
    );
    console.log(`  in this process: compile median ${fmt(median(compile))} ms, render median ${fmt(median(render))} ms`);
    figures.push({
      id: `preview.${example}`,
      label: `preview per keystroke (${example})`,
      value: median(server),
      unit: 'ms',
      cpuMs: cpuPerEdit,
      cpuUnit: 'edit',
      detail: `compile ${fmt(median(compile))} ms, render ${fmt(median(render))} ms`,
    });
  }
  recordFigures('preview', figures);
} finally {
  await storage.close();
  await pool.close();
  rmSync(dir, { recursive: true, force: true });
}

import { serverPagePolicy } from '../security';
import { escapeHtml, type ServerPage } from './verify';

/**
 * One stylesheet, allowed by its hash: the page lives under /api/, whose policy refuses everything a page
 * would need, so it answers with a policy of its own (nothing but this stylesheet).
 */
const STYLE =
  'body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}pre{background:#f5f5f5;padding:.5rem;overflow:auto;max-height:30rem}section{border-top:1px solid #ddd;padding:.5rem 0}nav a{margin-right:1rem}code{font-family:ui-monospace,monospace}';
export const API_DOCS_POLICY = serverPagePolicy({ styles: [STYLE] });

/** The API document as a page people can read: operations by tag, each with its capability and schemas. */
export function apiDocsPage(doc: Record<string, unknown>): ServerPage {
  const paths = doc.paths as Record<
    string,
    Record<
      string,
      {
        operationId: string;
        summary: string;
        tags: string[];
        'x-capability': string;
        requestBody?: unknown;
        responses: unknown;
        parameters: unknown[];
      }
    >
  >;
  const byTag = new Map<string, string[]>();
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const html = `<section id="${escapeHtml(op.operationId)}"><h3><code>${method.toUpperCase()} ${escapeHtml(path)}</code></h3>
<p>${escapeHtml(op.summary)}</p><p><small>Capability: <code>${escapeHtml(op['x-capability'])}</code> · operationId <code>${escapeHtml(op.operationId)}</code></small></p>
${op.parameters.length ? `<details><summary>Parameters</summary><pre>${escapeHtml(JSON.stringify(op.parameters, null, 2))}</pre></details>` : ''}
${op.requestBody ? `<details><summary>Request body</summary><pre>${escapeHtml(JSON.stringify(op.requestBody, null, 2))}</pre></details>` : ''}
<details><summary>Responses</summary><pre>${escapeHtml(JSON.stringify(op.responses, null, 2))}</pre></details></section>`;
      const tag = op.tags[0] ?? 'Other';
      byTag.set(tag, [...(byTag.get(tag) ?? []), html]);
    }
  }
  const info = doc.info as { title: string; description: string };
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(info.title)}</title>
<style>${STYLE}</style></head>
<body><h1>${escapeHtml(info.title)}</h1><p>${escapeHtml(info.description)}</p><p><a href="/api/v1/openapi.json">openapi.json</a> (OpenAPI 3.1)</p>
<nav>${[...byTag.keys()].map((t) => `<a href="#tag-${escapeHtml(t)}">${escapeHtml(t)}</a>`).join('')}</nav>
${[...byTag.entries()].map(([t, ops]) => `<h2 id="tag-${escapeHtml(t)}">${escapeHtml(t)}</h2>${ops.join('\n')}`).join('\n')}
</body></html>`;
  return { html, policy: API_DOCS_POLICY };
}

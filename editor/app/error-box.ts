import { html, nothing } from 'lit';
import type { ApiError } from './api';
import { tr } from './messages';

/** A failed call, shown in full: the server's message and every problem or reason it listed. */
export function errorBox(error: ApiError | undefined): unknown {
  if (!error) return nothing;
  return html`<div class="error" role="alert" data-code=${error.code}>
    <p>${tr('app.error', { code: error.code, message: error.message })}</p>
    ${
      error.problems.length || error.reasons.length
        ? html`<ul>
            ${error.problems.map((p) => html`<li>${p.path ? html`<code>${p.path}</code> ` : nothing}${p.message}</li>`)}
            ${error.reasons.map((r) => html`<li><code>${r.code}</code> ${r.message}</li>`)}
          </ul>`
        : nothing
    }
  </div>`;
}

import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { bind } from '../../variables/bind';
import { catalogue } from '../../variables/catalogue';
import type { Diagnostic } from '../../variables/diagnostics';
import { personas, type Persona } from '../../variables/personas';
import { previewData } from '../../variables/samples';
import type { Schema } from '../../variables/types';
import { LocaleController, t } from '../i18n';

export interface SampleChangeDetail {
  /** The bundled persona chosen, or absent for the designer's own JSON. */
  persona?: string;
  /** The data to preview with: the persona's (completed for the template's own variables) or the JSON. */
  data?: Record<string, unknown>;
}

/** The two everyday learners; every other persona is one of the hard cases (variables/personas.ts). */
const ORDINARY = new Set(['camille-martin', 'oliver-bennett']);
export const OWN = '__own__';

/** The template's own variables: what the schema has beyond the catalogue (personas know only the catalogue). */
function declaredPart(schema: Schema): Schema {
  return Object.fromEntries(Object.entries(schema).filter(([key]) => !Object.hasOwn(catalogue, key)));
}

type Check = { kind: 'syntax'; message: string } | { kind: 'bind'; problems: Diagnostic[]; data: Record<string, unknown> };

/**
 * `<attest-sample-data>`: whom the preview is for. One of the bundled personas (the hard ones included:
 * scripts, right-to-left, very long names, text that looks like markup) or the designer's own JSON,
 * checked against the template's `schema` with the same `bind` as the server, as they type: every problem
 * is listed with its path. `sample-change` {persona?, data} is sent only for data that binds.
 */
export class SampleData extends LitElement {
  static override properties = {
    schema: { attribute: false },
    selected: { type: String },
    text: { state: true },
    check: { state: true },
  };

  static override styles = css`
    :host {
      display: block;
      font:
        13px system-ui,
        sans-serif;
      color: #1d2327;
    }
    label {
      display: block;
      font-size: 12px;
      color: #444;
      margin: 6px 0 2px;
    }
    select,
    textarea {
      font: inherit;
      box-sizing: border-box;
      width: 100%;
      border: 1px solid #b9c0c8;
      border-radius: 4px;
      padding: 4px 6px;
    }
    textarea {
      font-family: ui-monospace, monospace;
      font-size: 12px;
      min-height: 180px;
      resize: vertical;
      tab-size: 2;
    }
    textarea[aria-invalid='true'] {
      border-color: #c62828;
    }
    select:focus-visible,
    textarea:focus-visible {
      outline: 2px solid #1a73e8;
    }
    .tests {
      font-size: 11px;
      color: #555;
      margin: 4px 0 0;
    }
    .status {
      margin: 6px 0 0;
      font-size: 12px;
    }
    .ok {
      color: #1b5e20;
    }
    .bad {
      color: #b71c1c;
    }
    ul {
      margin: 4px 0 0;
      padding: 0 0 0 16px;
      font-size: 12px;
    }
    li {
      margin: 2px 0;
    }
    li.warning {
      color: #6d5600;
    }
    code {
      font-size: 11px;
      background: #f1f1f3;
      padding: 0 3px;
      border-radius: 3px;
    }
  `;

  /** The template's whole data contract (catalogue + declared), e.g. CompiledTemplate.schema. */
  declare schema: Schema;
  /** A persona id, or "__own__" for the JSON editor. */
  declare selected: string;
  declare protected text: string;
  declare protected check: Check | undefined;

  /** Re-renders on a language switch; `i18n.locale` picks descriptions in the UI language. */
  private readonly i18n = new LocaleController(this);
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.schema = catalogue;
    this.selected = personas[0]?.id ?? OWN;
    this.text = '';
    this.check = undefined;
  }

  /** The persona's data completed with sample values for the template's own variables. */
  private personaData(persona: Persona): Record<string, unknown> {
    return previewData(declaredPart(this.schema), persona.data);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('selected') && this.selected !== OWN && !this.text) {
      // The JSON editor starts from the chosen persona, so "my own JSON" means editing a complete example.
      const persona = personas.find((p) => p.id === this.selected);
      if (persona) this.text = JSON.stringify(this.personaData(persona), null, 2);
    }
    if (changed.has('schema') && this.selected === OWN) this.check = this.validate(this.text);
  }

  private validate(text: string): Check {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      return { kind: 'syntax', message: (e as Error).message };
    }
    // Unknown fields are only dropped by the server; here they are worth a warning, as bind gives them.
    const result = bind(this.schema, parsed);
    return { kind: 'bind', problems: result.diagnostics, data: (parsed ?? {}) as Record<string, unknown> };
  }

  private emit(detail: SampleChangeDetail): void {
    this.dispatchEvent(new CustomEvent<SampleChangeDetail>('sample-change', { detail, bubbles: true, composed: true }));
  }

  private onSelect(value: string): void {
    this.selected = value;
    if (value === OWN) {
      this.check = this.validate(this.text);
      if (this.check.kind === 'bind' && !this.check.problems.some((d) => d.severity === 'error')) this.emit({ data: this.check.data });
      return;
    }
    const persona = personas.find((p) => p.id === value);
    if (!persona) return;
    const data = this.personaData(persona);
    this.text = JSON.stringify(data, null, 2);
    this.check = undefined;
    this.emit({ persona: persona.id, data });
  }

  private onInput(text: string): void {
    this.text = text;
    if (this.selected !== OWN) this.selected = OWN;
    // Validating is cheap, but a 20 KB paste re-bound on every keystroke is not: a short debounce.
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const check = this.validate(this.text);
      this.check = check;
      if (check.kind === 'bind' && !check.problems.some((d) => d.severity === 'error')) this.emit({ data: check.data });
    }, 150);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.timer);
  }

  protected override render(): unknown {
    const locale = this.i18n.locale;
    const ordinary = personas.filter((p) => ORDINARY.has(p.id));
    const hard = personas.filter((p) => !ORDINARY.has(p.id));
    const persona = personas.find((p) => p.id === this.selected);
    const check = this.check;
    const errors = check?.kind === 'bind' ? check.problems.filter((d) => d.severity === 'error') : [];
    const invalid = check?.kind === 'syntax' || errors.length > 0;
    const option = (p: Persona) => html`<option value=${p.id} ?selected=${p.id === this.selected}>${p.label[locale]} — ${p.id}</option>`;
    return html`
      <label for="persona">${t('sample.persona')}</label>
      <select id="persona" @change=${(e: Event) => this.onSelect((e.target as HTMLSelectElement).value)}>
        <optgroup label=${t('sample.ordinary')}>${ordinary.map(option)}</optgroup>
        <optgroup label=${t('sample.hard')}>${hard.map(option)}</optgroup>
        <option value=${OWN} ?selected=${this.selected === OWN}>${t('sample.own')}</option>
      </select>
      ${persona ? html`<p class="tests">${persona.tests[locale]}</p>` : nothing}
      <label for="json">${t('sample.json')}</label>
      <textarea
        id="json"
        spellcheck="false"
        aria-invalid=${invalid ? 'true' : 'false'}
        aria-describedby="status"
        .value=${this.text}
        @input=${(e: Event) => this.onInput((e.target as HTMLTextAreaElement).value)}
      ></textarea>
      <div id="status" class="status" role="status" aria-live="polite">${this.renderStatus(check, errors)}</div>
    `;
  }

  private renderStatus(check: Check | undefined, errors: Diagnostic[]): unknown {
    if (!check) return nothing;
    if (check.kind === 'syntax') return html`<span class="bad">${t('sample.syntax', { message: check.message })}</span>`;
    const shown = check.problems.filter((d) => d.severity !== 'info');
    return html`
      ${errors.length === 0 ? html`<span class="ok">${t('sample.valid')}</span>` : html`<span class="bad">${t('sample.problems', { count: errors.length })}</span>`}
      ${
        shown.length > 0
          ? html`<ul class="problems">
              ${shown.map((d) => html`<li class=${d.severity} data-path=${d.path ?? ''}><code>${d.path || t('sample.root')}</code> ${d.message}</li>`)}
            </ul>`
          : nothing
      }
    `;
  }
}

if (!customElements.get('attest-sample-data')) customElements.define('attest-sample-data', SampleData);

declare global {
  interface HTMLElementTagNameMap {
    'attest-sample-data': SampleData;
  }
}

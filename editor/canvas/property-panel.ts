import { css, html, LitElement, nothing } from 'lit';
import { DEFINITIONS, type ElementName } from '../../templates/elements/definitions';
import type { AttributeSpec, ElementDefinition } from '../../templates/elements/definition';
import type { Range } from '../../variables/diagnostics';
import { schemaEntries, type Schema } from '../../variables/types';
import { localized, LocaleController } from '../i18n';
import { contentOf, valueAttribute } from './content';
import { editorSpec, pageAxisMm, type PageSizeMm } from './edits';
import { ct } from './messages';
import { isComputed, tagAt, type StartTag } from './tags';
import { formatInUnit, lengthToMm, readWrittenLength } from './units';

export interface PropertyChangeDetail {
  range: Range;
  /** Attributes to set to text (undefined removes one). */
  values?: Readonly<Record<string, string | undefined>>;
  /** The element's new content. */
  content?: string;
  /** A variable to put in the content (or its value attribute). */
  bind?: { path: string; how: 'append' | 'replace' };
}

/** The variables a designer binds an element to: printable values (no lists or objects). */
function bindable(schema: Schema): string[] {
  return schemaEntries(schema)
    .filter((e) => !/\[\]|\.\*/.test(e.path) && !['object', 'list', 'map'].includes(e.variable.type.kind))
    .map((e) => e.path);
}

/**
 * `<attest-property-panel>`: the selected element's properties, read from its tag in the source: position
 * and size in the unit each was written in (with millimetres beside), then its own attributes as its
 * definition lists them (templates/elements/<name>/definition.ts: enums as choices, font roles and assets
 * from the front matter), its content, and the typed variables to bind into it. Each change is one
 * `property-change` event; a value Liquid computes is shown, not editable.
 */
export class PropertyPanel extends LitElement {
  static override properties = {
    source: { attribute: false },
    range: { attribute: false },
    pageMm: { attribute: false },
    schema: { attribute: false },
    fontRoles: { attribute: false },
    assets: { attribute: false },
    selectedCount: { attribute: false },
    variable: { state: true },
  };
  static override styles = css`
    :host {
      display: block;
      font:
        13px system-ui,
        sans-serif;
    }
    h3 {
      font-size: 13px;
      margin: 12px 0 6px;
      color: #1f3a5f;
    }
    .grid {
      display: grid;
      grid-template-columns: minmax(80px, auto) 1fr;
      gap: 4px 8px;
      align-items: center;
    }
    label {
      font-family: ui-monospace, monospace;
      font-size: 12px;
    }
    input,
    select,
    textarea {
      font: inherit;
      min-width: 0;
      width: 100%;
      box-sizing: border-box;
    }
    .with-unit {
      display: flex;
      gap: 4px;
      align-items: center;
    }
    .with-unit input {
      width: 6em;
    }
    .muted {
      color: #666;
      font-size: 12px;
    }
    .bind {
      display: flex;
      gap: 4px;
      flex-wrap: wrap;
    }
    button {
      font: inherit;
    }
  `;
  declare source: string;
  declare range: Range | undefined;
  declare pageMm: PageSizeMm | undefined;
  declare schema: Schema;
  declare fontRoles: readonly string[];
  declare assets: readonly string[];
  /** How many elements are selected: the panel edits one at a time. */
  declare selectedCount: number;
  declare protected variable: string;
  private readonly i18n = new LocaleController(this);

  constructor() {
    super();
    this.source = '';
    this.range = undefined;
    this.pageMm = undefined;
    this.schema = {};
    this.fontRoles = [];
    this.assets = [];
    this.variable = '';
    this.selectedCount = 0;
  }

  private change(detail: Omit<PropertyChangeDetail, 'range'>): void {
    if (!this.range) return;
    this.dispatchEvent(
      new CustomEvent<PropertyChangeDetail>('property-change', { detail: { range: this.range, ...detail }, bubbles: true, composed: true }),
    );
  }

  protected override render(): unknown {
    const tag = this.range ? tagAt(this.source, this.range) : undefined;
    if (!tag)
      return html`<p class="muted">
        ${this.selectedCount > 1 ? `${ct('canvas.selected', { count: this.selectedCount })}. ` : ''}${ct('panel.none')}
      </p>`;
    const def: ElementDefinition | undefined = Object.hasOwn(DEFINITIONS, tag.name) ? DEFINITIONS[tag.name as ElementName] : undefined;
    const spec = editorSpec(tag.name);
    const geometry = new Set([...(spec?.move.h ?? []), ...(spec?.move.v ?? []), ...(spec?.resize?.w ?? []), ...(spec?.resize?.h ?? [])]);
    const specs = def?.attributes ?? [];
    const content = contentOf(this.source, tag);
    const target = content ? 'content' : valueAttribute(tag.name);
    const variables = bindable(this.schema);
    return html`<section aria-label=${ct('panel.title')}>
      <h3><code>&lt;${tag.name}&gt;</code> <span class="muted">${this.range!.start.line}:${this.range!.start.column}</span></h3>
      ${
        geometry.size
          ? html`<h3>${ct('panel.position')}</h3>
              <div class="grid">${specs.filter((a) => geometry.has(a.name)).map((a) => this.lengthField(tag, a))}</div>`
          : nothing
      }
      ${
        content
          ? html`<h3><label for="content">content</label></h3>
              <textarea
                id="content"
                rows="2"
                .value=${content.text}
                @change=${(e: Event) => this.change({ content: (e.target as HTMLTextAreaElement).value })}
              ></textarea>`
          : nothing
      }
      ${
        target && variables.length
          ? html`<div class="bind" role="group" aria-label=${ct('panel.insertVariable')}>
              <select
                aria-label=${ct('panel.insertVariable')}
                .value=${this.variable}
                @change=${(e: Event) => (this.variable = (e.target as HTMLSelectElement).value)}
              >
                <option value="">${ct('panel.insertVariable')} (${target})</option>
                ${variables.map((p) => html`<option value=${p} ?selected=${p === this.variable}>${p}</option>`)}
              </select>
              <button
                type="button"
                class="bind-append"
                ?disabled=${!this.variable}
                @click=${() => this.change({ bind: { path: this.variable, how: 'append' } })}
              >
                ${ct('panel.insert')}
              </button>
              ${
                content
                  ? html`<button
                      type="button"
                      class="bind-replace"
                      ?disabled=${!this.variable}
                      @click=${() => this.change({ bind: { path: this.variable, how: 'replace' } })}
                    >
                      ${ct('panel.replace')}
                    </button>`
                  : nothing
              }
            </div>`
          : nothing
      }
      <h3>${ct('panel.attributes')}</h3>
      <div class="grid">${specs.filter((a) => !geometry.has(a.name)).map((a) => this.field(tag, a))}</div>
    </section>`;
  }

  private lengthField(tag: StartTag, a: AttributeSpec): unknown {
    const id = `attr-${a.name}`;
    const written = tag.attributes.find((b) => b.name === a.name);
    const label = html`<label for=${id} title=${localized(a.doc)}>${a.name}</label>`;
    if (written && isComputed(tag, written))
      return html`${label}<span
          ><input id=${id} readonly .value=${written.value} /> <span class="muted">${ct('panel.computed')}</span></span
        >`;
    const length = written ? readWrittenLength(written.value) : undefined;
    if (written && !length) return html`${label}${this.textInput(id, a.name, written.value)}`;
    const unit = length?.unitText || 'mm';
    const mm = length ? lengthToMm(length, pageAxisMm(a.name, this.pageMm)) : undefined;
    return html`${label}<span class="with-unit">
        <input
          id=${id}
          type="number"
          step="any"
          .value=${length ? String(length.value) : ''}
          placeholder=${written ? '' : ct('panel.unset')}
          @change=${(e: Event) => {
            const v = (e.target as HTMLInputElement).value.trim();
            if (v === '' || !Number.isFinite(Number(v))) return;
            // The number as typed, in the unit the attribute was written in (or millimetres when it is new).
            const text = length ? `${length.lead}${v}${length.gap}${length.unitText}${length.trail}` : `${v}mm`;
            this.change({ values: { [a.name]: text } });
          }}
        />
        <span>${unit}</span>
        ${length && length.unit !== 'mm' && mm !== undefined ? html`<span class="muted">= ${formatInUnit(mm, 'mm')} mm</span>` : nothing}
      </span>`;
  }

  private textInput(id: string, name: string, value: string): unknown {
    return html`<input id=${id} .value=${value} @change=${(e: Event) => this.set(name, (e.target as HTMLInputElement).value)} />`;
  }

  private set(name: string, value: string): void {
    this.change({ values: { [name]: value.trim() === '' ? undefined : value } });
  }

  private field(tag: StartTag, a: AttributeSpec): unknown {
    const id = `attr-${a.name}`;
    const written = tag.attributes.find((b) => b.name === a.name);
    const value = written?.value ?? '';
    const fallback = a.default ?? (a.defaultDoc ? localized(a.defaultDoc) : '');
    const label = html`<label for=${id} title=${localized(a.doc)}>${a.name}</label>`;
    if (written && isComputed(tag, written))
      return html`${label}<span><input id=${id} readonly .value=${value} /> <span class="muted">${ct('panel.computed')}</span></span>`;
    const choices =
      a.type.kind === 'enum'
        ? a.type.values
        : a.type.kind === 'name'
          ? a.type.of === 'font role'
            ? this.fontRoles
            : this.assets
          : a.type.kind === 'text' && a.type.assets
            ? this.assets
            : undefined;
    if (choices && (a.type.kind !== 'text' || choices.includes(value) || value === '')) {
      const options = [...new Set([...(value && !choices.includes(value) ? [value] : []), ...choices])];
      return html`${label}<select id=${id} @change=${(e: Event) => this.set(a.name, (e.target as HTMLSelectElement).value)}>
          <option value="" ?selected=${value === ''}>${fallback ? ct('panel.default', { value: fallback }) : ct('panel.unset')}</option>
          ${options.map((o) => html`<option value=${o} ?selected=${o === value}>${o}</option>`)}
        </select>`;
    }
    if (a.type.kind === 'color') {
      return html`${label}<span class="with-unit">
          ${this.textInput(id, a.name, value)}
          <input
            type="color"
            aria-label=${`${a.name} (picker)`}
            .value=${/^#[0-9a-f]{6}$/i.test(value) ? value : '#000000'}
            @change=${(e: Event) => this.set(a.name, (e.target as HTMLInputElement).value)}
          />
        </span>`;
    }
    return html`${label}${this.textInput(id, a.name, value)}`;
  }
}

if (!customElements.get('attest-property-panel')) customElements.define('attest-property-panel', PropertyPanel);

declare global {
  interface HTMLElementTagNameMap {
    'attest-property-panel': PropertyPanel;
  }
}

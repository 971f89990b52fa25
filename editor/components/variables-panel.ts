import { css, html, LitElement, nothing } from 'lit';
import { catalogue } from '../../variables/catalogue';
import { typeName, type Schema, type VarType, type Variable } from '../../variables/types';
import { LocaleController, t } from '../i18n';
import { insertionText, loopVariable } from './insertion';

export interface InsertTextDetail {
  text: string;
}

/** One row of the tree: a variable with the path a template writes and the text inserted for it. */
interface Node {
  name: string;
  path: string;
  variable: Variable;
  insert: string;
  children: Node[];
}

interface Context {
  /** Top-level names: loop variables must not hide them. */
  taken: ReadonlySet<string>;
  /** Puts a field of a list item inside the loops it needs: `{% for m in modules %}…{% endfor %}`. */
  wrap: (inner: string) => string;
}

function childrenOf(type: VarType, path: string, prefix: string, ctx: Context): Node[] {
  if (type.kind === 'object') return nodes(type.fields, prefix, ctx);
  if (type.kind === 'list' && type.of.kind === 'object') {
    // A field the designer picks from a list's items is inserted inside the loop over that list.
    const x = loopVariable(path, ctx.taken);
    const taken = new Set(ctx.taken).add(x);
    return nodes(type.of.fields, `${x}.`, { taken, wrap: (inner) => ctx.wrap(`{% for ${x} in ${path} %}${inner}{% endfor %}`) });
  }
  if (type.kind === 'map' && type.of.kind === 'object') return nodes(type.of.fields, `${path}["key"].`, ctx);
  return [];
}

function nodes(fields: Readonly<Record<string, Variable>>, prefix: string, ctx: Context): Node[] {
  return Object.entries(fields).map(([name, variable]) => {
    const path = `${prefix}${name}`;
    return {
      name,
      path,
      variable,
      insert: ctx.wrap(insertionText(path, variable.type, ctx.taken)),
      children: childrenOf(variable.type, path, `${path}.`, ctx),
    };
  });
}

/** Every variable of the template: the catalogue's and its own, with the names they take at the top. */
function trees(declared: Schema): { own: Node[]; builtIn: Node[] } {
  const ctx: Context = { taken: new Set([...Object.keys(catalogue), ...Object.keys(declared)]), wrap: (inner) => inner };
  return { own: nodes(declared, '', ctx), builtIn: nodes(catalogue, '', ctx) };
}

/** The node and its descendants that match; a parent stays when a child matches, so the tree keeps its shape. */
function filter(list: readonly Node[], query: string, describe: (v: Variable) => string): Node[] {
  if (!query) return [...list];
  const out: Node[] = [];
  for (const n of list) {
    const children = filter(n.children, query, describe);
    const hit = [n.path, typeName(n.variable.type), describe(n.variable)].some((s) => s.toLowerCase().includes(query));
    if (hit || children.length > 0) out.push({ ...n, children: hit && children.length === 0 ? n.children : children });
  }
  return out;
}

/**
 * `<attest-variables-panel>`: every variable a template can use, the built-in catalogue and the template's
 * own (`declared`), as a tree with types and descriptions in the UI language, searchable. Click, Enter or
 * drag a variable to insert it: `insert-text` {text} (the app puts it at Monaco's cursor), and the drag
 * carries the same text as text/plain, which Monaco accepts as a drop.
 */
export class VariablesPanel extends LitElement {
  static override properties = {
    declared: { attribute: false },
    query: { state: true },
  };

  static override styles = css`
    :host {
      display: flex;
      flex-direction: column;
      min-height: 0;
      font:
        13px system-ui,
        sans-serif;
      color: #1d2327;
      background: #fbfbfc;
    }
    header {
      padding: 8px;
      border-bottom: 1px solid #d0d4d9;
    }
    h2 {
      font-size: 13px;
      margin: 0 0 6px;
    }
    label {
      display: block;
      font-size: 12px;
      color: #444;
      margin-bottom: 2px;
    }
    input {
      width: 100%;
      box-sizing: border-box;
      font: inherit;
      padding: 4px 6px;
      border: 1px solid #b9c0c8;
      border-radius: 4px;
    }
    .hint {
      font-size: 11px;
      color: #666;
      margin: 4px 0 0;
    }
    .tree {
      flex: 1;
      overflow: auto;
      padding: 4px 0 8px;
    }
    h3 {
      font-size: 11px;
      text-transform: uppercase;
      letter-spacing: 0.04em;
      color: #666;
      margin: 10px 8px 2px;
    }
    ul {
      list-style: none;
      margin: 0;
      padding: 0 0 0 12px;
    }
    .tree > ul {
      padding-left: 4px;
    }
    details > summary {
      list-style: none;
      cursor: pointer;
    }
    details > summary::-webkit-details-marker {
      display: none;
    }
    .row {
      display: flex;
      align-items: flex-start;
      gap: 2px;
    }
    .twisty {
      width: 14px;
      flex: none;
      color: #666;
      font-size: 10px;
      padding-top: 5px;
      text-align: center;
    }
    button.var {
      all: unset;
      box-sizing: border-box;
      flex: 1;
      display: block;
      padding: 3px 6px;
      border-radius: 4px;
      cursor: grab;
    }
    button.var:hover {
      background: #eef3fd;
    }
    button.var:focus-visible {
      outline: 2px solid #1a73e8;
    }
    .name {
      font-family: ui-monospace, monospace;
      font-weight: 600;
    }
    .type {
      font-family: ui-monospace, monospace;
      font-size: 11px;
      color: #6a4fb3;
      margin-left: 6px;
    }
    .req {
      font-size: 10px;
      color: #b71c1c;
      margin-left: 6px;
    }
    .personal {
      font-size: 10px;
      color: #8a6d00;
      margin-left: 6px;
    }
    .desc {
      display: block;
      font-size: 11px;
      color: #555;
      white-space: normal;
    }
    .none {
      padding: 8px;
      color: #666;
    }
  `;

  /** The template's own variables (front matter `variables:`), e.g. CompiledTemplate.declared. */
  declare declared: Schema;
  declare protected query: string;

  /** Re-renders on a language switch; `i18n.locale` picks descriptions in the UI language. */
  private readonly i18n = new LocaleController(this);
  /** The trees for the last `declared`: rebuilt only when the template's own variables change. */
  private built: { declared: Schema; own: Node[]; builtIn: Node[] } | undefined;

  constructor() {
    super();
    this.declared = {};
    this.query = '';
  }

  private insert(node: Node): void {
    this.dispatchEvent(new CustomEvent<InsertTextDetail>('insert-text', { detail: { text: node.insert }, bubbles: true, composed: true }));
  }

  private onDragStart(event: DragEvent, node: Node): void {
    if (!event.dataTransfer) return;
    event.dataTransfer.setData('text/plain', node.insert);
    event.dataTransfer.effectAllowed = 'copy';
  }

  protected override render(): unknown {
    const locale = this.i18n.locale;
    const describe = (v: Variable) => v.description[locale];
    const q = this.query.trim().toLowerCase();
    if (this.built?.declared !== this.declared) this.built = { declared: this.declared, ...trees(this.declared) };
    const own = filter(this.built.own, q, describe);
    const builtIn = filter(this.built.builtIn, q, describe);
    return html`
      <header>
        <h2 id="title">${t('variables.title')}</h2>
        <label for="search">${t('variables.search')}</label>
        <input
          id="search"
          type="search"
          autocomplete="off"
          placeholder=${t('variables.searchPlaceholder')}
          .value=${this.query}
          @input=${(e: Event) => (this.query = (e.target as HTMLInputElement).value)}
        />
        <p class="hint">${t('variables.hint')}</p>
      </header>
      <div class="tree" aria-labelledby="title">
        ${
          own.length > 0
            ? html`<h3>${t('variables.declared')}</h3>
                ${this.renderList(own, q !== '', describe)}`
            : nothing
        }
        ${
          builtIn.length > 0
            ? html`<h3>${t('variables.catalogue')}</h3>
                ${this.renderList(builtIn, q !== '', describe)}`
            : nothing
        }
        ${own.length === 0 && builtIn.length === 0 ? html`<p class="none" role="status">${t('variables.none')}</p>` : nothing}
      </div>
    `;
  }

  private renderList(list: readonly Node[], open: boolean, describe: (v: Variable) => string): unknown {
    return html`<ul>
      ${list.map((n) => {
        const item = this.renderItem(n, describe);
        if (n.children.length === 0)
          return html`<li>
            <div class="row"><span class="twisty" aria-hidden="true"></span>${item}</div>
          </li>`;
        // Namespaces open by default at the top level only while searching, so the tree starts short.
        return html`<li>
          <details ?open=${open}>
            <summary class="row"><span class="twisty" aria-hidden="true">▸</span>${item}</summary>
            ${this.renderList(n.children, open, describe)}
          </details>
        </li>`;
      })}
    </ul>`;
  }

  private renderItem(n: Node, describe: (v: Variable) => string): unknown {
    const v = n.variable;
    return html`<button
      type="button"
      class="var"
      draggable="true"
      data-path=${n.path}
      aria-label=${`${t('variables.insert', { text: n.insert })} — ${typeName(v.type)}. ${describe(v)}`}
      @click=${(e: Event) => {
        // Inside <summary>, a click would also open or close the group: inserting is what was asked.
        e.preventDefault();
        this.insert(n);
      }}
      @dragstart=${(e: DragEvent) => this.onDragStart(e, n)}
    >
      <span class="name">${n.name}</span><span class="type">${typeName(v.type)}</span>
      ${v.required ? html`<span class="req">${t('variables.required')}</span>` : nothing}
      ${v.personal ? html`<span class="personal">${t('variables.personal')}</span>` : nothing}
      <span class="desc">${describe(v)}</span>
    </button>`;
  }
}

if (!customElements.get('attest-variables-panel')) customElements.define('attest-variables-panel', VariablesPanel);

declare global {
  interface HTMLElementTagNameMap {
    'attest-variables-panel': VariablesPanel;
  }
}

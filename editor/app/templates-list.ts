import { html, nothing } from 'lit';
import { api, holds, type ApiError, type Example, type Me, type TemplateSummary } from './api';
import { AppElement, linkHandler, type NavigateDetail } from './base';
import { errorBox } from './error-box';
import { dateTime, fieldText } from './format';
import { tr } from './messages';
import { paths } from './router';

/**
 * `<attest-templates-list>`: search, create from a bundled example (or empty), duplicate, delete a draft
 * never published; each template's versions and which certificates use which.
 */
export class TemplatesList extends AppElement {
  static override properties = {
    me: { attribute: false },
    templates: { state: true },
    examples: { state: true },
    query: { state: true },
    failure: { state: true },
    busy: { state: true },
  };
  declare me: Me | undefined;
  declare protected templates: TemplateSummary[] | undefined;
  declare protected examples: Example[];
  declare protected query: string;
  declare protected failure: ApiError | undefined;
  declare protected busy: boolean;

  constructor() {
    super();
    this.me = undefined;
    this.templates = undefined;
    this.examples = [];
    this.query = '';
    this.failure = undefined;
    this.busy = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private get canEdit(): boolean {
    return holds(this.me, 'templates:edit');
  }

  private async load(): Promise<void> {
    const [list, examples] = await Promise.all([api.call('listTemplates'), api.call('listExamples')]);
    if (list.ok) this.templates = list.value;
    else this.failure = list;
    if (examples.ok) this.examples = examples.value;
  }

  private async create(body: { example?: string; duplicate_of?: string; name?: string }): Promise<void> {
    this.busy = true;
    const r = await api.call('createTemplate', { body });
    this.busy = false;
    if (!r.ok) {
      this.failure = r;
      return;
    }
    this.dispatchEvent(
      new CustomEvent<NavigateDetail>('navigate', { detail: { path: paths.template(r.value.id) }, bubbles: true, composed: true }),
    );
  }

  private async removeTemplate(t: TemplateSummary): Promise<void> {
    if (!confirm(tr('templates.deleteConfirm', { name: t.name }))) return;
    const r = await api.call('deleteTemplate', { params: { id: t.id } });
    if (!r.ok) {
      this.failure = r;
      return;
    }
    this.failure = undefined;
    await this.load();
  }

  private versions(t: TemplateSummary): unknown {
    if (t.versions.length === 0) return html`<span class="muted">${tr('templates.draftOnly')}</span>`;
    return html`<ul class="versions">
      ${[...t.versions]
        .sort((a, b) => b.number - a.number)
        .map(
          (v) =>
            html`<li>
              ${tr('templates.version', { number: v.number, date: dateTime(v.publishedAt) })} —
              ${v.certificates.length ? tr('templates.usedBy', { names: v.certificates.map((c) => c.name).join(', ') }) : html`<span class="muted">${tr('templates.unused')}</span>`}
            </li>`,
        )}
    </ul>`;
  }

  protected override render(): unknown {
    const q = this.query.trim().toLowerCase();
    const shown = (this.templates ?? []).filter((t) => !q || t.name.toLowerCase().includes(q) || t.id.toLowerCase().includes(q));
    return html`<main id="main" class="screen">
      <h1>${tr('templates.title')}</h1>
      <div class="toolbar">
        <label
          >${tr('templates.search')}
          <input type="search" .value=${this.query} @input=${(e: Event) => (this.query = (e.target as HTMLInputElement).value)}
        /></label>
        ${
          this.canEdit
            ? html`<form
                  class="inline"
                  @submit=${(e: SubmitEvent) => {
                    e.preventDefault();
                    const example = fieldText(new FormData(e.currentTarget as HTMLFormElement), 'example');
                    void this.create(example ? { example } : {});
                  }}
                >
                  <label
                    >${tr('templates.example')}
                    <select name="example" id="example-select">
                      ${this.examples.map((x) => html`<option value=${x.id}>${x.name}</option>`)}
                    </select></label
                  >
                  <button type="submit" class="primary" ?disabled=${this.busy || this.examples.length === 0}>
                    ${tr('templates.create')}
                  </button>
                </form>
                <form
                  class="inline new-empty"
                  @submit=${(e: SubmitEvent) => {
                    e.preventDefault();
                    // The browser's own "required" keeps an empty name from being sent; a blank one is the server's to refuse.
                    const name = fieldText(new FormData(e.currentTarget as HTMLFormElement), 'name');
                    void this.create({ name });
                  }}
                >
                  <label
                    >${tr('templates.newName')} <input name="name" id="new-template-name" required maxlength="200" autocomplete="off"
                  /></label>
                  <button type="submit" ?disabled=${this.busy}>${tr('templates.createEmpty')}</button>
                </form>`
            : nothing
        }
      </div>
      ${errorBox(this.failure)}
      ${
        this.templates === undefined
          ? html`<p role="status">${tr('app.loading')}</p>`
          : shown.length === 0
            ? html`<p>${tr('templates.none')}</p>`
            : html`<table class="list">
                <thead>
                  <tr>
                    <th scope="col">${tr('templates.name')}</th>
                    <th scope="col">${tr('templates.updated')}</th>
                    <th scope="col">${tr('templates.versions')}</th>
                    <th scope="col">${tr('templates.actions')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${shown.map(
                    (t) =>
                      html`<tr data-template=${t.id}>
                        <th scope="row"><a href=${paths.template(t.id)} @click=${linkHandler(this, paths.template(t.id))}>${t.name}</a></th>
                        <td>${dateTime(t.updatedAt)}</td>
                        <td>${this.versions(t)}</td>
                        <td class="actions">
                          <a
                            class="button"
                            href=${paths.template(t.id)}
                            @click=${linkHandler(this, paths.template(t.id))}
                            aria-label=${`${tr('templates.open')} ${t.name}`}
                            >${tr('templates.open')}</a
                          >
                          ${
                            this.canEdit
                              ? html`<button
                                    type="button"
                                    ?disabled=${this.busy}
                                    @click=${() => void this.create({ duplicate_of: t.id })}
                                    aria-label=${`${tr('templates.duplicate')} ${t.name}`}
                                  >
                                    ${tr('templates.duplicate')}
                                  </button>
                                  ${
                                    t.versions.length === 0
                                      ? html`<button
                                          type="button"
                                          class="danger"
                                          @click=${() => void this.removeTemplate(t)}
                                          aria-label=${`${tr('templates.delete')} ${t.name}`}
                                        >
                                          ${tr('templates.delete')}
                                        </button>`
                                      : nothing
                                  }`
                              : nothing
                          }
                        </td>
                      </tr>`,
                  )}
                </tbody>
              </table>`
      }
    </main>`;
  }
}
customElements.define('attest-templates-list', TemplatesList);

declare global {
  interface HTMLElementTagNameMap {
    'attest-templates-list': TemplatesList;
  }
}

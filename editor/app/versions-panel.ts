import { html, nothing } from 'lit';
import { api, type ApiError, type VersionSummary } from './api';
import { AppElement } from './base';
import { errorBox } from './error-box';
import { dateTime, fieldText } from './format';
import { tr } from './messages';

const DRAFT = 'draft';

export interface CompareDetail {
  left: string;
  right: string;
  leftLabel: string;
  rightLabel: string;
}

/**
 * `<attest-versions-panel>`: the published versions (which certificates use which) and `compare-versions`
 * {left, right, labels} for any two of them or one and the draft being edited (the editor shows the diff).
 */
export class VersionsPanel extends AppElement {
  static override properties = {
    templateId: { type: String },
    versions: { attribute: false },
    draft: { type: String },
    left: { state: true },
    right: { state: true },
    texts: { state: true },
    failure: { state: true },
  };
  declare templateId: string;
  declare versions: readonly VersionSummary[];
  declare draft: string;
  declare protected left: string;
  declare protected right: string;
  /** Sources fetched so far, by version number. */
  declare protected texts: ReadonlyMap<string, string>;
  declare protected failure: ApiError | undefined;

  constructor() {
    super();
    this.templateId = '';
    this.versions = [];
    this.draft = '';
    this.left = '';
    this.right = DRAFT;
    this.texts = new Map();
    this.failure = undefined;
  }

  private async fetch(key: string): Promise<void> {
    if (key === DRAFT || this.texts.has(key)) return;
    const r = await api.call('getVersion', { params: { id: this.templateId, number: Number(key) } });
    if (!r.ok) {
      this.failure = r;
      return;
    }
    this.failure = undefined;
    this.texts = new Map(this.texts).set(key, r.value.source);
  }

  private async compare(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    this.left = fieldText(form, 'left');
    this.right = form.has('right') ? fieldText(form, 'right') : DRAFT;
    this.failure = undefined;
    await Promise.all([this.fetch(this.left), this.fetch(this.right)]);
    if (this.failure) return;
    // The diff is wide: the editor shows it over its panes, where it has room.
    this.emit<CompareDetail>('compare-versions', {
      left: this.text(this.left),
      right: this.text(this.right),
      leftLabel: this.label(this.left),
      rightLabel: this.label(this.right),
    });
  }

  private text(key: string): string {
    return key === DRAFT ? this.draft : (this.texts.get(key) ?? '');
  }

  private label(key: string): string {
    return key === DRAFT ? tr('versions.draft') : `v${key}`;
  }

  protected override render(): unknown {
    const sorted = [...this.versions].sort((a, b) => b.number - a.number);
    const options = (selected: string) =>
      html`<option value=${DRAFT} ?selected=${selected === DRAFT}>${tr('versions.draft')}</option>
        ${sorted.map((v) => html`<option value=${String(v.number)} ?selected=${selected === String(v.number)}>v${v.number}</option>`)}`;
    const left = this.left || (sorted[0] ? String(sorted[0].number) : DRAFT);
    return html`<section class="versions-panel" aria-labelledby="versions-title">
      <h2 id="versions-title">${tr('versions.title')}</h2>
      ${
        sorted.length === 0
          ? html`<p class="muted">${tr('versions.none')}</p>`
          : html`<ul>
              ${sorted.map(
                (v) =>
                  html`<li>
                    <strong>v${v.number}</strong> · ${dateTime(v.publishedAt)}
                    ${v.certificates.length ? html`<br /><span class="muted">${tr('templates.usedBy', { names: v.certificates.map((c) => c.name).join(', ') })}</span>` : nothing}
                  </li>`,
              )}
            </ul>`
      }
      <form class="stack" @submit=${(e: SubmitEvent) => void this.compare(e)}>
        <label for="diff-left">${tr('versions.left')}</label>
        <select id="diff-left" name="left">
          ${options(left)}
        </select>
        <label for="diff-right">${tr('versions.right')}</label>
        <select id="diff-right" name="right">
          ${options(this.right)}
        </select>
        <button type="submit">${tr('versions.compare')}</button>
      </form>
      ${errorBox(this.failure)}
    </section>`;
  }
}
customElements.define('attest-versions-panel', VersionsPanel);

declare global {
  interface HTMLElementTagNameMap {
    'attest-versions-panel': VersionsPanel;
  }
}

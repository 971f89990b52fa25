import { html, nothing } from 'lit';
import { api, type ApiError, type Asset } from './api';
import { AppElement } from './base';
import { errorBox } from './error-box';
import { kilobytes, fieldText } from './format';
import { tr } from './messages';
import { ta } from './admin-messages';
import { addAssetEdit, assetKey, namesAsset } from './front-matter-assets';
import { ASSET_LIMIT_MB } from '../../server/http/contract/templates';
import { setUploadedAssets } from '../monaco/asset-completions';

/** Media types the server accepts for assets; it checks the content too, this only labels the upload. */
const TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  ttf: 'font/ttf',
  otf: 'font/otf',
};

function mediaTypeOf(file: File): string {
  const ext = file.name.split('.').pop()?.toLowerCase() ?? '';
  return TYPES[ext] ?? (Object.values(TYPES).includes(file.type) ? file.type : 'application/octet-stream');
}

/**
 * `<attest-assets-panel>`: the draft's assets (name, type, size), upload under the name the front matter
 * uses, delete. The server checks type and size; its error is shown as it says it. `assets-change` tells
 * the editor to reload the template and refresh the preview.
 */
export class AssetsPanel extends AppElement {
  static override properties = {
    templateId: { type: String },
    assets: { attribute: false },
    canEdit: { type: Boolean },
    failure: { state: true },
    notice: { state: true },
    busy: { state: true },
    uploaded: { state: true },
  };
  declare templateId: string;
  declare assets: readonly Asset[];
  declare canEdit: boolean;
  declare protected failure: ApiError | undefined;
  declare protected notice: string;
  declare protected busy: boolean;
  /** The file just uploaded, while the front matter does not name it yet: the panel offers to. */
  declare protected uploaded: string | undefined;

  constructor() {
    super();
    this.templateId = '';
    this.assets = [];
    this.canEdit = false;
    this.failure = undefined;
    this.notice = '';
    this.busy = false;
    this.uploaded = undefined;
  }

  /**
   * The template's source editor, found in the page rather than passed down: the panel edits the source
   * the way typing does (one undoable edit), and the editor sees the change as it sees keystrokes.
   */
  private sourceEditor() {
    return this.closest('attest-template-editor')?.querySelector('attest-source-editor')?.codeEditor;
  }

  private addToFrontMatter(path: string): void {
    const ed = this.sourceEditor();
    const model = ed?.getModel();
    if (!ed || !model) return;
    const edit = addAssetEdit(model.getValue(), assetKey(path), path);
    if (!edit) return;
    ed.executeEdits('assets-panel', [
      { range: { startLineNumber: edit.line, startColumn: 1, endLineNumber: edit.line, endColumn: 1 }, text: edit.text },
    ]);
    ed.pushUndoStop();
    this.uploaded = undefined;
    this.notice = ta('assets.inFrontMatter', { name: path });
  }

  private offer(): unknown {
    const path = this.uploaded;
    const source = this.sourceEditor()?.getModel()?.getValue();
    if (!path || source === undefined || namesAsset(source, path) || !addAssetEdit(source, assetKey(path), path)) return nothing;
    return html`<button type="button" class="primary" @click=${() => this.addToFrontMatter(path)}>
      ${ta('assets.addToFrontMatter', { name: `${assetKey(path)}: ${path}` })}
    </button>`;
  }

  protected override willUpdate(): void {
    // The source editor completes these paths in the front matter (editor/monaco/asset-completions.ts).
    setUploadedAssets(this.assets.map((a) => a.name));
  }

  private async upload(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const input = form.querySelector<HTMLInputElement>('input[type=file]');
    const file = input?.files?.[0];
    if (!file) return;
    const given = fieldText(new FormData(form), 'name').trim();
    const name = given || `assets/${file.name}`;
    this.busy = true;
    const r = await api.call('putAsset', { params: { id: this.templateId, name: name.split('/') }, body: file, type: mediaTypeOf(file) });
    this.busy = false;
    if (!r.ok) {
      this.failure = r;
      this.notice = '';
      return;
    }
    this.failure = undefined;
    this.notice = tr('assets.uploaded', { name: r.value.name });
    this.uploaded = r.value.name;
    form.reset();
    this.emit('assets-change', {});
  }

  private async removeAsset(name: string): Promise<void> {
    const r = await api.call('deleteAsset', { params: { id: this.templateId, name: name.split('/') } });
    if (!r.ok) {
      this.failure = r;
      return;
    }
    this.failure = undefined;
    this.notice = '';
    this.emit('assets-change', {});
  }

  protected override render(): unknown {
    return html`<section class="assets" aria-labelledby="assets-title">
      <h2 id="assets-title">${tr('assets.title')}</h2>
      ${
        this.assets.length === 0
          ? html`<p class="muted">${tr('assets.none')}</p>`
          : html`<ul class="asset-list">
              ${this.assets.map(
                (a) =>
                  html`<li>
                    <a
                      href=${api.url('getAsset', { params: { id: this.templateId, name: a.name.split('/') } })}
                      target="_blank"
                      rel="noopener"
                      ><code>${a.name}</code></a
                    >
                    <span class="muted">${a.mediaType}, ${tr('assets.size', { size: kilobytes(a.size) })}</span>
                    ${
                      this.canEdit
                        ? html`<button
                            type="button"
                            class="small danger"
                            aria-label=${tr('assets.delete', { name: a.name })}
                            @click=${() => void this.removeAsset(a.name)}
                          >
                            ×
                          </button>`
                        : nothing
                    }
                  </li>`,
              )}
            </ul>`
      }
      ${
        this.canEdit
          ? html`<form class="stack" @submit=${(e: SubmitEvent) => void this.upload(e)}>
              <label for="asset-name">${tr('assets.name')}</label>
              <input id="asset-name" name="name" placeholder="assets/logo.png" />
              <label for="asset-file">${tr('assets.file')}</label>
              <input
                id="asset-file"
                name="file"
                type="file"
                accept=".pdf,.png,.jpg,.jpeg,.ttf,.otf"
                required
                aria-describedby="asset-limit"
              />
              <span id="asset-limit" class="muted hint">${ta('assets.limit', { mb: ASSET_LIMIT_MB })}</span>
              <button type="submit" ?disabled=${this.busy}>${tr('assets.upload')}</button>
            </form>`
          : nothing
      }
      ${this.notice ? html`<p role="status" class="ok">${this.notice}</p>` : nothing} ${this.offer()} ${errorBox(this.failure)}
    </section>`;
  }
}
customElements.define('attest-assets-panel', AssetsPanel);

declare global {
  interface HTMLElementTagNameMap {
    'attest-assets-panel': AssetsPanel;
  }
}

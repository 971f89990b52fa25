import { html, nothing } from 'lit';
import { api, problemsAt, type ApiError, type Tenant, type TenantSettings } from './api';
import { AppElement } from './base';
import { ta, type AdminMessageKey } from './admin-messages';
import { copyButton } from './clipboard';
import { errorBox } from './error-box';
import { fieldText } from './format';
import { tr } from './messages';

const SHOWS = ['learner_name', 'course', 'dates', 'revocation_reason'] as const;
const ORG_FIELDS = ['address', 'url', 'registration_number', 'colour', 'logo'] as const;

/**
 * `<attest-settings-screen>`: the tenant's settings (completion tracking, delivery lock, locale, public
 * address, what the verification page shows, the organisation), saved in one PATCH with every field, so
 * the server's validation lists every problem beside its field; an emptied optional field is sent as null
 * (back to none). A logo is typed as a template asset's name or uploaded from a file (kept as a data: URL, which
 * the server checks: PNG or JPEG, 200 KB at most). Below, the shop's webhook address and secret, and the two
 * secrets' rotation.
 */
export class SettingsScreen extends AppElement {
  static override properties = {
    tenant: { state: true },
    failure: { state: true },
    notice: { state: true },
    webhook: { state: true },
    uploadedLogo: { state: true },
  };
  declare protected tenant: Tenant | undefined;
  declare protected failure: ApiError | undefined;
  declare protected notice: string;
  declare protected webhook: { url: string; secret?: string } | undefined;
  /** The logo as a data: URL (uploaded now or before): shown as a picture, not as text in the logo field. */
  declare protected uploadedLogo: string | undefined;

  constructor() {
    super();
    this.tenant = undefined;
    this.failure = undefined;
    this.notice = '';
    this.webhook = undefined;
    this.uploadedLogo = undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    const r = await api.call('getTenant');
    if (r.ok) this.loaded(r.value);
    else this.failure = r;
  }

  private loaded(tenant: Tenant): void {
    this.tenant = tenant;
    const logo = tenant.settings.organization.logo;
    this.uploadedLogo = logo?.startsWith('data:') ? logo : undefined;
  }

  /** Reads the picked file as a data: URL; its type and size are the server's to judge, beside the rest. */
  private pickLogo(e: Event): void {
    const input = e.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    const reader = new FileReader();
    reader.onload = () => {
      if (typeof reader.result === 'string') this.uploadedLogo = reader.result;
      const typed = this.renderRoot.querySelector<HTMLInputElement>('#ts-org-logo');
      if (typed) typed.value = '';
    };
    reader.readAsDataURL(file);
  }

  private async submit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const f = new FormData(form);
    const text = (name: string) => fieldText(f, name).trim();
    const checked = (name: string) => f.get(name) === 'on';
    const organization: Record<string, string> = { name: text('org.name') };
    for (const k of ORG_FIELDS) if (text(`org.${k}`)) organization[k] = text(`org.${k}`);
    if (!organization.logo && this.uploadedLogo) organization.logo = this.uploadedLogo;
    const body = {
      completion_tracking: checked('completion_tracking'),
      delivery_lock: checked('delivery_lock'),
      locale: text('locale'),
      public_base_url: text('public_base_url') || null,
      verification_shows: Object.fromEntries(SHOWS.map((k) => [k, checked(`shows.${k}`)])),
      organization,
    };
    const r = await api.call('updateTenantSettings', { body });
    if (!r.ok) {
      this.failure = r;
      this.notice = '';
      return;
    }
    this.loaded(r.value);
    this.failure = undefined;
    this.notice = ta('admin.saved');
  }

  private problems(path: string): unknown {
    const list = problemsAt(this.failure, path);
    if (!list.length) return nothing;
    return html`<span class="field-error" id=${`err-${path}`}>${list.map((p) => p.message).join(' ')}</span>`;
  }

  private invalid(path: string): 'true' | 'false' {
    return problemsAt(this.failure, path).length ? 'true' : 'false';
  }

  private text(path: string, label: AdminMessageKey, value: string | undefined, hint?: AdminMessageKey): unknown {
    const id = `ts-${path.replace('.', '-')}`;
    return html`<div class="field">
      <label for=${id}>${ta(label)}</label>
      <input
        id=${id}
        name=${path}
        .value=${value ?? ''}
        aria-invalid=${this.invalid(path)}
        aria-describedby=${`err-${path}${hint ? ` hint-${id}` : ''}`}
      />
      ${hint ? html`<span class="muted hint" id=${`hint-${id}`}>${ta(hint)}</span>` : nothing} ${this.problems(path)}
    </div>`;
  }

  private check(name: string, label: AdminMessageKey, on: boolean): unknown {
    return html`<label class="check"><input type="checkbox" name=${name} ?checked=${on} /> ${ta(label)}</label>`;
  }

  private form(s: TenantSettings): unknown {
    const org = s.organization;
    return html`<form class="card settings-form" novalidate @submit=${(e: SubmitEvent) => void this.submit(e)}>
      <fieldset>
        <legend>${ta('settings.delivery')}</legend>
        ${this.check('completion_tracking', 'settings.completion', s.completion_tracking)}
        ${this.check('delivery_lock', 'settings.lock', s.delivery_lock)}
        <div class="field">
          <label for="ts-locale">${ta('settings.locale')}</label>
          <select id="ts-locale" name="locale" aria-invalid=${this.invalid('locale')}>
            <option value="fr" ?selected=${s.locale === 'fr'}>Français</option>
            <option value="en" ?selected=${s.locale === 'en'}>English</option>
          </select>
          ${this.problems('locale')}
        </div>
        ${this.text('public_base_url', 'settings.publicBaseUrl', s.public_base_url, 'settings.publicBaseUrlHint')}
      </fieldset>
      <fieldset>
        <legend>${ta('settings.verification')}</legend>
        ${SHOWS.map((k) => this.check(`shows.${k}`, `settings.shows.${k}`, s.verification_shows[k] ?? false))}
      </fieldset>
      <fieldset>
        <legend>${ta('settings.organization')}</legend>
        ${this.orgField('name', org.name)}
        ${ORG_FIELDS.map((k) => this.orgField(k, k === 'logo' && this.uploadedLogo ? undefined : org[k]))} ${this.logoUpload()}
      </fieldset>
      <div class="buttons"><button type="submit" class="primary">${tr('app.save')}</button></div>
    </form>`;
  }

  /** An organisation field: named `org.x` in the form, its problems at `organization.x`. */
  private orgField(key: 'name' | (typeof ORG_FIELDS)[number], value: string | undefined): unknown {
    const path = `organization.${key}`;
    const id = `ts-org-${key}`;
    const hint = key === 'colour' ? html`<span class="muted hint" id=${`hint-${id}`}>${ta('settings.org.colourHint')}</span>` : nothing;
    return html`<div class="field">
      <label for=${id}>${ta(`settings.org.${key}`)}</label>
      <input
        id=${id}
        name=${`org.${key}`}
        .value=${value ?? ''}
        placeholder=${key === 'colour' ? '#1f4e79' : nothing}
        aria-invalid=${this.invalid(path)}
        aria-describedby=${`err-${path}${hint === nothing ? '' : ` hint-${id}`}`}
      />
      ${hint} ${this.problems(path)}
    </div>`;
  }

  private logoUpload(): unknown {
    const logo = this.uploadedLogo;
    return html`<div class="field logo-upload">
      <label for="ts-org-logo-file">${ta('settings.org.logoFile')}</label>
      <input
        id="ts-org-logo-file"
        type="file"
        accept="image/png,image/jpeg"
        aria-describedby="hint-ts-org-logo-file"
        @change=${(e: Event) => this.pickLogo(e)}
      />
      <span class="muted hint" id="hint-ts-org-logo-file">${ta('settings.org.logoFileHint')}</span>
      ${
        logo
          ? html`<div class="logo-preview">
              <img src=${logo} alt=${ta('settings.org.logoUploaded')} data-testid="logo-preview" />
              <button type="button" @click=${() => (this.uploadedLogo = undefined)}>${ta('settings.org.logoRemove')}</button>
            </div>`
          : nothing
      }
    </div>`;
  }

  private async showSecret(): Promise<void> {
    const r = await api.call('getWebhookSecret');
    if (r.ok) this.webhook = r.value;
    else this.failure = r;
  }

  private async rotate(which: 'webhook' | 'links'): Promise<void> {
    if (!confirm(ta(which === 'webhook' ? 'settings.rotateWebhookConfirm' : 'settings.rotateLinksConfirm'))) return;
    if (which === 'webhook') {
      const r = await api.call('rotateWebhookSecret');
      if (!r.ok) return void (this.failure = r);
      this.webhook = r.value;
    } else {
      const r = await api.call('rotateLinkSecret');
      if (!r.ok) return void (this.failure = r);
    }
    this.notice = ta('settings.rotated');
  }

  private secrets(): unknown {
    const w = this.webhook;
    return html`<section class="card" aria-labelledby="secrets-title">
      <h2 id="secrets-title">${ta('settings.secrets')}</h2>
      ${
        w
          ? html`<dl class="pairs">
              <dt>${ta('settings.webhookUrl')}</dt>
              <dd><code>${w.url}</code> ${copyButton(w.url, ta('settings.webhookUrl'))}</dd>
              ${
                w.secret
                  ? html`<dt>${ta('settings.secret')}</dt>
                      <dd><code data-testid="webhook-secret">${w.secret}</code> ${copyButton(w.secret, ta('settings.secret'))}</dd>`
                  : nothing
              }
            </dl>`
          : html`<button type="button" @click=${() => void this.showSecret()}>${ta('settings.showSecret')}</button>`
      }
      <div class="buttons">
        <button type="button" class="danger" @click=${() => void this.rotate('webhook')}>${ta('settings.rotateWebhook')}</button>
        <button type="button" class="danger" @click=${() => void this.rotate('links')}>${ta('settings.rotateLinks')}</button>
      </div>
    </section>`;
  }

  protected override render(): unknown {
    const t = this.tenant;
    return html`${this.notice ? html`<p class="ok" role="status">${this.notice}</p>` : nothing} ${errorBox(this.failure)}
    ${t ? html`${this.form(t.settings)} ${this.secrets()}` : html`<p role="status">${tr('app.loading')}</p>`}`;
  }
}
customElements.define('attest-settings-screen', SettingsScreen);

declare global {
  interface HTMLElementTagNameMap {
    'attest-settings-screen': SettingsScreen;
  }
}

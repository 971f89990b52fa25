import { html, nothing } from 'lit';
import { api, problemsAt, type ApiError, type Capability, type Me, type TokenInfo } from './api';
import { AppElement } from './base';
import { ta } from './admin-messages';
import { copyButton } from './clipboard';
import { errorBox } from './error-box';
import { listTable } from './list-table';
import { date, dateTime, fieldText } from './format';
import { tr } from './messages';

/** What an LMS integration carries (the `lms` role's capabilities): one click to choose them. */
const LMS: readonly Capability[] = ['certificate:view', 'certificate:apply', 'learners:supply-data', 'certificate:retrieve-own'];

/**
 * `<attest-tokens-screen>`: the tenant's API tokens (never their secrets), a form to create one carrying
 * a subset of the signed-in person's capabilities (the server refuses more), optionally until a date; the
 * new token's secret is shown once, with a copy button, until dismissed; who made each (a person, a token,
 * the set-up), when it was last used and when it expires; revoke (with every token made with it) after a
 * confirmation.
 */
export class TokensScreen extends AppElement {
  static override properties = {
    me: { attribute: false },
    tokens: { state: true },
    names: { state: true },
    chosen: { state: true },
    secret: { state: true },
    failure: { state: true },
  };
  declare me: Me | undefined;
  declare protected tokens: TokenInfo[] | undefined;
  /** People's names by id, to say who made each token. */
  declare protected names: ReadonlyMap<string, string>;
  declare protected chosen: ReadonlySet<Capability>;
  declare protected secret: { name: string; token: string } | undefined;
  declare protected failure: ApiError | undefined;

  constructor() {
    super();
    this.me = undefined;
    this.tokens = undefined;
    this.names = new Map();
    this.chosen = new Set();
    this.secret = undefined;
    this.failure = undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    const [r, people] = await Promise.all([api.call('listTokens'), api.call('listPeople')]);
    if (r.ok) this.tokens = r.value;
    else this.failure = r;
    // Without the names, who made a token is still shown, by id.
    if (people.ok) this.names = new Map(people.value.map((p) => [p.id, p.displayName]));
  }

  /** Who made a token, in words: revoking a token revokes those it made, so this says what goes with it. */
  private maker(t: TokenInfo): string {
    const [kind, id = ''] = t.createdBy.split(':');
    if (kind === 'person') return this.names.get(id) ?? t.createdBy;
    if (kind === 'token') {
      const parent = this.tokens?.find((x) => x.id === id);
      return parent ? ta('tokens.byToken', { name: parent.name }) : t.createdBy;
    }
    if (kind === 'system') return ta('tokens.bySystem');
    return t.createdBy;
  }

  private get held(): readonly Capability[] {
    return this.me?.capabilities ?? [];
  }

  private async create(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const f = new FormData(form);
    const expires = fieldText(f, 'expires').trim();
    const r = await api.call('createToken', {
      body: {
        name: fieldText(f, 'name').trim(),
        capabilities: [...this.chosen],
        // The end of the chosen day, in the person's own time zone.
        ...(expires ? { expires_at: new Date(`${expires}T23:59:59`).toISOString() } : {}),
      },
    });
    if (!r.ok) {
      this.failure = r;
      return;
    }
    this.failure = undefined;
    form.reset();
    this.chosen = new Set();
    this.secret = { name: r.value.info.name, token: r.value.token };
    await this.load();
    await this.updateComplete;
    this.querySelector<HTMLElement>('#token-secret-title')?.focus();
  }

  private async revoke(t: TokenInfo): Promise<void> {
    if (!confirm(ta('tokens.revokeConfirm', { name: t.name }))) return;
    const r = await api.call('revokeToken', { params: { id: t.id } });
    if (!r.ok) {
      this.failure = r;
      return;
    }
    this.failure = undefined;
    await this.load();
  }

  private toggle(c: Capability, on: boolean): void {
    const next = new Set(this.chosen);
    if (on) next.add(c);
    else next.delete(c);
    this.chosen = next;
  }

  private problems(path: string): unknown {
    const list = problemsAt(this.failure, path);
    return list.length ? html`<span class="field-error" id=${`err-t-${path}`}>${list.map((p) => p.message).join(' ')}</span>` : nothing;
  }

  private secretBox(): unknown {
    const s = this.secret;
    if (!s) return nothing;
    return html`<section class="card secret" aria-labelledby="token-secret-title">
      <h2 id="token-secret-title" tabindex="-1">${ta('tokens.secretTitle')} — ${s.name}</h2>
      <p>${ta('tokens.secretHint')}</p>
      <p>
        <label for="token-secret">${ta('tokens.secretLabel')}</label>
        <input
          id="token-secret"
          class="secret-value"
          readonly
          .value=${s.token}
          @focus=${(e: FocusEvent) => (e.target as HTMLInputElement).select()}
        />
        ${copyButton(s.token, ta('tokens.secretLabel'))}
      </p>
      <button type="button" @click=${() => (this.secret = undefined)}>${ta('tokens.done')}</button>
    </section>`;
  }

  private createForm(): unknown {
    const lmsHeld = LMS.every((c) => this.held.includes(c));
    return html`<form
      class="card token-form"
      novalidate
      aria-labelledby="token-form-title"
      @submit=${(e: SubmitEvent) => void this.create(e)}
    >
      <h2 id="token-form-title">${ta('tokens.create')}</h2>
      <div class="grid">
        <div class="field">
          <label for="tf-name">${ta('tokens.name')}</label>
          <input
            id="tf-name"
            name="name"
            autocomplete="off"
            aria-invalid=${problemsAt(this.failure, 'name').length ? 'true' : 'false'}
            aria-describedby="err-t-name"
          />
          ${this.problems('name')}
        </div>
        <div class="field">
          <label for="tf-expires">${ta('tokens.expires')}</label>
          <input id="tf-expires" name="expires" type="date" aria-describedby="err-t-expires_at" />
          ${this.problems('expires_at')}
        </div>
      </div>
      <fieldset class="choices capabilities" aria-describedby="err-t-capabilities">
        <legend>${ta('tokens.capabilities')}</legend>
        ${
          lmsHeld
            ? html`<button type="button" class="small" @click=${() => (this.chosen = new Set(LMS))}>${ta('tokens.lmsPreset')}</button>`
            : nothing
        }
        ${this.held.map(
          (c) =>
            html`<label class="check"
              ><input
                type="checkbox"
                value=${c}
                .checked=${this.chosen.has(c)}
                @change=${(e: Event) => this.toggle(c, (e.target as HTMLInputElement).checked)}
              />
              <code>${c}</code></label
            >`,
        )}
      </fieldset>
      ${this.problems('capabilities')}
      <div class="buttons"><button type="submit" class="primary">${ta('tokens.create')}</button></div>
    </form>`;
  }

  private state(t: TokenInfo): string {
    if (t.revokedAt) return ta('tokens.revoked', { date: date(t.revokedAt) });
    if (t.expiresAt && Date.parse(t.expiresAt) <= Date.now()) return ta('tokens.expired');
    return ta('tokens.live');
  }

  protected override render(): unknown {
    const tokens = this.tokens;
    return html`${errorBox(this.failure)} ${this.secretBox()} ${this.createForm()}
      <section aria-labelledby="tokens-title">
        <h2 id="tokens-title">${ta('tokens.list')}</h2>
        ${listTable(tokens, {
          empty: ta('tokens.none'),
          className: 'list tokens',
          columns: [
            ta('tokens.name'),
            ta('roles.capabilities'),
            ta('tokens.created'),
            ta('tokens.createdBy'),
            ta('tokens.lastUsed'),
            ta('tokens.expiresAt'),
            ta('tokens.state'),
            { hidden: tr('templates.actions') },
          ],
          row: (t) =>
            html`<tr data-token=${t.name} data-revoked=${String(t.revokedAt !== null)}>
              <th scope="row">${t.name}</th>
              <td>${t.capabilities.map((c) => html`<code>${c}</code> `)}</td>
              <td>${dateTime(t.createdAt)}</td>
              <td data-created-by=${t.createdBy}>${this.maker(t)}</td>
              <td>${t.lastUsedAt ? dateTime(t.lastUsedAt) : ta('tokens.never')}</td>
              <td>${t.expiresAt ? dateTime(t.expiresAt) : '—'}</td>
              <td>${this.state(t)}</td>
              <td class="actions">
                ${
                  t.revokedAt
                    ? nothing
                    : html`<button
                        type="button"
                        class="small danger"
                        aria-label=${ta('tokens.revokeOf', { name: t.name })}
                        @click=${() => void this.revoke(t)}
                      >
                        ${ta('tokens.revoke')}
                      </button>`
                }
              </td>
            </tr>`,
        })}
      </section>`;
  }
}
customElements.define('attest-tokens-screen', TokensScreen);

declare global {
  interface HTMLElementTagNameMap {
    'attest-tokens-screen': TokensScreen;
  }
}

import { html, nothing } from 'lit';
import { fieldText } from './format';
import { api, type ApiError, type Me } from './api';
import { AppElement } from './base';
import { tr } from './messages';

/** `<attest-sign-in>`: tenant, username, password; `signed-in` {me} on success, the server's error otherwise. */
export class SignIn extends AppElement {
  static override properties = { tenant: { type: String }, busy: { state: true }, failure: { state: true } };
  declare tenant: string;
  declare protected busy: boolean;
  declare protected failure: ApiError | undefined;

  constructor() {
    super();
    // The last tenant used is remembered: people of one organisation sign in to it again and again.
    this.tenant = localStorage.getItem('attest.tenant') ?? '';
    this.busy = false;
    this.failure = undefined;
  }

  private async submit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    const value = (name: string) => fieldText(form, name).trim();
    this.busy = true;
    const r = await api.call('signIn', {
      body: { tenant: value('tenant'), username: value('username'), password: fieldText(form, 'password') },
    });
    this.busy = false;
    if (!r.ok) {
      this.failure = r;
      return;
    }
    this.failure = undefined;
    localStorage.setItem('attest.tenant', value('tenant'));
    this.emit<{ me: Me }>('signed-in', { me: r.value });
  }

  protected override render(): unknown {
    const f = this.failure;
    return html`<main id="main" class="sign-in">
      <form class="card" @submit=${(e: SubmitEvent) => void this.submit(e)} aria-labelledby="sign-in-title" novalidate>
        <h1 id="sign-in-title">${tr('signIn.title')}</h1>
        <label for="si-tenant">${tr('signIn.tenant')}</label>
        <input id="si-tenant" name="tenant" autocomplete="organization" required .value=${this.tenant} />
        <label for="si-username">${tr('signIn.username')}</label>
        <input id="si-username" name="username" autocomplete="username" required />
        <label for="si-password">${tr('signIn.password')}</label>
        <input id="si-password" name="password" type="password" autocomplete="current-password" required />
        ${
          f
            ? html`<div class="error" role="alert">
                <p>${f.message}</p>
                ${
                  f.problems.length
                    ? html`<ul>
                        ${f.problems.map((p) => html`<li><code>${p.path}</code> ${p.message}</li>`)}
                      </ul>`
                    : nothing
                }
              </div>`
            : nothing
        }
        <button type="submit" class="primary" ?disabled=${this.busy}>${this.busy ? tr('signIn.busy') : tr('signIn.submit')}</button>
      </form>
    </main>`;
  }
}
customElements.define('attest-sign-in', SignIn);

declare global {
  interface HTMLElementTagNameMap {
    'attest-sign-in': SignIn;
  }
}

import { html } from 'lit';
import type { Me } from './api';
import { AppElement, linkHandler } from './base';
import { ta } from './admin-messages';
import { ADMIN_SECTIONS, paths, type AdminSection } from './router';
import './settings-screen';
import './people-screen';
import './tokens-screen';
import './notifications-screen';
import { tn } from './notify-messages';

const LABEL = { settings: 'admin.settings', people: 'admin.people', tokens: 'admin.tokens' } as const;
const label = (s: AdminSection): string => (s === 'notifications' ? tn('admin.notifications') : ta(LABEL[s]));

/**
 * `<attest-admin-screen>`: what `tenant:manage` opens, one section per address (settings, people and
 * roles, API tokens, notifications), with links between them; each section talks to the API on its own.
 */
export class AdminScreen extends AppElement {
  static override properties = { me: { attribute: false }, section: { type: String } };
  declare me: Me | undefined;
  declare section: AdminSection;

  constructor() {
    super();
    this.me = undefined;
    this.section = 'settings';
  }

  private body(): unknown {
    switch (this.section) {
      case 'settings':
        return html`<attest-settings-screen></attest-settings-screen>`;
      case 'people':
        return html`<attest-people-screen .me=${this.me}></attest-people-screen>`;
      case 'tokens':
        return html`<attest-tokens-screen .me=${this.me}></attest-tokens-screen>`;
      case 'notifications':
        return html`<attest-notifications-screen></attest-notifications-screen>`;
    }
  }

  protected override render(): unknown {
    return html`<main id="main" class="screen admin">
      <h1>${ta('admin.title')} — ${label(this.section)}</h1>
      <nav class="subnav" aria-label=${ta('admin.sections')}>
        <ul>
          ${ADMIN_SECTIONS.map(
            (s) =>
              html`<li>
                <a href=${paths.admin(s)} aria-current=${this.section === s ? 'page' : 'false'} @click=${linkHandler(this, paths.admin(s))}
                  >${label(s)}</a
                >
              </li>`,
          )}
        </ul>
      </nav>
      ${this.body()}
    </main>`;
  }
}
customElements.define('attest-admin-screen', AdminScreen);

declare global {
  interface HTMLElementTagNameMap {
    'attest-admin-screen': AdminScreen;
  }
}

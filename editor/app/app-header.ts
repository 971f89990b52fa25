import { html, nothing } from 'lit';
import { getLocale, LOCALES, setLocale, t, isLocale } from '../i18n';
import { holds, type Me } from './api';
import { AppElement, linkHandler } from './base';
import { tr } from './messages';
import { paths } from './router';

/** Which screens a person may open, from their capabilities (the server checks again on every call). */
export function canSee(me: Me, screen: 'templates' | 'certificates' | 'delivery'): boolean {
  switch (screen) {
    case 'templates':
      return holds(me, 'templates:preview');
    case 'certificates':
      return holds(me, 'certificate:view');
    case 'delivery':
      return holds(me, 'issues:manage');
  }
}

/**
 * The page's <base href="/"> makes "#main" an address of the root (the template list): focus the screen's
 * main content instead of following it.
 */
function skipToMain(e: MouseEvent): void {
  const main = document.getElementById('main');
  if (!main) return;
  e.preventDefault();
  if (!main.hasAttribute('tabindex')) main.setAttribute('tabindex', '-1');
  main.focus();
  main.scrollIntoView({ block: 'start' });
}

/** `<attest-app-header>`: who is signed in, navigation per capability, locale switch, sign out (`sign-out` event). */
export class AppHeader extends AppElement {
  static override properties = { me: { attribute: false }, current: { type: String } };
  declare me: Me | undefined;
  declare current: string;

  constructor() {
    super();
    this.me = undefined;
    this.current = '';
  }

  private link(screen: 'templates' | 'certificates' | 'delivery', path: string, label: string): unknown {
    if (!this.me || !canSee(this.me, screen)) return nothing;
    return html`<li>
      <a href=${path} aria-current=${this.current === screen ? 'page' : 'false'} @click=${linkHandler(this, path)}>${label}</a>
    </li>`;
  }

  protected override render(): unknown {
    const me = this.me;
    return html`<header class="app-header">
      <a class="skip" href="#main" @click=${skipToMain}>${tr('app.skip')}</a>
      <strong class="brand">${tr('app.title')}</strong>
      ${
        me
          ? html`<nav aria-label=${tr('nav.label')}>
              <ul>
                ${this.link('templates', paths.templates, tr('nav.templates'))}
                ${this.link('certificates', paths.certificates, tr('nav.certificates'))}
                ${this.link('delivery', paths.delivery, tr('nav.delivery'))}
                <li><a href="/verify">${tr('nav.verify')}</a></li>
              </ul>
            </nav>`
          : html`<span class="spacer"></span>`
      }
      <label class="locale"
        >${t('app.language')}
        <select
          @change=${(e: Event) => {
            const v = (e.target as HTMLSelectElement).value;
            if (isLocale(v)) setLocale(v);
          }}
        >
          ${LOCALES.map((l) => html`<option value=${l} ?selected=${getLocale() === l}>${t(`app.language.${l}`)}</option>`)}
        </select></label
      >
      ${
        me
          ? html`<span class="who" data-testid="who">${tr('header.signedIn', { name: me.name, tenant: me.tenant.name })}</span>
              <button type="button" @click=${() => this.emit('sign-out', {})}>${tr('header.signOut')}</button>`
          : nothing
      }
    </header>`;
  }
}
customElements.define('attest-app-header', AppHeader);

declare global {
  interface HTMLElementTagNameMap {
    'attest-app-header': AppHeader;
  }
}

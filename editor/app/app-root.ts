import { html, nothing } from 'lit';
import { api, onUnauthenticated, type Me } from './api';
import { canSee } from './app-header';
import { AppElement, type NavigateDetail } from './base';
import { tr } from './messages';
import { parseRoute, paths, type Route } from './router';
import './app-header';
import './sign-in';
import './templates-list';
import './template-editor';
import './certificates-screen';
import './delivery-screen';
import './dashboard-screen';
import './admin-screen';

/**
 * `<attest-app>`: the shell. Holds who is signed in and the current route; screens get data down and send
 * `navigate`, `signed-in` and `sign-out` up. Routing is by URL path with the history API.
 */
export class AttestApp extends AppElement {
  static override properties = { me: { state: true }, route: { state: true }, checked: { state: true } };
  declare protected me: Me | undefined;
  declare protected route: Route;
  /** False until /me has answered, so the sign-in form does not flash for a signed-in person. */
  declare protected checked: boolean;
  /** Where to go after signing in (the address the person opened). */
  private returnTo = paths.templates;

  constructor() {
    super();
    this.me = undefined;
    this.route = parseRoute(location.pathname);
    this.checked = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('popstate', this.onPop);
    this.addEventListener('navigate', this.onNavigate as EventListener);
    onUnauthenticated(() => {
      // The session ended (expired or signed out elsewhere): back to the sign-in form, then here again.
      if (this.me) {
        this.me = undefined;
        this.go(paths.signIn, location.pathname);
      }
    });
    void this.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('popstate', this.onPop);
  }

  private readonly onPop = () => {
    this.route = parseRoute(location.pathname);
  };

  private readonly onNavigate = (e: CustomEvent<NavigateDetail>) => this.go(e.detail.path);

  private go(path: string, after?: string): void {
    if (after) this.returnTo = after;
    if (location.pathname !== path) history.pushState(null, '', path);
    this.route = parseRoute(path);
    window.scrollTo(0, 0);
  }

  private async start(): Promise<void> {
    const r = await api.call('me');
    this.checked = true;
    if (r.ok && r.value.kind === 'person') {
      this.me = r.value;
      if (this.route.screen === 'sign-in') this.go(this.home());
    } else if (this.route.screen !== 'sign-in') {
      this.go(paths.signIn, location.pathname);
    }
  }

  /** The first screen this person may see. */
  private home(): string {
    if (!this.me || canSee(this.me, 'templates')) return paths.templates;
    if (canSee(this.me, 'certificates')) return paths.certificates;
    if (canSee(this.me, 'delivery')) return paths.delivery;
    if (canSee(this.me, 'admin')) return paths.admin();
    return paths.templates;
  }

  private async signOut(): Promise<void> {
    await api.call('signOut');
    this.me = undefined;
    this.returnTo = paths.templates;
    this.go(paths.signIn);
  }

  private screen(): unknown {
    const me = this.me;
    const route = this.route;
    if (!me || route.screen === 'sign-in') {
      return html`<attest-sign-in
        @signed-in=${(e: CustomEvent<{ me: Me }>) => {
          this.me = e.detail.me;
          const target = this.returnTo === paths.signIn || parseRoute(this.returnTo).screen === 'not-found' ? this.home() : this.returnTo;
          this.go(target === '/' ? this.home() : target);
        }}
      ></attest-sign-in>`;
    }
    const forbidden = html`<main id="main" class="screen"><p class="error" role="alert">${tr('app.forbidden')}</p></main>`;
    switch (route.screen) {
      case 'templates':
        return canSee(me, 'templates') ? html`<attest-templates-list .me=${me}></attest-templates-list>` : forbidden;
      case 'template':
        return canSee(me, 'templates')
          ? html`<attest-template-editor .me=${me} .templateId=${route.id}></attest-template-editor>`
          : forbidden;
      case 'certificates':
        return canSee(me, 'certificates') ? html`<attest-certificates-screen .me=${me}></attest-certificates-screen>` : forbidden;
      case 'delivery':
        return canSee(me, 'delivery') ? html`<attest-delivery-screen .me=${me} .code=${route.code}></attest-delivery-screen>` : forbidden;
      case 'dashboard':
        return canSee(me, 'dashboard') ? html`<attest-dashboard-screen .me=${me}></attest-dashboard-screen>` : forbidden;
      case 'admin':
        return canSee(me, 'admin') ? html`<attest-admin-screen .me=${me} section=${route.section}></attest-admin-screen>` : forbidden;
      case 'not-found':
        return html`<main id="main" class="screen"><p>${tr('app.notFound')}</p></main>`;
    }
  }

  protected override render(): unknown {
    if (!this.checked) return html`<p class="loading" role="status">${tr('app.loading')}</p>`;
    const current = this.route.screen === 'template' ? 'templates' : this.route.screen;
    return html`<attest-app-header .me=${this.me} current=${current} @sign-out=${() => void this.signOut()}></attest-app-header>
      ${this.screen() ?? nothing}`;
  }
}
customElements.define('attest-app', AttestApp);

declare global {
  interface HTMLElementTagNameMap {
    'attest-app': AttestApp;
  }
}

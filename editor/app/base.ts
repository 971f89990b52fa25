import { LitElement } from 'lit';
import { LocaleController } from '../i18n';

/**
 * The app's screens render into light DOM: `<attest-source-editor>` hosts Monaco, whose CSS sits in the
 * document head and would not reach into a shadow root above it (FIELD-NOTES). One stylesheet (app.css)
 * styles every screen. Each screen re-renders on a locale switch.
 */
export class AppElement extends LitElement {
  protected readonly i18n = new LocaleController(this);

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  /** Events up: bubbling, so the app shell hears them from any screen. */
  protected emit<T>(type: string, detail: T): void {
    this.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true }));
  }
}

/** `navigate` {path}: a screen asks the shell to go to another address (history API). */
export interface NavigateDetail {
  path: string;
}

/** A click on an in-app link goes through the history API instead of reloading the page. */
export function linkHandler(host: AppElement, path: string): (e: MouseEvent) => void {
  return (e) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    host.dispatchEvent(new CustomEvent<NavigateDetail>('navigate', { detail: { path }, bubbles: true, composed: true }));
  };
}

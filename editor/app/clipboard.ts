import { html } from 'lit';
import { ta } from './admin-messages';

/**
 * Copies text for the person (a certificate id, a token, a curl line). The Clipboard API needs a secure
 * context: on plain http (a test server on a LAN address) it is absent, and the text stays on screen,
 * selected, with a sentence saying to copy it by hand.
 */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** A copy button for `text`; `what` names it for screen readers ("Copy the token"). Says how it went in a live region. */
export function copyButton(text: string, what: string): unknown {
  return html`<button
      type="button"
      class="small copy"
      aria-label=${ta('admin.copyOf', { what })}
      @click=${async (e: Event) => {
        const button = e.currentTarget as HTMLButtonElement;
        const status = button.nextElementSibling;
        const ok = await copyText(text);
        if (status) status.textContent = ok ? ta('admin.copied') : ta('admin.copyFailed');
      }}
    >
      ${ta('admin.copy')}</button
    ><span class="copy-status" role="status"></span>`;
}

import { html, nothing } from 'lit';
import type { Contract, ResponseOf } from '../../server/http/contract';
import { api, type ApiError } from './api';
import { AppElement } from './base';
import { errorBox } from './error-box';
import { listTable } from './list-table';
import { dateTime } from './format';
import { tr } from './messages';
import { tn, type NotifyMessageKey } from './notify-messages';

type MailMessage = ResponseOf<Contract['issueMail']>[number];

/**
 * `<attest-issue-mail code=…>`: the messages of one document, one per recipient (the learner, teachers,
 * other addresses): queued, sent, deferred or failed, with the SMTP server's answer and the error, when it
 * went or its next attempt; Resend puts one back in the queue now with a fresh retry budget.
 */
export class IssueMail extends AppElement {
  static override properties = {
    code: { type: String },
    messages: { state: true },
    failure: { state: true },
    notice: { state: true },
  };
  declare code: string;
  declare protected messages: MailMessage[] | undefined;
  declare protected failure: ApiError | undefined;
  declare protected notice: string;

  constructor() {
    super();
    this.code = '';
    this.messages = undefined;
    this.failure = undefined;
    this.notice = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    const r = await api.call('issueMail', { params: { code: this.code } });
    if (r.ok) this.messages = r.value;
    else this.failure = r;
  }

  private async resend(m: MailMessage): Promise<void> {
    const r = await api.call('resendMail', { params: { id: m.id } });
    if (!r.ok) {
      this.failure = r;
      this.notice = '';
      return;
    }
    this.failure = undefined;
    this.notice = tn('messages.resent', { recipient: m.recipient });
    await this.load();
  }

  protected override render(): unknown {
    const list = this.messages;
    return html`<section class="card issue-mail" aria-labelledby="issue-mail-title">
      <div class="overlay-bar">
        <h2 id="issue-mail-title" tabindex="-1">${tn('messages.title', { code: this.code })}</h2>
        <div class="buttons">
          <button type="button" @click=${() => void this.load()}>${tr('app.refresh')}</button>
          <button type="button" @click=${() => this.emit('mail-close', null)}>${tr('app.close')}</button>
        </div>
      </div>
      ${this.notice ? html`<p class="ok" role="status">${this.notice}</p>` : nothing} ${errorBox(this.failure)}
      ${listTable(list, {
        empty: tn('messages.none'),
        className: 'list messages',
        columns: [
          tn('messages.recipient'),
          tn('messages.kind'),
          tn('messages.status'),
          tn('messages.answer'),
          tn('messages.when'),
          { hidden: tr('templates.actions') },
        ],
        row: (m) =>
          html`<tr data-message=${m.id}>
            <th scope="row">${m.recipient}</th>
            <td>${tn(`messages.kind.${m.kind}` as NotifyMessageKey)}</td>
            <td data-status=${m.status} class=${`status-${m.status}`}>
              ${tn(`messages.status.${m.status}` as NotifyMessageKey)}${m.attempts > 1 ? html` <span class="muted">(${m.attempts})</span>` : nothing}
            </td>
            <td>
              ${m.smtpResponse ? html`<code class="wrap" data-testid="smtp-answer">${m.smtpResponse}</code>` : nothing}
              ${m.error && m.status !== 'sent' ? html`<br /><span class="muted">${m.error}</span>` : nothing}
            </td>
            <td>${m.status === 'sent' ? dateTime(m.sentAt) : dateTime(m.nextAttemptAt)}</td>
            <td>
              <button type="button" aria-label=${tn('messages.resendOf', { recipient: m.recipient })} @click=${() => void this.resend(m)}>
                ${tn('messages.resend')}
              </button>
            </td>
          </tr>`,
      })}
    </section>`;
  }
}
customElements.define('attest-issue-mail', IssueMail);

declare global {
  interface HTMLElementTagNameMap {
    'attest-issue-mail': IssueMail;
  }
}

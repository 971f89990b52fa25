import { html, nothing } from 'lit';
import type { Contract, ResponseOf } from '../../server/http/contract';
import { ISSUE_EVENTS } from '../../server/http/contract/notifications';
import { api, problemsAt, type ApiError } from './api';
import { AppElement } from './base';
import { copyButton } from './clipboard';
import { errorBox } from './error-box';
import { listTable } from './list-table';
import { dateTime, fieldText } from './format';
import { tr } from './messages';
import { tn, type NotifyMessageKey } from './notify-messages';

type Receiver = ResponseOf<Contract['listWebhookReceivers']>[number];
type Delivery = ResponseOf<Contract['listWebhookDeliveries']>[number];
type DeliveryDetail = ResponseOf<Contract['getWebhookDelivery']>;
type Smtp = NonNullable<ResponseOf<Contract['getMailSettings']>['settings']>;

/** A number field that does not read as a whole number is sent as typed: the server names the problem at the field. */
function portValue(v: string): number | string {
  const t = v.trim();
  return /^\d+$/.test(t) ? Number(t) : t;
}

/**
 * `<attest-notifications-screen>` (Administration → Notifications): the tenant's webhook receivers (list,
 * add with the signing secret shown once, remove), each one's deliveries with every attempt (when, HTTP
 * status or error, duration, the start of the answer, the next retry) and a Replay that the server refuses
 * for a delivery acknowledged with a 2xx (the refusal is shown as it says it); below, the SMTP server the
 * tenant's mail goes through, its password write-only, the server's validation shown at each field.
 */
export class NotificationsScreen extends AppElement {
  static override properties = {
    receivers: { state: true },
    created: { state: true },
    addFailure: { state: true },
    listFailure: { state: true },
    notice: { state: true },
    open: { state: true },
    deliveries: { state: true },
    detail: { state: true },
    deliveryFailure: { state: true },
    deliveryNotice: { state: true },
    smtp: { state: true },
    smtpLoaded: { state: true },
    smtpFailure: { state: true },
    smtpNotice: { state: true },
  };
  declare protected receivers: Receiver[] | undefined;
  /** The receiver just made, with its secret: shown once. */
  declare protected created: { endpoint: Receiver; secret: string } | undefined;
  declare protected addFailure: ApiError | undefined;
  declare protected listFailure: ApiError | undefined;
  declare protected notice: string;
  /** The receiver whose deliveries are shown. */
  declare protected open: Receiver | undefined;
  declare protected deliveries: Delivery[] | undefined;
  declare protected detail: DeliveryDetail | undefined;
  declare protected deliveryFailure: ApiError | undefined;
  declare protected deliveryNotice: string;
  declare protected smtp: Smtp | null;
  declare protected smtpLoaded: boolean;
  declare protected smtpFailure: ApiError | undefined;
  declare protected smtpNotice: string;

  constructor() {
    super();
    this.receivers = undefined;
    this.created = undefined;
    this.addFailure = undefined;
    this.listFailure = undefined;
    this.notice = '';
    this.open = undefined;
    this.deliveries = undefined;
    this.detail = undefined;
    this.deliveryFailure = undefined;
    this.deliveryNotice = '';
    this.smtp = null;
    this.smtpLoaded = false;
    this.smtpFailure = undefined;
    this.smtpNotice = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.loadReceivers();
    void this.loadSmtp();
  }

  private async loadReceivers(): Promise<void> {
    const r = await api.call('listWebhookReceivers');
    if (r.ok) this.receivers = r.value;
    else this.listFailure = r;
  }

  private async loadSmtp(): Promise<void> {
    const r = await api.call('getMailSettings');
    if (r.ok) this.smtp = r.value.settings;
    else this.smtpFailure = r;
    this.smtpLoaded = true;
  }

  private async add(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const f = new FormData(form);
    const description = fieldText(f, 'description').trim();
    const body = {
      url: fieldText(f, 'url').trim(),
      events: f.getAll('events').filter((v): v is string => typeof v === 'string'),
      ...(description ? { description } : {}),
    };
    const r = await api.call('createWebhookReceiver', { body });
    if (!r.ok) {
      this.addFailure = r;
      this.created = undefined;
      return;
    }
    this.addFailure = undefined;
    this.created = r.value;
    this.notice = '';
    form.reset();
    await this.loadReceivers();
    await this.updateComplete;
    this.querySelector<HTMLElement>('#receiver-created')?.focus();
  }

  private async removeReceiver(receiver: Receiver): Promise<void> {
    if (!confirm(tn('hooks.removeConfirm', { url: receiver.url }))) return;
    const r = await api.call('deleteWebhookReceiver', { params: { id: receiver.id } });
    if (!r.ok) return void (this.listFailure = r);
    this.listFailure = undefined;
    this.notice = tn('hooks.removed');
    if (this.open?.id === receiver.id) this.closeDeliveries();
    if (this.created?.endpoint.id === receiver.id) this.created = undefined;
    await this.loadReceivers();
  }

  private closeDeliveries(): void {
    this.open = undefined;
    this.deliveries = undefined;
    this.detail = undefined;
    this.deliveryFailure = undefined;
    this.deliveryNotice = '';
  }

  private async showDeliveries(receiver: Receiver): Promise<void> {
    this.open = receiver;
    this.detail = undefined;
    this.deliveryFailure = undefined;
    this.deliveryNotice = '';
    await this.loadDeliveries();
    await this.updateComplete;
    this.querySelector<HTMLElement>('#deliveries-title')?.focus();
  }

  private async loadDeliveries(): Promise<void> {
    const open = this.open;
    if (!open) return;
    const r = await api.call('listWebhookDeliveries', { params: { id: open.id } });
    if (r.ok) this.deliveries = r.value;
    else this.deliveryFailure = r;
    if (this.detail) await this.showAttempts(this.detail.id, false);
  }

  private async showAttempts(id: string, focus = true): Promise<void> {
    const r = await api.call('getWebhookDelivery', { params: { id } });
    if (!r.ok) return void (this.deliveryFailure = r);
    this.detail = r.value;
    if (focus) {
      await this.updateComplete;
      this.querySelector<HTMLElement>('#attempts-title')?.focus();
    }
  }

  private async replay(d: Delivery): Promise<void> {
    const r = await api.call('replayWebhookDelivery', { params: { id: d.id } });
    if (!r.ok) {
      this.deliveryFailure = r;
      this.deliveryNotice = '';
      return;
    }
    this.deliveryFailure = undefined;
    this.deliveryNotice = tn('hooks.replayed', { id: d.id });
    await this.loadDeliveries();
  }

  private async saveSmtp(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    const text = (name: string) => fieldText(f, name).trim();
    const password = fieldText(f, 'password');
    const body = {
      host: text('host'),
      port: portValue(fieldText(f, 'port')),
      secure: text('security') === 'tls',
      ...(text('user') ? { user: text('user') } : {}),
      ...(password ? { password } : {}),
      from: text('from'),
    };
    const r = await api.call('setMailSettings', { body });
    if (!r.ok) {
      this.smtpFailure = r;
      this.smtpNotice = '';
      return;
    }
    this.smtpFailure = undefined;
    this.smtp = r.value.settings;
    this.smtpNotice = tn('smtp.saved');
    // The password is write-only: once saved, the field is empty again (the hint says one is set).
    const input = this.querySelector<HTMLInputElement>('#smtp-password');
    if (input) input.value = '';
  }

  private fieldError(failure: ApiError | undefined, path: string, id: string): unknown {
    const list = problemsAt(failure, path);
    if (!list.length) return nothing;
    return html`<span class="field-error" id=${`err-${id}`}>${list.map((p) => p.message).join(' ')}</span>`;
  }

  private invalid(failure: ApiError | undefined, path: string): 'true' | 'false' {
    return problemsAt(failure, path).length ? 'true' : 'false';
  }

  private receiversSection(): unknown {
    const list = this.receivers;
    return html`<section class="card" aria-labelledby="hooks-title">
        <h2 id="hooks-title">${tn('hooks.title')}</h2>
        <p class="muted">${tn('hooks.intro')}</p>
        ${this.notice ? html`<p class="ok" role="status">${this.notice}</p>` : nothing} ${errorBox(this.listFailure)}
        ${listTable(list, {
          empty: tn('hooks.none'),
          className: 'list receivers',
          columns: [tn('hooks.url'), tn('hooks.events'), tr('templates.updated'), { hidden: tr('templates.actions') }],
          row: (r) =>
            html`<tr data-receiver=${r.id}>
              <th scope="row">
                <code class="wrap">${r.url}</code>${r.description ? html`<br /><span class="muted">${r.description}</span>` : nothing}
              </th>
              <td>${r.events.join(', ')}</td>
              <td>${dateTime(r.createdAt)}</td>
              <td class="actions">
                <button
                  type="button"
                  aria-label=${tn('hooks.deliveriesOf', { url: r.url })}
                  aria-pressed=${this.open?.id === r.id ? 'true' : 'false'}
                  @click=${() => void this.showDeliveries(r)}
                >
                  ${tn('hooks.deliveries')}
                </button>
                <button
                  type="button"
                  class="danger"
                  aria-label=${tn('hooks.removeOf', { url: r.url })}
                  @click=${() => void this.removeReceiver(r)}
                >
                  ${tn('hooks.remove')}
                </button>
              </td>
            </tr>`,
        })}
        ${this.createdBox()} ${this.addForm()}
      </section>
      ${this.deliveriesSection()}`;
  }

  private createdBox(): unknown {
    const c = this.created;
    if (!c) return nothing;
    return html`<div class="ok secret" id="receiver-created" tabindex="-1" role="status">
      <p>${tn('hooks.created')}</p>
      <dl class="pairs">
        <dt>${tn('hooks.url')}</dt>
        <dd><code>${c.endpoint.url}</code></dd>
        <dt>${tn('hooks.secret')}</dt>
        <dd><code data-testid="receiver-secret">${c.secret}</code> ${copyButton(c.secret, tn('hooks.secret'))}</dd>
      </dl>
    </div>`;
  }

  private addForm(): unknown {
    const f = this.addFailure;
    return html`<form class="receiver-form" novalidate aria-labelledby="hooks-add-title" @submit=${(e: SubmitEvent) => void this.add(e)}>
      <h3 id="hooks-add-title">${tn('hooks.add')}</h3>
      ${errorBox(f)}
      <div class="field">
        <label for="hook-url">${tn('hooks.url')}</label>
        <input
          id="hook-url"
          name="url"
          type="url"
          placeholder="https://lms.example.org/attest"
          aria-invalid=${this.invalid(f, 'url')}
          aria-describedby="err-hook-url"
          required
        />
        ${this.fieldError(f, 'url', 'hook-url')}
      </div>
      <fieldset class="events" aria-describedby="err-hook-events">
        <legend>${tn('hooks.events')}</legend>
        ${ISSUE_EVENTS.map(
          (ev) =>
            html`<label class="check"
              ><input type="checkbox" name="events" value=${ev} ?checked=${ev === 'issued'} /> <code>${ev}</code></label
            >`,
        )}
        ${this.fieldError(f, 'events', 'hook-events')}
      </fieldset>
      <div class="field">
        <label for="hook-description">${tn('hooks.description')}</label>
        <input id="hook-description" name="description" maxlength="300" />
      </div>
      <div class="buttons"><button type="submit" class="primary">${tn('hooks.add')}</button></div>
    </form>`;
  }

  private statusLabel(s: Delivery['status']): string {
    return tn(`hooks.status.${s}` as NotifyMessageKey);
  }

  private deliveriesSection(): unknown {
    const open = this.open;
    if (!open) return nothing;
    const list = this.deliveries;
    return html`<section class="card deliveries" aria-labelledby="deliveries-title">
      <div class="overlay-bar">
        <h2 id="deliveries-title" tabindex="-1">${tn('hooks.deliveriesOf', { url: open.url })}</h2>
        <div class="buttons">
          <button type="button" @click=${() => void this.loadDeliveries()}>${tr('app.refresh')}</button>
          <button type="button" @click=${() => this.closeDeliveries()}>${tr('app.close')}</button>
        </div>
      </div>
      ${this.deliveryNotice ? html`<p class="ok" role="status">${this.deliveryNotice}</p>` : nothing} ${errorBox(this.deliveryFailure)}
      ${listTable(list, {
        empty: tn('hooks.noDeliveries'),
        className: 'list',
        columns: [
          tn('hooks.delivery'),
          tn('hooks.event'),
          tn('hooks.document'),
          tn('hooks.status'),
          tn('hooks.attempts'),
          tn('hooks.nextAttempt'),
          { hidden: tr('templates.actions') },
        ],
        row: (d) =>
          html`<tr data-delivery=${d.id}>
            <th scope="row"><code title=${d.id}>${d.id.slice(0, 8)}…</code></th>
            <td><code>${d.event}</code></td>
            <td>${d.issueCode ? html`<code>${d.issueCode}</code>` : '—'}</td>
            <td data-status=${d.status} class=${`status-${d.status}`}>${this.statusLabel(d.status)}</td>
            <td>${d.attempts}</td>
            <td>${d.status === 'delivered' ? dateTime(d.deliveredAt) : dateTime(d.nextAttemptAt)}</td>
            <td class="actions">
              <button type="button" aria-label=${tn('hooks.showAttemptsOf', { id: d.id })} @click=${() => void this.showAttempts(d.id)}>
                ${tn('hooks.showAttempts')}
              </button>
              <button type="button" aria-label=${tn('hooks.replayOf', { id: d.id })} @click=${() => void this.replay(d)}>
                ${tn('hooks.replay')}
              </button>
            </td>
          </tr>`,
      })}
      ${this.attemptsTable()}
    </section>`;
  }

  private attemptsTable(): unknown {
    const d = this.detail;
    if (!d) return nothing;
    return html`<h3 id="attempts-title" tabindex="-1">${tn('hooks.attemptsOf', { id: d.id })}</h3>
      <p>
        ${this.statusLabel(d.status)}${d.status === 'pending' && d.nextAttemptAt ? html` — ${tn('hooks.nextAttempt')}: ${dateTime(d.nextAttemptAt)}` : nothing}
      </p>
      ${
        d.attemptHistory.length === 0
          ? html`<p class="muted">${tn('hooks.noAttempt')}</p>`
          : html`<div class="table-scroll">
              <table class="list attempts">
                <thead>
                  <tr>
                    <th scope="col">${tn('hooks.attempt')}</th>
                    <th scope="col">${tn('hooks.startedAt')}</th>
                    <th scope="col">${tn('hooks.answer')}</th>
                    <th scope="col">${tn('hooks.duration')}</th>
                    <th scope="col">${tn('hooks.snippet')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${d.attemptHistory.map(
                    (a) =>
                      html`<tr data-attempt=${a.number}>
                        <td>${a.number}</td>
                        <td>${dateTime(a.startedAt)}</td>
                        <td data-status-code=${a.statusCode ?? ''}>
                          ${a.statusCode !== null ? html`<strong>HTTP ${a.statusCode}</strong>` : nothing}
                          ${a.error && (a.statusCode === null || a.statusCode >= 300) ? html`<span class="muted">${a.error}</span>` : nothing}
                        </td>
                        <td>${tn('hooks.ms', { ms: a.durationMs })}</td>
                        <td><code class="wrap">${a.responseSnippet ?? ''}</code></td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
      }`;
  }

  private smtpSection(): unknown {
    const s = this.smtp;
    const f = this.smtpFailure;
    const field = (
      name: string,
      label: NotifyMessageKey,
      value: string,
      extra: { type?: string; inputmode?: string; hint?: string } = {},
    ) =>
      html`<div class="field">
        <label for=${`smtp-${name}`}>${tn(label)}</label>
        <input
          id=${`smtp-${name}`}
          name=${name}
          type=${extra.type ?? 'text'}
          inputmode=${extra.inputmode ?? nothing}
          .value=${value}
          autocomplete=${name === 'password' ? 'new-password' : 'off'}
          aria-invalid=${this.invalid(f, name)}
          aria-describedby=${`err-smtp-${name}${extra.hint ? ` hint-smtp-${name}` : ''}`}
        />
        ${extra.hint ? html`<span class="muted hint" id=${`hint-smtp-${name}`}>${extra.hint}</span>` : nothing}
        ${this.fieldError(f, name, `smtp-${name}`)}
      </div>`;
    return html`<section class="card" aria-labelledby="smtp-title">
      <h2 id="smtp-title">${tn('smtp.title')}</h2>
      <p class="muted">${tn('smtp.intro')}</p>
      ${!this.smtpLoaded ? html`<p role="status">${tr('app.loading')}</p>` : nothing}
      ${this.smtpLoaded && !s ? html`<p class="warning">${tn('smtp.none')}</p>` : nothing}
      ${this.smtpNotice ? html`<p class="ok" role="status">${this.smtpNotice}</p>` : nothing} ${errorBox(f)}
      <form class="settings-form smtp-form" novalidate @submit=${(e: SubmitEvent) => void this.saveSmtp(e)}>
        ${field('host', 'smtp.host', s?.host ?? '')} ${field('port', 'smtp.port', String(s?.port ?? 587), { inputmode: 'numeric' })}
        <div class="field">
          <label for="smtp-security">${tn('smtp.security')}</label>
          <select id="smtp-security" name="security" aria-invalid=${this.invalid(f, 'secure')} aria-describedby="err-smtp-secure">
            <option value="starttls" ?selected=${!s?.secure}>${tn('smtp.security.starttls')}</option>
            <option value="tls" ?selected=${s?.secure === true}>${tn('smtp.security.tls')}</option>
          </select>
          ${this.fieldError(f, 'secure', 'smtp-secure')}
        </div>
        ${field('user', 'smtp.user', s?.user ?? '')}
        ${field('password', 'smtp.password', '', { type: 'password', hint: s?.passwordSet ? tn('smtp.passwordSet') : tn('smtp.passwordNone') })}
        ${field('from', 'smtp.from', s?.from ?? '', { type: 'email' })}
        ${s ? html`<p class="muted">${tn('smtp.updated', { at: dateTime(s.updatedAt) })}</p>` : nothing}
        <div class="buttons"><button type="submit" class="primary">${tr('app.save')}</button></div>
      </form>
    </section>`;
  }

  protected override render(): unknown {
    return html`${this.receiversSection()} ${this.smtpSection()}`;
  }
}
customElements.define('attest-notifications-screen', NotificationsScreen);

declare global {
  interface HTMLElementTagNameMap {
    'attest-notifications-screen': NotificationsScreen;
  }
}

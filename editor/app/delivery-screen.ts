import { html, nothing } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import {
  api,
  holds,
  verificationUrl,
  type ApiError,
  type AuditEntry,
  type BatchResult,
  type ChainLink,
  type Capability,
  type Certificate,
  type Issue,
  type IssueFilters,
  type Me,
  type Refusal,
} from './api';
import { AppElement } from './base';
import { errorBox } from './error-box';
import { date, dateTime, fieldText } from './format';
import { tr } from './messages';
import { ta } from './admin-messages';
import { tn } from './notify-messages';
import './issue-mail';

type Action = 'unlock' | 'lock' | 'regenerate' | 'revoke';

const ACTION_CAPABILITY: Record<Action, Capability> = {
  unlock: 'issues:unlock',
  lock: 'issues:unlock',
  regenerate: 'issues:regenerate',
  revoke: 'issues:revoke',
};

interface Pending {
  action: Action;
  codes: string[];
}

/**
 * `<attest-delivery-screen>`: issued documents with filters (state, lock, learner, dates), one or many
 * selected → unlock, lock, regenerate, revoke (a dialog asks the reason; required to revoke); a document's
 * audit trail and its mail (each recipient's message, its SMTP answer, Resend); the refused learners
 * with their reasons; a link to each document's public verification page.
 */
export class DeliveryScreen extends AppElement {
  static override properties = {
    me: { attribute: false },
    code: { type: String },
    filters: { state: true },
    issues: { state: true },
    next: { state: true },
    selected: { state: true },
    certificates: { state: true },
    refusals: { state: true },
    audit: { state: true },
    pending: { state: true },
    failure: { state: true },
    notice: { state: true },
    results: { state: true },
    mailCode: { state: true },
  };
  /** The document whose messages are shown (<attest-issue-mail>). */
  declare protected mailCode: string | undefined;
  declare me: Me | undefined;
  /** A document to show the audit trail of (from /delivery/:code). */
  declare code: string | undefined;
  declare protected filters: IssueFilters;
  declare protected issues: Issue[] | undefined;
  declare protected next: string | null;
  declare protected selected: ReadonlySet<string>;
  declare protected certificates: ReadonlyMap<string, Certificate>;
  declare protected refusals: Refusal[];
  /** The document's audit trail, and its re-issue chain (oldest first; one link when never re-issued). */
  declare protected audit: { code: string; entries: AuditEntry[]; chain: ChainLink[] } | undefined;
  declare protected pending: Pending | undefined;
  declare protected failure: ApiError | undefined;
  declare protected notice: string;
  declare protected results: BatchResult;

  constructor() {
    super();
    this.me = undefined;
    this.code = undefined;
    this.filters = {};
    this.issues = undefined;
    this.next = null;
    this.selected = new Set();
    this.certificates = new Map();
    this.refusals = [];
    this.audit = undefined;
    this.pending = undefined;
    this.failure = undefined;
    this.notice = '';
    this.results = [];
    this.mailCode = undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
    void api.call('listCertificates').then((r) => {
      if (r.ok) this.certificates = new Map(r.value.map((c) => [c.id, c]));
    });
    if (this.code) void this.showAudit(this.code);
  }

  private can(action: Action): boolean {
    return holds(this.me, ACTION_CAPABILITY[action]);
  }

  private async load(more = false): Promise<void> {
    const [issues, refusals] = await Promise.all([
      api.call('listIssues', { query: { ...this.filters, limit: 100, ...(more && this.next ? { after: this.next } : {}) } }),
      more ? undefined : api.call('listRefusals'),
    ]);
    if (!issues.ok) {
      this.failure = issues;
      return;
    }
    this.issues = more ? [...(this.issues ?? []), ...issues.value.issues] : issues.value.issues;
    this.next = issues.value.next;
    if (!more) this.selected = new Set([...this.selected].filter((c) => this.issues?.some((i) => i.code === c)));
    if (refusals?.ok) this.refusals = refusals.value;
  }

  private applyFilters(e: SubmitEvent): void {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    const get = (k: string) => fieldText(f, k).trim() || undefined;
    const state = get('state');
    const locked = get('locked');
    this.filters = {
      state: state === 'issued' || state === 'revoked' || state === 'expired' ? state : undefined,
      locked: locked === 'true' || locked === 'false' ? locked : undefined,
      certificate: get('certificate'),
      learner: get('learner'),
      from: get('from'),
      to: get('to'),
    };
    void this.load();
  }

  private toggle(code: string, on: boolean): void {
    const next = new Set(this.selected);
    if (on) next.add(code);
    else next.delete(code);
    this.selected = next;
  }

  private ask(action: Action, codes: string[]): void {
    if (!codes.length) return;
    this.pending = { action, codes };
    void this.updateComplete.then(() => {
      const dialog = this.querySelector<HTMLDialogElement>('dialog.reason');
      if (dialog && !dialog.open) dialog.showModal();
      dialog?.querySelector<HTMLInputElement>('input')?.focus();
    });
  }

  private closeDialog(): void {
    this.querySelector<HTMLDialogElement>('dialog.reason')?.close();
    this.pending = undefined;
  }

  private async run(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const p = this.pending;
    if (!p) return;
    const reason = fieldText(new FormData(e.currentTarget as HTMLFormElement), 'reason').trim();
    this.closeDialog();
    let results: BatchResult;
    if (p.action === 'unlock' || p.action === 'lock') {
      const r =
        p.action === 'unlock'
          ? await api.call('unlockIssues', { body: { codes: p.codes, ...(reason ? { reason } : {}) } })
          : await api.call('lockIssues', { body: { codes: p.codes, ...(reason ? { reason } : {}) } });
      if (!r.ok) {
        this.failure = r;
        return;
      }
      results = r.value.results;
    } else {
      // Revoke and regenerate take one code each: the answers are gathered the way the batch calls give them.
      results = [];
      for (const code of p.codes) {
        const r =
          p.action === 'revoke'
            ? await api.call('revokeIssue', { params: { code }, body: { reason } })
            : await api.call('regenerateIssue', { params: { code }, body: reason ? { reason } : {} });
        results.push(r.ok ? { code, ok: true, issue: r.value } : { code, ok: false, error: { code: r.code, message: r.message } });
      }
    }
    this.failure = undefined;
    this.results = results.filter((r) => !r.ok);
    this.notice = tr('delivery.done', { ok: results.filter((r) => r.ok).length, failed: results.filter((r) => !r.ok).length });
    await this.load();
    if (this.audit && p.codes.includes(this.audit.code)) await this.showAudit(this.audit.code);
  }

  private async showAudit(code: string): Promise<void> {
    const [r, chain] = await Promise.all([api.call('issueAudit', { params: { code } }), api.call('issueChain', { params: { code } })]);
    if (!r.ok) {
      this.failure = r;
      return;
    }
    this.audit = { code, entries: r.value, chain: chain.ok ? chain.value : [] };
  }

  /** The re-issue chain of the document shown: every document of the learner for this certificate, oldest first. */
  private chainList(a: { code: string; chain: ChainLink[] }): unknown {
    if (a.chain.length < 2) return nothing;
    return html`<section class="chain" aria-labelledby="chain-title">
      <h3 id="chain-title">${tr('delivery.chain')}</h3>
      <ol class="chain-links">
        ${a.chain.map(
          (l) =>
            html`<li data-code=${l.code} class=${l.current ? 'current' : 'superseded'} aria-current=${l.code === a.code ? 'true' : nothing}>
              ${
                l.code === a.code
                  ? html`<strong><code>${l.code}</code></strong>`
                  : html`<button type="button" class="link" @click=${() => void this.showAudit(l.code)}><code>${l.code}</code></button>`
              }
              — ${tr('delivery.issuedOn')}
              ${date(l.issuedOn)}${l.expiresOn ? html`, ${tr('delivery.expiresOn')} ${date(l.expiresOn)}` : nothing} ·
              ${tr(`delivery.state.${l.state}`)} ·
              ${l.current ? tr('delivery.chainCurrent') : tr('delivery.chainSuperseded', { on: l.supersededAt ? date(l.supersededAt.slice(0, 10)) : '' })}
            </li>`,
        )}
      </ol>
    </section>`;
  }

  private actionLabel(a: Action): string {
    return tr(`delivery.${a}`);
  }

  private filtersForm(): unknown {
    const f = this.filters;
    return html`<form class="filters" @submit=${(e: SubmitEvent) => this.applyFilters(e)} aria-label=${tr('delivery.filters')}>
      <label
        >${tr('delivery.state')}
        <select name="state">
          <option value="">${tr('delivery.any')}</option>
          ${(['issued', 'revoked', 'expired'] as const).map((s) => html`<option value=${s} ?selected=${f.state === s}>${tr(`delivery.state.${s}`)}</option>`)}
        </select></label
      >
      <label
        >${tr('delivery.locked')}
        <select name="locked">
          <option value="">${tr('delivery.any')}</option>
          <option value="true" ?selected=${f.locked === 'true'}>${tr('delivery.locked.true')}</option>
          <option value="false" ?selected=${f.locked === 'false'}>${tr('delivery.locked.false')}</option>
        </select></label
      >
      <label
        >${tr('delivery.certificate')}
        <select name="certificate">
          <option value="">${ta('delivery.anyCertificate')}</option>
          ${[...this.certificates.values()].map((c) => html`<option value=${c.id} ?selected=${f.certificate === c.id}>${c.name}</option>`)}
        </select></label
      >
      <label>${tr('delivery.learner')} <input name="learner" .value=${f.learner ?? ''} /></label>
      <label>${tr('delivery.from')} <input name="from" type="date" .value=${f.from ?? ''} /></label>
      <label>${tr('delivery.to')} <input name="to" type="date" .value=${f.to ?? ''} /></label>
      <button type="submit">${tr('delivery.apply')}</button>
    </form>`;
  }

  private table(issues: Issue[]): unknown {
    const all = issues.length > 0 && issues.every((i) => this.selected.has(i.code));
    return html`<div class="table-scroll">
      <table class="list issues">
        <thead>
          <tr>
            <th scope="col">
              <input
                type="checkbox"
                aria-label=${tr('delivery.selectAll')}
                .checked=${all}
                @change=${(e: Event) => (this.selected = (e.target as HTMLInputElement).checked ? new Set(issues.map((i) => i.code)) : new Set())}
              />
            </th>
            <th scope="col">${tr('delivery.code')}</th>
            <th scope="col">${ta('delivery.learnerName')}</th>
            <th scope="col">${tr('delivery.certificate')}</th>
            <th scope="col">${tr('delivery.state')}</th>
            <th scope="col">${tr('delivery.locked')}</th>
            <th scope="col">${tr('delivery.issuedOn')}</th>
            <th scope="col">${tr('delivery.expiresOn')}</th>
            <th scope="col">${tr('delivery.revision')}</th>
            <th scope="col">${ta('delivery.checks')}</th>
            <th scope="col"><span class="visually-hidden">${tr('templates.actions')}</span></th>
          </tr>
        </thead>
        <tbody>
          ${issues.map(
            (i) =>
              html`<tr data-code=${i.code} class=${i.locked ? 'locked' : ''}>
                <td>
                  <input
                    type="checkbox"
                    aria-label=${tr('delivery.select', { code: i.code })}
                    .checked=${this.selected.has(i.code)}
                    @change=${(e: Event) => this.toggle(i.code, (e.target as HTMLInputElement).checked)}
                  />
                </td>
                <th scope="row"><code>${i.code}</code></th>
                <td data-learner=${i.learnerId}>
                  ${i.learnerName ? html`${i.learnerName}<br /><span class="muted">${i.learnerId}</span>` : i.learnerId}
                </td>
                <td>${this.certificates.get(i.certificateId)?.name ?? i.certificateId}</td>
                <td class=${`state-${i.state}`} data-state=${i.state}>
                  ${tr(`delivery.state.${i.state}`)}${i.revokedReason ? html`<br /><span class="muted">${i.revokedReason}</span>` : nothing}${
                    i.supersededAt
                      ? html`<br /><span class="muted superseded"
                            >${tr('delivery.chainSuperseded', { on: date(i.supersededAt.slice(0, 10)) })}</span
                          >`
                      : nothing
                  }
                </td>
                <td data-locked=${String(i.locked)}>${i.locked ? tr('delivery.locked.true') : tr('delivery.locked.false')}</td>
                <td>${date(i.issuedOn)}</td>
                <td>${date(i.expiresOn)}</td>
                <td>${i.revision}</td>
                <td data-checks=${i.verifications ?? 0}>${i.verifications ?? 0}</td>
                <td class="actions">
                  <a href=${verificationUrl(i.code)} target="_blank" rel="noopener" aria-label=${`${tr('delivery.verify')} ${i.code}`}
                    >${tr('delivery.verify')}</a
                  >
                  <a
                    href=${api.url('downloadDocument', { params: { code: i.code } })}
                    target="_blank"
                    rel="noopener"
                    aria-label=${`${tr('delivery.pdf')} ${i.code}`}
                    >${tr('delivery.pdf')}</a
                  >
                  <button
                    type="button"
                    class="link"
                    aria-label=${tr('delivery.auditOf', { code: i.code })}
                    @click=${() => void this.showAudit(i.code)}
                  >
                    ${tr('delivery.audit')}
                  </button>
                  <button
                    type="button"
                    class="link"
                    aria-label=${tn('messages.openOf', { code: i.code })}
                    @click=${async () => {
                      this.mailCode = i.code;
                      await this.updateComplete;
                      this.querySelector<HTMLElement>('#issue-mail-title')?.focus();
                    }}
                  >
                    ${tn('messages.open')}
                  </button>
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  private auditPanel(): unknown {
    const a = this.audit;
    if (!a) return nothing;
    return html`<section class="card audit" aria-labelledby="audit-title">
      <div class="overlay-bar">
        <h2 id="audit-title">${tr('delivery.auditOf', { code: a.code })}</h2>
        <button type="button" @click=${() => (this.audit = undefined)}>${tr('app.close')}</button>
      </div>
      ${this.chainList(a)}
      <table class="list">
        <thead>
          <tr>
            <th scope="col">${tr('delivery.at')}</th>
            <th scope="col">${tr('delivery.action')}</th>
            <th scope="col">${tr('delivery.actor')}</th>
            <th scope="col">${tr('delivery.reason')}</th>
          </tr>
        </thead>
        <tbody>
          ${a.entries.map(
            (e) =>
              html`<tr>
                <td>${dateTime(e.at)}</td>
                <td><code>${e.action}</code></td>
                <td title="${e.actor}">${e.actorName}</td>
                <td>
                  ${e.reason ?? ''}
                  ${renderWarnings(e.details).map((w) => html`<p class="warning" data-code=${w.code}><code>${w.code}</code> ${w.message}</p>`)}
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
    </section>`;
  }

  private dialog(): unknown {
    const p = this.pending;
    const required = p?.action === 'revoke';
    return html`<dialog class="reason" aria-labelledby="reason-title" @close=${() => (this.pending = undefined)}>
      ${
        p
          ? html`<form method="dialog" @submit=${(e: SubmitEvent) => void this.run(e)}>
              <h2 id="reason-title">${tr('delivery.actionTitle', { action: this.actionLabel(p.action), count: p.codes.length })}</h2>
              <label for="reason-input">${required ? tr('delivery.reason') : tr('delivery.reasonOptional')}</label>
              <input id="reason-input" name="reason" maxlength="500" ?required=${required} autocomplete="off" />
              <div class="buttons">
                <button type="submit" class=${p.action === 'revoke' ? 'danger' : 'primary'}>${tr('app.confirm')}</button>
                <button type="button" @click=${() => this.closeDialog()}>${tr('app.cancel')}</button>
              </div>
            </form>`
          : nothing
      }
    </dialog>`;
  }

  protected override render(): unknown {
    const issues = this.issues;
    const codes = [...this.selected];
    const actions: Action[] = ['unlock', 'lock', 'regenerate', 'revoke'];
    return html`<main id="main" class="screen delivery">
      <h1>${tr('delivery.title')}</h1>
      ${this.filtersForm()}
      <div class="toolbar" role="toolbar" aria-label=${tr('delivery.selected', { count: codes.length })}>
        <span aria-live="polite">${tr('delivery.selected', { count: codes.length })}</span>
        ${actions
          .filter((a) => this.can(a))
          .map(
            (a) =>
              html`<button
                type="button"
                class=${a === 'revoke' ? 'danger' : ''}
                ?disabled=${codes.length === 0}
                @click=${() => this.ask(a, codes)}
              >
                ${this.actionLabel(a)}
              </button>`,
          )}
        <button type="button" @click=${() => void this.load()}>${tr('app.refresh')}</button>
      </div>
      ${this.notice ? html`<p class="ok" role="status">${this.notice}</p>` : nothing}
      ${
        this.results.length
          ? html`<ul class="error">
              ${this.results.map((r) => html`<li><code>${r.code}</code> ${r.error?.message ?? ''}</li>`)}
            </ul>`
          : nothing
      }
      ${errorBox(this.failure)} ${this.auditPanel()}
      ${
        this.mailCode
          ? keyed(
              this.mailCode,
              html`<attest-issue-mail code=${this.mailCode} @mail-close=${() => (this.mailCode = undefined)}></attest-issue-mail>`,
            )
          : nothing
      }
      ${issues === undefined ? html`<p role="status">${tr('app.loading')}</p>` : issues.length === 0 ? html`<p>${tr('delivery.none')}</p>` : this.table(issues)}
      ${this.next ? html`<button type="button" @click=${() => void this.load(true)}>${tr('delivery.more')}</button>` : nothing}
      <section aria-labelledby="refusals-title">
        <h2 id="refusals-title">${tr('delivery.refusals')}</h2>
        ${
          this.refusals.length === 0
            ? html`<p class="muted">${tr('delivery.noRefusals')}</p>`
            : html`<div class="table-scroll">
                <table class="list">
                  <thead>
                    <tr>
                      <th scope="col">${tr('delivery.learner')}</th>
                      <th scope="col">${tr('delivery.certificate')}</th>
                      <th scope="col">${tr('delivery.reasons')}</th>
                      <th scope="col">${tr('delivery.at')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${this.refusals.map(
                      (r) =>
                        html`<tr>
                          <td>${r.learnerId}</td>
                          <td>${this.certificates.get(r.certificateId)?.name ?? r.certificateId}</td>
                          <td>
                            <ul>
                              ${r.reasons.map((x) => html`<li><code>${x.code}</code> ${x.message}</li>`)}
                            </ul>
                          </td>
                          <td>${dateTime(r.at)}</td>
                        </tr>`,
                    )}
                  </tbody>
                </table>
              </div>`
        }
      </section>
      ${this.dialog()}
    </main>`;
  }
}
customElements.define('attest-delivery-screen', DeliveryScreen);

declare global {
  interface HTMLElementTagNameMap {
    'attest-delivery-screen': DeliveryScreen;
  }
}

/** What a `rendered` or `regenerated` entry says was wrong with the document though it was made. */
function renderWarnings(details: unknown): { code: string; message: string }[] {
  const list = typeof details === 'object' && details !== null ? (details as { warnings?: unknown }).warnings : undefined;
  if (!Array.isArray(list)) return [];
  return list.filter(
    (w: unknown): w is { code: string; message: string } =>
      typeof w === 'object' &&
      w !== null &&
      typeof (w as { code?: unknown }).code === 'string' &&
      typeof (w as { message?: unknown }).message === 'string',
  );
}

import { html, nothing } from 'lit';
import { formatDate } from '../i18n';
import '../components/bar-chart';
import { api, type ApiError, type Certificate, type DeliveryStats, type Me } from './api';
import { AppElement, linkHandler } from './base';
import { ta, type AdminMessageKey } from './admin-messages';
import { errorBox } from './error-box';
import { date, fieldText } from './format';
import { paths } from './router';

const SERIES = [
  { key: 'issued', label: 'dashboard.issued', color: '#1a5fb4' },
  { key: 'delivered', label: 'dashboard.delivered', color: '#1b5e20' },
  { key: 'locked', label: 'dashboard.locked', color: '#9a6700' },
  { key: 'verified', label: 'dashboard.verified', color: '#6f42c1' },
] as const satisfies readonly { key: keyof DeliveryStats['totals']; label: AdminMessageKey; color: string }[];

/**
 * `<attest-dashboard-screen>`: the delivery dashboard for a chosen range of days (by default the server's:
 * twelve weeks to today): totals, documents issued, delivered, locked and verified per week as bar charts,
 * refusals by reason, the certificates that refuse most and the documents checked most. The server
 * validates the range and lists its problems (GET /api/v1/stats).
 */
export class DashboardScreen extends AppElement {
  static override properties = {
    me: { attribute: false },
    stats: { state: true },
    range: { state: true },
    failure: { state: true },
    certificates: { state: true },
  };
  declare me: Me | undefined;
  declare protected stats: DeliveryStats | undefined;
  declare protected range: { from?: string; to?: string };
  declare protected failure: ApiError | undefined;
  declare protected certificates: ReadonlyMap<string, Certificate>;

  constructor() {
    super();
    this.me = undefined;
    this.stats = undefined;
    this.range = {};
    this.failure = undefined;
    this.certificates = new Map();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
    void api.call('listCertificates').then((r) => {
      if (r.ok) this.certificates = new Map(r.value.map((c) => [c.id, c]));
    });
  }

  private async load(): Promise<void> {
    const r = await api.call('deliveryStats', { query: this.range });
    if (!r.ok) {
      this.failure = r;
      return;
    }
    this.failure = undefined;
    this.stats = r.value;
  }

  private apply(e: SubmitEvent): void {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    const from = fieldText(f, 'from').trim();
    const to = fieldText(f, 'to').trim();
    this.range = { ...(from ? { from } : {}), ...(to ? { to } : {}) };
    void this.load();
  }

  private weekLabel(week: string): string {
    return formatDate(week, { day: 'numeric', month: 'short' });
  }

  private charts(s: DeliveryStats): unknown {
    return html`<div class="charts">
      ${SERIES.map(
        (x) =>
          html`<figure class="card chart" data-series=${x.key}>
            <figcaption>
              <strong>${ta('dashboard.perWeek', { what: ta(x.label) })}</strong>
              <span class="total" data-total=${s.totals[x.key]}
                >${new Intl.NumberFormat(document.documentElement.lang).format(s.totals[x.key])}</span
              >
            </figcaption>
            <attest-bar-chart
              label=${ta('dashboard.chartLabel', { what: ta(x.label), from: date(s.from), to: date(s.to) })}
              label-header=${ta('dashboard.week')}
              value-header=${ta('dashboard.count')}
              color=${x.color}
              .points=${s.weeks.map((w) => ({ label: this.weekLabel(w.week), value: w[x.key] }))}
            ></attest-bar-chart>
          </figure>`,
      )}
    </div>`;
  }

  private tables(s: DeliveryStats): unknown {
    const name = (id: string) => this.certificates.get(id)?.name ?? id;
    const empty = html`<p class="muted">${ta('dashboard.nothing')}</p>`;
    return html`<div class="dash-tables">
      <section class="card" aria-labelledby="by-reason-title">
        <h2 id="by-reason-title">${ta('dashboard.byReason')} (${s.totals.refused})</h2>
        ${
          s.refusalsByReason.length
            ? html`<table class="list by-reason">
                <thead>
                  <tr>
                    <th scope="col">${ta('dashboard.reason')}</th>
                    <th scope="col">${ta('dashboard.count')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${s.refusalsByReason.map(
                    (r) =>
                      html`<tr>
                        <th scope="row"><code>${r.code}</code></th>
                        <td>${r.count}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>`
            : empty
        }
      </section>
      <section class="card" aria-labelledby="failing-title">
        <h2 id="failing-title">${ta('dashboard.failing')}</h2>
        ${
          s.failingCertificates.length
            ? html`<table class="list failing">
                <thead>
                  <tr>
                    <th scope="col">${ta('dashboard.certificate')}</th>
                    <th scope="col">${ta('dashboard.refusals')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${s.failingCertificates.map(
                    (c) =>
                      html`<tr>
                        <th scope="row">${c.name}</th>
                        <td>${c.refusals}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>`
            : empty
        }
      </section>
      <section class="card" aria-labelledby="checked-title">
        <h2 id="checked-title">${ta('dashboard.documents')}</h2>
        ${
          s.verifiedDocuments.length
            ? html`<table class="list checked">
                <thead>
                  <tr>
                    <th scope="col">${ta('dashboard.code')}</th>
                    <th scope="col">${ta('dashboard.certificate')}</th>
                    <th scope="col">${ta('dashboard.learner')}</th>
                    <th scope="col">${ta('dashboard.checks')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${s.verifiedDocuments.map(
                    (d) =>
                      html`<tr data-code=${d.code}>
                        <th scope="row">
                          <a
                            href=${paths.delivery + '/' + encodeURIComponent(d.code)}
                            @click=${linkHandler(this, `${paths.delivery}/${encodeURIComponent(d.code)}`)}
                            ><code>${d.code}</code></a
                          >
                        </th>
                        <td>${name(d.certificateId)}</td>
                        <td>${d.learnerId}</td>
                        <td>${d.verifications}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>`
            : empty
        }
      </section>
    </div>`;
  }

  protected override render(): unknown {
    const s = this.stats;
    return html`<main id="main" class="screen dashboard">
      <h1>${ta('dashboard.title')}</h1>
      <form class="filters" aria-label=${ta('dashboard.range')} novalidate @submit=${(e: SubmitEvent) => this.apply(e)}>
        <label>${ta('dashboard.from')} <input name="from" type="date" .value=${this.range.from ?? s?.from ?? ''} /></label>
        <label>${ta('dashboard.to')} <input name="to" type="date" .value=${this.range.to ?? s?.to ?? ''} /></label>
        <button type="submit">${ta('dashboard.show')}</button>
      </form>
      ${errorBox(this.failure)}
      <p class="muted">${ta('dashboard.privacy')}</p>
      ${s ? html`${this.charts(s)} ${this.tables(s)}` : this.failure ? nothing : html`<p role="status">…</p>`}
    </main>`;
  }
}
customElements.define('attest-dashboard-screen', DashboardScreen);

declare global {
  interface HTMLElementTagNameMap {
    'attest-dashboard-screen': DashboardScreen;
  }
}

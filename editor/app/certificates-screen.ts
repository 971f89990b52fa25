import { html, nothing } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import { api, holds, problemsAt, type ApiError, type Certificate, type CertificateInput, type Me, type TemplateSummary } from './api';
import { AppElement } from './base';
import { errorBox } from './error-box';
import { listTable } from './list-table';
import { date, dateTime, fieldText } from './format';
import { tr, type AppMessageKey } from './messages';
import { ta } from './admin-messages';
import { copyButton } from './clipboard';
import { API_PREFIX } from '../../server/http/contract';
import { tn } from './notify-messages';
import './certificate-mail';

/** What an LMS sends to ask for a learner's document: the shape of POST /certificates/:id/issues. */
function curlExample(base: string, id: string): string {
  return [
    `curl -X POST "${base}${API_PREFIX}/certificates/${id}/issues" \\`,
    `  -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\`,
    `  -d '{"learner_id":"42","available":true,"data":{"learner":{"firstname":"Camille","lastname":"Martin"},"completion":{"completed":true,"date":"2026-02-03"}}}'`,
  ].join('\n');
}

/** The same request from Moodle's own HTTP client (lib/filelib.php's curl), e.g. in a completion observer. */
function moodleExample(base: string, id: string): string {
  return [
    `$curl = new \\curl();`,
    `$curl->setHeader(['Authorization: Bearer ' . get_config('local_attest', 'token'), 'Content-Type: application/json']);`,
    `$answer = json_decode($curl->post('${base}${API_PREFIX}/certificates/${id}/issues', json_encode([`,
    `    'learner_id' => (string) $user->id,`,
    `    'available' => true,`,
    `    'data' => [`,
    `        'learner' => ['firstname' => $user->firstname, 'lastname' => $user->lastname, 'email' => $user->email],`,
    `        'course' => ['fullname' => $course->fullname],`,
    `        'completion' => ['completed' => true, 'date' => date('Y-m-d', $completion->timecompleted)],`,
    `    ],`,
    `])));`,
    `// 201/200: $answer->issue->code; 403 DELIVERY_REFUSED: $answer->error->reasons; locked: $answer->issue->locked.`,
  ].join('\n');
}

type Delivery = 'inline' | 'download' | 'staff';
const DELIVERIES: readonly Delivery[] = ['inline', 'download', 'staff'];

/** The form's fields, as typed (strings); turned into the API's body on submit. */
interface Draft {
  id?: string;
  name: string;
  template_version_id: string;
  course_id: string;
  delivery: Delivery;
  min_grade_percent: string;
  min_time_spent_minutes: string;
  validity_days: string;
  window_start: string;
  window_end: string;
}

function draftOf(c: Certificate | undefined): Draft {
  const s = c?.settings;
  const str = (v: number | string | undefined) => (v === undefined ? '' : String(v));
  return {
    ...(c ? { id: c.id } : {}),
    name: c?.name ?? '',
    template_version_id: c?.templateVersionId ?? '',
    course_id: c?.courseId ?? '',
    delivery: s?.delivery ?? 'download',
    min_grade_percent: str(s?.min_grade_percent),
    min_time_spent_minutes: str(s?.min_time_spent_minutes),
    validity_days: str(s?.validity_days),
    window_start: str(s?.window_start),
    window_end: str(s?.window_end),
  };
}

/**
 * An empty field means "no such rule". A number field that does not read as a number is sent as typed,
 * so the server's validation names the problem next to the field rather than the browser dropping it.
 */
function numberOrText(v: string): number | string | undefined {
  const trimmed = v.trim();
  if (!trimmed) return undefined;
  const n = Number(trimmed.replace(',', '.'));
  return Number.isFinite(n) ? n : trimmed;
}

/**
 * `<attest-certificates-screen>`: the certificates (template version, course, delivery rules), a form to
 * create or edit one, with the server's validation problems shown next to the fields they concern.
 */
export class CertificatesScreen extends AppElement {
  static override properties = {
    me: { attribute: false },
    certificates: { state: true },
    templates: { state: true },
    editing: { state: true },
    failure: { state: true },
    notice: { state: true },
    mailFor: { state: true },
  };
  declare me: Me | undefined;
  /** The certificate whose mail is being edited (<attest-certificate-mail>). */
  declare protected mailFor: Certificate | undefined;
  declare protected certificates: Certificate[] | undefined;
  declare protected templates: TemplateSummary[];
  declare protected editing: Draft | undefined;
  declare protected failure: ApiError | undefined;
  declare protected notice: string;

  constructor() {
    super();
    this.me = undefined;
    this.certificates = undefined;
    this.templates = [];
    this.editing = undefined;
    this.failure = undefined;
    this.notice = '';
    this.mailFor = undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private get canAdd(): boolean {
    return holds(this.me, 'certificate:add');
  }

  private async load(): Promise<void> {
    const [certificates, templates] = await Promise.all([api.call('listCertificates'), api.call('listTemplates')]);
    if (certificates.ok) this.certificates = certificates.value;
    else this.failure = certificates;
    // Listing templates needs templates:preview; without it the version is shown by id.
    if (templates.ok) this.templates = templates.value;
  }

  private versionLabel(id: string): string {
    for (const t of this.templates) for (const v of t.versions) if (v.id === id) return `${t.name} — v${v.number}`;
    return id;
  }

  private async submit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    const get = (name: keyof Draft) => fieldText(f, name);
    const draft: Draft = {
      ...(this.editing?.id ? { id: this.editing.id } : {}),
      name: get('name'),
      template_version_id: get('template_version_id'),
      course_id: get('course_id'),
      delivery: (DELIVERIES as readonly string[]).includes(get('delivery')) ? (get('delivery') as Delivery) : 'download',
      min_grade_percent: get('min_grade_percent'),
      min_time_spent_minutes: get('min_time_spent_minutes'),
      validity_days: get('validity_days'),
      window_start: get('window_start'),
      window_end: get('window_end'),
    };
    this.editing = draft;
    const settings: Record<string, unknown> = { delivery: draft.delivery };
    for (const key of ['min_grade_percent', 'min_time_spent_minutes', 'validity_days'] as const) settings[key] = numberOrText(draft[key]);
    for (const key of ['window_start', 'window_end'] as const) settings[key] = draft[key] || undefined;
    // Empty fields are left out. The server merges a PATCH's settings into the current ones, so a rule
    // cleared here stays as it was (the API has no way to remove one yet; see the report of issue 5).
    const body: CertificateInput = {
      name: draft.name,
      template_version_id: draft.template_version_id,
      course_id: draft.course_id,
      settings: Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)),
    };
    const r = draft.id
      ? await api.call('updateCertificate', { params: { id: draft.id }, body })
      : await api.call('createCertificate', { body });
    if (!r.ok) {
      this.failure = r;
      this.notice = '';
      return;
    }
    this.failure = undefined;
    this.editing = undefined;
    this.notice = tr('certificates.saved');
    await this.load();
  }

  /** The problems the server found for one field, right under it (and tied to it for screen readers). */
  private fieldProblems(field: string): unknown {
    const list = [...problemsAt(this.failure, field), ...problemsAt(this.failure, `settings.${field}`)];
    if (!list.length) return nothing;
    return html`<span class="field-error" id=${`err-${field}`} role="alert">${list.map((p) => p.message).join(' ')}</span>`;
  }

  private invalid(field: string): 'true' | 'false' {
    return problemsAt(this.failure, field).length + problemsAt(this.failure, `settings.${field}`).length ? 'true' : 'false';
  }

  private field(name: keyof Draft, label: AppMessageKey, type: string, value: string, extra: Record<string, string> = {}): unknown {
    return html`<div class="field">
      <label for=${`cf-${name}`}>${tr(label)}</label>
      <input
        id=${`cf-${name}`}
        name=${name}
        type=${type}
        .value=${value}
        inputmode=${extra['inputmode'] ?? nothing}
        aria-invalid=${this.invalid(name)}
        aria-describedby=${`err-${name}`}
      />
      ${this.fieldProblems(name)}
    </div>`;
  }

  private form(d: Draft): unknown {
    const versions = this.templates.flatMap((t) =>
      [...t.versions].sort((a, b) => b.number - a.number).map((v) => ({ id: v.id, label: `${t.name} — v${v.number}` })),
    );
    const known = versions.some((v) => v.id === d.template_version_id);
    return html`<form
      class="card cert-form"
      @submit=${(e: SubmitEvent) => void this.submit(e)}
      novalidate
      aria-labelledby="cert-form-title"
    >
      <h2 id="cert-form-title">${d.id ? tr('certificates.edit') : tr('certificates.new')}</h2>
      ${this.field('name', 'certificates.name', 'text', d.name)}
      <div class="field">
        <label for="cf-template_version_id">${tr('certificates.template')}</label>
        <select
          id="cf-template_version_id"
          name="template_version_id"
          aria-invalid=${this.invalid('template_version_id')}
          aria-describedby="err-template_version_id"
        >
          <option value="" ?selected=${!d.template_version_id}>${tr('certificates.chooseVersion')}</option>
          ${!known && d.template_version_id ? html`<option value=${d.template_version_id} selected>${d.template_version_id}</option>` : nothing}
          ${versions.map((v) => html`<option value=${v.id} ?selected=${v.id === d.template_version_id}>${v.label}</option>`)}
        </select>
        ${this.fieldProblems('template_version_id')}
      </div>
      ${this.field('course_id', 'certificates.course', 'text', d.course_id)}
      <div class="field">
        <label for="cf-delivery">${tr('certificates.delivery')}</label>
        <select id="cf-delivery" name="delivery" aria-invalid=${this.invalid('delivery')} aria-describedby="err-delivery">
          ${DELIVERIES.map((x) => html`<option value=${x} ?selected=${d.delivery === x}>${tr(`certificates.delivery.${x}`)}</option>`)}
        </select>
        ${this.fieldProblems('delivery')}
      </div>
      ${this.field('min_grade_percent', 'certificates.minGrade', 'text', d.min_grade_percent, { inputmode: 'decimal' })}
      ${this.field('min_time_spent_minutes', 'certificates.minTime', 'text', d.min_time_spent_minutes, { inputmode: 'numeric' })}
      ${this.field('validity_days', 'certificates.validity', 'text', d.validity_days, { inputmode: 'numeric' })}
      ${this.field('window_start', 'certificates.windowStart', 'date', d.window_start)}
      ${this.field('window_end', 'certificates.windowEnd', 'date', d.window_end)}
      <div class="buttons">
        <button type="submit" class="primary">${tr('app.save')}</button>
        <button
          type="button"
          @click=${() => {
            this.editing = undefined;
            this.failure = undefined;
          }}
        >
          ${tr('app.cancel')}
        </button>
      </div>
    </form>`;
  }

  private rules(c: Certificate): string {
    const s = c.settings;
    const parts = [tr(`certificates.delivery.${s.delivery}`)];
    if (s.min_grade_percent !== undefined)
      parts.push(`${tr('certificates.minGrade')} ${new Intl.NumberFormat(document.documentElement.lang).format(s.min_grade_percent)}`);
    if (s.min_time_spent_minutes !== undefined)
      parts.push(`${tr('certificates.minTime')} ${new Intl.NumberFormat(document.documentElement.lang).format(s.min_time_spent_minutes)}`);
    if (s.validity_days !== undefined)
      parts.push(`${tr('certificates.validity')} ${new Intl.NumberFormat(document.documentElement.lang).format(s.validity_days)}`);
    if (s.window_start) parts.push(`${tr('certificates.windowStart')} ${date(s.window_start)}`);
    if (s.window_end) parts.push(`${tr('certificates.windowEnd')} ${date(s.window_end)}`);
    return parts.join(' · ');
  }

  protected override render(): unknown {
    const list = this.certificates;
    return html`<main id="main" class="screen">
      <h1>${tr('certificates.title')}</h1>
      <div class="toolbar">
        ${
          this.canAdd
            ? html`<button
                type="button"
                class="primary"
                @click=${() => {
                  this.editing = draftOf(undefined);
                  this.failure = undefined;
                }}
              >
                ${tr('certificates.new')}
              </button>`
            : nothing
        }
      </div>
      ${this.notice ? html`<p class="ok" role="status">${this.notice}</p>` : nothing} ${this.editing ? nothing : errorBox(this.failure)}
      ${this.editing ? html`${errorBox(this.failure)}${this.form(this.editing)}` : nothing}
      ${
        this.mailFor
          ? keyed(
              this.mailFor.id,
              html`<attest-certificate-mail
                .certificate=${this.mailFor}
                .canEdit=${this.canAdd}
                @mail-close=${() => (this.mailFor = undefined)}
              ></attest-certificate-mail>`,
            )
          : nothing
      }
      ${listTable(list, {
        empty: tr('certificates.none'),
        className: 'list',
        columns: [
          tr('certificates.name'),
          ta('certificates.lmsId'),
          tr('certificates.template'),
          tr('certificates.course'),
          tr('certificates.settings'),
          tr('templates.updated'),
          { hidden: tr('templates.actions') },
        ],
        row: (c) =>
          html`<tr>
            <th scope="row">${c.name}</th>
            <td class="lms-id">
              <code data-testid="certificate-id">${c.id}</code> ${copyButton(c.id, `${ta('certificates.lmsId')} ${c.name}`)}
              <details class="integration">
                <summary aria-label=${ta('certificates.integrationOf', { name: c.name })}>${ta('certificates.integration')}</summary>
                <p class="muted">${ta('certificates.tokenHint')}</p>
                <h3>${ta('certificates.curl')}</h3>
                <pre data-example="curl"><code>${curlExample(location.origin, c.id)}</code></pre>
                ${copyButton(curlExample(location.origin, c.id), ta('certificates.curl'))}
                <h3>${ta('certificates.moodle')}</h3>
                <pre data-example="moodle"><code>${moodleExample(location.origin, c.id)}</code></pre>
                ${copyButton(moodleExample(location.origin, c.id), ta('certificates.moodle'))}
              </details>
            </td>
            <td>${this.versionLabel(c.templateVersionId)}</td>
            <td><code>${c.courseId}</code></td>
            <td>${this.rules(c)}</td>
            <td>${dateTime(c.updatedAt)}</td>
            <td>
              ${
                this.canAdd
                  ? html`<button
                      type="button"
                      aria-label=${`${tr('certificates.edit')} ${c.name}`}
                      @click=${() => {
                        this.editing = draftOf(c);
                        this.failure = undefined;
                        this.notice = '';
                      }}
                    >
                      ${tr('certificates.edit')}
                    </button>`
                  : nothing
              }
              <button
                type="button"
                aria-label=${tn('mail.openOf', { name: c.name })}
                aria-pressed=${this.mailFor?.id === c.id ? 'true' : 'false'}
                @click=${async () => {
                  this.mailFor = c;
                  this.editing = undefined;
                  await this.updateComplete;
                  this.querySelector<HTMLElement>('#cert-mail-title')?.focus();
                }}
              >
                ${tn('mail.open')}
              </button>
            </td>
          </tr>`,
      })}
    </main>`;
  }
}
customElements.define('attest-certificates-screen', CertificatesScreen);

declare global {
  interface HTMLElementTagNameMap {
    'attest-certificates-screen': CertificatesScreen;
  }
}

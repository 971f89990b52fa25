import { html, nothing } from 'lit';
import type { Contract, ResponseOf } from '../../server/http/contract';
import { getLocale } from '../i18n';
import { api, problemsAt, type ApiError, type Certificate } from './api';
import { AppElement } from './base';
import { errorBox } from './error-box';
import { fieldText } from './format';
import { tr } from './messages';
import { tn, type NotifyMessageKey } from './notify-messages';

type MailSettings = ResponseOf<Contract['getCertificateMail']>;
type MailPreview = ResponseOf<Contract['previewCertificateMail']>;
type Words = MailPreview['words'];
type Mode = MailSettings['learner'];
type Locale = 'fr' | 'en';
type Which = 'document' | 'award';
type Part = 'subject' | 'text' | 'html';

const MODES: readonly Mode[] = ['none', 'attachment', 'link'];
const PARTS: readonly Part[] = ['subject', 'text', 'html'];
const PART_LABEL: Record<Part, NotifyMessageKey> = { subject: 'mail.subject', text: 'mail.text', html: 'mail.html' };

/** The words in one place of the table: per language, per message. */
const key = (locale: Locale, which: Which) => `${locale}.${which}`;

/**
 * `<attest-certificate-mail>`: who a certificate's documents are mailed to (the learner: nothing, the
 * document attached or a signed link; the teachers; other addresses) and the words of each message per
 * language, subject and bodies as Liquid. While typing, the server checks the words with the template
 * analyzer and renders them with a sample learner (POST …/mail/preview: the code that sends), and the
 * findings are shown under the part they concern, with line and column; a save's refusal is shown the same
 * way. Words never touched stay the defaults (not saved as the certificate's own).
 */
export class CertificateMailEditor extends AppElement {
  static override properties = {
    certificate: { attribute: false },
    canEdit: { type: Boolean },
    settings: { state: true },
    personas: { state: true },
    locale: { state: true },
    which: { state: true },
    persona: { state: true },
    mode: { state: true },
    words: { state: true },
    preview: { state: true },
    failure: { state: true },
    notice: { state: true },
  };
  declare certificate: Certificate | undefined;
  /** Whether the person may change the settings (certificate:add): without it, the words are checked and previewed only. */
  declare canEdit: boolean;
  declare protected settings: MailSettings | undefined;
  declare protected personas: { id: string; label: string }[];
  declare protected locale: Locale;
  declare protected which: Which;
  declare protected persona: string;
  declare protected mode: Mode;
  /** The words shown for the current language and message (edited or as the server gave them). */
  declare protected words: Words | undefined;
  declare protected preview: MailPreview | undefined;
  declare protected failure: ApiError | undefined;
  declare protected notice: string;
  /** Words the person changed, by language and message: what a save sends beside the saved ones. */
  private readonly edited = new Map<string, Words>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private asked = 0;

  constructor() {
    super();
    this.certificate = undefined;
    this.canEdit = false;
    this.settings = undefined;
    this.personas = [];
    this.locale = getLocale() === 'fr' ? 'fr' : 'en';
    this.which = 'document';
    this.persona = '';
    this.mode = 'none';
    this.words = undefined;
    this.preview = undefined;
    this.failure = undefined;
    this.notice = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.timer);
  }

  private async load(): Promise<void> {
    const c = this.certificate;
    if (!c) return;
    const [settings, personas] = await Promise.all([api.call('getCertificateMail', { params: { id: c.id } }), api.call('listPersonas')]);
    if (!settings.ok) return void (this.failure = settings);
    this.settings = settings.value;
    this.mode = settings.value.learner;
    if (personas.ok)
      this.personas = personas.value.map((p) => {
        const label = p.label as Partial<Record<Locale, string>> | undefined;
        return { id: p.id, label: label?.[getLocale()] ?? label?.en ?? p.id };
      });
    this.persona = this.personas[0]?.id ?? '';
    await this.refresh(false);
  }

  /** Asks the server to check and render the words shown (or, with `given` false, the saved or default ones). */
  private async refresh(given = true): Promise<void> {
    const c = this.certificate;
    if (!c) return;
    const n = ++this.asked;
    const words = given ? this.words : this.edited.get(key(this.locale, this.which));
    const r = await api.call('previewCertificateMail', {
      params: { id: c.id },
      body: {
        locale: this.locale,
        which: this.which,
        learner: this.mode,
        ...(this.persona ? { persona: this.persona } : {}),
        ...(words ? { words } : {}),
      },
    });
    if (n !== this.asked) return;
    if (!r.ok) return void (this.failure = r);
    this.preview = r.value;
    if (!words) this.words = r.value.words;
  }

  private later(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), 250);
  }

  private typed(part: Part, value: string): void {
    const current = this.words ?? { subject: '', text: '' };
    const next: Words = { ...current };
    if (part === 'html') {
      if (value.trim()) next.html = value;
      else delete next.html;
    } else next[part] = value;
    this.words = next;
    this.edited.set(key(this.locale, this.which), next);
    // A refused save spoke of the words as they were: the live check speaks of them now.
    this.failure = undefined;
    this.later();
  }

  private async place(locale: Locale, which: Which): Promise<void> {
    this.locale = locale;
    this.which = which;
    this.words = this.edited.get(key(locale, which));
    await this.refresh(this.words !== undefined);
  }

  private isDefault(): boolean {
    return !this.edited.has(key(this.locale, this.which)) && !this.settings?.templates[this.locale]?.[this.which];
  }

  private async save(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const c = this.certificate;
    const settings = this.settings;
    if (!c || !settings) return;
    const f = new FormData(e.currentTarget as HTMLFormElement);
    const templates: MailSettings['templates'] = structuredClone(settings.templates);
    for (const [k, words] of this.edited) {
      const [locale, which] = k.split('.') as [Locale, Which];
      templates[locale] = { ...templates[locale], [which]: words };
    }
    const body = {
      learner: this.mode,
      teachers: f.get('teachers') === 'on',
      others: fieldText(f, 'others')
        .split(/[\n,;]+/)
        .map((s) => s.trim())
        .filter(Boolean),
      templates,
    };
    const r = await api.call('setCertificateMail', { params: { id: c.id }, body });
    if (!r.ok) {
      this.failure = r;
      this.notice = '';
      return;
    }
    this.failure = undefined;
    this.settings = r.value;
    this.edited.clear();
    this.notice = tn('mail.saved');
  }

  /** Problems at a path of the saved settings (a refused save), and for a part the analyzer's findings now. */
  private partFindings(part: Part): { id: string; severity: string; text: string }[] {
    const saved = problemsAt(this.failure, `templates.${this.locale}.${this.which}.${part}`).map((p, i) => ({
      id: `saved-${i}`,
      severity: 'error',
      text: p.message,
    }));
    const live = (this.preview?.diagnostics ?? [])
      .filter((d) => d.part === part)
      .map((d, i) => ({
        id: `live-${i}`,
        severity: d.severity,
        text: `${d.range ? `${tn('mail.at', { part: tn(PART_LABEL[part]), line: d.range.start.line, column: d.range.start.column })} — ` : ''}${d.code}: ${d.message}`,
      }));
    // A refused save says what the live check says; the live one (with its place) is enough once it has run.
    return live.length ? live : saved;
  }

  private partField(part: Part): unknown {
    const w = this.words;
    const value = part === 'html' ? (w?.html ?? '') : (w?.[part] ?? '');
    const findings = this.partFindings(part);
    const id = `mail-${part}`;
    const input =
      part === 'subject'
        ? html`<input
            id=${id}
            name=${part}
            .value=${value}
            spellcheck="false"
            aria-invalid=${findings.some((f) => f.severity === 'error') ? 'true' : 'false'}
            aria-describedby=${`diag-${id} mail-hint`}
            @input=${(e: Event) => this.typed(part, (e.target as HTMLInputElement).value)}
          />`
        : html`<textarea
            id=${id}
            name=${part}
            rows=${part === 'text' ? 7 : 5}
            .value=${value}
            spellcheck="false"
            aria-invalid=${findings.some((f) => f.severity === 'error') ? 'true' : 'false'}
            aria-describedby=${`diag-${id} mail-hint`}
            @input=${(e: Event) => this.typed(part, (e.target as HTMLTextAreaElement).value)}
          ></textarea>`;
    return html`<div class="field">
      <label for=${id}>${tn(PART_LABEL[part])}</label>
      ${input}
      <ul class="diagnostics" id=${`diag-${id}`} aria-live="polite" data-part=${part}>
        ${findings.map((f) => html`<li class=${f.severity === 'error' ? 'field-error' : 'warning'} data-severity=${f.severity}>${f.text}</li>`)}
      </ul>
    </div>`;
  }

  private previewBox(): unknown {
    const p = this.preview;
    if (!p) return nothing;
    const name = this.personas.find((x) => x.id === p.persona)?.label ?? p.persona;
    return html`<section class="mail-preview" aria-labelledby="mail-preview-title">
      <h3 id="mail-preview-title">${tn('mail.previewOf', { name })}</h3>
      ${
        p.rendered
          ? html`<p><strong data-testid="preview-subject">${p.rendered.subject}</strong></p>
              <pre class="mail-text" data-testid="preview-text">${p.rendered.text}</pre>
              ${
                p.rendered.html !== undefined
                  ? html`<iframe class="mail-html" title=${tn('mail.html')} sandbox="" srcdoc=${p.rendered.html}></iframe>`
                  : nothing
              }`
          : html`<p class="warning">${tn('mail.noPreview')}</p>`
      }
    </section>`;
  }

  protected override render(): unknown {
    const s = this.settings;
    const c = this.certificate;
    if (!c) return nothing;
    return html`<section class="card cert-mail" aria-labelledby="cert-mail-title">
      <h2 id="cert-mail-title" tabindex="-1">${tn('mail.title', { name: c.name })}</h2>
      ${this.notice ? html`<p class="ok" role="status">${this.notice}</p>` : nothing} ${errorBox(this.failure)}
      ${
        !s
          ? html`<p role="status">${tr('app.loading')}</p>`
          : html`<form novalidate @submit=${(e: SubmitEvent) => void this.save(e)}>
              <fieldset>
                <legend>${tn('mail.learner')}</legend>
                ${MODES.map(
                  (m) =>
                    html`<label class="check"
                      ><input
                        type="radio"
                        name="learner"
                        value=${m}
                        .checked=${this.mode === m}
                        @change=${() => {
                          this.mode = m;
                          this.later();
                        }}
                      />
                      ${tn(`mail.learner.${m}`)}</label
                    >`,
                )}
              </fieldset>
              <label class="check"><input type="checkbox" name="teachers" ?checked=${s.teachers} /> ${tn('mail.teachers')}</label>
              <div class="field">
                <label for="mail-others">${tn('mail.others')}</label>
                <textarea
                  id="mail-others"
                  name="others"
                  rows="2"
                  aria-describedby="err-mail-others"
                  .value=${s.others.join('\n')}
                ></textarea>
                ${
                  this.failure?.problems.some((p) => p.path.startsWith('others'))
                    ? html`<span class="field-error" id="err-mail-others"
                        >${this.failure.problems
                          .filter((p) => p.path.startsWith('others'))
                          .map((p) => p.message)
                          .join(' ')}</span
                      >`
                    : nothing
                }
              </div>
              <fieldset class="mail-words">
                <legend>${tn('mail.words')}</legend>
                <div class="grid">
                  <div class="field">
                    <label for="mail-locale">${tn('mail.locale')}</label>
                    <select
                      id="mail-locale"
                      @change=${(e: Event) => void this.place((e.target as HTMLSelectElement).value as Locale, this.which)}
                    >
                      <option value="fr" ?selected=${this.locale === 'fr'}>Français</option>
                      <option value="en" ?selected=${this.locale === 'en'}>English</option>
                    </select>
                  </div>
                  <div class="field">
                    <label for="mail-which">${tn('mail.which')}</label>
                    <select
                      id="mail-which"
                      @change=${(e: Event) => void this.place(this.locale, (e.target as HTMLSelectElement).value as Which)}
                    >
                      <option value="document" ?selected=${this.which === 'document'}>${tn('mail.which.document')}</option>
                      <option value="award" ?selected=${this.which === 'award'}>${tn('mail.which.award')}</option>
                    </select>
                  </div>
                  <div class="field">
                    <label for="mail-persona">${tn('mail.persona')}</label>
                    <select
                      id="mail-persona"
                      @change=${(e: Event) => {
                        this.persona = (e.target as HTMLSelectElement).value;
                        void this.refresh(this.words !== undefined);
                      }}
                    >
                      ${this.personas.map((p) => html`<option value=${p.id} ?selected=${p.id === this.persona}>${p.label}</option>`)}
                    </select>
                  </div>
                </div>
                <p class="muted hint" id="mail-hint">${tn('mail.hint')}</p>
                ${this.isDefault() ? html`<p class="muted hint">${tn('mail.default')}</p>` : nothing} ${PARTS.map((p) => this.partField(p))}
              </fieldset>
              ${this.previewBox()}
              <div class="buttons">
                ${this.canEdit ? html`<button type="submit" class="primary">${tr('app.save')}</button>` : nothing}
                <button type="button" @click=${() => this.emit('mail-close', null)}>${tr('app.close')}</button>
              </div>
            </form>`
      }
    </section>`;
  }
}
customElements.define('attest-certificate-mail', CertificateMailEditor);

declare global {
  interface HTMLElementTagNameMap {
    'attest-certificate-mail': CertificateMailEditor;
  }
}

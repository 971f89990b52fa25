import { html, nothing } from 'lit';
import { api, problemsAt, type ApiError, type Me, type Person, type Role } from './api';
import { AppElement } from './base';
import { ta } from './admin-messages';
import { copyButton } from './clipboard';
import { errorBox } from './error-box';
import { listTable } from './list-table';
import { fieldText } from './format';
import { tr } from './messages';

/** What the dialog asks about: a password reset, signing out everywhere, deletion. */
type PersonAction = 'reset' | 'sessions' | 'delete';

/** No 0/O, 1/l/I: the password may be read out over the phone. */
const PASSWORD_LETTERS = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A password to propose: 18 letters from PASSWORD_LETTERS, about 104 bits, drawn without bias. */
export function proposePassword(length = 18): string {
  const n = PASSWORD_LETTERS.length;
  const limit = 256 - (256 % n);
  let out = '';
  while (out.length < length) {
    for (const b of crypto.getRandomValues(new Uint8Array(length * 2))) {
      if (b < limit && out.length < length) out += PASSWORD_LETTERS[b % n];
    }
  }
  return out;
}

/**
 * `<attest-people-screen>`: the tenant's people (username, name, email, roles, active or disabled), a
 * form to add one with roles, per person: change roles, disable or enable (their sessions end at once),
 * reset the password, end the sessions, delete (each of the last three after a dialog); and the roles with
 * the capabilities each grants. The server refuses what the signed-in person may not do (a role granting
 * capabilities they lack, someone outranking them, themselves); its answer is shown as it says it.
 */
export class PeopleScreen extends AppElement {
  static override properties = {
    me: { attribute: false },
    people: { state: true },
    roles: { state: true },
    editing: { state: true },
    editingRole: { state: true },
    failure: { state: true },
    notice: { state: true },
    pending: { state: true },
    proposed: { state: true },
    dialogFailure: { state: true },
    newPassword: { state: true },
  };
  declare me: Me | undefined;
  declare protected people: Person[] | undefined;
  declare protected roles: Role[];
  /** The person whose roles are being changed. */
  declare protected editing: string | undefined;
  /** The role whose capabilities are being set ('' for a new role). */
  declare protected editingRole: string | undefined;
  declare protected failure: ApiError | undefined;
  declare protected notice: string;
  /** The action the dialog asks about, and for whom. */
  declare protected pending: { action: PersonAction; person: Person } | undefined;
  /** The password the reset dialog proposes. */
  declare protected proposed: string;
  /** A refusal of the dialog's action, shown in the dialog where the person is looking. */
  declare protected dialogFailure: ApiError | undefined;
  /** A password just set, shown once. */
  declare protected newPassword: { name: string; password: string; opener: string } | undefined;
  /** The aria-label of the button that opened the dialog: focus goes back to it. */
  private opener = '';

  constructor() {
    super();
    this.me = undefined;
    this.people = undefined;
    this.roles = [];
    this.editing = undefined;
    this.editingRole = undefined;
    this.failure = undefined;
    this.notice = '';
    this.pending = undefined;
    this.proposed = '';
    this.dialogFailure = undefined;
    this.newPassword = undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    const [people, roles] = await Promise.all([api.call('listPeople'), api.call('listRoles')]);
    if (people.ok) this.people = people.value;
    else this.failure = people;
    if (roles.ok) this.roles = roles.value;
  }

  private done(notice: string): void {
    this.failure = undefined;
    this.notice = notice;
  }

  private async create(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const f = new FormData(form);
    const text = (k: string) => fieldText(f, k).trim();
    const body = {
      username: text('username'),
      display_name: text('display_name'),
      roles: f.getAll('roles').filter((r): r is string => typeof r === 'string'),
      ...(text('email') ? { email: text('email') } : {}),
      ...(fieldText(f, 'password') ? { password: fieldText(f, 'password') } : {}),
    };
    const r = await api.call('createPerson', { body });
    if (!r.ok) {
      this.failure = r;
      this.notice = '';
      return;
    }
    form.reset();
    this.done(ta('people.added', { name: r.value.displayName }));
    await this.load();
  }

  private async change(p: Person, body: { roles?: string[]; disabled?: boolean }): Promise<void> {
    const r = await api.call('updatePerson', { params: { id: p.id }, body });
    if (!r.ok) {
      this.failure = r;
      this.notice = '';
      return;
    }
    this.editing = undefined;
    this.done(ta('admin.saved'));
    await this.load();
  }

  private ask(action: PersonAction, person: Person, opener: string): void {
    this.opener = opener;
    this.pending = { action, person };
    this.dialogFailure = undefined;
    if (action === 'reset') this.proposed = proposePassword();
    void this.updateComplete.then(() => {
      const dialog = this.querySelector<HTMLDialogElement>('dialog.person-action');
      if (dialog && !dialog.open) dialog.showModal();
      // The password to change, or Cancel: Enter on arrival never deletes anyone.
      dialog?.querySelector<HTMLElement>(action === 'reset' ? 'input' : 'button.cancel')?.focus();
    });
  }

  private closeDialog(): void {
    this.querySelector<HTMLDialogElement>('dialog.person-action')?.close();
  }

  /** After the dialog closes (Escape, Cancel or done): back to what opened it, or to what replaced it. */
  private async closed(): Promise<void> {
    this.pending = undefined;
    this.dialogFailure = undefined;
    await this.updateComplete;
    const target =
      (this.newPassword && this.querySelector<HTMLElement>('#password-set-title')) ||
      [...this.querySelectorAll<HTMLElement>('button[aria-label]')].find((b) => b.getAttribute('aria-label') === this.opener) ||
      this.querySelector<HTMLElement>('#people-title');
    target?.focus();
  }

  private async run(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const p = this.pending;
    if (!p) return;
    const { person } = p;
    const password = fieldText(new FormData(e.currentTarget as HTMLFormElement), 'password');
    const params = { id: person.id };
    let notice = '';
    let failure: ApiError | undefined;
    if (p.action === 'reset') {
      const r = await api.call('resetPassword', { params, body: { password } });
      if (r.ok) this.newPassword = { name: person.displayName, password, opener: this.opener };
      else failure = r;
    } else if (p.action === 'sessions') {
      const r = await api.call('endSessions', { params });
      if (r.ok) notice = ta('people.sessionsEnded', { name: person.displayName, count: r.value.ended });
      else failure = r;
    } else {
      const r = await api.call('deletePerson', { params });
      if (r.ok) notice = ta('people.deleted', { name: person.displayName });
      else failure = r;
    }
    if (failure) {
      this.dialogFailure = failure;
      await this.updateComplete;
      this.querySelector<HTMLElement>('dialog.person-action .dialog-failure')?.focus();
      return;
    }
    this.failure = undefined;
    this.notice = notice;
    // A deleted person's row goes before the dialog closes, so focus lands on the list's heading.
    if (p.action === 'delete') await this.load();
    this.closeDialog();
  }

  private passwordDone(): void {
    this.opener = this.newPassword?.opener ?? '';
    this.newPassword = undefined;
    void this.closed();
  }

  private async saveRole(e: SubmitEvent, current: string): Promise<void> {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    const name = current || fieldText(f, 'role-name').trim();
    const capabilities = f.getAll('capabilities').filter((c): c is string => typeof c === 'string');
    const r = await api.call('setRole', { params: { name }, body: { capabilities } });
    if (!r.ok) {
      this.failure = r;
      this.notice = '';
      return;
    }
    this.editingRole = undefined;
    this.done(ta('admin.saved'));
    await this.load();
  }

  /** The capabilities a role may be given: only those the signed-in person holds (the server checks again). */
  private roleForm(role: Role | undefined): unknown {
    const held = this.me?.capabilities ?? [];
    const label = role ? ta('roles.editOf', { name: role.name }) : ta('roles.new');
    return html`<form class="role-form" aria-label=${label} @submit=${(e: SubmitEvent) => void this.saveRole(e, role?.name ?? '')}>
      ${
        role
          ? nothing
          : html`<div class="field">
              <label for="rf-name">${ta('roles.name')}</label>
              <input id="rf-name" name="role-name" autocomplete="off" pattern="[a-z][a-z0-9-]*" />
              ${this.problems('params.name')}
            </div>`
      }
      <fieldset class="choices">
        <legend>${label}</legend>
        ${held.map(
          (c) =>
            html`<label class="check"
              ><input type="checkbox" name="capabilities" value=${c} ?checked=${role?.capabilities.includes(c) ?? false} />
              <code>${c}</code></label
            >`,
        )}
      </fieldset>
      ${this.problems('capabilities')}
      <div class="buttons">
        <button type="submit" class="primary small">${tr('app.save')}</button>
        <button type="button" class="small" @click=${() => (this.editingRole = undefined)}>${tr('app.cancel')}</button>
      </div>
    </form>`;
  }

  private problems(path: string): unknown {
    const list = problemsAt(this.failure, path);
    return list.length ? html`<span class="field-error" id=${`err-p-${path}`}>${list.map((p) => p.message).join(' ')}</span>` : nothing;
  }

  private input(name: string, label: string, type = 'text', autocomplete = 'off'): unknown {
    return html`<div class="field">
      <label for=${`pf-${name}`}>${label}</label>
      <input
        id=${`pf-${name}`}
        name=${name}
        type=${type}
        autocomplete=${autocomplete}
        aria-invalid=${problemsAt(this.failure, name).length ? 'true' : 'false'}
        aria-describedby=${`err-p-${name}`}
      />
      ${this.problems(name)}
    </div>`;
  }

  private roleChoices(chosen: readonly string[], legend: string): unknown {
    return html`<fieldset class="choices">
      <legend>${legend}</legend>
      ${this.roles.map((r) => html`<label class="check"><input type="checkbox" name="roles" value=${r.name} ?checked=${chosen.includes(r.name)} /> ${r.name}</label>`)}
    </fieldset>`;
  }

  private createForm(): unknown {
    return html`<form
      class="card person-form"
      novalidate
      aria-labelledby="person-form-title"
      @submit=${(e: SubmitEvent) => void this.create(e)}
    >
      <h2 id="person-form-title">${ta('people.add')}</h2>
      <div class="grid">
        ${this.input('username', ta('people.username'))} ${this.input('display_name', ta('people.name'))}
        ${this.input('email', ta('people.email'), 'email')} ${this.input('password', ta('people.password'), 'password', 'new-password')}
      </div>
      ${this.roleChoices([], ta('people.roles'))} ${this.problems('roles')}
      <div class="buttons"><button type="submit" class="primary">${ta('people.add')}</button></div>
    </form>`;
  }

  private rolesForm(p: Person): unknown {
    return html`<form
      class="roles-form"
      aria-label=${ta('people.rolesOf', { name: p.displayName })}
      @submit=${(e: SubmitEvent) => {
        e.preventDefault();
        const roles = new FormData(e.currentTarget as HTMLFormElement).getAll('roles').filter((r): r is string => typeof r === 'string');
        void this.change(p, { roles });
      }}
    >
      ${this.roleChoices(p.roles, ta('people.rolesOf', { name: p.displayName }))}
      <div class="buttons">
        <button type="submit" class="primary small">${tr('app.save')}</button>
        <button type="button" class="small" @click=${() => (this.editing = undefined)}>${tr('app.cancel')}</button>
      </div>
    </form>`;
  }

  private actionButton(action: PersonAction, p: Person, text: string, label: string): unknown {
    return html`<button
      type="button"
      class=${action === 'delete' ? 'small danger' : 'small'}
      aria-label=${label}
      aria-haspopup="dialog"
      @click=${() => this.ask(action, p, label)}
    >
      ${text}
    </button>`;
  }

  private dialog(): unknown {
    const p = this.pending;
    const title = p
      ? ta(p.action === 'reset' ? 'people.resetPasswordOf' : p.action === 'sessions' ? 'people.endSessionsOf' : 'people.deleteOf', {
          name: p.person.displayName,
        })
      : '';
    const problems = problemsAt(this.dialogFailure, 'password');
    return html`<dialog class="reason person-action" aria-labelledby="pa-title" @close=${() => void this.closed()}>
      ${
        p
          ? html`<form novalidate @submit=${(e: SubmitEvent) => void this.run(e)}>
              <h2 id="pa-title">${title}</h2>
              ${
                p.action === 'reset'
                  ? html`<p id="pa-hint">${ta('people.resetHint', { name: p.person.displayName })}</p>
                      <label for="pa-password">${ta('people.newPassword')}</label>
                      <input
                        id="pa-password"
                        name="password"
                        type="text"
                        autocomplete="new-password"
                        spellcheck="false"
                        .value=${this.proposed}
                        aria-invalid=${problems.length ? 'true' : 'false'}
                        aria-describedby="pa-hint err-pa-password"
                      />
                      ${problems.length ? html`<span class="field-error" id="err-pa-password">${problems.map((x) => x.message).join(' ')}</span>` : nothing}
                      <div>
                        <button type="button" class="small" @click=${() => (this.proposed = proposePassword())}>
                          ${ta('people.generate')}
                        </button>
                      </div>`
                  : html`<p>
                      ${
                        p.action === 'sessions'
                          ? ta('people.endSessionsConfirm', { name: p.person.displayName })
                          : ta('people.deleteConfirm', { name: p.person.displayName, username: p.person.username })
                      }
                    </p>`
              }
              ${this.dialogFailure ? html`<div tabindex="-1" class="dialog-failure">${errorBox(this.dialogFailure)}</div>` : nothing}
              <div class="buttons">
                <button type="submit" class=${p.action === 'delete' ? 'danger' : 'primary'}>
                  ${p.action === 'reset' ? ta('people.setPassword') : p.action === 'sessions' ? ta('people.endSessions') : ta('people.delete')}
                </button>
                <button type="button" class="cancel" @click=${() => this.closeDialog()}>${tr('app.cancel')}</button>
              </div>
            </form>`
          : nothing
      }
    </dialog>`;
  }

  private passwordBox(): unknown {
    const s = this.newPassword;
    if (!s) return nothing;
    return html`<section class="card secret" aria-labelledby="password-set-title">
      <h2 id="password-set-title" tabindex="-1">${ta('people.passwordSet', { name: s.name })}</h2>
      <p>${ta('people.passwordSetHint', { name: s.name })}</p>
      <p>
        <label for="password-set">${ta('people.passwordLabel')}</label>
        <input
          id="password-set"
          class="secret-value"
          readonly
          .value=${s.password}
          @focus=${(e: FocusEvent) => (e.target as HTMLInputElement).select()}
        />
        ${copyButton(s.password, ta('people.passwordLabel'))}
      </p>
      <button type="button" @click=${() => this.passwordDone()}>${ta('people.passwordDone')}</button>
    </section>`;
  }

  private row(p: Person): unknown {
    const you = this.me?.kind === 'person' && this.me.id === p.id;
    return html`<tr data-person=${p.username}>
      <th scope="row">${p.displayName} ${you ? html`<span class="muted">${ta('people.you')}</span>` : nothing}</th>
      <td><code>${p.username}</code></td>
      <td>${p.email ?? '—'}</td>
      <td>${this.editing === p.id ? this.rolesForm(p) : p.roles.join(', ') || '—'}</td>
      <td data-disabled=${String(p.disabled)}>${p.disabled ? ta('people.disabled') : ta('people.active')}</td>
      <td class="actions">
        ${
          you
            ? nothing
            : html`${
                  this.editing === p.id
                    ? nothing
                    : html`<button
                        type="button"
                        class="small"
                        aria-label=${ta('people.editRolesOf', { name: p.displayName })}
                        @click=${() => (this.editing = p.id)}
                      >
                        ${ta('people.editRoles')}
                      </button>`
                }
                <button
                  type="button"
                  class=${p.disabled ? 'small' : 'small danger'}
                  aria-label=${ta(p.disabled ? 'people.enableOf' : 'people.disableOf', { name: p.displayName })}
                  @click=${() => void this.change(p, { disabled: !p.disabled })}
                >
                  ${ta(p.disabled ? 'people.enable' : 'people.disable')}
                </button>
                ${this.actionButton('reset', p, ta('people.resetPassword'), ta('people.resetPasswordOf', { name: p.displayName }))}
                ${this.actionButton('sessions', p, ta('people.endSessions'), ta('people.endSessionsOf', { name: p.displayName }))}
                ${this.actionButton('delete', p, ta('people.delete'), ta('people.deleteOf', { name: p.displayName }))}`
        }
      </td>
    </tr>`;
  }

  protected override render(): unknown {
    const people = this.people;
    return html`${this.notice ? html`<p class="ok" role="status">${this.notice}</p>` : nothing} ${errorBox(this.failure)}
      ${this.passwordBox()} ${this.createForm()}
      <section aria-labelledby="people-title">
        <h2 id="people-title" tabindex="-1">${ta('people.list')}</h2>
        ${listTable(people, { empty: ta('people.none'), className: 'list people', columns: [ta('people.name'), ta('people.username'), ta('people.email'), ta('people.roles'), ta('people.state'), { hidden: tr('templates.actions') }], row: (p) => this.row(p) })}
      </section>
      <section aria-labelledby="roles-title">
        <h2 id="roles-title">${ta('roles.title')}</h2>
        ${
          this.editingRole === ''
            ? html`<div class="card">${this.roleForm(undefined)}</div>`
            : html`<div class="toolbar"><button type="button" @click=${() => (this.editingRole = '')}>${ta('roles.new')}</button></div>`
        }
        <div class="table-scroll">
          <table class="list roles">
            <thead>
              <tr>
                <th scope="col">${ta('roles.name')}</th>
                <th scope="col">${ta('roles.capabilities')}</th>
                <th scope="col"><span class="visually-hidden">${tr('templates.actions')}</span></th>
              </tr>
            </thead>
            <tbody>
              ${this.roles.map(
                (r) =>
                  html`<tr data-role=${r.name}>
                    <th scope="row">${r.name}</th>
                    <td>${this.editingRole === r.name ? this.roleForm(r) : r.capabilities.map((c) => html`<code>${c}</code> `)}</td>
                    <td class="actions">
                      ${
                        this.editingRole === r.name
                          ? nothing
                          : html`<button
                              type="button"
                              class="small"
                              aria-label=${ta('roles.editOf', { name: r.name })}
                              @click=${() => (this.editingRole = r.name)}
                            >
                              ${ta('roles.edit')}
                            </button>`
                      }
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </div>
      </section>
      ${this.dialog()}`;
  }
}
customElements.define('attest-people-screen', PeopleScreen);

declare global {
  interface HTMLElementTagNameMap {
    'attest-people-screen': PeopleScreen;
  }
}

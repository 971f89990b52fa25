import { html, type ReactiveController, type ReactiveControllerHost } from 'lit';

/**
 * A tab list in a screen's light DOM (ARIA's tabs pattern): which tab is chosen, its buttons (`#tab-<name>`,
 * controlling `#panel-<name>`), and the arrow keys that move between them as in any tab list.
 */
export class TabsController<T extends string> implements ReactiveController {
  private current: T;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly order: readonly T[],
  ) {
    this.current = order[0]!;
    host.addController(this);
  }

  /** Nothing to set up: the tab list is drawn by the host's template through `button`. */
  hostConnected(): void {}

  get selected(): T {
    return this.current;
  }

  select(tab: T): void {
    this.current = tab;
    this.host.requestUpdate();
  }

  button(tab: T, label: string): unknown {
    return html`<button
      type="button"
      role="tab"
      id=${`tab-${tab}`}
      aria-selected=${this.current === tab ? 'true' : 'false'}
      aria-controls=${`panel-${tab}`}
      tabindex=${this.current === tab ? 0 : -1}
      @click=${() => this.select(tab)}
      @keydown=${(e: KeyboardEvent) => this.key(e)}
    >
      ${label}
    </button>`;
  }

  private key(e: KeyboardEvent): void {
    const i = this.order.indexOf(this.current);
    const n = this.order.length;
    const next = e.key === 'ArrowRight' ? this.order[(i + 1) % n] : e.key === 'ArrowLeft' ? this.order[(i + n - 1) % n] : undefined;
    if (!next) return;
    e.preventDefault();
    this.select(next);
    void this.host.updateComplete.then(() => this.host.querySelector<HTMLButtonElement>(`#tab-${next}`)?.focus());
  }
}

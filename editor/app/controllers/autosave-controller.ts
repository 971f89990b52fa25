import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Autosave after this quiet time; Ctrl/Cmd+S and the button save at once. */
export const AUTOSAVE_MS = 2000;

export type SaveState = 'saved' | 'dirty' | 'saving' | 'error';

export interface AutosaveOptions {
  /** Writes what is unsaved, setting `state` as it goes ('saving', then 'saved', 'dirty' or 'error'). */
  save: () => Promise<void>;
  /** Whether the person may save at all (no timer otherwise). */
  enabled: () => boolean;
  /** Whether the draft on screen differs from the last one saved: nothing else is ever written. */
  hasChanges: () => boolean;
  delayMs?: number;
}

/**
 * When a screen's draft is saved: a quiet time after the last change, at once on Ctrl/Cmd+S, and when the
 * screen is left with changes unsaved (the page's unload asks first). How to save is the host's.
 */
export class AutosaveController implements ReactiveController {
  private current: SaveState = 'saved';
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: AutosaveOptions,
  ) {
    host.addController(this);
  }

  get state(): SaveState {
    return this.current;
  }

  set state(state: SaveState) {
    this.current = state;
    this.host.requestUpdate();
  }

  hostConnected(): void {
    document.addEventListener('keydown', this.onKey);
    window.addEventListener('beforeunload', this.onUnload);
  }

  hostDisconnected(): void {
    document.removeEventListener('keydown', this.onKey);
    window.removeEventListener('beforeunload', this.onUnload);
    // Leaving the screen saves what was typed rather than dropping it.
    if (this.current === 'dirty') void this.saveNow();
    clearTimeout(this.timer);
  }

  /**
   * The draft changed: unsaved, and saved after the quiet time. Changed back to what was saved (an Undo),
   * it is saved again and nothing is sent.
   */
  changed(): void {
    if (!this.options.hasChanges()) {
      clearTimeout(this.timer);
      if (this.current === 'dirty') this.state = 'saved';
      return;
    }
    this.state = 'dirty';
    clearTimeout(this.timer);
    if (this.options.enabled()) this.timer = setTimeout(() => void this.saveNow(), this.options.delayMs ?? AUTOSAVE_MS);
  }

  saveNow(): Promise<void> {
    clearTimeout(this.timer);
    if (!this.options.hasChanges()) {
      if (this.current === 'dirty') this.state = 'saved';
      return Promise.resolve();
    }
    return this.options.save();
  }

  private readonly onKey = (e: KeyboardEvent) => {
    if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 's') {
      e.preventDefault();
      void this.saveNow();
    }
  };

  private readonly onUnload = (e: BeforeUnloadEvent) => {
    if (this.current === 'dirty' || this.current === 'saving') e.preventDefault();
  };
}

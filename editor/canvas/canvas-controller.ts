import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { IDisposable } from 'monaco-editor/editor';
import { LineIndex, type Range } from '../../variables/diagnostics';
import type { SourceEditor } from '../components/source-editor';
import { tr } from '../app/messages';
import { t } from '../i18n';
import { moveElement } from '../preview/move';
import {
  boxKey,
  type CanvasEditDetail,
  type ElementMoveDetail,
  type ElementSelectDetail,
  type PreviewBox,
  type SelectionChangeDetail,
} from '../preview/pdf-preview';
import { toMonacoRange } from '../monaco/register';
import { applyToMonaco } from './apply';
import { bindVariable, elementAtOffset, setContent } from './content';
import { combine, elementAt, setAttributes, type EditResult, type PageSizeMm, type SourceEdit } from './edits';
import { insertElement } from './insert';
import { ct, say } from './messages';
import { moveTag, resizeBy } from './operations';
import type { PropertyChangeDetail } from './property-panel';

export interface CanvasHost {
  /** The text in the editor now. */
  source(): string;
  editor(): SourceEditor | null;
  /** Tells the designer what happened (the screen's notice line). */
  notice(text: string): void;
  /** The template's image assets, for an image placed from the palette. */
  imageAssets(): readonly string[];
  /** One element was picked on the canvas (clicked, inserted): its properties should be in view. */
  showProperties(): void;
}

/**
 * The canvas on the template screen: turns what is done on the preview (drag, handles, arrange, palette,
 * property panel) into the smallest edits of the source, applied as one Monaco edit each (one undo step),
 * and keeps the selection: from a click on the page, or from the cursor in the source. The screen renders
 * `selection` into the preview and `selected` into the property panel.
 */
export class CanvasController implements ReactiveController {
  /** The selected elements (the preview's `boxKey`s). */
  selection: readonly string[] = [];
  /** The one element the property panel shows. */
  selected: { range: Range; kind: string } | undefined;
  pageMm: PageSizeMm | undefined;

  private boxes: readonly PreviewBox[] = [];
  /** An element just inserted, selected when the preview shows it (its tag's offset). */
  private pendingOffset: number | undefined;
  private cursorWatch: IDisposable | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: CanvasHost,
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.cursorWatch?.dispose();
    this.cursorWatch = undefined;
  }

  hostUpdated(): void {
    // The editor appears with the screen's first render: follow its cursor from then on.
    if (this.cursorWatch) return;
    const code = this.options.editor()?.codeEditor;
    if (!code) return;
    this.cursorWatch = code.onDidChangeCursorPosition((e) => {
      // Only the designer's own moves in the source; a reveal from the preview or an edit of ours is not a pick.
      if (!code.hasTextFocus() || e.source === 'canvas') return;
      const model = code.getModel();
      if (model) this.selectAtOffset(model.getOffsetAt(e.position));
    });
  }

  /** The preview drew new boxes: an element just inserted becomes the selection. */
  boxesChanged(boxes: readonly PreviewBox[]): void {
    this.boxes = boxes;
    if (this.pendingOffset === undefined) return;
    const offset = this.pendingOffset;
    const lines = new LineIndex(this.options.source());
    const box = boxes.find((b) => b.range && b.kind !== 'page' && lines.offset(b.range.start) === offset);
    if (!box) return;
    this.pendingOffset = undefined;
    this.choose([box]);
    this.options.showProperties();
  }

  private selectAtOffset(offset: number): void {
    const source = this.options.source();
    const lines = new LineIndex(source);
    const candidates = this.boxes.filter((b) => b.range && b.kind !== 'page');
    const starts = [...new Set(candidates.map((b) => lines.offset(b.range!.start)))];
    const start = elementAtOffset(source, starts, offset);
    const box = start === undefined ? undefined : candidates.find((b) => lines.offset(b.range!.start) === start);
    this.choose(box ? [box] : []);
  }

  private choose(boxes: readonly PreviewBox[]): void {
    this.selection = [...new Set(boxes.map(boxKey))];
    this.selected = boxes.length >= 1 && this.selection.length === 1 ? { range: boxes[0]!.range!, kind: boxes[0]!.kind } : undefined;
    this.host.requestUpdate();
  }

  onSelectionChange(e: CustomEvent<SelectionChangeDetail>): void {
    this.pageMm = e.detail.pageMm;
    this.choose(e.detail.boxes);
    if (this.selected) this.options.showProperties();
  }

  /** A click on an element (or on a problem in the list): the source shows it, the canvas keeps the keyboard. */
  onSelect(e: CustomEvent<ElementSelectDetail>): void {
    const ed = this.options.editor();
    if (e.detail.origin === 'diagnostic' || !ed?.codeEditor) {
      ed?.reveal(e.detail.range);
      return;
    }
    const r = toMonacoRange(e.detail.range);
    ed.codeEditor.setSelection(r, 'canvas');
    ed.codeEditor.revealRangeInCenterIfOutsideViewport(r);
  }

  /** One element dragged or nudged (the preview's `element-move`). */
  onMove(e: CustomEvent<ElementMoveDetail>): void {
    const d = e.detail;
    this.pageMm = d.pageMm;
    const result = moveElement(this.options.source(), d.range, d.dxMm, d.dyMm, d.pageMm);
    if (!result.ok) {
      this.options.notice(tr('editor.moveRefused', { reason: t(result.reason, result.params) }));
      return;
    }
    this.apply(result.edits, t('move.moved'));
  }

  onEdit(e: CustomEvent<CanvasEditDetail>): void {
    const d = e.detail;
    const source = this.options.source();
    switch (d.op) {
      case 'moves': {
        this.pageMm = d.pageMm;
        const results: EditResult[] = d.items.map((i) => {
          const tag = elementAt(source, i.range);
          return 'ok' in tag ? tag : moveTag(tag, i.dxMm, i.dyMm, d.pageMm);
        });
        const label =
          d.label === 'moved'
            ? t('move.moved')
            : ct(d.label === 'aligned' ? 'canvas.aligned' : 'canvas.distributed', { count: d.items.length });
        this.applyResult(combine(results), label);
        return;
      }
      case 'resize':
        this.pageMm = d.pageMm;
        this.applyResult(resizeBy(source, d.item.range, d.edges, d.box, d.pageMm), ct('canvas.resized'));
        return;
      case 'insert': {
        const r = insertElement(source, d.kind, d.at, { ...(d.page ? { page: d.page } : {}), asset: this.options.imageAssets()[0] });
        if (this.applyResult(r, ct('canvas.inserted', { element: d.kind })) && r.ok) this.pendingOffset = r.offset;
        return;
      }
    }
  }

  onProperty(e: CustomEvent<PropertyChangeDetail>): void {
    const d = e.detail;
    const source = this.options.source();
    const r = d.bind
      ? bindVariable(source, d.range, d.bind.path, d.bind.how)
      : d.content !== undefined
        ? setContent(source, d.range, d.content)
        : setAttributes(source, d.range, d.values ?? {});
    const name = d.bind ? d.bind.path : d.content !== undefined ? 'content' : Object.keys(d.values ?? {}).join(', ');
    this.applyResult(r, ct('canvas.changed', { attribute: name }));
  }

  /** Ctrl/Cmd+Z and Ctrl/Cmd+Shift+Z (or Ctrl+Y) on the canvas undo and redo in the source. */
  onKey(e: KeyboardEvent): void {
    if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
    const key = e.key.toLowerCase();
    const action = key === 'z' ? (e.shiftKey ? 'redo' : 'undo') : key === 'y' ? 'redo' : undefined;
    const code = this.options.editor()?.codeEditor;
    if (!action || !code) return;
    e.preventDefault();
    code.trigger('canvas', action, null);
  }

  private applyResult(r: EditResult | { ok: true; edits: SourceEdit[] }, label: string): boolean {
    if (!r.ok) {
      this.options.notice(say(r.reason, r.params));
      return false;
    }
    return this.apply(r.edits, label);
  }

  private apply(edits: readonly SourceEdit[], label: string): boolean {
    const ok = applyToMonaco(this.options.editor()?.codeEditor, this.options.source(), edits);
    this.options.notice(ok ? label : ct('canvas.notApplied'));
    return ok;
  }
}

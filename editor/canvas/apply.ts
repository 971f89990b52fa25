import type { editor } from 'monaco-editor/editor';
import { applyEdits, type SourceEdit } from './edits';

/**
 * Applies the canvas's edits to the source in Monaco as ONE edit (one undo step, named after the canvas),
 * and says whether the text is now what the edits meant: the app claims a change only when it landed.
 * The edits are offsets into `expectedBefore`; when Monaco holds another text (an edit raced in), nothing
 * is applied.
 */
export function applyToMonaco(code: editor.ICodeEditor | undefined, expectedBefore: string, edits: readonly SourceEdit[]): boolean {
  const model = code?.getModel();
  if (!code || !model || model.getValue() !== expectedBefore) return false;
  if (edits.length === 0) return true;
  const operations = edits.map((e) => {
    const a = model.getPositionAt(e.start);
    const b = model.getPositionAt(e.end);
    return {
      range: { startLineNumber: a.lineNumber, startColumn: a.column, endLineNumber: b.lineNumber, endColumn: b.column },
      text: e.text,
    };
  });
  // Undo stops on both sides: the change never merges with the typing before or after it.
  code.pushUndoStop();
  code.executeEdits('canvas', operations);
  code.pushUndoStop();
  return model.getValue() === applyEdits(expectedBefore, edits);
}

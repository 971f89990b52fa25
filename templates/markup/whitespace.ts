import type { InlineNode, TextRun } from './types';

/**
 * Whitespace in text boxes behaves as in HTML: the template's indentation and line breaks are not the
 * designer's layout. Runs of XML whitespace become one space, also across <b>/<i>/<span> boundaries; spaces
 * at the start and end of the box and around <br/> go. Non-breaking spaces (U+00A0, U+202F) are kept, so
 * French typography ("Code :") survives.
 */
const XML_SPACE = /[ \t\n\r]+/g;

export function collapseWhitespace(content: InlineNode[]): InlineNode[] {
  const state = { lineStart: true, last: undefined as TextRun | undefined };
  walk(content, state);
  trimEnd(state.last);
  return prune(content);
}

function walk(nodes: InlineNode[], state: { lineStart: boolean; last: TextRun | undefined }): void {
  for (const node of nodes) {
    switch (node.kind) {
      case 'text': {
        let text = node.text.replace(XML_SPACE, ' ');
        if (text.startsWith(' ') && (state.lineStart || state.last?.text.endsWith(' '))) text = text.slice(1);
        node.text = text;
        if (text !== '') {
          state.lineStart = false;
          state.last = node;
        }
        break;
      }
      case 'br':
        trimEnd(state.last);
        state.lineStart = true;
        state.last = undefined;
        break;
      default:
        walk(node.children, state);
    }
  }
}

function trimEnd(run: TextRun | undefined): void {
  if (run?.text.endsWith(' ')) run.text = run.text.slice(0, -1);
}

function prune(nodes: InlineNode[]): InlineNode[] {
  const kept: InlineNode[] = [];
  for (const node of nodes) {
    if (node.kind === 'text') {
      if (node.text !== '') kept.push(node);
    } else {
      if (node.kind !== 'br') node.children = prune(node.children);
      kept.push(node);
    }
  }
  return kept;
}

/** Plain text (a watermark): collapsed and trimmed. */
export function collapsePlain(text: string): string {
  return text.replace(XML_SPACE, ' ').trim();
}

import { bind } from '../../../variables/bind';
import type { Diagnostic } from '../../../variables/diagnostics';
import { compileFragment, createEngine, LiquidStageError } from '../../../templates/liquid/engine';
import { MAIL_SCHEMA, type MailLocale, type WordPart, type Words } from './certificate-mail';

/**
 * The one place a message's words become text: bound like a document's data (the same types and formats
 * the templates print), then each part rendered by the sandboxed Liquid engine (text for the subject and
 * the plain body, markup escaping for the HTML body). Sending (send.ts) and the editor's preview
 * (preview.ts) both call it, so the preview shows what a recipient gets.
 */
export interface RenderedWords {
  subject: string;
  text: string;
  html?: string;
}

/** A part that does not render: which one, and the Liquid engine's diagnostics. */
export class MailRenderError extends Error {
  constructor(
    readonly part: WordPart,
    readonly diagnostics: Diagnostic[],
  ) {
    super(`${part}: ${diagnostics.map((d) => d.message).join('; ')}`);
    this.name = 'MailRenderError';
  }
}

export function renderWords(words: Words, data: Record<string, unknown>, locale: MailLocale): RenderedWords {
  const bound = bind(MAIL_SCHEMA, data).data as Record<string, unknown>;
  const render = (text: string, mode: 'text' | 'markup', what: WordPart): string => {
    const fragment = compileFragment(createEngine({ locale, mode }), text, { fileText: text, offset: 0, what });
    if (!fragment.render) throw new MailRenderError(what, fragment.diagnostics);
    try {
      return fragment.render(bound);
    } catch (e) {
      if (e instanceof LiquidStageError) throw new MailRenderError(what, e.diagnostics);
      throw e;
    }
  };
  return {
    // One line: a subject is a header.
    subject: render(words.subject, 'text', 'subject')
      .replace(/[\r\n]+/g, ' ')
      .trim(),
    text: render(words.text, 'text', 'text'),
    ...(words.html !== undefined ? { html: render(words.html, 'markup', 'html') } : {}),
  };
}

/// <reference types="vite/client" />
import './components/source-editor';
import './components/variables-panel';
import './components/sample-data';
import './components/version-diff';
import './preview/pdf-preview';
import { catalogue } from '../variables/catalogue';
import type { Schema } from '../variables/types';
import { readTemplate } from './monaco/template';
import { getLocale, isLocale, LOCALE_CHANGE, localeEvents, setLocale, t } from './i18n';
import { moveElement, type MoveResult } from './preview/move';
import type { ElementMoveDetail, ElementSelectDetail } from './preview/pdf-preview';
import type { InsertTextDetail } from './components/variables-panel';
import type { SampleChangeDetail } from './components/sample-data';
import example from '../templates/examples/transcript-en.liquid?raw';

/**
 * The component gallery: every editor component wired the way the app shell will wire them (data down,
 * events up), on the bundled transcript example. The page cannot render PDFs itself (the renderer runs on
 * the server), so the browser test hands it a PDF and its boxes through `window.attestComponents`.
 */
interface Recorded {
  type: string;
  detail: unknown;
}

declare global {
  interface Window {
    attestComponents?: {
      source: HTMLElementTagNameMap['attest-source-editor'];
      preview: HTMLElementTagNameMap['attest-pdf-preview'];
      variables: HTMLElementTagNameMap['attest-variables-panel'];
      sample: HTMLElementTagNameMap['attest-sample-data'];
      diff: HTMLElementTagNameMap['attest-version-diff'];
      events: Recorded[];
      lastMove?: MoveResult;
      moveElement: typeof moveElement;
      setLocale: typeof setLocale;
    };
  }
}

const source = document.querySelector('attest-source-editor')!;
const preview = document.querySelector('attest-pdf-preview')!;
const variables = document.querySelector('attest-variables-panel')!;
const sample = document.querySelector('attest-sample-data')!;
const diff = document.querySelector('attest-version-diff')!;
const notice = document.querySelector<HTMLElement>('#notice')!;
const events: Recorded[] = [];

function declaredOf(schema: Schema): Schema {
  return Object.fromEntries(Object.entries(schema).filter(([key]) => !Object.hasOwn(catalogue, key)));
}

function showSource(text: string): void {
  const schema = readTemplate(text).schema;
  variables.declared = declaredOf(schema);
  sample.schema = schema;
}

source.value = example;
showSource(example);
// A plausible earlier version to compare with: the same template before a title change.
diff.left = example.replace('Certificate of Completion', 'Certificate of Attendance').replace('size="26"', 'size="24"');
diff.right = example;

for (const type of ['element-select', 'element-move', 'insert-text', 'sample-change', 'page-change', 'preview-rendered']) {
  document.addEventListener(type, (e) => events.push({ type, detail: (e as CustomEvent).detail }));
}

source.addEventListener('source-change', (e) => {
  const text = (e as CustomEvent<{ value: string }>).detail.value;
  showSource(text);
  diff.right = text;
});

// Preview → source: the cursor goes to the markup that drew what was clicked.
preview.addEventListener('element-select', (e) => source.reveal((e as CustomEvent<ElementSelectDetail>).detail.range));

// Preview → source: a drop writes the element's new x/y, or says why it cannot.
preview.addEventListener('element-move', (e) => {
  const { range, dxMm, dyMm, pageMm } = (e as CustomEvent<ElementMoveDetail>).detail;
  const result = moveElement(source.value, range, dxMm, dyMm, pageMm);
  window.attestComponents!.lastMove = result;
  if (result.ok) {
    source.value = result.source;
    notice.textContent = t('move.moved');
  } else {
    notice.textContent = t(result.reason, result.params);
  }
});

// Variables → source: insert at the cursor (replacing a selection), as typing would.
variables.addEventListener('insert-text', (e) => {
  source.insertText((e as CustomEvent<InsertTextDetail>).detail.text, 'variables-panel');
});

sample.addEventListener('sample-change', (e) => {
  const { persona } = (e as CustomEvent<SampleChangeDetail>).detail;
  notice.textContent = persona ? `${persona}` : '';
});

// The language switch: every component listens to the locale itself; the page only updates its own text.
const select = document.querySelector<HTMLSelectElement>('#locale')!;
const pageTexts = () => {
  select.value = getLocale();
  document.querySelector('#language-label')!.textContent = t('app.language');
  document.querySelector('#diff-title')!.textContent = t('diff.title');
  source.docLanguage = getLocale();
};
select.addEventListener('change', () => {
  if (isLocale(select.value)) setLocale(select.value);
});
localeEvents.addEventListener(LOCALE_CHANGE, pageTexts);
pageTexts();

window.attestComponents = { source, preview, variables, sample, diff, events, moveElement, setLocale };

/// <reference types="vite/client" />
import { editor } from 'monaco-editor/editor';
import './components/source-editor';
import type { DiagnosticsDetail } from './components/source-editor';
import example from '../templates/examples/attestation-fr.liquid?raw';

/**
 * A page with one source editor on the bundled French example, until the full app (template list,
 * preview, admin screens) hosts the component. Browser tests drive Monaco through `window.attest`.
 */
declare global {
  interface Window {
    attest?: { editor: typeof editor; element: HTMLElementTagNameMap['attest-source-editor'] };
  }
}

const element = document.querySelector('attest-source-editor')!;
element.value = example;
const status = document.querySelector('#status')!;
element.addEventListener('diagnostics-change', (event) => {
  const { diagnostics } = (event as CustomEvent<DiagnosticsDetail>).detail;
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  status.textContent =
    diagnostics.length === 0 ? 'No problems' : `${errors} error${errors === 1 ? '' : 's'}, ${diagnostics.length - errors} other`;
});
window.attest = { editor, element };

import type { DocLanguage, EditorDiagnostic } from './types';

/** The page asks the diagnostics worker about one version of one model's text. */
export interface DiagnoseRequest {
  type: 'diagnose';
  /** Which model (its URI), so one worker serves every editor on the page. */
  model: string;
  /** The model's version id: an answer for an older version is dropped. */
  version: number;
  text: string;
  /** The interface language, which the messages are written in (English when absent). */
  language?: DocLanguage;
}

export interface DiagnoseResponse {
  type: 'diagnostics';
  model: string;
  version: number;
  diagnostics: EditorDiagnostic[];
  /** How long `diagnose` took, for the curious and the tests. */
  milliseconds: number;
}

export interface DiagnoseFailure {
  type: 'failure';
  model: string;
  version: number;
  message: string;
}

export type WorkerAnswer = DiagnoseResponse | DiagnoseFailure;

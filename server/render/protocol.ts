import type { Diagnostic } from '../../variables/diagnostics';

/**
 * What the server's render workers are asked and what they answer. A template version is identified by
 * `templateKey` (its content hash): a worker compiles a version once and keeps it for the next documents.
 */
export interface RenderRequest {
  id: number;
  templateKey: string;
  source: string;
  /** The template's assets by the file names its front matter uses. */
  assets: Record<string, Uint8Array>;
  data: unknown;
  specimen: boolean;
  documentId?: string;
}

export interface RenderAnswer {
  id: number;
  pdf?: Uint8Array;
  pageCount: number;
  diagnostics: Diagnostic[];
}

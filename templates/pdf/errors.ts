import { DiagnosticError } from '../../variables/diagnostics';

/** Stable codes for assets the PDF writer cannot use; never reworded once shipped. */
export type PdfAssetCode =
  | 'ASSET_IMAGE_UNSUPPORTED'
  | 'ASSET_IMAGE_CORRUPT'
  | 'ASSET_IMAGE_TOO_LARGE'
  | 'ASSET_IMAGE_SIZE_MISMATCH'
  | 'ASSET_PDF_TOO_LARGE'
  | 'ASSET_PDF_CORRUPT'
  | 'ASSET_PDF_ENCRYPTED'
  | 'ASSET_PDF_PAGE_OUT_OF_RANGE'
  | 'ASSET_FONT_UNSUPPORTED';

/** An uploaded image, PDF or font that cannot be embedded; the message is written for the designer. */
export class PdfAssetError extends DiagnosticError {
  constructor(code: PdfAssetCode, message: string, options?: { cause?: unknown }) {
    super([{ stage: 'asset', code, severity: 'error', message }]);
    this.name = 'PdfAssetError';
    if (options?.cause !== undefined) this.cause = options.cause;
  }
  override get code(): PdfAssetCode {
    return super.code as PdfAssetCode;
  }
}

export { PdfDocument, type PdfPage, type PageDrawing, type PdfDocumentOptions, type DocumentInfo, type LinkRect } from './document';
export type { ContentBuilder, Rgb } from './content';
export { PreparedFont, FontSubset, prepareFont } from './prepared-font';
export { PreparedImage } from './prepared-image';
export { ImportedPage } from './imported-page';
export { PdfAssetError, type PdfAssetCode } from './errors';
export {
  PdfProtectionError,
  derivedOwnerPassword,
  permissionFlags,
  type PdfCipher,
  type PdfPermissions,
  type PdfProtection,
  type PdfProtectionCode,
} from './encryption';
export { PdfAttachmentError, checkAttachments, type PdfAttachment, type PdfAttachmentCode, type AttachmentRelationship } from './attachments';

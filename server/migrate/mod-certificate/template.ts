import type { CertificateSettings } from '../../domain/settings';
import type { ModCertificateInstance } from './instance';

export type ImageKind = 'border' | 'watermark' | 'signature' | 'seal';

export interface ImageFile {
  bytes: Uint8Array;
  /** image/png or image/jpeg. */
  mediaType: string;
}

/**
 * The image files an instance names (borderstyle, printwmark, printsignature, printseal), as the caller
 * found them in moodledata's file pool or the plugin's pix folders. A kind absent from both maps is one the
 * instance does not use; a kind in `missing` is one it names but whose file was not found (the element is
 * left out and a warning says so).
 */
export interface InstanceImages {
  found: Partial<Record<ImageKind, ImageFile>>;
  missing: Partial<Record<ImageKind, string>>;
}

export interface MigrationWarning {
  /** The `certificate` column the warning is about (`printsignature`, `customtext`, …). */
  field: string;
  message: string;
}

export interface MigratedTemplate {
  name: string;
  /** The .liquid template file's text. */
  source: string;
  /** File name (as the front matter names it, e.g. `assets/border.png`) → bytes. */
  assets: Record<string, ImageFile>;
  /** What the instance says that Attest keeps in a certificate's settings. */
  certificateSettings: Partial<CertificateSettings>;
  warnings: MigrationWarning[];
}

export interface MigrationContext {
  courseName: string;
  locale: 'fr' | 'en';
}

export function templateFromInstance(
  instance: ModCertificateInstance,
  images: InstanceImages,
  context: MigrationContext,
): MigratedTemplate {
  void images;
  void context;
  throw new Error(`not implemented yet (instance ${instance.id})`);
}

/**
 * The parts of `qrcode` 1.5.4's core that templates/elements/qr/matrix.ts reuses (segmentation, version
 * choice, block tables). They are CommonJS modules without typings of their own.
 */
declare module 'qrcode/lib/core/segments.js' {
  import type { QrSegment } from 'qrcode/lib/core/version.js';
  export function fromString(data: string, version: number): QrSegment[];
  export function rawSplit(data: string): QrSegment[];
}

declare module 'qrcode/lib/core/version.js' {
  export interface QrBitBuffer {
    put(num: number, length: number): void;
    putBit(bit: boolean | number): void;
    getLengthInBits(): number;
    buffer: number[];
  }
  export interface QrSegment {
    mode: { bit: number };
    getLength(): number;
    write(buffer: QrBitBuffer): void;
  }
  export function getBestVersionForData(segments: QrSegment[], errorCorrectionLevel: { bit: number }): number | undefined;
}

declare module 'qrcode/lib/core/mode.js' {
  export function getCharCountIndicator(mode: { bit: number }, version: number): number;
}

declare module 'qrcode/lib/core/bit-buffer.js' {
  import type { QrBitBuffer } from 'qrcode/lib/core/version.js';
  const BitBuffer: new () => QrBitBuffer;
  export default BitBuffer;
}

declare module 'qrcode/lib/core/error-correction-level.js' {
  export function from(value: unknown, defaultValue: { bit: number }): { bit: number };
  export const M: { bit: number };
}

declare module 'qrcode/lib/core/error-correction-code.js' {
  export function getBlocksCount(version: number, errorCorrectionLevel: { bit: number }): number;
  export function getTotalCodewordsCount(version: number, errorCorrectionLevel: { bit: number }): number;
}

declare module 'qrcode/lib/core/format-info.js' {
  export function getEncodedBits(errorCorrectionLevel: { bit: number }, mask: number): number;
}

declare module 'qrcode/lib/core/utils.js' {
  export function getSymbolTotalCodewords(version: number): number;
}

export { layoutParagraph } from './paragraph';
export type { TextStyle, TextSpan, TextAlign, ParagraphOptions, LaidOutText, LaidOutLine, LaidOutRun, TextWarning, RGB } from './types';
export { clearShapeCache } from './shape';

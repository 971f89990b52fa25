export { parseMarkup, MARKUP_CODES } from './parse';
export type { MarkupInput, MarkupResult } from './parse';
export type * from './types';
export { VOCABULARY, TOP_LEVEL, MOVABLE, elementSpec, isElementName, parentsOf, fieldName } from './vocabulary';
export type {
  AttributeSpec,
  AttributesOf,
  ContentGroup,
  Doc,
  ElementName,
  ElementSpec,
  MoveAxes,
  TextContent,
  ValueType,
  ValueTypes,
} from './vocabulary';
export { describeType, readColor, readLength, readValue, NAMED_COLORS } from './values';
export { ENTITIES } from './entities';

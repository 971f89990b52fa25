import type { BoundData, BoundValue } from '../../variables/types';

/**
 * What the delivery rules judge and the issue records, read from the issue's data once it is bound (so in
 * the normal form of variables/types.ts: dates as YYYY-MM-DD, numbers as numbers), never from what was
 * sent. Typed by looking, not by casting: a field of another type counts as unknown.
 */
export interface IssueFacts {
  completed: boolean | null;
  /** The completion date, when one was given: what the document attests was achieved on. */
  achievedOn: string | null;
  gradePercent: number | null;
  timeSpentSeconds: number | null;
}

type BoundObject = { [key: string]: BoundValue };

export const isBoundObject = (v: BoundValue | undefined): v is BoundObject =>
  v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v);

/** The value at a path of objects (`completion.date`), or undefined where one of them is not an object. */
export function boundAt(data: BoundData, ...path: string[]): BoundValue | undefined {
  let here: BoundValue | undefined = data;
  for (const key of path) here = isBoundObject(here) ? here[key] : undefined;
  return here;
}

const asBoolean = (v: BoundValue | undefined): boolean | null => (typeof v === 'boolean' ? v : null);
const asNumber = (v: BoundValue | undefined): number | null => (typeof v === 'number' ? v : null);
const asString = (v: BoundValue | undefined): string | null => (typeof v === 'string' ? v : null);

export function issueFacts(bound: BoundData): IssueFacts {
  return {
    completed: asBoolean(boundAt(bound, 'completion', 'completed')),
    achievedOn: asString(boundAt(bound, 'completion', 'date'))?.slice(0, 10) ?? null,
    gradePercent: asNumber(boundAt(bound, 'grade', 'percent')),
    timeSpentSeconds: asNumber(boundAt(bound, 'course', 'timespent')),
  };
}

/** Sets a field of an object in the bound data (a value the server decides after binding, in its normal form). */
export function setBound(data: BoundData, path: readonly [string, string], value: BoundValue): void {
  const container = data[path[0]];
  if (isBoundObject(container)) container[path[1]] = value;
}

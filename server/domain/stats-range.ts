import { z } from 'zod';

/**
 * The dates a delivery dashboard covers: days, UTC, both included. One schema for the API's query and the
 * domain function, browser-safe (the contract imports it), so the editor, the server and a direct caller
 * meet the same rules and the same problem codes.
 */
export const MAX_STATS_DAYS = 3660;

const DAY_MS = 86_400_000;
const days = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS) + 1;
/** Both ends given and real days: the refinements run after the fields' own checks, which they must not repeat. */
const both = (r: { from?: string | undefined; to?: string | undefined }): r is { from: string; to: string } =>
  z.iso.date().safeParse(r.from).success && z.iso.date().safeParse(r.to).success;

export const StatsRange = z
  .object({
    from: z.iso.date().optional().describe('First day (YYYY-MM-DD, UTC); by default twelve weeks before `to`.'),
    to: z.iso.date().optional().describe('Last day, included; by default today.'),
  })
  .strict()
  .refine((r) => !both(r) || r.from <= r.to, {
    message: '`from` must not be after `to`.',
    path: ['to'],
    params: { code: 'RANGE_REVERSED' },
  })
  .refine((r) => !both(r) || r.from > r.to || days(r.from, r.to) <= MAX_STATS_DAYS, {
    message: `A range covers at most ${MAX_STATS_DAYS} days.`,
    path: ['to'],
    params: { code: 'RANGE_TOO_LONG', maximum: MAX_STATS_DAYS },
  });
export type StatsRange = z.infer<typeof StatsRange>;

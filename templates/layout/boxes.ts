import { z } from 'zod';

/**
 * Where an element was drawn, as the layout records it. Boxes travel from the layout through the render
 * worker, the preview operation's answer and the editor's preview (handles to select and move elements),
 * so their shape is said once, here, and browser-safe: the schema validates the API's answer, the type is
 * what every hop holds.
 */
const Position = z.object({ line: z.number().int(), column: z.number().int() });

export const DrawnBoxSchema = z
  .object({
    /** 0-based page index in the document. */
    page: z.number().int().min(0),
    /** The markup element that drew it (`text`, `image`, `page`, …). */
    kind: z.string(),
    /** Points, from the page's top-left corner. */
    x: z.number(),
    y: z.number(),
    width: z.number(),
    height: z.number(),
    /** Where the element is in the template file; absent for what the template did not write. */
    range: z.object({ start: Position, end: Position }).optional(),
  })
  .meta({ id: 'DrawnBox', description: 'Where an element was drawn on a page (points from the top-left) and which markup drew it.' });

export type DrawnBox = z.infer<typeof DrawnBoxSchema>;

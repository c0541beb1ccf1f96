import { z } from "zod";
import { CustomerId, PageCursor, PageLimit, QueryFlag } from "./override-schemas.js";

/** The zod schemas of the ratings routes (rating-routes.ts). */

export const NewRating = z
  .object({
    customer_id: CustomerId().describe("the customer rated"),
    prospects: z.number().int().min(1).max(5).describe("1 (poor) to 5 (excellent), as `tierwise rate --prospects`"),
  })
  .strict();

export const RatingQuery = z.object({
  customer_id: CustomerId().optional().describe("only this customer's ratings"),
  all: QueryFlag().describe("true: also removed ones"),
  limit: PageLimit(),
  cursor: PageCursor(),
});

/** A rating with its audit trail: who rated when, who removed it when. */
export const RatingView = z.object({
  id: z.number().int(),
  customer_id: z.string(),
  prospects: z.number().int(),
  rated_at: z.string().describe("when it was made (UTC); runs as of a later date use it"),
  rated_by: z.string().describe("the name of the key (or, from the CLI, the user) that rated"),
  removed_at: z.string().nullable().describe("when it was removed; null while it stands"),
  removed_by: z.string().nullable(),
});

export const RatingPage = z.object({
  items: z.array(RatingView),
  next_cursor: z.string().nullable().describe("pass as `cursor` for the next page; null on the last page"),
});

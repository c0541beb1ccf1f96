import type { Engine } from "../engine/engine.js";
import { InternalError, TierwiseError } from "../errors/index.js";
import {
  entityExistsSql,
  insertRatingSql,
  nextIdSql,
  type RatingRow,
  ratingExistsSql,
  ratingsSql,
  removeRatingSql,
} from "../sql/run/records.js";
import { unknownEntity } from "./unknown-entity.js";

/**
 * Manual prospects ratings (1..5) the scorecard uses for new customers
 * (metric `prospects`): the latest rating before a run's as-of wins over
 * `customers.prospects_rating` from the data. Every rating and removal is
 * in the audit log (`tw_rating_log`) with who and when; a removed rating no
 * longer counts for runs.
 */
export interface Rating {
  readonly id: number;
  readonly customerId: string;
  readonly rating: number;
  /** When it applies from. */
  readonly ratedAt: string;
  readonly ratedBy: string;
  readonly removedAt: string | null;
  readonly removedBy: string | null;
}

const toRating = (r: RatingRow): Rating => ({
  id: r.rating_id,
  customerId: r.customer_id,
  rating: r.rating,
  ratedAt: r.rated_at,
  ratedBy: r.rated_by,
  removedAt: r.removed_at,
  removedBy: r.removed_by,
});

function defaultUser(): string {
  const { TIERWISE_USER, USER } = process.env;
  return TIERWISE_USER ?? USER ?? "unknown";
}

/** Record a rating of a customer; the rating as stored. */
export async function rate(
  engine: Engine,
  customerId: string,
  rating: number,
  options: { by?: string; at?: string } = {},
): Promise<Rating> {
  if (!Number.isInteger(rating) || rating < 1 || rating > 5) {
    throw TierwiseError.of("option.prospects", { value: rating });
  }
  const exists = (await engine.query(entityExistsSql("customers", customerId)))[0]?.n ?? 0;
  if (exists === 0) throw await unknownEntity(engine, ["customers"], customerId, "customer");
  const by = options.by ?? defaultUser();
  const id = await engine.transaction(async () => {
    const next = (await engine.query(nextIdSql("tw_ratings")))[0]?.id ?? 1;
    await engine.exec(insertRatingSql(next, customerId, rating, by, options.at));
    return next;
  });
  const [row] = await engine.query(ratingsSql({ id }));
  if (!row) throw new InternalError(`rating ${id} was not written`);
  return toRating(row);
}

/** Ratings in id order: those standing, or also the removed ones when `all`; `afterId` and `limit` page by id. */
export async function listRatings(
  engine: Engine,
  filter: { customerId?: string; all?: boolean; afterId?: number; limit?: number } = {},
): Promise<Rating[]> {
  return (await engine.query(ratingsSql(filter))).map(toRating);
}

/** Remove a standing rating by id: runs no longer see it; the audit log keeps it with who and when. */
export async function removeRating(engine: Engine, id: number, by: string = defaultUser()): Promise<Rating> {
  await engine.transaction(async () => {
    if (((await engine.query(ratingExistsSql(id)))[0]?.n ?? 0) === 0)
      throw new TierwiseError("RATING_NOT_FOUND", { id });
    await engine.exec(removeRatingSql(id, by));
  });
  const [row] = await engine.query(ratingsSql({ id, all: true }));
  if (!row) throw new InternalError(`rating ${id} is not in the audit log`);
  return toRating(row);
}

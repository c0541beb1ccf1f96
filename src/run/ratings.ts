import type { Engine } from "../engine/engine.js";
import { TierwiseError } from "../errors/index.js";
import { entityExistsSql, insertRatingSql, nextIdSql } from "../sql/run/records.js";
import { unknownEntity } from "./unknown-entity.js";

/**
 * Record the manual prospects rating (1..5) the scorecard uses for new
 * customers (metric `prospects`): the latest rating before a run's as-of
 * wins over `customers.prospects_rating` from the data.
 */
export async function rate(
  engine: Engine,
  customerId: string,
  rating: number,
  options: { by?: string; at?: string } = {},
): Promise<void> {
  if (!Number.isInteger(rating) || rating < 1 || rating > 5) {
    throw TierwiseError.of("option.prospects", { value: rating });
  }
  const exists = (await engine.query(entityExistsSql("customers", customerId)))[0]?.n ?? 0;
  if (exists === 0) throw await unknownEntity(engine, ["customers"], customerId, "customer");
  const { TIERWISE_USER, USER } = process.env;
  const by = options.by ?? TIERWISE_USER ?? USER ?? "unknown";
  await engine.transaction(async () => {
    const id = (await engine.query(nextIdSql("tw_ratings")))[0]?.id ?? 1;
    await engine.exec(insertRatingSql(id, customerId, rating, by, options.at));
  });
}

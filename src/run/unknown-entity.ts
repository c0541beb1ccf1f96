import type { Engine } from "../engine/engine.js";
import { didYouMean, TierwiseError } from "../errors/index.js";
import { col, select } from "../sql/row.js";
import { entityIdSuggestionsSql } from "../sql/store/entity-suggestions.js";

/**
 * The `UNKNOWN_ENTITY` error for an id found in none of `tables`, with a
 * did-you-mean when the store holds a close id: one equal ignoring case
 * first, else the nearest by edit distance among the few neighbours the
 * database returns (never every id).
 *
 * @param label how the message names what was looked for ("customer", "customer or lead", …)
 */
export async function unknownEntity(
  engine: Engine,
  tables: ReadonlyArray<"customers" | "leads">,
  id: string,
  label: string,
): Promise<TierwiseError> {
  const rows: Array<{ readonly id: string; readonly near: number }> = [];
  for (const table of tables)
    rows.push(
      ...(await engine.query(
        select({ id: col.text, near: col.integer }, entityIdSuggestionsSql(engine.dialect, table, id)),
      )),
    );
  const byCase = rows
    .filter((r) => r.near === 0)
    .map((r) => r.id)
    .sort();
  const near = [...new Set(rows.map((r) => r.id))].sort();
  const hint = byCase[0] !== undefined ? `did you mean ${byCase[0]}?` : didYouMean(id, near);
  const shown = id.length > 80 ? `${id.slice(0, 80)}…` : id;
  return new TierwiseError("UNKNOWN_ENTITY", { entity: label, id: shown }, undefined, hint);
}

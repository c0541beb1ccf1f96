import type { Engine } from "../engine/engine.js";
import { TierwiseError } from "../errors/index.js";
import { hasRowsSql } from "../sql/store/store-meta.js";

/** Refuse (`NO_CUSTOMERS`) a store whose customers table is empty: grading it would print only zeros. */
export async function requireCustomers(engine: Engine, where: string): Promise<void> {
  const n = (await engine.query(hasRowsSql("customers")))[0]?.n ?? 0;
  if (n === 0) throw new TierwiseError("NO_CUSTOMERS", { path: where });
}

import type { Engine } from "../engine/engine.js";
import { readMetaSql, writeMetaSql } from "../sql/store/store-meta.js";

/** The `tw_meta` key that records a store was made by `tierwise demo` (so a later demo may replace it). */
const DEMO_KEY = "made_by";
const DEMO_VALUE = "tierwise demo";

/** Record in the store's metadata that `tierwise demo` made it. */
export async function markDemoStore(engine: Engine): Promise<void> {
  await engine.transaction(() => engine.exec(writeMetaSql(DEMO_KEY, DEMO_VALUE)));
}

/** Whether the store carries the mark of `tierwise demo`. */
export async function isDemoStore(engine: Engine): Promise<boolean> {
  return (await engine.query<{ value: unknown }>(readMetaSql(DEMO_KEY)))[0]?.value === DEMO_VALUE;
}

import type { Engine } from "../engine/engine.js";
import { didYouMean, TierwiseError } from "../errors/index.js";

/** Check an IANA time-zone name against the engine's list; returns it unchanged. */
export async function resolveTimeZone(engine: Engine, zone: string): Promise<string> {
  const names = (await engine.query(engine.dialect.timeZoneNames())).map((r) => r.name);
  if (names.includes(zone)) return zone;
  const hint = didYouMean(zone, names);
  throw new TierwiseError("UNKNOWN_TIME_ZONE", { zone }, undefined, hint ?? "use an IANA name such as Europe/Budapest");
}

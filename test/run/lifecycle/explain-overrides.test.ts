import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../../src/engine/engine.js";
import { explain } from "../../../src/insight/explain.js";
import { SIX, valuePolicy } from "../decisions/support.js";
import { grade, memoryStore, policyFile, seed } from "../support.js";

/**
 * The six customers of ./decisions/support.ts (C1 120,000 … C5 5,000, C6 none) under VIP ≥ 100,000,
 * Gold ≥ 50,000, Silver ≥ 20,000, Regular > 0, with overrides: C4 (Silver) floor Gold until
 * 2026-06-30, C1 (VIP) ceiling Gold, C3 (Gold) fixed Silver, C2 (Gold) floor Silver (not binding).
 */
describe("explain: the distance lines respect overrides", () => {
  let engine: Engine;
  const lines = async (id: string) => {
    const s = (await explain(engine, id)).schemes[0];
    return { tier: s?.tier, natural: s?.naturalTier, up: s?.up, down: s?.down };
  };
  beforeAll(async () => {
    engine = await memoryStore();
    await seed(engine, {
      ...SIX,
      tw_overrides: [
        { override_id: 1, scheme: "value", entity_id: "C4", tier: "Gold", mode: "floor", expires_at: "2026-06-30" },
        { override_id: 2, scheme: "value", entity_id: "C1", tier: "Gold", mode: "ceiling" },
        { override_id: 3, scheme: "value", entity_id: "C3", tier: "Silver", mode: "fixed" },
        { override_id: 4, scheme: "value", entity_id: "C2", tier: "Silver", mode: "floor" },
      ],
    });
    await grade(engine, { file: await policyFile(valuePolicy(100000)) });
  });
  afterAll(async () => engine.close());

  it("a floor holds the tier from below: the way up stands, the way down is the override", async () => {
    expect(await lines("C4")).toEqual({
      tier: "Gold",
      natural: "Silver",
      up: "needs 70,000 more spend(12 months) for VIP",
      down: "held at Gold by a floor override until 2026-06-30; without it: Silver",
    });
  });

  it("a ceiling holds it from above; a fixed tier both ways; an override that does not bind changes nothing", async () => {
    expect(await lines("C1")).toEqual({
      tier: "Gold",
      natural: "VIP",
      up: "held at Gold by a ceiling override until it is removed; without it: VIP",
      down: "drops to Silver below 50,000",
    });
    expect(await lines("C3")).toEqual({
      tier: "Silver",
      natural: "Gold",
      up: "held at Silver by a fixed override until it is removed; without it: Gold",
      down: "held at Silver by a fixed override until it is removed; without it: Gold",
    });
    expect(await lines("C2")).toMatchObject({
      tier: "Gold",
      up: "needs 10,000 more spend(12 months) for VIP",
      down: "drops to Silver below 50,000",
    });
  });
});

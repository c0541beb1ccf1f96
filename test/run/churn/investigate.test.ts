import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../../src/engine/engine.js";
import { type ChurnInvestigationReport, investigateChurn } from "../../../src/insight/churn-investigate.js";
import { grade, memoryStore, policyFile, seed } from "../support.js";
import { GOLD_POLICY, seedInvestigation } from "./investigation-support.js";

async function report(engine: Engine, options: Parameters<typeof investigateChurn>[1]) {
  const r = await investigateChurn(engine, options);
  if (r.kind !== "investigation") throw new Error(`expected an investigation, got ${r.kind}`);
  return r;
}

const table = (r: ChurnInvestigationReport) =>
  r.signals.map((s) => [
    s.signal,
    s.churned.withSignal,
    s.churned.customers,
    s.retained.withSignal,
    s.retained.customers,
    s.effect === null ? null : Number(s.effect.toFixed(3)),
  ]);

describe("churn investigation", () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await memoryStore();
    await seedInvestigation(engine);
  });
  afterAll(async () => {
    await engine.close();
  });

  it("ranks the planted cause (complaints of churned Gold customers) first, with exact counts", async () => {
    const r = await report(engine, { scheme: "s", tier: "Gold" });
    expect([r.scheme, r.tier, r.runId, r.asOf, r.days, r.churned, r.retained, r.withoutOrders]).toEqual([
      "s",
      "Gold",
      1,
      "2025-07-01",
      90,
      3,
      4,
      0,
    ]);
    expect(table(r)).toEqual([
      ["complaints", 3, 3, 1, 4, 3.708],
      ["unfounded_complaints", 1, 3, 0, 4, 0.913],
      ["service_interactions", 0, 3, 1, 4, -0.645],
      ["returns", 1, 3, 1, 4, 0.157],
      ["discount_share", 3, 3, 4, 4, 0],
    ]);
    const [first] = r.signals;
    expect([first?.churned.mean, first?.retained.mean, first?.ratio, first?.separated]).toEqual([3, 0.25, 12, false]);
    expect(first?.sentence).toBe(
      "churned Gold customers filed 12.0x more complaints in their last 90 days (3 per customer vs 0.25 per customer; 3 of 3 vs 1 of 4 retained)",
    );
    expect(r.unavailable).toEqual([
      { signal: "categories", reason: "the store has no order lines" },
      { signal: "launched_products", reason: "no product has a launch date (products.launched_at)" },
      { signal: "stopped_products", reason: "the store has no order lines" },
    ]);
  });

  it("words a signal that is zero in one group, and equal groups, without a ratio", async () => {
    const r = await report(engine, { scheme: "s", tier: "Gold" });
    const by = Object.fromEntries(r.signals.map((s) => [s.signal, s]));
    expect(by["unfounded_complaints"]?.ratio).toBeNull();
    expect(by["unfounded_complaints"]?.sentence).toBe(
      "churned Gold customers filed unfounded complaints in their last 90 days (1 of 3, 0.33 per customer); none of the 4 retained ones did",
    );
    expect(by["service_interactions"]?.sentence).toBe(
      "none of the 3 churned Gold customers had service interactions in their last 90 days; 1 of 4 retained ones did (0.25 per customer)",
    );
    // to the nearest millionth
    expect([by["discount_share"]?.churned.mean, by["discount_share"]?.ratio]).toEqual([0.166667, 1]);
    expect(by["discount_share"]?.sentence).toBe(
      "churned Gold customers got about the same discount share as retained ones in their last 90 days (16.7% vs 16.7%; 3 of 3 vs 4 of 4 retained)",
    );
    expect(JSON.stringify(r)).not.toMatch(/NaN|Infinity/);
  });

  it("takes a shorter window: facts before it no longer count", async () => {
    // 30 days: C1 keeps 2024-11-10 (window 2024-11-02 .. 12-01), C2 2024-11-05, C3 2024-11-25; R1 none (2025-05-01 is out)
    const r = await report(engine, { scheme: "s", tier: "Gold", days: 30 });
    const complaints = r.signals.find((s) => s.signal === "complaints");
    expect([complaints?.churned.withSignal, complaints?.retained.withSignal, complaints?.separated]).toEqual([
      3,
      0,
      true,
    ]);
    expect(r.signals[0]?.signal).toBe("complaints");
    expect(complaints?.sentence).toBe(
      "churned Gold customers filed complaints in their last 30 days (3 of 3, 1 per customer); none of the 4 retained ones did",
    );
  });

  it("does not investigate the lowest tier", async () => {
    const r = await investigateChurn(engine, { scheme: "s", tier: "Rest" });
    expect(r).toEqual({
      kind: "lowest-tier",
      scheme: "s",
      tier: "Rest",
      runId: 1,
      asOf: "2025-07-01",
      locale: "en-US",
      currency: "EUR",
      message: "Rest is the lowest tier of s: a churned Rest customer is no real loss and triggers no investigation",
    });
  });

  it("defaults to the first customer scheme and its top tier, and refuses unknown schemes, tiers and runs", async () => {
    expect((await report(engine, {})).tier).toBe("Gold");
    await expect(investigateChurn(engine, { scheme: "z" })).rejects.toMatchObject({
      code: "UNKNOWN_SCHEME",
      hint: "did you mean s?",
    });
    await expect(investigateChurn(engine, { scheme: "s", tier: "Gld" })).rejects.toMatchObject({
      code: "UNKNOWN_TIER",
      hint: "did you mean Gold?",
    });
    await expect(investigateChurn(engine, { scheme: "s", run: 7 })).rejects.toMatchObject({ code: "RUN_NOT_FOUND" });
    await expect(investigateChurn(engine, { scheme: "s", days: 0 })).rejects.toMatchObject({ code: "INVALID_OPTION" });
  });
});

describe("churn investigation: products and categories", () => {
  it("counts categories, newly launched products bought and products stopped buying", async () => {
    const engine = await memoryStore();
    try {
      // C turned (last order 2024-12-01): prior period 2024-06-05 .. 09-02, window 2024-09-03 .. 12-01
      // R retained: prior period 2025-01-02 .. 04-01, window 2025-04-02 .. 06-30
      const line = (order: string, no: number, product: string) => ({
        order_id: order,
        line_no: no,
        product_id: product,
      });
      const order = (id: string, customer: string, day: string) => ({
        order_id: id,
        customer_id: customer,
        ordered_at: `${day} 12:00:00`,
        amount: 600,
        status: "completed",
      });
      await seed(engine, {
        products: [
          { product_id: "A", category: "tea" },
          { product_id: "B", category: "tea" },
          // launched inside C's window; N inside R's window
          { product_id: "L", category: "cups", launched_at: "2024-10-01 00:00:00" },
          { product_id: "N", category: "pots", launched_at: "2025-05-01 00:00:00" },
        ],
        customers: [{ customer_id: "C" }, { customer_id: "R" }, { customer_id: "S" }],
        orders: [
          order("c1", "C", "2024-08-01"),
          order("c2", "C", "2024-10-15"),
          order("c3", "C", "2024-12-01"),
          order("r1", "R", "2025-03-01"),
          order("r2", "R", "2025-05-10"),
          order("s1", "S", "2025-04-20"),
          order("s2", "S", "2025-06-20"),
        ],
        order_lines: [
          line("c1", 1, "A"),
          line("c1", 2, "B"),
          line("c2", 1, "L"),
          line("c3", 1, "L"),
          line("r1", 1, "A"),
          line("r2", 1, "A"),
          line("r2", 2, "N"),
          line("s1", 1, "B"),
          line("s2", 1, "B"),
        ],
      });
      await grade(engine, { file: await policyFile(GOLD_POLICY) }, "2025-07-01");
      const r = await report(engine, { scheme: "s", tier: "Gold" });
      expect([r.churned, r.retained]).toEqual([1, 2]);
      const by = Object.fromEntries(
        r.signals.map((s) => [
          s.signal,
          [s.churned.mean, s.retained.mean, s.churned.withSignal, s.retained.withSignal],
        ]),
      );
      expect(by).toMatchObject({
        // C: cups; R: tea and pots; S: tea
        categories: [1, 1.5, 1, 2],
        // C: L; R: N; S: none
        launched_products: [1, 0.5, 1, 1],
        // C: A and B stopped; R kept A; S kept B
        stopped_products: [2, 0, 1, 0],
      });
      expect(r.unavailable).toEqual([
        { signal: "complaints", reason: "the store has no interactions" },
        { signal: "unfounded_complaints", reason: "the store has no interactions" },
        { signal: "discount_share", reason: "no order records a discount" },
        { signal: "service_interactions", reason: "the store has no interactions" },
      ]);
    } finally {
      await engine.close();
    }
  });
});

import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { PRESETS_DIR } from "../../../src/policy/load-policy.js";
import { type FixtureRow, gradeFixture, policyFile, rules, tiers } from "../support.js";

/**
 * value-grades (docs/schemes.md §3): net spend over the 12 months before as-of
 * 2026-01-01, i.e. completed orders from 2025-01-01 00:00 up to but not
 * including 2026-01-01 00:00. VIP >= 100,000; Gold >= 50,000; Silver >=
 * 20,000; Regular > 0; Potential: nothing spent.
 */
const PRESET = { presets: ["value-grades"] };

const order = (id: string, customer: string, at: string, amount: number, status = "completed"): FixtureRow => ({
  order_id: id,
  customer_id: customer,
  ordered_at: at,
  amount,
  status,
});

const customers = (...ids: string[]): FixtureRow[] => ids.map((customer_id) => ({ customer_id }));

describe("value-grades preset", () => {
  it("grades every threshold exactly, to the cent", async () => {
    const { grades } = await gradeFixture(
      {
        customers: customers(
          "vip-exact",
          "gold-cent-under",
          "gold-two-orders",
          "gold-exact",
          "silver-cent-under",
          "silver-exact",
          "regular-cent-under",
          "regular-one-cent",
          "potential-zero",
          "no-orders",
        ),
        orders: [
          order("o1", "vip-exact", "2025-06-01 12:00:00", 100000), // exactly 100,000 → VIP (>=)
          order("o2", "gold-cent-under", "2025-06-01 12:00:00", 99999.99), // one cent under → Gold
          order("o3", "gold-two-orders", "2025-02-01 12:00:00", 60000), // 60,000 + 39,999.99 = 99,999.99 → Gold
          order("o4", "gold-two-orders", "2025-11-01 12:00:00", 39999.99),
          order("o5", "gold-exact", "2025-06-01 12:00:00", 50000), // exactly 50,000 → Gold
          order("o6", "silver-cent-under", "2025-06-01 12:00:00", 49999.99), // → Silver
          order("o7", "silver-exact", "2025-06-01 12:00:00", 20000), // exactly 20,000 → Silver
          order("o8", "regular-cent-under", "2025-06-01 12:00:00", 19999.99), // → Regular
          order("o9", "regular-one-cent", "2025-06-01 12:00:00", 0.01), // > 0 → Regular
          order("o10", "potential-zero", "2025-06-01 12:00:00", 0), // spend 0 is not > 0 → Potential
          // no-orders: nothing at all → Potential
        ],
      },
      PRESET,
    );
    expect(tiers(grades)).toEqual({
      "vip-exact": "VIP",
      "gold-cent-under": "Gold",
      "gold-two-orders": "Gold",
      "gold-exact": "Gold",
      "silver-cent-under": "Silver",
      "silver-exact": "Silver",
      "regular-cent-under": "Regular",
      "regular-one-cent": "Regular",
      "potential-zero": "Potential",
      "no-orders": "Potential",
    });
    // The score is the metric value; money is exact decimal, not float noise.
    expect(grades.get("gold-two-orders")?.score).toBe(99999.99);
    expect(grades.get("vip-exact")?.score).toBe(100000);
    expect(grades.get("no-orders")?.score).toBe(0);
    expect(new Set(Object.values(rules(grades)))).toEqual(new Set(["thresholds"]));
  });

  it("counts an order on the window's first day, not one the day before nor one on as-of", async () => {
    const { grades } = await gradeFixture(
      {
        customers: customers("first-day", "day-before", "on-as-of", "last-second", "first-second"),
        orders: [
          order("a", "first-day", "2025-01-01 00:00:00", 100000), // first instant of the window → VIP
          order("b", "day-before", "2024-12-31 23:59:59", 100000), // last second before the window → Potential
          order("c", "on-as-of", "2026-01-01 00:00:00", 100000), // on as-of: not counted → Potential
          order("d", "last-second", "2025-12-31 23:59:59", 20000), // last second of the window → Silver
          order("e", "first-second", "2025-01-01 12:00:00", 50000), // midday of the first day → Gold
        ],
      },
      PRESET,
    );
    expect(tiers(grades)).toEqual({
      "first-day": "VIP",
      "day-before": "Potential",
      "on-as-of": "Potential",
      "last-second": "Silver",
      "first-second": "Gold",
    });
  });

  it("counts only completed orders: returned and cancelled add nothing", async () => {
    const { grades } = await gradeFixture(
      {
        customers: customers("returns", "cancels", "mixed"),
        orders: [
          order("r1", "returns", "2025-05-01", 150000, "returned"), // refunded in full → Potential
          order("c1", "cancels", "2025-05-01", 150000, "cancelled"), // never happened → Potential
          order("m1", "mixed", "2025-05-01", 150000, "returned"), // only the completed 10 counts → Regular
          order("m2", "mixed", "2025-05-02", 150000, "cancelled"),
          order("m3", "mixed", "2025-05-03", 10),
        ],
      },
      PRESET,
    );
    expect(tiers(grades)).toEqual({ returns: "Potential", cancels: "Potential", mixed: "Regular" });
    expect(grades.get("mixed")?.score).toBe(10);
  });

  it("grades only customers known at as-of", async () => {
    const { grades, result } = await gradeFixture(
      {
        customers: [
          { customer_id: "known", created_at: "2025-12-31 23:00:00" },
          { customer_id: "undated" }, // no creation date: known
          { customer_id: "later", created_at: "2026-01-01 00:00:00" }, // created on as-of: not yet a customer
        ],
        orders: [order("k", "known", "2025-12-31 23:30:00", 25000)],
      },
      PRESET,
    );
    expect(tiers(grades)).toEqual({ known: "Silver", undated: "Potential" });
    expect(result.schemes[0]?.graded).toBe(2);
    expect(result.schemes[0]?.outOfScope).toBe(0);
  });

  it("reports each grade's share of customers and of revenue", async () => {
    // 10 customers, 200,000 of revenue: one VIP with 100,000 (10% of customers, 50% of revenue),
    // two Gold with 50,000 each, seven Potential.
    const ids = Array.from({ length: 10 }, (_, i) => `c${i}`);
    const { result } = await gradeFixture(
      {
        customers: customers(...ids),
        orders: [
          order("v", "c0", "2025-03-01", 100000),
          order("g1", "c1", "2025-03-01", 50000),
          order("g2", "c2", "2025-03-01", 50000),
        ],
      },
      PRESET,
    );
    const byTier = Object.fromEntries(
      (result.schemes[0]?.tiers ?? []).map((t) => [t.tier, [t.entities, t.share, t.revenue, t.revenueShare]]),
    );
    expect(byTier).toEqual({
      VIP: [1, 0.1, 100000, 0.5],
      Gold: [2, 0.2, 100000, 0.5],
      Silver: [0, 0, 0, 0],
      Regular: [0, 0, 0, 0],
      Potential: [7, 0.7, 0, 0],
    });
  });

  it("rescales every threshold with scale: 0.01 (VIP >= 1,000)", async () => {
    const preset = await readFile(`${PRESETS_DIR}value-grades.yaml`, "utf8");
    const text = preset.replace(/^scale: 1 /m, "scale: 0.01 ");
    expect(text).not.toBe(preset);
    const file = await policyFile(text);
    const { grades } = await gradeFixture(
      {
        customers: customers("vip", "gold-cent-under", "gold", "silver-cent-under", "silver", "regular", "potential"),
        orders: [
          order("a", "vip", "2025-06-01", 1000), // 100,000 x 0.01 → VIP
          order("b", "gold-cent-under", "2025-06-01", 999.99), // → Gold
          order("c", "gold", "2025-06-01", 500), // 50,000 x 0.01 → Gold
          order("d", "silver-cent-under", "2025-06-01", 499.99), // → Silver
          order("e", "silver", "2025-06-01", 200), // 20,000 x 0.01 → Silver
          order("f", "regular", "2025-06-01", 199.99), // → Regular
        ],
      },
      { file },
    );
    expect(tiers(grades)).toEqual({
      vip: "VIP",
      "gold-cent-under": "Gold",
      gold: "Gold",
      "silver-cent-under": "Silver",
      silver: "Silver",
      regular: "Regular",
      potential: "Potential",
    });
  });
});

describe("overrides on value-grades", () => {
  // Natural grades: low → Regular (5,000), high → VIP (120,000).
  const base = (ids: string[]) => ({
    customers: customers(...ids),
    orders: ids.map((id, i) => order(`o${i}`, id, "2025-06-01", id.startsWith("high") ? 120000 : 5000)),
  });
  const override = (id: number, entity: string, tier: string, mode: string, extra: FixtureRow = {}): FixtureRow => ({
    override_id: id,
    scheme: "value-grades",
    entity_id: entity,
    tier,
    mode,
    ...extra,
  });

  it("applies fixed, floor and ceiling, keeping the natural tier", async () => {
    const ids = ["low-fixed", "low-floor", "high-floor", "high-ceiling", "low-ceiling", "high-fixed-down"];
    const { grades } = await gradeFixture(
      {
        ...base(ids),
        tw_overrides: [
          override(1, "low-fixed", "VIP", "fixed"), // fixed: Regular → VIP
          override(2, "low-floor", "Gold", "floor"), // floor Gold: Regular rises to Gold
          override(3, "high-floor", "Gold", "floor"), // floor Gold: VIP stays VIP (above the floor)
          override(4, "high-ceiling", "Silver", "ceiling"), // ceiling Silver: VIP falls to Silver
          override(5, "low-ceiling", "Gold", "ceiling"), // ceiling Gold: Regular stays Regular
          override(6, "high-fixed-down", "Potential", "fixed"), // fixed works downwards too
        ],
      },
      PRESET,
    );
    const view = Object.fromEntries([...grades].map(([id, g]) => [id, [g.tier, g.rule_id, g.natural_tier]]));
    expect(view).toEqual({
      "low-fixed": ["VIP", "override:fixed", "Regular"],
      "low-floor": ["Gold", "override:floor", "Regular"],
      "high-floor": ["VIP", "thresholds", "VIP"],
      "high-ceiling": ["Silver", "override:ceiling", "VIP"],
      "low-ceiling": ["Regular", "thresholds", "Regular"],
      "high-fixed-down": ["Potential", "override:fixed", "VIP"],
    });
    // The score stays the natural metric value.
    expect(grades.get("low-fixed")?.score).toBe(5000);
  });

  it("ignores expired, removed, other-scheme and unknown-tier overrides", async () => {
    const ids = ["low-expired", "low-expires-on-as-of", "low-expires-tomorrow", "low-removed", "low-other", "low-bad"];
    const { grades } = await gradeFixture(
      {
        ...base(ids),
        tw_overrides: [
          override(1, "low-expired", "VIP", "fixed", { expires_at: "2025-12-31" }), // expired before as-of
          override(2, "low-expires-on-as-of", "VIP", "fixed", { expires_at: "2026-01-01" }), // no longer in force on as-of
          override(3, "low-expires-tomorrow", "VIP", "fixed", { expires_at: "2026-01-02" }), // still in force
          override(4, "low-removed", "VIP", "fixed", { removed_at: "2025-07-01 00:00:00", removed_by: "boss" }),
          { ...override(5, "low-other", "VIP", "fixed"), scheme: "abc" }, // another scheme's override
          override(6, "low-bad", "Platinum", "fixed"), // names a tier the scheme does not have
        ],
      },
      PRESET,
    );
    const view = Object.fromEntries([...grades].map(([id, g]) => [id, [g.tier, g.rule_id]]));
    expect(view).toEqual({
      "low-expired": ["Regular", "thresholds"],
      "low-expires-on-as-of": ["Regular", "thresholds"],
      "low-expires-tomorrow": ["VIP", "override:fixed"],
      "low-removed": ["Regular", "thresholds"],
      "low-other": ["Regular", "thresholds"],
      "low-bad": ["Regular", "thresholds"],
    });
  });
});

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine, Row } from "../../src/engine/engine.js";
import { TierwiseError, UsageError } from "../../src/errors/index.js";
import { generateDataset } from "../../src/generate/index.js";
import { ingestDirectory } from "../../src/ingest/ingest.js";
import { type LoadedPolicy, loadPolicy } from "../../src/policy/load-policy.js";
import { backfill, backfillDates } from "../../src/run/backfill.js";
import { type RunResult, run } from "../../src/run/run.js";
import { ident, raw, sql } from "../../src/sql/fragment.js";
import { records } from "../../src/sql/index.js";
import { removeDir, tempDir } from "../generate/dataset.js";
import { rawRows } from "../support/raw-rows.js";
import { assignments, completedOrders, memoryStore, policyFile, seed } from "./support.js";

/** Three customers whose 12-month spend moves across the value-grades thresholds during 2025. */
const FIXTURE = {
  customers: [
    { customer_id: "C1", name: "Ana", kind: "b2c" },
    { customer_id: "C2", name: "Bea", kind: "b2b" },
    { customer_id: "C3", name: "Cy", kind: "b2c", created_at: "2025-04-15 00:00:00" },
  ],
  orders: [
    ...completedOrders("C1", [
      ["2024-03-10", 60000],
      ["2025-02-10", 50000],
    ]),
    ...completedOrders("C2", [
      ["2025-01-05", 20000],
      ["2025-03-20", 30000],
      ["2025-05-02", 60000],
    ]),
    ...completedOrders("C3", [["2025-04-20", 25000]]),
  ],
};

describe("backfillDates", () => {
  it("steps months from --from, clamped to month ends", () => {
    expect(backfillDates("2025-01-31", "2025-06-30", "month")).toEqual([
      "2025-01-31",
      "2025-02-28",
      "2025-03-31",
      "2025-04-30",
      "2025-05-31",
      "2025-06-30",
    ]);
    expect(backfillDates("2024-01-31", "2024-03-30", "month")).toEqual(["2024-01-31", "2024-02-29"]);
  });

  it("steps quarters and weeks, never past --to", () => {
    expect(backfillDates("2024-11-30", "2025-12-31", "quarter")).toEqual([
      "2024-11-30",
      "2025-02-28",
      "2025-05-30",
      "2025-08-30",
      "2025-11-30",
    ]);
    expect(backfillDates("2025-12-22", "2026-01-11", "week")).toEqual(["2025-12-22", "2025-12-29", "2026-01-05"]);
    expect(backfillDates("2026-01-01", "2026-01-01", "month")).toEqual(["2026-01-01"]);
  });

  it("rejects bad options with usage errors", () => {
    expect(() => backfillDates("2025-06-01", "2025-01-01", "month")).toThrow(UsageError);
    expect(() => backfillDates("2025-06-01", "2025-01-01", "month")).toThrow(/after --to/);
    expect(() => backfillDates("2025-01-01", "2025-06-01", "day")).toThrow(/week, month or quarter/);
    expect(() => backfillDates("2015-01-01", "2025-12-31", "week")).toThrow(/more than 520/);
    expect(() => backfillDates("2025-02-30", "2025-06-01", "month")).toThrow(UsageError);
    expect(backfillDates("2016-01-04", "2025-12-21", "week")).toHaveLength(520);
  });
});

describe("backfill", () => {
  it("writes one snapshot per month, oldest first, equal to separate runs at those dates", async () => {
    const engine = await memoryStore();
    try {
      await seed(engine, FIXTURE);
      const policy = await loadPolicy({ presets: ["value-grades", "rfm"] });
      const seen: string[] = [];
      const result = await backfill(engine, policy, {
        from: "2025-01-31",
        to: "2025-06-30",
        every: "month",
        onProgress: (p) => {
          if (seen.at(-1) !== p.asOf) seen.push(p.asOf);
        },
      });
      const dates = ["2025-01-31", "2025-02-28", "2025-03-31", "2025-04-30", "2025-05-31", "2025-06-30"];
      expect(result.runs.map((r) => r.asOf)).toEqual(dates);
      expect(result.runs.map((r) => r.runId)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(seen).toEqual(dates);
      for (const r of result.runs) {
        const separate = await run(engine, policy, { asOf: r.asOf });
        expect(await assignments(engine, r.runId)).toEqual(await assignments(engine, separate.runId));
        expect(r.schemes).toEqual(separate.schemes);
      }
      const tiersAt = async (runId: number) =>
        Object.fromEntries(
          [...((await assignments(engine, runId)).get("value-grades") ?? [])].map(([id, g]) => [id, g.tier]),
        );
      expect(await tiersAt(1)).toEqual({ C1: "Gold", C2: "Silver" }); // C3 not yet a customer
      expect(await tiersAt(2)).toEqual({ C1: "VIP", C2: "Silver" });
      expect(await tiersAt(3)).toEqual({ C1: "Gold", C2: "Gold" }); // C1's 2024-03-10 order left the window
      expect(await tiersAt(6)).toEqual({ C1: "Gold", C2: "VIP", C3: "Silver" });
    } finally {
      await engine.close();
    }
  });

  it("keeps the snapshots written before a failure and names the date that failed", async () => {
    const engine = await memoryStore();
    try {
      await seed(engine, FIXTURE);
      const policy = await loadPolicy({ presets: ["value-grades"] });
      const error = await backfill(engine, policy, {
        from: "2025-01-31",
        to: "2025-06-30",
        every: "month",
        failAt: { asOf: "2025-03-31", step: "writing snapshot" },
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TierwiseError);
      expect((error as TierwiseError).code).toBe("BACKFILL_FAILED");
      expect((error as TierwiseError).message).toMatch(/stopped at as-of 2025-03-31.*2 of 6 snapshots were written/);
      const runs = await engine.query(
        rawRows<{ as_of: string }>(
          sql`SELECT CAST(as_of AS VARCHAR) AS as_of FROM ${ident("tw_runs")} ORDER BY run_id`,
        ),
      );
      expect(runs.map((r) => String(r.as_of).slice(0, 10))).toEqual(["2025-01-31", "2025-02-28"]);
    } finally {
      await engine.close();
    }
  });
});

const EVERY_KIND = fileURLToPath(new URL("./fixtures/every-kind.yaml", import.meta.url));

/**
 * Scores that are the facts themselves (a thresholds score is its metric's
 * value), so any difference in them shows: line and category facts, and
 * order and interaction counts, sums, first and last orders over windows
 * longer and shorter than the backfill's step.
 */
const FACT_SCORES = `version: 1
currency: EUR
scale: 1
time_zone: Europe/Berlin
metrics:
  line_qty: sum(order_lines.quantity, 2 months, quantity > 1)
schemes:
${[
  ["recent-categories", "categories(3 months)"],
  ["new-categories", "new_categories(1 month) * 100 + categories(lifetime)"],
  ["line-quantity", "line_qty"],
  ["spend-year", "spend(12 months)"],
  ["spend-month", "spend(1 month)"],
  ["orders-week", "orders(7 days) * 1000 + orders(lifetime)"],
  ["returns", "return_rate(24 months)"],
  ["recency", "recency"],
  ["tenure", "tenure"],
  ["contribution", "contribution(3 months)"],
  ["complaints", "complaints(10 days) * 1000 + referrals(2 months)"],
  ["discounts", "discount_share(6 months)"],
]
  .map(
    ([name, metric]) =>
      `  - { name: ${name}, kind: thresholds, metric: "${metric}", tiers: [{ name: High, min: 1 }, { name: Low }] }`,
  )
  .join("\n")}
`;

/**
 * Everything a snapshot writes, in a stable order: grades, the run's names,
 * the run row (but its times) and the outbox events (but their creation time).
 */
async function written(engine: Engine): Promise<Record<string, Row[]>> {
  const read = (table: string, columns: string, order: string) =>
    engine.query(records(sql`SELECT ${raw(columns)} FROM ${ident(table)} ORDER BY ${raw(order)}`));
  return {
    grades: await read(
      "tw_grades",
      `run_id, scheme_no, entity_id, tier_rank, score, rule_no, natural_rank, flags, revenue, qualified_rank, pending_rank,
      life_state, CAST(due_on AS VARCHAR) AS due_on, CAST(entered_on AS VARCHAR) AS entered_on, below_count,
      CAST(below_since AS VARCHAR) AS below_since`,
      "run_id, scheme_no, entity_id",
    ),
    schemes: await read("tw_run_schemes", "*", "run_id, scheme_no"),
    tiers: await read("tw_run_tiers", "*", "run_id, scheme_no, tier_rank"),
    rules: await read("tw_run_rules", "*", "run_id, scheme_no, rule_no"),
    runs: await read(
      "tw_runs",
      "run_id, CAST(as_of AS VARCHAR) AS as_of, policy_hash, policy_text, data_fingerprint, engine, summary",
      "run_id",
    ),
    events: await read(
      "tw_events",
      "event_id, run_id, CAST(as_of AS VARCHAR) AS as_of, scheme, entity_id, from_tier, to_tier, kind, idempotency_key",
      "event_id",
    ),
  };
}

describe("backfill equals separate runs", () => {
  let dir = "";
  const stores: Engine[] = [];

  /** A generated business (orders, lines, invoices, interactions, leads), with edge rows and overrides. */
  async function store(): Promise<Engine> {
    const engine = await memoryStore();
    stores.push(engine);
    await ingestDirectory(engine, { dir: join(dir, "data"), rejectsPath: join(dir, `${stores.length}.rejects.csv`) });
    await seed(engine, {
      // Orders and lines exactly at as-of instants (UTC and Europe/Berlin midnight): excluded at that date, counted after.
      orders: [
        ...completedOrders("C0000001", [
          ["2025-02-28 00:00:00", 900],
          ["2025-03-30 22:00:00", 50],
          ["2023-06-01 10:00:00", 70],
        ]),
      ],
      order_lines: [
        { order_id: "C0000001-o1", line_no: 1, category: "edge-a", quantity: 3, amount: 900 },
        { order_id: "C0000001-o2", line_no: 1, category: "edge-b", quantity: 2, amount: 50 },
        { order_id: "C0000001-o3", line_no: 1, category: "edge-b", quantity: 1, amount: 70 },
      ],
      tw_overrides: [
        {
          override_id: 1,
          scheme: "value-grades",
          entity_id: "C0000001",
          tier: "VIP",
          mode: "fixed",
          expires_at: "2025-03-15",
        },
        { override_id: 2, scheme: "odd-rules", entity_id: "C0000002", tier: "Watch", mode: "floor" },
      ],
    });
    return engine;
  }

  beforeAll(async () => {
    dir = await tempDir("backfill");
    await generateDataset({
      outDir: join(dir, "data"),
      customers: 150,
      seed: 5,
      format: "csv",
      asOf: "2026-01-01",
      threads: 1,
    });
  });

  afterAll(async () => {
    for (const engine of stores) await engine.close();
    if (dir) await removeDir(dir);
  });

  const policies: [string, () => Promise<LoadedPolicy>][] = [
    ["all presets", () => loadPolicy({ presets: ["all"] })],
    ["every scheme kind, custom line aggregates, Europe/Berlin", () => loadPolicy({ file: EVERY_KIND })],
    ["facts as scores", async () => loadPolicy({ file: await policyFile(FACT_SCORES) })],
    [
      "first-category facts only (no last_at read), UTC",
      async () =>
        loadPolicy({
          file: await policyFile(`version: 1
currency: EUR
scale: 1
time_zone: UTC
schemes:
  - name: new-categories
    kind: thresholds
    metric: new_categories(1 month) * 10000 + new_categories(12 months) * 100 + new_categories(lifetime)
    tiers: [{ name: New, min: 10000 }, { name: Old }]
`),
        }),
    ],
  ];

  policies.push([
    "lifecycle rules, calendar windows and CLV metrics, Europe/Berlin",
    async () =>
      loadPolicy({
        file: await policyFile(`version: 1
currency: EUR
scale: 1
time_zone: Europe/Berlin
clv: { time_unit: week, margin: 0.4 }
schemes:
  - name: loyalty
    kind: thresholds
    metric: spend(calendar_quarter)
    tiers: [{ name: Gold, min: 150, keep: 60 }, { name: Silver, min: 30, keep: 10 }, { name: Member }]
    lifecycle: { downgrade: after 2 evaluations, grace_days: 20, upgrade: next period, period: quarter }
  - name: calendar-orders
    kind: thresholds
    metric: "orders(calendar_year) * 10000 + orders(calendar_quarter) * 100 + orders(calendar_month)"
    tiers: [{ name: High, min: 1 }, { name: Low }]
  - name: alive
    kind: thresholds
    metric: "p_alive * 1000 + expected_orders(90 days) + clv(6 months) / 1000000"
    tiers: [{ name: Likely, min: 500 }, { name: Unlikely }]
`),
      }),
  ]);

  /** Backfill one store, run each date separately on another, and compare everything written. */
  async function expectSameAsRuns(policy: LoadedPolicy, from: string, to: string, every: "week" | "month" | "quarter") {
    const batched = await store();
    const separate = await store();
    const result = await backfill(batched, policy, { from, to, every });
    const dates = backfillDates(from, to, every);
    expect(result.runs.map((r) => r.asOf)).toEqual(dates);
    const runs: RunResult[] = [];
    for (const asOf of dates) runs.push(await run(separate, policy, { asOf }));
    const strip = (r: RunResult) => ({ ...r, durationMs: 0 });
    expect(result.runs.map(strip)).toEqual(runs.map(strip));
    const [a, b] = [await written(batched), await written(separate)];
    expect(a["events"]?.length).toBeGreaterThan(0);
    expect(a["grades"]?.length).toBeGreaterThan(dates.length * 100);
    for (const key of Object.keys(b)) expect({ [key]: a[key] }).toEqual({ [key]: b[key] });
    return { result, grades: a["grades"] ?? [] };
  }

  it.each(policies)(
    "%s: the same grades, names, summaries and events as a run at each date",
    async (label, load) => {
      const { result, grades } = await expectSameAsRuns(await load(), "2024-12-31", "2025-05-31", "month");
      if (label.startsWith("lifecycle")) {
        // The model was fitted at every date (the small fixture leaves it weakly identified, which the runs
        // say), and the lifecycle held some tiers against the rules.
        const warnings = result.runs.flatMap((r) => r.warnings);
        expect(warnings.filter((w) => !w.includes("is weakly identified:"))).toEqual([]);
        expect(grades.some((g) => g["life_state"] === "retained" || g["life_state"] === "downgrade-pending")).toBe(
          true,
        );
        expect(grades.some((g) => g["life_state"] === "upgrade-pending")).toBe(true);
      }
    },
    120_000,
  );

  it.each(["week", "quarter"] as const)(
    "facts as scores, every %s: rolled windows shorter and longer than the step",
    async (every) => {
      const policy = await loadPolicy({ file: await policyFile(FACT_SCORES) });
      await expectSameAsRuns(policy, every === "week" ? "2025-02-10" : "2024-08-31", "2025-04-30", every);
    },
    120_000,
  );
});

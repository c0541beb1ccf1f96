import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { events } from "../../../src/delivery/events.js";
import { webhookBody } from "../../../src/delivery/webhook-body.js";
import type { Engine } from "../../../src/engine/engine.js";
import { loadPolicy } from "../../../src/policy/load-policy.js";
import { run } from "../../../src/run/run.js";
import { completedOrders, memoryStore, policyFile, seed } from "../support.js";

/**
 * Notice events (`notices:`), hand-checked on both engines. spend(1 months),
 * monthly runs 2026-01-01, 02-01, 03-01 (the first is the baseline: no events).
 * `club`: Gold ≥ 500 kept ≥ 400, Silver ≥ 200, Member; 45 days' grace;
 * notices within 100 and on a pending downgrade. `pct`: Gold ≥ 500, Silver
 * > 200, Member; notices within 10 % of the next bound (50 below Gold, 20
 * below Silver). Values (the month before each run):
 *   A 100, 400, 400       club: Silver exactly 100 below Gold → notice at run 2 only
 *   B 100, 399.99, 399.99  club: 100.01 below → none
 *   C 600, 300, 300       club: Gold kept, downgrade to Silver pending (due 2026-03-18) → once
 *   E 100, 450, 480       club and pct (exactly 50 = 10 %): notice at run 2, not again at run 3
 *   F 100, 180, 100       club: within 100 of Silver already at run 1 (exactly 100) → none;
 *                         pct: exactly 20 below Silver's `above` at run 2 → a notice
 *   G 100, 100, 450       club: within 100 of Silver at runs 1 and 2 (not new) → Gold at run 3
 *   Z 5, 0, 0             `zero` (Buyer > 0): at 0 from run 2, but 10 % of a bound of 0 is no distance → no notice
 */
const POLICY = `version: 1
currency: EUR
schemes:
  - name: club
    kind: thresholds
    metric: spend(1 months)
    tiers:
      - { name: Gold, min: 500, keep: 400 }
      - { name: Silver, min: 200 }
      - { name: Member }
    lifecycle: { grace_days: 45 }
    notices: { upgrade_within: 100, downgrade_pending: true }
  - name: pct
    kind: thresholds
    metric: spend(1 months)
    tiers:
      - { name: Gold, min: 500 }
      - { name: Silver, above: 200 }
      - { name: Member }
    notices: { upgrade_within: 10% }
  - name: zero
    kind: thresholds
    metric: spend(1 months)
    tiers:
      - { name: Buyer, above: 0 }
      - { name: Nobody }
    notices: { upgrade_within: 10% }
`;
const RUNS = ["2026-01-01", "2026-02-01", "2026-03-01"];
const VALUES: Record<string, number[]> = {
  A: [100, 400, 400],
  B: [100, 399.99, 399.99],
  C: [600, 300, 300],
  E: [100, 450, 480],
  F: [100, 180, 100],
  G: [100, 100, 450],
  Z: [5, 0, 0],
};

describe("notice events: upgrade approaching, downgrade pending", () => {
  let engine: Engine;
  const runIds: number[] = [];
  beforeAll(async () => {
    engine = await memoryStore();
    const orders = Object.entries(VALUES).flatMap(([id, values]) =>
      completedOrders(
        id,
        values.map((v, k) => {
          const [y, m] = (RUNS[k] as string).split("-").map(Number) as [number, number];
          const before = m === 1 ? `${y - 1}-12-15` : `${y}-${String(m - 1).padStart(2, "0")}-15`;
          return [`${before} 12:00:00`, v] as const;
        }),
      ),
    );
    await seed(engine, { customers: Object.keys(VALUES).map((customer_id) => ({ customer_id })), orders });
    const policy = await loadPolicy({ file: await policyFile(POLICY) });
    for (const asOf of RUNS) runIds.push((await run(engine, policy, { asOf })).runId);
  });
  afterAll(async () => {
    await engine?.close();
  });

  const notices = async () =>
    (await events(engine))
      .filter((e) => e.kind === "notice")
      .map((e) => ({
        run: runIds.indexOf(e.runId) + 1,
        scheme: e.scheme,
        id: e.entityId,
        notice: e.kind === "notice" ? e.notice : "",
        from: e.fromTier,
        to: e.toTier,
        reason: e.reason,
      }));

  it("writes each notice once, at the run where it becomes true, at every edge", async () => {
    expect(await notices()).toEqual([
      {
        run: 2,
        scheme: "club",
        id: "A",
        notice: "upgrade-approaching",
        from: "Silver",
        to: "Gold",
        reason: "upgrade approaching: within 100 of Gold",
      },
      {
        run: 2,
        scheme: "club",
        id: "E",
        notice: "upgrade-approaching",
        from: "Silver",
        to: "Gold",
        reason: "upgrade approaching: within 100 of Gold",
      },
      {
        run: 2,
        scheme: "club",
        id: "C",
        notice: "downgrade-pending",
        from: "Gold",
        to: "Silver",
        reason: "downgrade pending: due on 2026-03-18",
      },
      {
        run: 2,
        scheme: "pct",
        id: "E",
        notice: "upgrade-approaching",
        from: "Silver",
        to: "Gold",
        reason: "upgrade approaching: within 50 of Gold",
      },
      {
        run: 2,
        scheme: "pct",
        id: "F",
        notice: "upgrade-approaching",
        from: "Member",
        to: "Silver",
        reason: "upgrade approaching: within 20 of Silver",
      },
      {
        run: 3,
        scheme: "club",
        id: "G",
        notice: "upgrade-approaching",
        from: "Silver",
        to: "Gold",
        reason: "upgrade approaching: within 100 of Gold",
      },
      {
        run: 3,
        scheme: "pct",
        id: "G",
        notice: "upgrade-approaching",
        from: "Silver",
        to: "Gold",
        reason: "upgrade approaching: within 50 of Gold",
      },
    ]);
  });

  it("comes after the run's tier changes, with its own idempotency key and webhook type", async () => {
    const all = await events(engine);
    const run2 = all.filter((e) => e.runId === runIds[1]).map((e) => e.kind);
    expect(run2.indexOf("notice")).toBeGreaterThan(run2.lastIndexOf("tier_change"));
    const keys = all.map((e) => e.idempotencyKey);
    expect(new Set(keys).size).toBe(keys.length);
    const down = all.find((e) => e.kind === "notice" && e.notice === "downgrade-pending");
    expect(down && JSON.parse(webhookBody(down)).type).toBe("notice.downgrade_pending");
    const up = all.find((e) => e.kind === "notice" && e.notice === "upgrade-approaching");
    expect(up && JSON.parse(webhookBody(up)).type).toBe("notice.upgrade_approaching");
  });
});

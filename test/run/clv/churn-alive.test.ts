import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fitBgNbd, pAlive, summarise } from "../../../src/clv/index.js";
import type { Engine } from "../../../src/engine/engine.js";
import { churn } from "../../../src/insight/churn.js";
import { CDNOW_DIR } from "../../clv/cdnow.js";
import { grade, memoryStore, policyFile } from "../support.js";
import { ingestCdnowSample } from "./support.js";

/**
 * The churn definition's CLV criterion (docs/schemes.md §10: turned after
 * max(days, k × median gap) without an order, or once P(alive) < 0.3) on the
 * CDNOW sample as of 1998-07-01, against a plain re-implementation here:
 * purchase days from the raw file, BG/NBD fitted on them, and for every gap
 * between purchase days the smallest whole number of days after which
 * P(alive) is below 0.3, found by walking the days (not by the closed form the
 * SQL uses). DuckDB, and PostgreSQL in the postgres project.
 */
const AS_OF = "1998-07-01";
const DAY = 86_400_000;
const dayNo = (ymd: string) => Date.UTC(+ymd.slice(0, 4), +ymd.slice(4, 6) - 1, +ymd.slice(6, 8)) / DAY;
const iso = (n: number) => new Date(n * DAY).toISOString().slice(0, 10);

function purchaseDays(): Map<string, number[]> {
  const out = new Map<string, Set<number>>();
  for (const line of readFileSync(new URL("CDNOW_sample.txt", CDNOW_DIR), "utf8").split(/\r?\n/)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 5) continue;
    const id = String(Number(f[1]));
    const set = out.get(id) ?? new Set<number>();
    set.add(dayNo(f[2] as string));
    out.set(id, set);
  }
  return new Map([...out].map(([id, s]) => [id, [...s].sort((a, b) => a - b)]));
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length / 2;
  return s.length % 2 ? (s[Math.floor(m)] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/** Turn days per quarter [start, end) from 1997-01-01 to as-of, with or without the P(alive) criterion. */
function expectedTurns(withAlive: boolean): number[] {
  const days = purchaseDays();
  const end = dayNo("19980701");
  const fit = fitBgNbd(
    summarise(
      [...days.values()].map((d) => ({
        x: d.length - 1,
        tx: ((d.at(-1) as number) - (d[0] as number)) / 7,
        T: (end - 1 - (d[0] as number)) / 7,
      })),
    ),
  );
  const quarters = ["1997-01-01", "1997-04-01", "1997-07-01", "1997-10-01", "1998-01-01", "1998-04-01", "1998-07-01"];
  const counts = quarters.slice(1).map(() => 0);
  for (const d of days.values()) {
    const gaps = d.slice(1).map((v, i) => v - (d[i] as number));
    const daysRule = Math.ceil(gaps.length === 0 ? 180 : Math.max(180, 3 * median(gaps)));
    d.forEach((day, i) => {
      let threshold = daysRule;
      if (withAlive && i > 0) {
        const tx = (day - (d[0] as number)) / 7;
        let g = 1;
        while (g < threshold && pAlive(fit, i, tx, tx + g / 7) >= 0.3) g += 1;
        threshold = Math.min(threshold, g);
      }
      const next = d[i + 1];
      const turn = day + threshold;
      if ((next === undefined && turn <= end) || (next !== undefined && next - day > threshold)) {
        const q = quarters.findIndex((s, k) => k > 0 && iso(turn) < s) - 1;
        if (q >= 0) counts[q] = (counts[q] ?? 0) + 1;
      }
    });
  }
  return counts;
}

describe("churn with the P(alive) criterion", () => {
  const engines: Record<string, Engine> = {};
  beforeAll(async () => {
    for (const alive of ["off", "on"]) {
      const engine = await memoryStore();
      await ingestCdnowSample(engine);
      const churnBlock = alive === "on" ? "churn: { days: 180, k: 3, p_alive: 0.3 }" : "churn: { days: 180, k: 3 }";
      const file = await policyFile(`version: 1
time_zone: UTC
${churnBlock}
schemes:
  - name: all
    kind: thresholds
    metric: orders(lifetime)
    tiers: [{ name: Everyone, min: 0 }]
`);
      await grade(engine, { file }, AS_OF);
      engines[alive] = engine;
    }
  });
  afterAll(async () => {
    for (const e of Object.values(engines)) await e.close();
  });

  const turned = async (engine: Engine | undefined) => {
    if (!engine) throw new Error("no store");
    const report = await churn(engine, { scheme: "all", every: "quarter", from: "1997-01-01", to: AS_OF });
    return report.periods.map((p) => p.tiers.reduce((n, t) => n + t.turned, 0));
  };

  it("counts the same turns per quarter as a walk over the days", async () => {
    const off = await turned(engines["off"]);
    const on = await turned(engines["on"]);
    expect(off).toEqual(expectedTurns(false));
    expect(on).toEqual(expectedTurns(true));
    // The model turns repeat buyers who went quiet sooner than the days rule does.
    expect(on.reduce((a, b) => a + b, 0)).toBeGreaterThan(off.reduce((a, b) => a + b, 0));
  });
});

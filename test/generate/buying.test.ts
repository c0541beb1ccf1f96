import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FitResult, fitBgNbd, fitGammaGamma, summarise } from "../../src/clv/index.js";
import { TierwiseError } from "../../src/errors/index.js";
import { generateDataset, parseBuying, parseSpend } from "../../src/generate/index.js";
import { AS_OF, removeDir, tempDir } from "./dataset.js";

const DAY_MS = 86_400_000;

/** Weekly BTYD statistics of every buyer from orders.csv: same-day orders once, the first not a repeat. */
async function statistics(dir: string) {
  const text = await readFile(join(dir, "orders.csv"), "utf8");
  const days = new Map<string, Map<number, number>>();
  for (const line of text.split("\n").slice(1)) {
    const f = line.split(",");
    if (f.length < 8) continue;
    const day = Math.floor(Date.parse(f[2] as string) / DAY_MS);
    let c = days.get(f[1] as string);
    if (!c) {
      c = new Map();
      days.set(f[1] as string, c);
    }
    c.set(day, (c.get(day) ?? 0) + Number(f[3]));
  }
  const end = Date.parse(AS_OF) / DAY_MS;
  const rows: { x: number; tx: number; T: number; m: number }[] = [];
  for (const c of days.values()) {
    const sorted = [...c].sort((a, b) => a[0] - b[0]);
    const first = sorted[0] as [number, number];
    const last = sorted[sorted.length - 1] as [number, number];
    const repeats = sorted.slice(1);
    rows.push({
      x: repeats.length,
      tx: (last[0] - first[0]) / 7,
      T: (end - first[0]) / 7,
      m: repeats.length === 0 ? 0 : repeats.reduce((s, [, v]) => s + v, 0) / repeats.length,
    });
  }
  return rows;
}

function expectWithin<P extends object>(fit: FitResult<P>, truth: P, sigmas: number): void {
  for (const [k, v] of Object.entries(truth) as [keyof P & string, number][]) {
    const se = fit.standardErrors[k] ?? 0;
    expect(Math.abs((fit.params[k] as number) - v), `${k}: ${fit.params[k]} vs ${v} (se ${se})`).toBeLessThan(
      sigmas * se,
    );
  }
}

describe("generate --buying bgnbd --spend gamma-gamma", () => {
  let dir: string;
  let rows: { x: number; tx: number; T: number; m: number }[];
  const buying = parseBuying("bgnbd:r=0.25,alpha=4,a=0.8,b=2.5,unit=week");
  const spend = parseSpend("gamma-gamma:p=6,q=4,v=15");

  beforeAll(async () => {
    dir = await tempDir("buying");
    await generateDataset({ outDir: dir, customers: 20_000, seed: 5, asOf: AS_OF, buying, spend });
    rows = await statistics(dir);
  });
  afterAll(async () => {
    await removeDir(dir);
  });

  it("emits orders whose statistics give back the BG/NBD parameters", () => {
    expect(rows.length).toBeGreaterThan(15_000);
    const fit = fitBgNbd(summarise(rows));
    const { model: _m, unit: _u, ...truth } = buying;
    // Same-day orders merge and times are whole days, so allow a little beyond sampling error.
    expectWithin(fit, truth, 3.5);
  });

  it("emits order values that give back the Gamma-Gamma parameters", () => {
    const repeat = rows.filter((r) => r.x > 0);
    const fit = fitGammaGamma({
      x: Float64Array.from(repeat, (r) => r.x),
      m: Float64Array.from(repeat, (r) => r.m),
      weight: new Float64Array(repeat.length).fill(1),
    });
    const { model: _m, ...truth } = spend;
    expectWithin(fit, truth, 3.5);
  });

  it("rejects bad model specifications with INVALID_OPTION", () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof TierwiseError ? `${e.code}: ${e.message}` : String(e);
      }
      return "no error";
    };
    expect(code(() => parseBuying("bgnbd:r=0.25,alpha=4,a=0.8"))).toMatch(/^INVALID_OPTION: .*missing b/);
    expect(code(() => parseBuying("bgnbd:r=-1,alpha=4,a=0.8,b=2"))).toMatch(
      /^INVALID_OPTION: .*r must be a number > 0/,
    );
    expect(code(() => parseBuying("pareto:r=1,alpha=4,a=0.8,b=2"))).toMatch(/^INVALID_OPTION: .*must be bgnbd/);
    expect(code(() => parseSpend("gamma-gamma:p=6,q=4,w=1"))).toMatch(/^INVALID_OPTION: .*unknown parameter w/);
  });
});

import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateClv } from "../../../src/clv-store/validate.js";
import type { Engine } from "../../../src/engine/engine.js";
import { TierwiseError } from "../../../src/errors/index.js";
import { generateDataset, parseBuying } from "../../../src/generate/index.js";
import { ingestDirectory } from "../../../src/ingest/ingest.js";
import { memoryStore } from "../support.js";

const ENGINE = process.env["TIERWISE_TEST_ENGINE"] ?? "duckdb";
const TRUTH = { r: 0.25, alpha: 4, a: 0.8, b: 2.5 };

/**
 * A generated shop whose orders are simulated from known BG/NBD parameters
 * (`generate --buying bgnbd:r=0.25,alpha=4,a=0.8,b=2.5`, 2,000 customers,
 * seed 1, history from 2021-01-03). Calibrated to 2021-03-05 only 63
 * customers have bought, 13 of them again: the plain fit degenerates (a →
 * 0, b → ∞, CLV_DEGENERATE); with the weak prior `clv validate` gives
 * numbers, and the fit it validates holds the true parameters within 3
 * standard errors.
 */
describe(`clv validate --prior weak on simulated data where the MLE degenerates (${ENGINE})`, () => {
  let engine: Engine;
  const options = { calibrationEnd: "2021-03-05", holdoutEnd: "2021-12-31", timeUnit: "week" as const };
  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), "tw-clv-prior-"));
    await generateDataset({
      outDir: dir,
      customers: 2000,
      seed: 1,
      asOf: "2026-01-01",
      buying: parseBuying("bgnbd:r=0.25,alpha=4,a=0.8,b=2.5"),
    });
    engine = await memoryStore();
    await ingestDirectory(engine, { dir, rejectsPath: join(dir, "rejects.csv") });
  });
  afterAll(() => engine.close());

  it("fails without the prior, as before", async () => {
    let error: unknown;
    try {
      await validateClv(engine, options);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TierwiseError);
    expect((error as TierwiseError).code).toBe("CLV_DEGENERATE");
  });

  it("gives numbers with it, from a fit that holds the truth within 3 standard errors", async () => {
    const v = await validateClv(engine, { ...options, prior: "weak" });
    expect(v.total.customers).toBe(63);
    expect(v.fit.repeatBuyers).toBe(13);
    expect(v.total.predicted).toBeGreaterThan(0);
    expect(Number.isFinite(v.meanAbsoluteError)).toBe(true);
    expect(v.fit.prior).toBe("weak");
    expect(v.fit.identification.verdict).toBe("weakly identified");
    const p = v.fit.params as unknown as Record<string, number>;
    const se = v.fit.standardErrors as unknown as Record<string, number>;
    for (const [k, truth] of Object.entries(TRUTH))
      expect(Math.abs((p[k] as number) - truth)).toBeLessThan(3 * (se[k] as number));
  });
});

import { existsSync } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ingestCdnowSample, parseXml } from "../run/clv/support.js";
import { completedOrders, seed } from "../run/support.js";
import { runCli, seededStoreFile } from "../support/cli.js";

/** `tierwise clv` in a child process, on the CDNOW sample. */
describe("tierwise clv", () => {
  let db = "";
  let empty = "";
  let once = "";
  let dir = "";
  beforeAll(async () => {
    db = await seededStoreFile("tw-clv-cli-", ingestCdnowSample);
    once = await seededStoreFile("tw-clv-once-", (engine) =>
      seed(engine, {
        customers: [{ customer_id: "A" }, { customer_id: "B" }],
        orders: [
          ...completedOrders("A", [["2025-01-01 10:00:00", 5]]),
          ...completedOrders("B", [["2025-02-01 10:00:00", 6]]),
        ],
      }),
    );
    empty = await seededStoreFile("tw-clv-empty-", async () => undefined);
    dir = await mkdtemp(join(tmpdir(), "tw-clv-out-"));
  });

  it("lists fit, validate and predict with their options", async () => {
    const r = await runCli(["clv", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/fit \[options\]/);
    expect(r.stdout).toMatch(/validate \[options\]/);
    expect(r.stdout).toMatch(/predict \[options\]/);
    const fit = await runCli(["clv", "fit", "--help"]);
    expect(fit.stdout).toContain("--model <model>");
    expect(fit.stdout).toContain('"bgnbd", "pareto-nbd", "gamma-gamma"');
    expect(fit.stdout).toContain("--calibration-end <date>");
    expect(fit.stdout).toContain("--time-unit <unit>");
  });

  it("fits, prints parameters with standard errors, stores the models; --json", async () => {
    const text = await runCli(["clv", "fit", "--calibration-end", "1997-09-30", "--db", db]);
    expect(text.stderr).toBe("");
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("2,357 customers, 946 repeat buyers");
    expect(text.stdout).toMatch(/BG\/NBD \(model 1\): log-likelihood -9,582\.4\d/);
    expect(text.stdout).toMatch(/r\s+0\.24\d\d\s+0\.01\d\d/);
    expect(text.stdout).toMatch(/Gamma-Gamma \(model 2\)/);
    const json = await runCli([
      "clv",
      "fit",
      "--model",
      "pareto-nbd",
      "--calibration-end",
      "1997-09-30",
      "--json",
      "--db",
      db,
    ]);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as {
      timeUnit: string;
      models: {
        modelId: number;
        model: string;
        params: Record<string, number>;
        standardErrors: Record<string, number>;
      }[];
    };
    expect(report.timeUnit).toBe("week");
    expect(report.models.map((m) => [m.modelId, m.model])).toEqual([[3, "pareto-nbd"]]);
    expect(report.models[0]?.params["r"]).toBeCloseTo(0.553, 2);
    expect(Object.keys(report.models[0]?.standardErrors ?? {})).toEqual(["r", "alpha", "s", "beta"]);
  });

  it("validates against the holdout and writes the chart", async () => {
    const chart = join(dir, "holdout.svg");
    const r = await runCli([
      "clv",
      "validate",
      "--calibration-end",
      "1997-09-30",
      "--holdout-end",
      "1998-06-30",
      "--chart",
      chart,
      "--db",
      db,
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^7\+\s+64\s+407\s/m);
    expect(r.stdout).toMatch(/^total\s+2,357\s+1,882\s/m);
    expect(r.stdout).toContain("total error:");
    const svg = parseXml(await readFile(chart, "utf8"));
    expect(svg.filter((e) => e.name === "polyline").map((e) => e.id)).toEqual(["actual", "predicted"]);
  });

  it("predicts per customer from the latest purchase model", async () => {
    const out = join(dir, "p.parquet");
    const r = await runCli([
      "clv",
      "predict",
      "--horizon",
      "6",
      "months",
      "--discount-rate",
      "0.05",
      "--out",
      out,
      "--json",
      "--db",
      db,
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as {
      rows: number;
      purchaseModelId: number;
      spendModelId: number | null;
      horizon: number;
    };
    // The latest purchase model is the Pareto/NBD (model 3); the Gamma-Gamma model 2 has the same period.
    expect(summary).toMatchObject({ rows: 2357, purchaseModelId: 3, spendModelId: 2 });
    expect(summary.horizon).toBeCloseTo(365.25 / 2 / 7, 9);
    expect(existsSync(out)).toBe(true);
  });

  it("fails with a one-line reason and the right exit code", async () => {
    const noOrders = await runCli(["clv", "fit", "--db", empty]);
    expect(noOrders.code).toBe(1);
    expect(noOrders.stderr).toMatch(/^error: CLV_NO_ORDERS: /);
    const noRepeats = await runCli(["clv", "fit", "--db", once]);
    expect(noRepeats.code).toBe(1);
    expect(noRepeats.stderr).toMatch(/^error: CLV_NO_REPEAT_BUYERS: /);
    const noModel = await runCli(["clv", "predict", "--out", join(dir, "x.csv"), "--db", empty]);
    expect(noModel.code).toBe(1);
    expect(noModel.stderr).toMatch(/^error: CLV_NO_MODEL: .*tierwise clv fit/);
    const badDate = await runCli(["clv", "fit", "--calibration-end", "1997-02-30", "--db", db]);
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toContain("--calibration-end must be a date");
    const badModel = await runCli(["clv", "fit", "--model", "weibull", "--db", db]);
    expect(badModel.code).toBe(2);
    expect(badModel.stderr).toContain("Allowed choices are bgnbd, pareto-nbd, gamma-gamma");
    const noCalibration = await runCli(["clv", "validate", "--db", db]);
    expect(noCalibration.code).toBe(2);
    expect(noCalibration.stderr).toContain("--calibration-end");
    const badHorizon = await runCli(["clv", "predict", "--horizon", "soon", "--out", join(dir, "y.csv"), "--db", db]);
    expect(badHorizon.code).toBe(2);
    expect(badHorizon.stderr).toContain("--horizon takes an amount and a unit");
    const badFormat = await runCli(["clv", "predict", "--out", join(dir, "y.xlsx"), "--db", db]);
    expect(badFormat.code).toBe(1);
    expect(badFormat.stderr).toContain("EXPORT_FORMAT");
  });
});

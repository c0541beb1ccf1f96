import { afterAll, describe, expect, it } from "vitest";
import { TierwiseError } from "../../src/errors/index.js";
import { generateDataset, planGeneration } from "../../src/generate/index.js";
import { createCustomersSql, createLeadsSql, createOrdersSql } from "../../src/sql/generate/index.js";
import { render } from "../../src/sql/index.js";
import { removeDir, tempDir } from "./dataset.js";

describe("generator options", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await removeDir(d);
  });

  it("applies defaults: seed 1, CSV, today's date", () => {
    const plan = planGeneration({ outDir: "x", customers: 10 });
    expect(plan.seed).toBe(1);
    expect(plan.format).toBe("csv");
    expect(plan.asOf).toBe(new Date().toISOString().slice(0, 10));
  });

  it("sizes reps, leads and ids from the customer count", () => {
    const small = planGeneration({ outDir: "x", customers: 100, asOf: "2026-01-01" }).params;
    expect(small.reps).toBe(6);
    expect(small.leads).toBe(54);
    expect(small.widths.customer).toBe(7);
    const large = planGeneration({ outDir: "x", customers: 12_000_000, asOf: "2026-01-01" }).params;
    expect(large.reps).toBe(6000);
    expect(large.widths.customer).toBe(8);
  });

  it.each([
    [{ customers: 0 }, "customers"],
    [{ customers: 1.5 }, "customers"],
    [{ customers: 10, seed: -1 }, "seed"],
    [{ customers: 10, asOf: "2026-02-30" }, "asOf"],
    [{ customers: 10, asOf: "01/02/2026" }, "asOf"],
    [{ customers: 10, asOf: "2199-01-01" }, "asOf"],
    [{ customers: 10, format: "xlsx" }, "format"],
    [{ customers: 10, threads: 0 }, "threads"],
  ])("rejects %j with a coded error naming %s", (options, name) => {
    const attempt = () => planGeneration({ outDir: "x", ...(options as { customers: number }) });
    expect(attempt).toThrow(TierwiseError);
    try {
      attempt();
    } catch (error) {
      expect((error as TierwiseError).code).toBe("INVALID_OPTION");
      expect((error as TierwiseError).message).toContain(name);
    }
  });

  it("reports progress from 0 to done", async () => {
    const dir = await tempDir("progress");
    dirs.push(dir);
    const seen: [string, number, number][] = [];
    await generateDataset({
      outDir: dir,
      customers: 50,
      asOf: "2026-01-01",
      onProgress: (s, d, t) => seen.push([s, d, t]),
    });
    expect(seen[0]?.[1]).toBe(0);
    expect(seen.at(-1)).toEqual(["done", seen[0]?.[2], seen[0]?.[2]]);
    const done = seen.map((s) => s[1]);
    expect(done).toEqual([...done].sort((a, b) => a - b));
  });

  it("binds every value as a parameter: seed, dates and names never appear in SQL text", () => {
    const params = planGeneration({ outDir: "x", customers: 1234, seed: 987654321, asOf: "2026-01-01" }).params;
    const words = {
      firstNames: ["Zoë'; DROP TABLE orders --"],
      lastNames: ["O'Brien"],
      companySuffixes: ["Ltd"],
      mailDomains: ["example.com"],
      regions: ["EU\nNorth"],
      b2cSegments: ["retail"],
      establishedCategories: 17,
    };
    for (const fragment of [createCustomersSql(params, words), createOrdersSql(params), createLeadsSql(params)]) {
      const { text, params: bound } = render(fragment);
      expect(text).not.toContain("987654321");
      expect(text).not.toContain(String(params.asOfSec));
      expect(text).not.toContain("O'Brien");
      expect(text).not.toContain("DROP TABLE");
      expect(bound).toContain(987654321);
    }
  });
});

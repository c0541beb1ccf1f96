/**
 * Every file Tierwise writes or ships as an example is accepted by the
 * command it is for.
 */
import { readdirSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";

describe("example files", () => {
  it("the mapping `tierwise init` writes is accepted by `tierwise ingest --mapping`", async () => {
    const cwd = await mkdtemp(join(tmpdir(), "tw-init-mapping-"));
    const init = await runCli(["init"], {}, cwd);
    expect(init.code).toBe(0);
    expect(init.stdout).toContain("wrote example mapping: tierwise.mapping.yaml");
    await mkdir(join(cwd, "exports"));
    await writeFile(join(cwd, "exports", "customers.csv"), "customer_id,name\nC1,Ann\nC2,Bob\n");
    await writeFile(
      join(cwd, "exports", "orders.csv"),
      "order_id,customer_id,ordered_at,amount,status\nO1,C1,2025-01-01,10.50,completed\nO2,C2,2025-02-01,4,completed\n",
    );
    const ingest = await runCli(["ingest", "./exports", "--mapping", "tierwise.mapping.yaml"], {}, cwd);
    expect(ingest.stderr).toBe("");
    expect(ingest.code).toBe(0);
    expect(ingest.stdout).toMatch(/orders\s+csv\s+2\s+2\s+2\s+0\s+0\s+0/);
  });

  it("examples/ holds only files a test runs with the command they are for", () => {
    // A new example needs a test that runs it with the command it is for; add it here with that test.
    const runBy: Record<string, string> = {
      "grade.ts": "test/example.test.ts",
      "shop-export.mapping.yaml": "test/generate/shop-export.test.ts", // `tierwise ingest --mapping`
    };
    expect(readdirSync("examples").sort()).toEqual(Object.keys(runBy).sort());
    for (const [example, test] of Object.entries(runBy))
      expect(readFileSync(test, "utf8")).toContain(`examples/${example}`);
  });
});

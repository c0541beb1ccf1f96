/**
 * `tierwise report` through the real CLI: the movers and the customers at
 * risk carry their names from the customers table in every format (JSON adds
 * `name` and keeps every other field; text puts the name after the id; HTML
 * next to it).
 */
import { readFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ident, sql } from "../../src/sql/fragment.js";
import { seedHistory } from "../run/history/support.js";
import { runCli, seededStoreFile } from "../support/cli.js";

let db: string;
beforeAll(async () => {
  db = await seededStoreFile("tw-report-names-", async (engine) => {
    await seedHistory(engine);
    // H falls Gold → Silver between runs 2 and 3 (test/run/history/support.ts); C rises but has no name
    await engine.exec(sql`UPDATE ${ident("customers")} SET name = ${"Hana Horváth"} WHERE customer_id = ${"H"}`);
  });
});

describe("tierwise report: names in the lists", () => {
  it("adds name fields to the JSON movers and at-risk customers, keeping the ids", async () => {
    const run = await runCli(["report", "--db", db, "--format", "json"]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    const movers = report.history.migrations.movers as { entityId: string; name: string | null; reason: string }[];
    expect(movers.map((m) => [m.entityId, m.name])).toEqual([
      ["C", null],
      ["H", "Hana Horváth"],
    ]);
    expect(movers[1]?.reason).toContain("fell from 55,000");
    const atRisk = report.history.churn.atRisk as { customerId: string; name: string | null }[];
    for (const a of atRisk) expect(a.name).toBe(a.customerId === "H" ? "Hana Horváth" : null);
  });

  it("writes the name after the id in text and next to it in HTML", async () => {
    const text = await runCli(["report", "--db", db]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/H \(Hana Horváth\)\s+Gold\s+Silver\s+down/);
    const out = join(await mkdtemp(join(tmpdir(), "tw-report-names-out-")), "r.html");
    const html = await runCli(["report", "--db", db, "--format", "html", "--out", out]);
    expect(html.code).toBe(0);
    expect(readFileSync(out, "utf8")).toContain(
      '<span class="named"><span class="name"><bdi>Hana Horváth</bdi></span> <span class="id">H</span></span>',
    );
  });
});

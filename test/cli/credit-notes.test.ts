import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";

/**
 * A small shop folder with credit notes through the real CLI: `cancel` buys
 * 77,183.60 and is refunded all of it the same day; `keep` buys 60,000 and
 * is refunded 1,500 (written positive, kind credit) → net 58,500; an order
 * written negative with kind order is rejected.
 */
describe("tierwise with credit notes", () => {
  it("ingests credits, grades net spend, and explain shows it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tw-credits-cli-"));
    const shop = join(dir, "shop");
    const db = join(dir, "shop.duckdb");
    await mkdir(shop);
    await writeFile(join(shop, "customers.csv"), "customer_id,name\ncancel,Ann\nkeep,Bob\n");
    await writeFile(
      join(shop, "orders.csv"),
      [
        "order_id,customer_id,ordered_at,amount,kind,refunds_order_id",
        "O1,cancel,2025-06-10 10:00,77183.60,,",
        "C1,cancel,2025-06-10 15:00,-77183.60,,O1",
        "O2,keep,2025-06-10 10:00,60000,,",
        "C2,keep,2025-07-01,1500,credit,O2",
        "O3,keep,2025-07-02,-3,order,",
        "",
      ].join("\n"),
    );
    const ingest = await runCli(["ingest", shop, "--db", db]);
    expect(ingest.code).toBe(0);
    expect(ingest.stdout).toMatch(/orders\s+csv\s+5\s+4\s+4\s+0\s+0\s+1/);
    expect(ingest.stdout).toContain("amount is negative on kind order: a refund needs kind credit (or an empty kind)");

    const run = await runCli(["run", "--preset", "value-grades", "--as-of", "2026-01-01", "--db", db]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Gold\s+1\s+50%\s+58,500\.00\s+100%/);
    expect(run.stdout).toMatch(/VIP\s+0\s+0%\s+0\.00/);

    const cancel = await runCli(["explain", "cancel", "--db", db]);
    expect(cancel.code).toBe(0);
    expect(cancel.stdout).toContain("value-grades: Potential");
    expect(cancel.stdout).toContain("spend(12 months) = 0");
    const keep = await runCli(["explain", "keep", "--db", db]);
    expect(keep.stdout).toContain("spend(12 months) = 58,500");

    const summary = await runCli(["summary", "--db", db]);
    expect(summary.stdout).toContain("revenue (net of credit notes): 58,500.00");
    expect(summary.stdout).toMatch(/completed\s+2\s+137,183\.60/);
    expect(summary.stdout).toMatch(/credit note\s+2\s+-78,683\.60/);
  });
});

import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";

/** `tierwise policy activate` and `policy active`: the active policy `tierwise serve` runs by default. */
describe("tierwise policy activate / active", () => {
  let db = "";
  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), "tw-policy-activate-"));
    const data = join(dir, "data");
    await mkdir(data, { recursive: true });
    await writeFile(join(data, "customers.csv"), "customer_id,name\nC1,Ana\nC2,Bea\n");
    await writeFile(
      join(data, "orders.csv"),
      "order_id,customer_id,ordered_at,amount,status\nO1,C1,2025-06-01,100,completed\nO2,C2,2025-06-01,10,completed\n",
    );
    db = join(dir, "shop.duckdb");
    expect((await runCli(["ingest", data, "--db", db])).code).toBe(0);
  });

  it("has none on a new store, then the activated versions with their author", async () => {
    const none = await runCli(["policy", "active", "--db", db]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("NO_ACTIVE_POLICY");

    const first = await runCli(["policy", "activate", "--preset", "abc", "--author", "ana", "--db", db]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^activated policy version 1 \([0-9a-f]{12}\) by ana\n$/);
    const again = await runCli(["policy", "activate", "--preset", "abc", "--author", "bea", "--db", db]);
    expect(again.stdout).toMatch(/^already active: policy version 1 \([0-9a-f]{12}\) by ana\n$/);

    const shown = await runCli(["policy", "active", "--db", db]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^# policy version 1 \([0-9a-f]{12}\) activated by ana at \d{4}-\d\d-\d\d /);
    expect(shown.stdout).toContain("kind: pareto");
    const json = JSON.parse((await runCli(["policy", "active", "--json", "--db", db])).stdout) as Record<
      string,
      unknown
    >;
    expect(json).toMatchObject({ source: "activated", version: 1, author: "ana" });
  });

  it("refuses a policy that does not check, and a bad author, storing nothing", async () => {
    const bad = await runCli(["policy", "activate", "--preset", "abcd", "--db", db]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("did you mean abc");
    const author = await runCli(["policy", "activate", "--preset", "rfm", "--author", "a b", "--db", db]);
    expect(author.code).toBe(2);
    const neither = await runCli(["policy", "activate", "--db", db]);
    expect(neither.code).toBe(2);
    const json = JSON.parse((await runCli(["policy", "active", "--json", "--db", db])).stdout) as { version: number };
    expect(json.version).toBe(1);
    const missing = await runCli(["policy", "activate", "--preset", "abc", "--db", `${db}.missing`]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("NO_STORE");
  });
});

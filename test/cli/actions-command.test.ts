import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { SIX, valuePolicy } from "../run/decisions/support.js";
import { grade, policyFile, seed } from "../run/support.js";
import { runCli, seededStoreFile } from "../support/cli.js";

/** `tierwise actions` carries who to contact and who acts; --redact leaves the contact data out. */
describe("tierwise actions: name, email and rep; --redact", () => {
  let db = "";
  let dir = "";
  beforeAll(async () => {
    db = await seededStoreFile("tw-actions-contact-", async (e) => {
      await seed(e, {
        ...SIX,
        reps: [{ rep_id: "R7", level: "senior", name: "Ana Kovács" }],
        customers: (SIX.customers ?? []).map((c) => ({
          ...c,
          name: c["customer_id"] === "C1" ? "+Big Buyer Ltd" : `Customer ${c["customer_id"]}`,
          email: `${String(c["customer_id"]).toLowerCase()}@example.com`,
          owner_rep_id: c["customer_id"] === "C1" ? "R7" : null,
        })),
      });
      await grade(e, { file: await policyFile(valuePolicy(100000)) });
    });
    dir = await mkdtemp(join(tmpdir(), "tw-actions-contact-out-"));
  });

  it("writes the customer's name and email and the rep's id and name, formulas defused", async () => {
    const out = join(dir, "vip.csv");
    const r = await runCli(["actions", "--tier", "VIP", "--out", out, "--db", db]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`wrote 4 action rows of run 1 (as of 2026-01-01; value) to ${out}\n`);
    expect(r.stdout).toContain("the file's cost column is in EUR per customer a year");
    const rows = (await readFile(out, "utf8")).trimEnd().split("\n");
    expect(rows[0]).toBe(
      "customer_id,name,email,scheme,tier,action,detail,percent,cost,campaigns,service,rep_level,rep_id,rep_name",
    );
    expect(rows[1]).toBe(
      "C1,'+Big Buyer Ltd,c1@example.com,value,VIP,call,premium service,,,vip-launch,premium,senior,R7,Ana Kovács",
    );
  });

  it("--redact leaves the email column out and says so; name and rep stay", async () => {
    const out = join(dir, "gold.csv");
    const r = await runCli(["actions", "--tier", "Gold", "--redact", "--out", out, "--db", db]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`to ${out} without contact data (--redact: no email column)`);
    const text = await readFile(out, "utf8");
    expect(text).not.toContain("@example.com");
    expect(text.trimEnd().split("\n")).toEqual([
      "customer_id,name,scheme,tier,action,detail,percent,cost,campaigns,service,rep_level,rep_id,rep_name",
      "C2,Customer C2,value,Gold,call,proactive service,,,,proactive,key-account,,",
      "C2,Customer C2,value,Gold,fixed,faster service,,50,,proactive,key-account,,",
      "C3,Customer C3,value,Gold,call,proactive service,,,,proactive,key-account,,",
      "C3,Customer C3,value,Gold,fixed,faster service,,50,,proactive,key-account,,",
    ]);
    const help = await runCli(["actions", "--help"]);
    expect(help.stdout.replace(/\s+/g, " ")).toContain(
      "--redact leave the customers' contact data out (the email column)",
    );
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import { seedLifecycle } from "../run/lifecycle/support.js";
import { runCli, seededStoreFile } from "../support/cli.js";

/** `tierwise explain` shows the lifecycle state of test/run/lifecycle/support.ts in a sentence. */
describe("tierwise explain with lifecycle rules", () => {
  let db = "";
  beforeAll(async () => {
    db = await seededStoreFile("tw-lifecycle-cli-", seedLifecycle);
  });

  it("prints the retention and pending-downgrade sentences", async () => {
    const kept = await runCli(["explain", "A", "--scheme", "Retention", "--run", "2", "--db", db]);
    expect(kept.code).toBe(0);
    expect(kept.stdout).toContain("Retention: Gold");
    expect(kept.stdout).toContain("why: held by the scheme's lifecycle rules");
    expect(kept.stdout).toContain("lifecycle: kept Gold by the retention threshold: spend(1 month) = 400");
    expect(kept.stdout).toContain("down: drops to Silver below 400 (its retention threshold)");
    // One story per grade: the down line names the pending downgrade's tier and date, not the next tier.
    const pending = await runCli(["explain", "C", "--scheme", "Grace", "--run", "2", "--db", db]);
    expect(pending.stdout).toContain(
      "lifecycle: downgrade to Member due on 2026-03-18 unless spend(1 month) reaches 400",
    );
    expect(pending.stdout).toContain(
      "down: drops to Member on 2026-03-18 (a pending downgrade) unless spend(1 month) reaches 400",
    );
    expect(pending.stdout).not.toContain("drops to Silver");
    const floor = await runCli(["explain", "F", "--scheme", "Retention", "--run", "2", "--db", db]);
    expect(floor.stdout).toContain("down: held at Gold by a floor override until it is removed; without it: Member");
    expect(floor.stdout).not.toContain("drops to");
    const due = await runCli(["explain", "C", "--scheme", "Grace", "--run", "2", "--json", "--db", db]);
    const parsed = JSON.parse(due.stdout) as {
      schemes: { lifecycle: { state: string; pendingTier: string; dueOn: string; text: string } }[];
    };
    expect(parsed.schemes[0]?.lifecycle).toMatchObject({
      state: "downgrade-pending",
      pendingTier: "Member",
      dueOn: "2026-03-18",
      text: "downgrade to Member due on 2026-03-18 unless spend(1 month) reaches 400 (held since 2026-01-01)",
    });
  });
});

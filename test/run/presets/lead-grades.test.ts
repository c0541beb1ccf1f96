import { describe, expect, it } from "vitest";
import { loadPolicy } from "../../../src/policy/load-policy.js";
import { type FixtureRow, gradeFixture } from "../support.js";

/**
 * lead-grades (docs/schemes.md §6), as of 2026-01-01: leads, not customers. Days
 * to close are whole days from as-of to the expected close date. Tried in the
 * order E, D, A, B, C; D also takes whoever is left. Won leads are out of
 * scope.
 */
const PRESET = { presets: ["lead-grades"] };

const lead = (
  lead_id: string,
  need: string,
  expected_close_at: string | null,
  status = "open",
  created_at = "2025-06-01",
): FixtureRow => ({ lead_id, need, expected_close_at, status, created_at, amount: 1000 });

describe("lead-grades preset", () => {
  it("grades leads by need and days to the expected close, at every boundary", async () => {
    const { grades, result } = await gradeFixture(
      {
        leads: [
          lead("a-today", "clear", "2026-01-01"), // 0 days, not passed → A
          lead("a-today-noon", "clear", "2026-01-01 12:00:00"), // later on as-of day: still 0 days → A
          lead("a-30", "clear", "2026-01-31"), // 30 days → A
          lead("b-31", "clear", "2026-02-01"), // 31 days → B
          lead("b-91", "clear", "2026-04-02"), // 31 + 28 + 31 + 1 = 91 days → B
          lead("c-92", "clear", "2026-04-03"), // 92 days → C
          lead("c-182", "clear", "2026-07-02"), // 182 days → C
          lead("d-183", "clear", "2026-07-03"), // 183 days: 6+ months away → D (otherwise)
          lead("d-no-date", "clear", null), // clear need, no date → D (otherwise)
          lead("d-stale", "clear", "2025-12-31"), // expected close passed → D "stale"
          lead("d-stale-late-evening", "clear", "2025-12-31 23:59:59"), // still before as-of → stale
          lead("d-stale-latent", "latent", "2025-03-01"), // stale is tried before latent → D "stale"
          lead("d-latent", "latent", "2026-01-15"), // latent need → D "latent"
          lead("d-latent-no-date", "latent", null),
          lead("e-no-need", "none", "2026-01-10"), // no need → E, even when closing soon
          lead("e-lost", "clear", "2026-01-10", "lost"), // lost → E
          lead("e-lost-stale", "clear", "2025-06-01", "lost"), // lost beats stale (E is tried first)
          lead("e-lost-latent", "latent", null, "lost"),
          lead("won", "clear", "2026-01-10", "won"), // a closed deal: out of scope
          lead("won-stale", "clear", "2025-01-10", "won"), // out of scope too
          lead("later", "clear", "2026-01-10", "open", "2026-01-01"), // opened on as-of: not yet known
        ],
      },
      PRESET,
    );
    const view = Object.fromEntries([...grades].map(([id, g]) => [id, [g.tier, g.rule_id]]));
    expect(view).toEqual({
      "a-today": ["A", "within-1-month"],
      "a-today-noon": ["A", "within-1-month"],
      "a-30": ["A", "within-1-month"],
      "b-31": ["B", "within-3-months"],
      "b-91": ["B", "within-3-months"],
      "c-92": ["C", "within-6-months"],
      "c-182": ["C", "within-6-months"],
      "d-183": ["D", "otherwise"],
      "d-no-date": ["D", "otherwise"],
      "d-stale": ["D", "stale"],
      "d-stale-late-evening": ["D", "stale"],
      "d-stale-latent": ["D", "stale"],
      "d-latent": ["D", "latent"],
      "d-latent-no-date": ["D", "latent"],
      "e-no-need": ["E", "dead"],
      "e-lost": ["E", "dead"],
      "e-lost-stale": ["E", "dead"],
      "e-lost-latent": ["E", "dead"],
    });
    const scheme = result.schemes[0];
    expect(scheme?.entity).toBe("leads");
    expect(scheme?.graded).toBe(18);
    // The two won leads are known at as-of but out of scope; the lead opened on as-of is not known.
    expect(scheme?.outOfScope).toBe(2);
    // Revenue of a lead grade is its leads' amounts.
    expect(scheme?.tiers.find((t) => t.tier === "A")?.revenue).toBe(3000);
  });

  it("says why a stale lead is D", async () => {
    const { plan } = await loadPolicy(PRESET);
    const scheme = plan.schemes[0];
    if (scheme?.kind !== "rules") throw new Error("lead-grades is a rules scheme");
    expect(scheme.rules.find((r) => r.id === "stale")?.reason).toBe("expected close date has passed");
    expect(scheme.rules.find((r) => r.id === "stale")?.tier).toBe("D");
  });

  it("grades leads with or without a customer, and ignores customers", async () => {
    const { grades, bySchemes } = await gradeFixture(
      {
        customers: [{ customer_id: "C1" }],
        leads: [
          { ...lead("with-customer", "clear", "2026-01-20"), customer_id: "C1" },
          lead("without-customer", "clear", "2026-03-01"),
        ],
      },
      PRESET,
    );
    expect(Object.fromEntries([...grades].map(([id, g]) => [id, g.tier]))).toEqual({
      "with-customer": "A",
      "without-customer": "B",
    });
    expect([...bySchemes.keys()]).toEqual(["lead-grades"]);
  });
});

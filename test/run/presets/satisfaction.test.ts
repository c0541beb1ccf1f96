import { describe, expect, it } from "vitest";
import { type FixtureRow, gradeFixture } from "../support.js";

/**
 * satisfaction (docs/schemes.md §7), as of 2026-01-01: the latest survey from
 * 2025-01-01 up to (not including) as-of counts; A = 5, B = 4, C = 3 or
 * below. Without a survey in that window a customer is unrated: out of
 * scope, not C.
 */
const PRESET = { presets: ["satisfaction"] };

const survey = (interaction_id: string, customer: string, at: string, score: number | null): FixtureRow => ({
  interaction_id,
  customer_id: customer,
  at,
  kind: "survey",
  score,
});

describe("satisfaction preset", () => {
  it("maps the latest survey in 12 months to A, B or C", async () => {
    const ids = [
      "five",
      "four",
      "three",
      "two",
      "one",
      "latest-wins-down",
      "latest-wins-up",
      "same-instant",
      "null-score-latest",
      "window-first-instant",
      "old-only",
      "on-as-of-only",
      "old-and-as-of",
      "complaint-only",
      "nothing",
    ];
    const { grades, result } = await gradeFixture(
      {
        customers: ids.map((customer_id) => ({ customer_id })),
        interactions: [
          survey("s1", "five", "2025-05-01", 5), // → A
          survey("s2", "four", "2025-05-01", 4), // → B
          survey("s3", "three", "2025-05-01", 3), // average → C
          survey("s4", "two", "2025-05-01", 2), // dissatisfied folds into C
          survey("s5", "one", "2025-05-01", 1), // very dissatisfied folds into C
          // a 5 in March, a 2 in November: the latest counts → C
          survey("s6", "latest-wins-down", "2025-03-01", 5),
          survey("s7", "latest-wins-down", "2025-11-01", 2),
          // a 1 in February, a 4 in October → B (inserted latest first: order of rows does not matter)
          survey("s9", "latest-wins-up", "2025-10-01 09:00:00", 4),
          survey("s8", "latest-wins-up", "2025-02-01", 1),
          // two surveys at the same instant: the higher interaction id is the later → 5 → A
          survey("s10-a", "same-instant", "2025-07-01 10:00:00", 3),
          survey("s10-b", "same-instant", "2025-07-01 10:00:00", 5),
          // the latest survey has no score: the latest scored one counts → B
          survey("s11", "null-score-latest", "2025-04-01", 4),
          survey("s12", "null-score-latest", "2025-09-01", null),
          // first instant of the window counts → A
          survey("s13", "window-first-instant", "2025-01-01 00:00:00", 5),
          // a second before the window: unrated
          survey("s14", "old-only", "2024-12-31 23:59:59", 5),
          // on as-of: does not count yet → unrated
          survey("s15", "on-as-of-only", "2026-01-01 00:00:00", 5),
          // a 4 in the window and a 1 on as-of: the 4 counts → B
          survey("s16", "old-and-as-of", "2025-06-01", 4),
          survey("s17", "old-and-as-of", "2026-01-01 00:00:00", 1),
          { interaction_id: "c1", customer_id: "complaint-only", at: "2025-06-01", kind: "complaint", score: 1 },
        ],
      },
      PRESET,
    );
    const view = Object.fromEntries([...grades].map(([id, g]) => [id, [g.tier, g.rule_id]]));
    expect(view).toEqual({
      five: ["A", "very-satisfied"],
      four: ["B", "satisfied"],
      three: ["C", "otherwise"],
      two: ["C", "otherwise"],
      one: ["C", "otherwise"],
      "latest-wins-down": ["C", "otherwise"],
      "latest-wins-up": ["B", "satisfied"],
      "same-instant": ["A", "very-satisfied"],
      "null-score-latest": ["B", "satisfied"],
      "window-first-instant": ["A", "very-satisfied"],
      "old-and-as-of": ["B", "satisfied"],
    });
    // old-only, on-as-of-only, complaint-only and nothing are unrated: out of scope.
    expect(result.schemes[0]?.graded).toBe(11);
    expect(result.schemes[0]?.outOfScope).toBe(4);
  });
});

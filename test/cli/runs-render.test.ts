import { describe, expect, it } from "vitest";
import { renderRuns } from "../../src/cli/commands/runs.js";
import { displayWidth } from "../../src/cli/text-table.js";
import type { RunListing } from "../../src/run/run-list.js";

const PRESETS = ["abc", "b2b-scorecard", "lead-grades", "relationship-ladder", "rfm", "satisfaction", "three-tier"];

function listing(runId: number, schemes: readonly string[], events = 0, delivered = 0): RunListing {
  return {
    runId,
    asOf: "2026-12-07",
    policyHash: "19509a10c0ffee00",
    currency: runId === 11 ? "GBP" : "EUR",
    createdAt: "2026-12-07 06:47:38",
    schemes: schemes.map((scheme) => ({ scheme, entity: "customers", graded: 10_000 })),
    customers: 1_234_567,
    events,
    delivered,
    latest: runId === 12,
  };
}

describe("tierwise runs on an 80-column terminal", () => {
  const text = renderRuns([
    listing(12, [...PRESETS, "value-grades"], 34_327, 1_200),
    listing(11, ["value-grades"]),
    listing(10, ["value-grades", "rfm"]),
  ]);
  const lines = text.split("\n");

  it("fits every line in 80 columns, however many schemes a run has", () => {
    expect(lines.filter((l) => displayWidth(l) > 80)).toEqual([]);
  });

  it("lists short scheme sets whole and says how many when it has to cut", () => {
    expect(lines[2]).toContain("8 schemes");
    expect(lines[3]).toContain("value-grades");
    expect(lines[3]).toContain("19509a10 GBP");
    expect(lines[4]).toContain("value-grades, rfm");
    expect(lines[2]).toContain("34,327 (1,200 sent)");
    expect(lines.at(-1)).toBe("latest: run 12 (as of 2026-12-07), the default of every command");
  });
});

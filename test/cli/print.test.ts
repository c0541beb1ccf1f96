import { describe, expect, it } from "vitest";
import { fitProse } from "../../src/cli/print.js";
import { displayWidth, textTable } from "../../src/cli/text-table.js";

const NOTE =
  "note: Silver gets 26.9% of customers, not 30%: 41.4% of customers have no spend(12 months) above 0, and a bound never takes customers with nothing";

describe("prose fitted to an 80-column terminal", () => {
  it("leaves text alone when no width is known", () => {
    expect(fitProse(NOTE, undefined)).toBe(NOTE);
  });

  it("wraps a long line at spaces and hangs the continuation under the text after its label", () => {
    const lines = fitProse(NOTE, 80).split("\n");
    expect(lines.every((l) => displayWidth(l) <= 80)).toBe(true);
    expect(lines[0]?.startsWith("note: Silver gets 26.9%")).toBe(true);
    expect(lines.slice(1).every((l) => l.startsWith("  ") && !l.startsWith("   "))).toBe(true);
    expect(lines.map((l) => l.trim()).join(" ")).toBe(NOTE);
  });

  it("keeps an indented line's indentation and lines up numbered items under their text", () => {
    const text = `  why: ${"lapsed repeat buyer ".repeat(6).trim()}\n1. ${"none of the churned customers ".repeat(4).trim()}`;
    const lines = fitProse(text, 60).split("\n");
    expect(lines.every((l) => displayWidth(l) <= 60)).toBe(true);
    expect(lines[0]?.startsWith("  why: lapsed")).toBe(true);
    expect(lines[1]).toMatch(/^ {4}\S/);
    const item = lines.findIndex((l) => l.startsWith("1. "));
    expect(lines[item + 1]).toMatch(/^ {3}\S/);
  });

  it("never reflows a table row, even a wide one", () => {
    const table = textTable(
      ["from \\ to", " VIP", " Gold", " (out of scope)", " revenue"],
      [["(out of scope)", "4", "13", "1,901", "6,274,015.81".padStart(40)]],
      [],
      undefined,
    );
    expect(fitProse(table, 40)).toBe(table);
  });
});

import { describe, expect, it } from "vitest";
import { displayWidth, outputWidth, textTable, wrapText } from "../../src/cli/text-table.js";

const REASON = "spend(12 months) fell from 108,475.11 to 84,822.00, under VIP's 100,000";

describe("text tables on an 80-column terminal", () => {
  it("keep whole lines when no width is known (files, pipes, scripts)", () => {
    const t = textTable(["id", "reason"], [["C1", REASON]], [], undefined);
    expect(t.split("\n")[2]).toBe(`C1  ${REASON}`);
  });

  it("wrap a long last text column in place when the other columns leave it room", () => {
    const t = textTable(["id", "tier", "reason"], [["C0007276", "VIP", REASON]], [], 60);
    const lines = t.split("\n");
    expect(lines.every((l) => displayWidth(l) <= 60)).toBe(true);
    expect(lines[2]).toBe("C0007276  VIP   spend(12 months) fell from 108,475.11 to");
    expect(lines[3]).toBe("                84,822.00, under VIP's 100,000");
  });

  it("put the last cell under its row when the other columns leave it less than 24 cells", () => {
    const wide = "x".repeat(60);
    const t = textTable(["id", "scheme", "reason"], [["C1", wide, REASON]], [], 80);
    const lines = t.split("\n");
    expect(lines.every((l) => displayWidth(l) <= 80)).toBe(true);
    expect(lines[2]).toBe(`C1  ${wide}`);
    expect(lines.slice(3).join(" ").replace(/\s+/g, " ").trim()).toBe(REASON);
    expect(lines[3]?.startsWith("    spend")).toBe(true);
  });

  it("never wrap a numeric last column", () => {
    const t = textTable(["id", " revenue"], [["C1".padEnd(90, "y"), "1,234.00"]], [1], 80);
    expect(t.split("\n")[2]?.endsWith("1,234.00")).toBe(true);
  });

  it("cut a word longer than the line and count wide characters as two cells", () => {
    expect(wrapText("abcdefghij", 4)).toEqual(["abcd", "efgh", "ij"]);
    expect(wrapText("黄金客户 黄金", 8)).toEqual(["黄金客户", "黄金"]);
  });

  it("take the terminal's width, else COLUMNS, else none", () => {
    const saved = process.env["COLUMNS"];
    try {
      process.env["COLUMNS"] = "";
      expect(outputWidth({ isTTY: true, columns: 100 })).toBe(100);
      expect(outputWidth({ isTTY: false })).toBeUndefined();
      process.env["COLUMNS"] = "80";
      expect(outputWidth({ isTTY: false })).toBe(80);
    } finally {
      if (saved === undefined) delete process.env["COLUMNS"];
      else process.env["COLUMNS"] = saved;
    }
  });
});

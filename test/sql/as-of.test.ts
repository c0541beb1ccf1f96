import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { midnightUtc, shiftBack } from "../../src/sql/compile/as-of.js";

describe("run dates", () => {
  it("moves back by calendar units, clamping to the month's last day", () => {
    expect(shiftBack("2026-01-01", 12, "month")).toBe("2025-01-01");
    expect(shiftBack("2026-03-31", 1, "month")).toBe("2026-02-28");
    expect(shiftBack("2024-03-31", 1, "month")).toBe("2024-02-29");
    expect(shiftBack("2026-01-01", 24, "month")).toBe("2024-01-01");
    expect(shiftBack("2026-01-01", 1, "year")).toBe("2025-01-01");
    expect(shiftBack("2024-02-29", 1, "year")).toBe("2023-02-28");
    expect(shiftBack("2026-01-01", 90, "day")).toBe("2025-10-03");
    expect(shiftBack("2026-01-01", 2, "week")).toBe("2025-12-18");
  });

  it("agrees with the calendar for any date and month count (property)", () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date("1950-01-01"), max: new Date("2150-12-31"), noInvalidDate: true }),
        fc.integer({ min: 0, max: 600 }),
        (d, months) => {
          const date = d.toISOString().slice(0, 10);
          const back = shiftBack(date, months, "month");
          const [y, m, day] = date.split("-").map(Number) as [number, number, number];
          const [by, bm, bd] = back.split("-").map(Number) as [number, number, number];
          expect((y - by) * 12 + (m - bm)).toBe(months);
          expect(bd).toBe(Math.min(day, new Date(Date.UTC(by, bm, 0)).getUTCDate()));
        },
      ),
    );
  });

  it("gives local midnight as UTC in the policy's time zone, across DST", () => {
    expect(midnightUtc("2026-01-01", "UTC")).toBe("2026-01-01 00:00:00");
    expect(midnightUtc("2026-01-01", "Europe/Budapest")).toBe("2025-12-31 23:00:00");
    expect(midnightUtc("2026-07-01", "Europe/Budapest")).toBe("2026-06-30 22:00:00");
    expect(midnightUtc("2026-03-29", "Europe/Budapest")).toBe("2026-03-28 23:00:00");
    expect(midnightUtc("2026-01-01", "Asia/Shanghai")).toBe("2025-12-31 16:00:00");
    expect(midnightUtc("2026-01-01", "America/New_York")).toBe("2026-01-01 05:00:00");
    expect(midnightUtc("2026-01-01", "Asia/Kathmandu")).toBe("2025-12-31 18:15:00");
  });
});

import { describe, expect, it } from "vitest";
import { formats } from "../../src/format/formats.js";
import { churnSentence } from "../../src/insight/churn-sentence.js";

const NBSP = "\u00a0";

describe("formats: one formatter for every number a person reads", () => {
  it.each([
    ["en-US", "2,763.06", "1,234,567", "9.5%", "0.79", "2,763.06", "1.2"],
    ["de-DE", "2.763,06", "1.234.567", `9,5${NBSP}%`, "0,79", "2.763,06", "1,2"],
  ])("%s: number, count, percent, decimal, amount", (locale, number, count, percent, gini, amount, seconds) => {
    const f = formats(locale, "EUR");
    expect(f.number(2763.06)).toBe(number);
    expect(f.count(1234567)).toBe(count);
    expect(f.percent(0.095)).toBe(percent);
    expect(f.decimal(0.7912, 2)).toBe(gini);
    expect(f.amount(2763.06)).toBe(amount);
    expect(f.decimal(1.234, 1)).toBe(seconds);
  });

  it("writes the churn investigation's sentences in the locale", () => {
    const input = {
      signal: "complaints" as const,
      tier: "Gold",
      days: 90,
      churned: { customers: 1200, withSignal: 1200, mean: 3 },
      retained: { customers: 4000, withSignal: 1000, mean: 0.25 },
    };
    expect(churnSentence(input, formats("de-DE"))).toBe(
      "churned Gold customers filed 12,0x more complaints in their last 90 days (3 per customer vs 0,25 per customer; 1.200 of 1.200 vs 1.000 of 4.000 retained)",
    );
    expect(
      churnSentence(
        { ...input, signal: "discount_share", churned: { ...input.churned, mean: 0.095 } },
        formats("de-DE"),
      ),
    ).toContain(`(9,5${NBSP}% vs 25${NBSP}%;`);
  });
});

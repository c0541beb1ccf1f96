import { afterEach, describe, expect, it } from "vitest";
import { renderReport } from "../../../src/cli/render-report.js";
import { renderExplanation, renderRun } from "../../../src/cli/render-run.js";
import type { Engine } from "../../../src/engine/engine.js";
import { explain } from "../../../src/insight/explain.js";
import { buildReport } from "../../../src/insight/report.js";
import { reportHtml } from "../../../src/report/html.js";
import { grade, memoryStore, policyFile, seed } from "../support.js";

let engine: Engine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

/**
 * Five customers whose 12-month spend needs grouping and decimals:
 * A 1,234,567.89 (Platinum), B 12,763.06 (Gold), C 2,763.06 and D 2,000.25
 * (Silver), E nothing in the window (Bronze). Two runs (2025-07-01 and
 * 2026-01-01) so the report has its movement and churn sections.
 */
async function seeded(locale: string): Promise<{ e: Engine; file: string }> {
  engine = await memoryStore();
  await seed(engine, {
    customers: ["A", "B", "C", "D", "E"].map((customer_id) => ({ customer_id })),
    orders: [
      { order_id: "a1", customer_id: "A", ordered_at: "2025-03-01 12:00:00", amount: 1234567.89, status: "completed" },
      { order_id: "b1", customer_id: "B", ordered_at: "2025-08-01 12:00:00", amount: 12763.06, status: "completed" },
      { order_id: "c1", customer_id: "C", ordered_at: "2025-05-01 12:00:00", amount: 2763.06, status: "completed" },
      { order_id: "d1", customer_id: "D", ordered_at: "2025-06-01 12:00:00", amount: 2000.25, status: "completed" },
      { order_id: "e1", customer_id: "E", ordered_at: "2023-06-01 12:00:00", amount: 1500.5, status: "completed" },
    ],
  });
  const file = await policyFile(`version: 1
currency: EUR
locale: ${locale}
schemes:
  - name: grades
    kind: thresholds
    metric: spend(12 months)
    tiers:
      - { name: Platinum, min: 1000000 }
      - { name: Gold, min: 10000.5 }
      - { name: Silver, min: 1500.75 }
      - { name: Bronze }
`);
  await grade(engine, { file }, "2025-07-01");
  return { e: engine, file };
}

/** Text a person reads: HTML without styles, scripts and tags; ISO dates (not numbers) removed. */
function readable(text: string): string {
  return text
    .replace(/<style[\s\S]*?<\/style>/g, "")
    .replace(/<script[\s\S]*?<\/script>/g, "")
    .replace(/<[^>]*>/g, " ")
    .replace(/\d{4}-\d{2}-\d{2}/g, "DATE");
}

/** Every number written the en-US way: grouping by comma, a decimal point, a percent sign right after a digit. */
const EN_GROUPING = /\d,\d{3}(?!\d)/;
const EN_DECIMAL = /\d\.\d{1,2}(?!\d)/;
const EN_PERCENT = /\d%/;
/** de-DE the other way round: grouping by point, a decimal comma. */
const DE_GROUPING = /\d\.\d{3}(?!\d)/;
const DE_DECIMAL = /\d,\d{1,2}(?!\d)/;

async function outputs(locale: string): Promise<Record<string, string>> {
  const { e, file } = await seeded(locale);
  const { result } = await grade(e, { file }, "2026-01-01");
  const explained = renderExplanation(await explain(e, "C"));
  const gold = renderExplanation(await explain(e, "B"));
  const report = await buildReport(e);
  return {
    run: renderRun({ ...result, durationMs: 1234 }),
    explain: `${explained}\n${gold}`,
    text: renderReport(report),
    html: readable(reportHtml(report)),
  };
}

describe("every number a person reads follows the policy's locale", () => {
  it("de-DE: grouping points, decimal commas, a space before the percent sign, in explain, run and report", async () => {
    const out = await outputs("de-DE");
    expect(out["explain"]).toContain("spend(12 months) = 2.763,06");
    expect(out["explain"]).toContain("needs 7.237,44 more spend(12 months) for Gold");
    expect(out["explain"]).toContain("drops to Silver below 10.000,5");
    expect(out["run"]).toContain("(1,2 s)");
    expect(out["run"]).toContain("1.234.567,89");
    expect(out["text"]).toContain("bring 80\u00a0% of revenue");
    expect(out["html"]).toContain("of customers bring 80\u00a0% of revenue");
    expect(out["text"]).toMatch(/Gini coefficient 0,\d\d/);
    for (const [name, text] of Object.entries(out)) {
      const readableText = readable(text);
      expect({ name, found: readableText.match(EN_GROUPING)?.[0] ?? null }).toEqual({ name, found: null });
      expect({ name, found: readableText.match(EN_DECIMAL)?.[0] ?? null }).toEqual({ name, found: null });
      expect({ name, found: readableText.match(EN_PERCENT)?.[0] ?? null }).toEqual({ name, found: null });
    }
  });

  it("en-US: grouping commas and decimal points, in explain, run and report", async () => {
    const out = await outputs("en-US");
    expect(out["explain"]).toContain("spend(12 months) = 2,763.06");
    expect(out["explain"]).toContain("needs 7,237.44 more spend(12 months) for Gold");
    expect(out["run"]).toContain("1,234,567.89");
    expect(out["text"]).toContain("bring 80% of revenue");
    for (const [name, text] of Object.entries(out)) {
      const readableText = readable(text);
      expect({ name, found: readableText.match(DE_GROUPING)?.[0] ?? null }).toEqual({ name, found: null });
      expect({ name, found: readableText.match(DE_DECIMAL)?.[0] ?? null }).toEqual({ name, found: null });
    }
  });
});

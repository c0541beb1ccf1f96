/**
 * The HTML report in a real browser: Debian's `chromium` driven by
 * playwright-core (`.ci/run` installs it). Missing Chromium is a failure
 * with a message, not a skip.
 */
import { existsSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildReport } from "../../src/insight/report.js";
import { reportHtml } from "../../src/report/html.js";
import { namesPolicy, seedFour } from "../run/report/support.js";
import { completedOrders, grade, memoryStore, policyFile, seed } from "../run/support.js";

const CHROMIUM = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";
const NBSP = "\u00a0";

let browser: Browser;
let url: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `Chromium is missing at ${CHROMIUM}: install Debian's chromium (apt-get install chromium; .ci/run does) or set CHROMIUM_PATH`,
    );
  const engine = await memoryStore();
  try {
    await seedFour(engine);
    await seed(engine, {
      customers: [{ customer_id: "E" }],
      orders: completedOrders("E", [["2025-09-01 12:00:00", 1_234_567]]),
    });
    await grade(engine, { file: await policyFile(namesPolicy("hu-HU", "HUF")) });
    const file = join(await mkdtemp(join(tmpdir(), "tw-report-")), "report.html");
    await writeFile(file, reportHtml(await buildReport(engine)), "utf8");
    url = pathToFileURL(file).href;
  } finally {
    await engine.close();
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
});

afterAll(async () => {
  await browser?.close();
});

describe("HTML report in Chromium", () => {
  it("shows the headline figures, the Pareto chart with the Gini coefficient and the tier table, in hu-HU", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const dialogs: string[] = [];
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const requests: string[] = [];
    page.on("request", (r) => {
      if (r.url() !== url) requests.push(r.url());
    });
    await page.goto(url);
    expect(await page.locator("h1").textContent()).toBe("Customer tiers as of 2026. január 1.");
    // revenue 100 + 1,234,567 over five customers, in forints with no-break-space thousands
    expect(await page.locator(".kpi-revenue .kpi-value").textContent()).toBe(`1${NBSP}234${NBSP}667${NBSP}Ft`);
    expect(await page.locator(".kpi-customers .kpi-value").textContent()).toBe("5");
    // revenue 1,234,567, 100, 0, 0, 0: Gini = 6/5 − 2·(1,234,567 + 200)/(5·1,234,667) = 0.800 (to 3 places)
    expect(await page.locator(".kpi-gini .kpi-value").textContent()).toBe("0,80");
    const pareto = page.locator(".chart-wide svg.pareto");
    await expect(pareto.isVisible()).resolves.toBe(true);
    expect(await pareto.locator("text.gini").textContent()).toBe("Gini 0,80");
    expect(await pareto.locator("polyline.pareto-curve").count()).toBe(1);
    expect(await page.locator("#pareto .lead").textContent()).toBe("the top 20% of customers bring 80% of revenue");

    const rows = page.locator("table.tiers tbody tr");
    expect(await rows.count()).toBe(5); // four tiers and the total
    expect(await rows.nth(0).locator("td").nth(0).textContent()).toBe("<script>alert('x')</script>");
    expect(await rows.nth(0).locator("td").nth(3).textContent()).toBe(`1${NBSP}234${NBSP}567${NBSP}Ft`);
    expect(await rows.nth(1).locator("td").nth(0).textContent()).toBe("金牌客户");
    expect(await rows.nth(2).locator("td").nth(0).textContent()).toBe("عميل ذهبي");
    expect(await page.locator(".chart-wide svg.tier-bars rect.bar-revenue").count()).toBe(4);
    expect(dialogs).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });

  it("fits a phone's width: tables become cards, each chart shows its phone drawing", async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(url);
    // evaluated in the page (strings: the test is compiled without the DOM library)
    const overflow = Number(await page.evaluate("document.documentElement.scrollWidth - window.innerWidth"));
    expect(overflow).toBeLessThanOrEqual(0);
    const kpiColumns = Number(
      await page.evaluate("getComputedStyle(document.querySelector('.kpis')).gridTemplateColumns.split(' ').length"),
    );
    expect(kpiColumns).toBe(2);
    expect(await page.locator("svg.pareto.narrow").isVisible()).toBe(true);
    expect(await page.locator(".chart-wide svg.pareto").isVisible()).toBe(false);
    expect(await page.locator("table.tiers thead").isVisible()).toBe(false);
    // each value carries its column's name
    const revenue = page.locator("table.tiers tbody tr").nth(0).locator("td").nth(3);
    expect(await revenue.getAttribute("data-label")).toBe("Revenue");
    const before = await page.evaluate(
      `getComputedStyle(document.querySelectorAll("table.tiers tbody tr")[0].querySelectorAll("td")[3], "::before").content`,
    );
    expect(before).toBe('"Revenue"');
    await page.close();
  });
});

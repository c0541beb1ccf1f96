/**
 * The HTML report's layout in a real browser (Debian's `chromium` driven by
 * playwright-core, as in browser.test.ts), on the most crowded page the
 * fixtures make (crowdedReport: eleven columns, money in the tens of
 * millions, long names in every script), at a desktop width (1280 px) and a
 * phone's (390 px): no text overflows its box, nothing needs sideways
 * scrolling, chart labels on the phone render at 11 px or more, and the
 * lists show names next to the ids.
 */
import { existsSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportHtml } from "../../src/report/html.js";
import { crowdedReport } from "./fixture.js";

const CHROMIUM = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";

let browser: Browser;
/** The crowded page in euros (en-US) and in rupiah (id-ID: "Rp 123.456.789", the longest money of the shipped locales). */
const urls: Record<string, string> = {};

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `Chromium is missing at ${CHROMIUM}: install Debian's chromium (apt-get install chromium; .ci/run does) or set CHROMIUM_PATH`,
    );
  const dir = await mkdtemp(join(tmpdir(), "tw-report-layout-"));
  for (const [locale, currency] of [
    ["en-US", "EUR"],
    ["id-ID", "IDR"],
  ] as const) {
    const file = join(dir, `report-${locale}.html`);
    await writeFile(file, reportHtml({ ...crowdedReport(), locale, currency }), "utf8");
    urls[locale] = pathToFileURL(file).href;
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
});

afterAll(async () => {
  await browser?.close();
});

/**
 * Every visible element that holds text of its own, checked in the page:
 * its box lies inside the viewport, inside its table's container and its
 * cell; a block's content is not wider than the block; no table container
 * scrolls sideways. Returns one line per problem.
 */
const OVERFLOW_PROBLEMS = `(() => {
  const problems = [];
  const vw = document.documentElement.clientWidth;
  const where = (el) => el.tagName.toLowerCase() + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : "") + ' "' + (el.textContent || "").trim().slice(0, 40) + '"';
  if (document.documentElement.scrollWidth > vw) problems.push("page scrolls sideways: " + document.documentElement.scrollWidth + " > " + vw);
  for (const box of document.querySelectorAll(".scroll"))
    if (box.checkVisibility() && box.scrollWidth > box.clientWidth + 1) problems.push("table scrolls sideways: " + box.scrollWidth + " > " + box.clientWidth + " in " + where(box.querySelector("table")));
  for (const el of document.body.querySelectorAll("*")) {
    if (el.closest("svg") || !el.checkVisibility()) continue;
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim() !== "");
    if (!own) continue;
    const r = el.getBoundingClientRect();
    if (r.left < -1 || r.right > vw + 1) problems.push("outside the viewport (" + Math.round(r.left) + ".." + Math.round(r.right) + "): " + where(el));
    for (const sel of [".scroll", "td, th", ".kpi"]) {
      const c = el.parentElement && el.parentElement.closest(sel);
      if (!c) continue;
      const b = c.getBoundingClientRect();
      if (r.left < b.left - 1 || r.right > b.right + 1) problems.push("outside its " + sel + " (" + Math.round(r.right) + " > " + Math.round(b.right) + "): " + where(el));
    }
    if (getComputedStyle(el).display !== "inline" && el.scrollWidth > el.clientWidth + 1) problems.push("content wider than its box (" + el.scrollWidth + " > " + el.clientWidth + "): " + where(el));
  }
  return problems;
})()`;

/** Every text of every shown chart: its rendered font size in px and whether it lies inside its chart. */
const CHART_TEXTS = `(() => [...document.querySelectorAll("svg.chart")].filter((s) => s.checkVisibility()).flatMap((svg) => {
  const box = svg.getBoundingClientRect();
  return [...svg.querySelectorAll("text")].map((t) => {
    const m = t.getScreenCTM();
    const r = t.getBoundingClientRect();
    return {
      text: t.textContent,
      px: Math.round(parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b) * 100) / 100,
      inside: r.left >= box.left - 1 && r.right <= box.right + 1 && r.top >= box.top - 1 && r.bottom <= box.bottom + 1,
    };
  });
}))()`;

async function open(width: number, locale = "en-US"): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  await page.goto(urls[locale] ?? "");
  return page;
}

const text = async (page: Page, selector: string) => (await page.locator(selector).allInnerTexts()).join("\n");

describe.each([1280, 390])("the crowded report at %i px", (width) => {
  it.each(["en-US", "id-ID"])(
    "has no text outside its box and nothing that scrolls sideways, in %s",
    async (locale) => {
      const page = await open(width, locale);
      expect(await page.evaluate(OVERFLOW_PROBLEMS)).toEqual([]);
      await page.close();
    },
  );

  it.each(["en-US", "id-ID"])(
    "keeps every chart label inside its chart, and on a phone at 11 px or more, in %s",
    async (locale) => {
      const page = await open(width, locale);
      const texts = (await page.evaluate(CHART_TEXTS)) as { text: string; px: number; inside: boolean }[];
      expect(texts.length).toBeGreaterThan(100);
      expect(texts.filter((t) => !t.inside)).toEqual([]);
      if (width < 600) expect(texts.filter((t) => t.px < 11)).toEqual([]);
      await page.close();
    },
  );

  it("shows customers' and products' names next to their ids", async () => {
    const page = await open(width);
    const movers = await text(page, "table.movers");
    expect(movers).toContain("Maximilian Alexander von Hohenzollern-Sigmaringen");
    expect(movers).toContain("C-0000-2024-LONG-ID");
    const atRisk = await text(page, "table.at-risk");
    expect(atRisk).toContain("Nguyễn Thị Lan Hương Trading Company Limited");
    expect(atRisk).toContain("C-1000-2024-LONG-ID");
    const rules = await text(page, "table.cross-sell");
    expect(rules).toContain("Trail running shoe, waterproof, men's wide fit");
    expect(rules).toContain("SKU-TRAIL-SHOE-0042");
    expect(rules).toContain("Merino wool hiking socks (three pairs)");
    await page.close();
  });

  it("writes the headline figures in one format and one size", async () => {
    const page = await open(width);
    const values = await page.locator(".kpi-value").allInnerTexts();
    // money in whole euros, never compact, whatever its size
    expect(values).toEqual(["3,469,133", "€123,456,789", "€23,456,789", "62%", "0.75"]);
    const sizes = await page.evaluate(
      `[...document.querySelectorAll(".kpi-value")].map((v) => Math.round(parseFloat(getComputedStyle(v).fontSize) * 10) / 10)`,
    );
    expect(new Set(sizes as number[]).size).toBe(1);
    await page.close();
  });
});

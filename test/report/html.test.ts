import { describe, expect, it } from "vitest";
import { renderReport, revenueAt, terminalText } from "../../src/cli/render-report.js";
import { displayWidth } from "../../src/cli/text-table.js";
import { escapeHtml } from "../../src/report/escape.js";
import { formats } from "../../src/report/format.js";
import { reportHtml } from "../../src/report/html.js";
import { crowdedReport, sampleReport } from "./fixture.js";

const NBSP = "\u00a0";

describe("HTML report", () => {
  const html = reportHtml(sampleReport());

  it("escapes every user text: no markup from tier or scheme names reaches the page", () => {
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<grades>");
    expect(html).not.toContain("<b>warning");
    expect(html).toContain("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
    expect(html).toContain("value &amp; &lt;grades&gt;");
    expect(escapeHtml(`"'&<>`)).toBe("&quot;&#39;&amp;&lt;&gt;");
  });

  it("shows names next to ids in the lists, escaped and isolated", () => {
    const r = crowdedReport();
    const m = r.history?.migrations;
    const mover = m?.movers[0];
    if (!r.history || !m || !mover) throw new Error("fixture changed");
    const page = reportHtml({
      ...r,
      history: { ...r.history, migrations: { ...m, movers: [{ ...mover, name: "<img src=x> & Co" }] } },
    });
    const movers = page.split('<table class="movers">')[1]?.split("</table>")[0] ?? "";
    expect(movers).toContain(
      '<td data-label="Customer"><span class="named"><span class="name"><bdi>&lt;img src=x&gt; &amp; Co</bdi></span> <span class="id">C-0000-2024-LONG-ID</span></span></td>',
    );
    expect(page).not.toContain("<img");
  });

  it("keeps CJK and right-to-left names intact, each in its own bidi isolate", () => {
    expect(html).toContain("<bdi>金牌客户</bdi>");
    expect(html).toContain("<bdi>عميل ذهبي</bdi>");
    // in a chart line the name is isolated from the count after it
    expect(html).toContain('<tspan style="unicode-bidi:isolate">عميل ذهبي</tspan> · 600 customers</text>');
    expect(html).toContain('<meta charset="utf-8">');
  });

  it("is self-contained: no scripts, no external fonts, images or links", () => {
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(|https?:\/\/(?!www\.w3\.org\/2000\/svg)/i);
    expect(html).toContain("default-src 'none'");
    expect(html).toContain("@media print");
    expect(html).toContain("@media (max-width:640px)");
    expect(html).toContain('name="viewport"');
  });

  it("draws the charts as inline SVG: tier shares, the Pareto curve with the Gini coefficient, the crosstab heatmap", () => {
    // each drawn twice: for a page and for a phone (CSS shows one)
    expect(html.match(/<svg class="chart tier-bars"/g)).toHaveLength(1);
    expect(html.match(/<svg class="chart tier-bars narrow"/g)).toHaveLength(1);
    expect(html).toMatch(/<svg class="chart pareto"[^>]*aria-label="Pareto curve of revenue, Gini 0,75"/);
    expect(html).toMatch(/<svg class="chart pareto narrow"[^>]*viewBox="0 0 340 300"/);
    expect(html).toContain('<polyline class="pareto-curve"');
    expect(html).toContain('<svg class="chart heatmap"');
    expect(html).toContain('<svg class="chart heatmap narrow"');
  });

  it("formats numbers, money, percentages and dates in the report's locale", () => {
    expect(html).toContain(`1${NBSP}234${NBSP}567${NBSP}Ft`); // hu-HU: no-break space thousands, forint after
    expect(html).toContain("9,8%");
    expect(html).toContain("2026. január 1.");
    const zh = reportHtml(sampleReport("zh-CN", "CNY"));
    expect(zh).toContain("¥1,234,567");
    expect(zh).toContain("2026年1月1日");
    const id = reportHtml(sampleReport("id-ID", "IDR"));
    expect(id).toContain(`Rp${NBSP}1.234.567`);
  });

  it("shows each tier's yearly benefit cost against its revenue and contribution, and the scheme's line", () => {
    const cells = (row: number) =>
      [
        ...(html.split('<table class="tiers dense">')[1]?.split("<tr>")[row + 1] ?? "").matchAll(
          /<td[^>]*>(.*?)<\/td>/g,
        ),
      ].map((m) => m[1]);
    expect(html).toContain('<th class="num">Benefit cost / year</th>');
    // hu-HU: whole forints; 61,728.35 → 61 728 Ft, 5% of revenue, 15.4% of contribution
    expect(cells(1).slice(8)).toEqual([`61${NBSP}728${NBSP}Ft`, "5%", "15,4%"]);
    expect(cells(2).slice(8)).toEqual([`24${NBSP}000${NBSP}Ft`, "3%", "9,6%"]);
    expect(cells(3).slice(8)).toEqual([`0${NBSP}Ft`, "–", "–"]);
    expect(cells(4).slice(8)).toEqual([`<strong>85${NBSP}728${NBSP}Ft</strong>`, "4,2%", "13,2%"]);
    expect(html).toContain(
      `<p class="benefits">benefits cost 4,2% of revenue and 13,2% of net contribution: 85${NBSP}728${NBSP}Ft a year`,
    );
    const unpriced = sampleReport();
    const plain = reportHtml({
      ...unpriced,
      schemes: unpriced.schemes.map((s) => ({
        ...s,
        benefitCost: null,
        benefitCostOfRevenue: null,
        benefitCostOfContribution: null,
        benefitSentence: null,
        tiers: s.tiers.map((t) => ({
          ...t,
          benefitCost: null,
          benefitCostOfRevenue: null,
          benefitCostOfContribution: null,
        })),
      })),
    });
    expect(plain).not.toContain("Benefit cost");
    expect(plain).not.toContain('class="benefits"');
  });

  it("lists each tier's strongest cross-sell rules, escaped, with confidence and lift in the locale", () => {
    const html = reportHtml(sampleReport());
    const section = html.split('<section id="cross-sell"')[1]?.split("</section>")[0] ?? "";
    expect(section).toContain("&lt;b&gt;shoes&lt;/b&gt;");
    expect(section).not.toContain("<b>shoes</b>");
    const cells = [...section.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) => m[1]);
    expect(cells).toEqual([
      '<span class="named"><span class="id">&lt;b&gt;shoes&lt;/b&gt;</span></span>',
      '<span class="named"><span class="id">socks</span></span>',
      "120",
      "75%",
      "1,50×",
    ]);
    expect(html).toContain('<a href="#cross-sell">Cross-sell</a>');
    expect(renderReport(sampleReport("en-US", "USD"))).toMatch(
      /金牌客户\s+120\s+75%\s+1\.50x {2}<b>shoes<\/b> → socks/,
    );
  });

  it("formats tiny shares as under a tenth of a percent, never as 0% or -0%", () => {
    const f = formats("en-US", "EUR");
    expect(f.percent(0.0002)).toBe("<0.1%");
    expect(f.percent(-0.0002)).toBe("0%");
    expect(f.percent(null)).toBe("–");
  });
});

describe("text report", () => {
  const text = renderReport(sampleReport("en-US", "EUR"));

  it("shows the headline, the sentences and each tier in the locale", () => {
    expect(text).toContain("1,000 customers graded · revenue €2,034,567 · net contribution €649,000 · Gini 0.75");
    expect(text).toContain("the top 9,8% of customers bring 80% of revenue");
    expect(text).toMatch(/金牌客户\s+302\s+30\.2%\s+€800,000\s+39\.3%/);
  });

  it("shows the benefit cost columns and the scheme's benefit line", () => {
    expect(text).toMatch(/金牌客户\s+302\s+30\.2%\s+€800,000\s+39\.3%\s+€250,000\s+38\.5%\s+€24,000\s+3%\s+9\.6%/);
    expect(text).toContain(
      "  benefits cost 4,2% of revenue and 13,2% of net contribution (€85,728 a year, from the playbooks)",
    );
  });

  it("aligns CJK and right-to-left names by display width", () => {
    const lines = text.split("\n");
    const header = lines.findIndex((l) => l.startsWith("tier ") && l.includes("customers"));
    const rows = lines.slice(header + 2, header + 5);
    // the end of the right-aligned customers column sits in the same terminal cell on every row
    const at = (l: string) => displayWidth(/^\D*\d+/.exec(l)?.[0] ?? "");
    expect(rows.map(at)).toEqual([at(rows[0] ?? ""), at(rows[0] ?? ""), at(rows[0] ?? "")]);
  });

  it("shows names next to the ids of movers, customers at risk and cross-sell products", () => {
    const crowded = renderReport(crowdedReport());
    expect(crowded).toContain("C-0000-2024-LONG-ID (Maximilian Alexander von Hohenzollern-Sigmaringen)");
    expect(crowded).toContain("C-1000-2024-LONG-ID (Nguyễn Thị Lan Hương Trading Company Limited)");
    expect(crowded).toMatch(
      /SKU-TRAIL-SHOE-0042 \(Trail running shoe, waterproof, men's wide fit\) → SKU-WOOL-SOCKS-0099 \(Merino wool hiking socks \(three pairs\)\)/,
    );
    const hostile = crowdedReport();
    const atRisk = hostile.history?.churn?.atRisk[0];
    if (!hostile.history?.churn || !atRisk) throw new Error("fixture changed");
    const named = renderReport({
      ...hostile,
      history: {
        ...hostile.history,
        churn: { ...hostile.history.churn, atRisk: [{ ...atRisk, name: "Evil\u001b[2J" }] },
      },
    });
    expect(named).toContain("C-1000-2024-LONG-ID (Evil\uFFFD[2J)");
  });

  it("never sends control characters from user text to the terminal", () => {
    expect(terminalText("Gold\u001b[2J\nx")).toBe("Gold\uFFFD[2J\uFFFDx");
  });

  it("reads the curve between its points", () => {
    const p = sampleReport().pareto;
    if (!p) throw new Error("no pareto");
    expect(revenueAt(p, 0.098)).toBeCloseTo(0.8, 9);
    expect(revenueAt(p, 0.049)).toBeCloseTo(0.4, 9);
    expect(revenueAt(p, 1)).toBe(1);
  });
});

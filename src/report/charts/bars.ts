import type { ReportScheme } from "../../insight/report.js";
import type { Formats } from "../format.js";
import { clip } from "./clip.js";
import { type ChartLayout, NARROW_WIDTH } from "./layout.js";
import { COLORS, n, namedText, svg, text } from "./svg.js";

/**
 * Per tier, best first, two bars on one scale: the tier's share of the
 * scheme's customers (grey) and of its revenue (accent). The tier name sits
 * on its own line above its bars, so long and right-to-left names need no
 * truncation. Narrow: a phone's width, the legend on two lines.
 */
export function tierShareBars(s: ReportScheme, f: Formats, layout: ChartLayout = "wide"): string {
  const narrow = layout === "narrow";
  const width = narrow ? NARROW_WIDTH : 640;
  const barArea = width - (narrow ? 52 : 70);
  const block = 70;
  const top = narrow ? 50 : 30;
  const height = top + block * s.tiers.length;
  const who = s.entity === "customers" ? "customers" : "leads";
  const what = s.entity === "customers" ? "revenue" : "pipeline amount";
  const second = narrow ? { x: 0, y: 24 } : { x: 190, y: 0 };
  const legend = [
    `<rect x="0" y="4" width="12" height="12" fill="${COLORS.customers}"/>`,
    text(18, 14, `share of ${who}`, { "font-size": 13, fill: COLORS.muted }),
    `<rect x="${second.x}" y="${4 + second.y}" width="12" height="12" fill="${COLORS.revenue}"/>`,
    text(second.x + 18, 14 + second.y, `share of ${what}`, { "font-size": 13, fill: COLORS.muted }),
  ].join("");
  const rows = s.tiers
    .map((t, i) => {
      const y = top + i * block;
      const bar = (share: number | null, dy: number, color: string, cls: string) => {
        const w = Math.max(share === null ? 0 : share * barArea, share ? 1.5 : 0);
        return `<rect class="${cls}" x="0" y="${n(y + dy)}" width="${n(w)}" height="16" rx="2" fill="${color}"/>${text(
          w + 6,
          y + dy + 13,
          f.percent(share),
          { "font-size": 13, fill: COLORS.ink },
        )}`;
      };
      const count = `${f.count(t.entities)} ${t.entities === 1 ? who.slice(0, -1) : who}`;
      // at most about 8.5 units a Latin letter at 14 units bold (13 narrow): the name gets what the count leaves
      const room = Math.max(8, Math.floor(width / 8.5) - [...count].length - 3);
      return [
        namedText(0, y + 16, clip(t.tier, Math.min(48, room)), ` · ${count}`, {
          "font-size": narrow ? 13 : 14,
          "font-weight": 600,
          fill: COLORS.ink,
          class: "tier-name",
        }),
        bar(t.entityShare, 24, COLORS.customers, "bar-customers"),
        bar(t.revenueShare, 44, COLORS.revenue, "bar-revenue"),
      ].join("");
    })
    .join("");
  return svg(
    width,
    height,
    `${s.scheme}: share of ${who} and of ${what} by tier`,
    legend + rows,
    narrow ? "chart tier-bars narrow" : "chart tier-bars",
  );
}

import type { ReportScheme } from "../../run/report.js";
import type { Formats } from "../format.js";
import { clip } from "./clip.js";
import { COLORS, n, svg, text } from "./svg.js";

/**
 * Per tier, best first, two bars on one scale: the tier's share of the
 * scheme's customers (grey) and of its revenue (accent). The tier name sits
 * on its own line above its bars, so long and right-to-left names need no
 * truncation.
 */
export function tierShareBars(s: ReportScheme, f: Formats): string {
  const width = 640;
  const barArea = width - 70;
  const block = 70;
  const top = 30;
  const height = top + block * s.tiers.length;
  const who = s.entity === "customers" ? "customers" : "leads";
  const what = s.entity === "customers" ? "revenue" : "pipeline amount";
  const legend = [
    `<rect x="0" y="4" width="12" height="12" fill="${COLORS.customers}"/>`,
    text(18, 14, `share of ${who}`, { "font-size": 13, fill: COLORS.muted }),
    `<rect x="190" y="4" width="12" height="12" fill="${COLORS.revenue}"/>`,
    text(208, 14, `share of ${what}`, { "font-size": 13, fill: COLORS.muted }),
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
      return [
        text(0, y + 16, `${clip(t.tier, 48)} · ${f.count(t.entities)} ${t.entities === 1 ? who.slice(0, -1) : who}`, {
          "font-size": 14,
          "font-weight": 600,
          fill: COLORS.ink,
          class: "tier-name",
        }),
        bar(t.entityShare, 24, COLORS.customers, "bar-customers"),
        bar(t.revenueShare, 44, COLORS.revenue, "bar-revenue"),
      ].join("");
    })
    .join("");
  return svg(width, height, `${s.scheme}: share of ${who} and of ${what} by tier`, legend + rows, "chart tier-bars");
}

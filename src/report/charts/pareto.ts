import type { Pareto } from "../../insight/report.js";
import type { Formats } from "../format.js";
import { type ChartLayout, NARROW_WIDTH } from "./layout.js";
import { COLORS, n, svg, text } from "./svg.js";

/**
 * The Pareto / Lorenz curve: cumulative share of revenue (up) against the
 * share of customers, best customers first, with the line of equality; the
 * area between them is half the Gini coefficient. Marks where the curve
 * reaches 80% of revenue. Narrow: a phone's width, labels at the same size.
 */
export function paretoChart(p: Pareto, f: Formats, layout: ChartLayout = "wide"): string {
  const narrow = layout === "narrow";
  const width = narrow ? NARROW_WIDTH : 520;
  const height = narrow ? 300 : 380;
  const left = narrow ? 50 : 56;
  const right = 22; // half of the last axis label, "100%"
  const top = 20;
  const bottom = 52;
  const w = width - left - right;
  const h = height - top - bottom;
  const x = (share: number) => left + share * w;
  const y = (share: number) => top + (1 - share) * h;
  const grid: string[] = [];
  for (let i = 0; i <= 5; i++) {
    const s = i / 5;
    grid.push(
      `<line x1="${n(x(0))}" x2="${n(x(1))}" y1="${n(y(s))}" y2="${n(y(s))}" stroke="${COLORS.grid}"/>`,
      `<line x1="${n(x(s))}" x2="${n(x(s))}" y1="${n(y(0))}" y2="${n(y(1))}" stroke="${COLORS.grid}"/>`,
      text(left - 8, y(s) + 4, f.percent(s), { "font-size": 12, fill: COLORS.muted, "text-anchor": "end" }),
      text(x(s), y(0) + 18, f.percent(s), { "font-size": 12, fill: COLORS.muted, "text-anchor": "middle" }),
    );
  }
  const points = p.points.map((pt) => `${n(x(pt.customers))},${n(y(pt.revenue))}`).join(" ");
  const area = `<polygon points="${points} ${n(x(1))},${n(y(1))}" fill="${COLORS.accentSoft}" opacity="0.9"/>`;
  const equality = `<line x1="${n(x(0))}" y1="${n(y(0))}" x2="${n(x(1))}" y2="${n(y(1))}" stroke="${COLORS.muted}" stroke-dasharray="4 4"/>`;
  const curve = `<polyline class="pareto-curve" points="${points}" fill="none" stroke="${COLORS.revenue}" stroke-width="3" stroke-linejoin="round"/>`;
  const marks: string[] = [];
  if (p.top80 !== null) {
    marks.push(
      `<line x1="${n(x(0))}" x2="${n(x(p.top80))}" y1="${n(y(0.8))}" y2="${n(y(0.8))}" stroke="${COLORS.contribution}" stroke-dasharray="3 3"/>`,
      `<line x1="${n(x(p.top80))}" x2="${n(x(p.top80))}" y1="${n(y(0.8))}" y2="${n(y(0))}" stroke="${COLORS.contribution}" stroke-dasharray="3 3"/>`,
      `<circle cx="${n(x(p.top80))}" cy="${n(y(0.8))}" r="5" fill="${COLORS.contribution}"/>`,
      // right of the mark, or left of it when the mark sits far right (a flat curve)
      p.top80 < 0.5
        ? text(x(p.top80) + 9, y(0.8) + 18, `top ${f.percent(p.top80)} → ${f.percent(0.8)}`, {
            "font-size": 13,
            "font-weight": 600,
            fill: COLORS.contribution,
          })
        : text(x(p.top80) - 9, y(0.8) - 10, `top ${f.percent(p.top80)} → ${f.percent(0.8)}`, {
            "font-size": 13,
            "font-weight": 600,
            fill: COLORS.contribution,
            "text-anchor": "end",
          }),
    );
  }
  const gini =
    p.gini === null
      ? ""
      : text(x(1) - 6, y(0) - 14, `Gini ${f.decimal(p.gini, 2)}`, {
          "font-size": 16,
          "font-weight": 700,
          fill: COLORS.ink,
          "text-anchor": "end",
          class: "gini",
        });
  const labels = [
    text(left + w / 2, height - 10, "share of customers, highest revenue first", {
      "font-size": 13,
      fill: COLORS.muted,
      "text-anchor": "middle",
    }),
    text(14, top + h / 2, "share of revenue", {
      "font-size": 13,
      fill: COLORS.muted,
      "text-anchor": "middle",
      transform: `rotate(-90 14 ${n(top + h / 2)})`,
    }),
  ];
  const title = `Pareto curve of revenue${p.gini === null ? "" : `, Gini ${f.decimal(p.gini, 2)}`}`;
  return svg(
    width,
    height,
    title,
    [...grid, area, equality, curve, ...marks, gini, ...labels].join(""),
    narrow ? "chart pareto narrow" : "chart pareto",
  );
}

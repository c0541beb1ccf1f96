import type { Formats } from "../format.js";
import { clip } from "./clip.js";
import { COLORS, n, svg, text } from "./svg.js";

export interface HeatmapInput {
  readonly title: string;
  /** Axis captions: the scheme (or run) of the rows and of the columns. */
  readonly rowCaption: string;
  readonly columnCaption: string;
  readonly rows: readonly string[];
  readonly columns: readonly string[];
  /** Count per row and column label. */
  value(row: string, column: string): number;
}

/** Blend the accent colour into white by `t` (0..1). */
function shade(t: number): string {
  const from = [255, 255, 255];
  const to = [11, 110, 79];
  const mix = from.map((c, i) => Math.round(c + ((to[i] ?? c) - c) * t));
  return `rgb(${mix.join(",")})`;
}

/**
 * A grid of counts shaded by size (darker = more customers): a crosstab of
 * two schemes or a migration matrix. Column names are set at an angle so
 * that long names fit; every cell shows its number.
 */
export function heatmap(input: HeatmapInput, f: Formats): string {
  const cell = 64;
  const rowLabel = 150;
  const head = 96;
  const width = rowLabel + cell * input.columns.length + 80; // room for the last column name, set at an angle
  const height = head + (cell * input.rows.length) / 1.6 + 30;
  const ch = cell / 1.6;
  let max = 0;
  for (const r of input.rows) for (const c of input.columns) max = Math.max(max, input.value(r, c));
  const parts: string[] = [
    text(rowLabel, 14, `${input.columnCaption} →`, { "font-size": 12, fill: COLORS.muted }),
    text(0, head - 6, `${input.rowCaption} ↓`, { "font-size": 12, fill: COLORS.muted }),
  ];
  input.columns.forEach((c, j) => {
    const cx = rowLabel + j * cell + cell / 2;
    parts.push(
      text(cx, head - 8, clip(c, 14), {
        "font-size": 13,
        fill: COLORS.ink,
        transform: `rotate(-35 ${n(cx)} ${n(head - 8)})`,
        class: "col-name",
      }),
    );
  });
  input.rows.forEach((r, i) => {
    const y = head + i * ch;
    parts.push(text(0, y + ch / 2 + 5, clip(r, 20), { "font-size": 13, fill: COLORS.ink, class: "row-name" }));
    input.columns.forEach((c, j) => {
      const v = input.value(r, c);
      const t = max > 0 ? v / max : 0;
      const x = rowLabel + j * cell;
      parts.push(
        `<rect x="${n(x + 1)}" y="${n(y + 1)}" width="${n(cell - 2)}" height="${n(ch - 2)}" rx="3" fill="${v === 0 ? "#f5f7fa" : shade(0.12 + 0.88 * t)}"/>`,
        text(x + cell / 2, y + ch / 2 + 5, v === 0 ? "·" : f.count(v), {
          "font-size": 13,
          fill: t > 0.5 ? "#ffffff" : COLORS.ink,
          "text-anchor": "middle",
          class: "cell",
        }),
      );
    });
  });
  return svg(width, height, input.title, parts.join(""), "chart heatmap");
}

import type { Formats } from "../format.js";
import { clip } from "./clip.js";
import { type ChartLayout, NARROW_WIDTH } from "./layout.js";
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

/** Sizes of one drawing, in SVG units (a Latin letter at 13 units is about 7.5 wide). */
interface Geometry {
  readonly rowLabel: number;
  readonly cell: number;
  readonly head: number;
  /** Room right of the last column for its slanted name. */
  readonly tail: number;
  /** Angle of the column names (degrees, negative = rising). */
  readonly angle: number;
  /** Column and row names are cut to these many letters. */
  readonly columnName: number;
  readonly rowName: number;
  /** Both axis captions above the grid (narrow) instead of beside it. */
  readonly stackedCaptions: boolean;
}

const LETTER = 7.5;

/** One grid of counts: the given columns of the input, all its rows. */
function grid(
  input: HeatmapInput,
  columns: readonly string[],
  g: Geometry,
  max: number,
  f: Formats,
  className: string,
): string {
  const ch = 40;
  const width = g.rowLabel + g.cell * columns.length + g.tail;
  const height = g.head + ch * input.rows.length + 8;
  const captionRoom = (from: number) => Math.max(6, Math.floor((width - from) / (LETTER * 0.95)) - 2);
  const caption = { "font-size": 12, fill: COLORS.muted };
  // narrow: both captions on lines of their own above the grid, where they have the whole width
  const parts: string[] = g.stackedCaptions
    ? [
        text(0, 14, `${clip(input.rowCaption, captionRoom(0))} ↓`, caption),
        text(0, 32, `${clip(input.columnCaption, captionRoom(0))} →`, caption),
      ]
    : [
        text(g.rowLabel, 14, `${clip(input.columnCaption, captionRoom(g.rowLabel))} →`, caption),
        text(0, g.head - 6, `${clip(input.rowCaption, Math.floor(g.rowLabel / (LETTER * 0.95)) - 2)} ↓`, caption),
      ];
  columns.forEach((c, j) => {
    const cx = g.rowLabel + j * g.cell + g.cell / 2;
    parts.push(
      text(cx, g.head - 8, clip(c, g.columnName), {
        "font-size": 13,
        fill: COLORS.ink,
        transform: `rotate(${g.angle} ${n(cx)} ${n(g.head - 8)})`,
        class: "col-name",
      }),
    );
  });
  input.rows.forEach((r, i) => {
    const y = g.head + i * ch;
    parts.push(text(0, y + ch / 2 + 5, clip(r, g.rowName), { "font-size": 13, fill: COLORS.ink, class: "row-name" }));
    columns.forEach((c, j) => {
      const v = input.value(r, c);
      const t = max > 0 ? v / max : 0;
      const x = g.rowLabel + j * g.cell;
      parts.push(
        `<rect x="${n(x + 1)}" y="${n(y + 1)}" width="${n(g.cell - 2)}" height="${n(ch - 2)}" rx="3" fill="${v === 0 ? "#f5f7fa" : shade(0.12 + 0.88 * t)}"/>`,
        text(x + g.cell / 2, y + ch / 2 + 5, v === 0 ? "·" : f.count(v), {
          "font-size": 13,
          fill: t > 0.5 ? "#ffffff" : COLORS.ink,
          "text-anchor": "middle",
          class: "cell",
        }),
      );
    });
  });
  return svg(width, height, input.title, parts.join(""), className);
}

/**
 * A grid of counts shaded by size (darker = more customers): a crosstab of
 * two schemes or a migration matrix. Column names are set at an angle so
 * that long names fit; every cell shows its number, and cells widen to hold
 * the longest. Narrow (a phone): the columns are split into panels of a
 * phone's width, one under the other, so the labels keep their size.
 */
export function heatmap(input: HeatmapInput, f: Formats, layout: ChartLayout = "wide"): string {
  let max = 0;
  let longest = 1;
  for (const r of input.rows)
    for (const c of input.columns) {
      const v = input.value(r, c);
      max = Math.max(max, v);
      longest = Math.max(longest, [...f.count(v)].length);
    }
  const digits = longest * 7 + 12; // tabular digits are a little narrower than letters
  if (layout === "wide") {
    const g: Geometry = {
      rowLabel: 150,
      cell: Math.max(64, digits),
      head: 96,
      tail: 80,
      angle: -35,
      columnName: 14,
      rowName: 18,
      stackedCaptions: false,
    };
    return grid(input, input.columns, g, max, f, "chart heatmap");
  }
  const g: Geometry = {
    rowLabel: 100,
    cell: Math.max(48, digits),
    head: 130,
    tail: 40,
    angle: -60,
    columnName: 12,
    rowName: 11,
    stackedCaptions: true,
  };
  const perPanel = Math.max(1, Math.floor((NARROW_WIDTH - g.rowLabel - g.tail) / g.cell));
  const panels: string[] = [];
  for (let i = 0; i < input.columns.length; i += perPanel)
    panels.push(grid(input, input.columns.slice(i, i + perPanel), g, max, f, "chart heatmap narrow"));
  return panels.join("");
}

/**
 * Which drawing of a chart: `wide` for a page (up to 1040 px), `narrow` for a
 * phone. A narrow chart is drawn 340 units wide — the content width of a
 * 390 px phone — so its labels (at least 12 units) render at their own size,
 * never below 11 px down to a 360 px phone.
 */
export type ChartLayout = "wide" | "narrow";

/** The width of a narrow chart's drawing, in SVG units. */
export const NARROW_WIDTH = 340;

import { escapeHtml } from "../escape.js";

/** The report's palette: one accent for revenue, a quiet grey for customers, ink for text. */
export const COLORS = {
  ink: "#1f2933",
  muted: "#616e7c",
  grid: "#e4e7eb",
  customers: "#9aa5b1",
  revenue: "#0b6e4f",
  contribution: "#c05621",
  accentSoft: "#d7f0e5",
} as const;

/** A number for SVG coordinates (two decimals, no exponent). */
export const n = (x: number): string => (Number.isFinite(x) ? String(Math.round(x * 100) / 100) : "0");

/** A `<text>` element; the content is escaped and isolated (right-to-left names keep their order). */
export function text(
  x: number,
  y: number,
  content: string,
  attrs: Readonly<Record<string, string | number>> = {},
): string {
  const a = Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${escapeHtml(String(v))}"`)
    .join("");
  return `<text x="${n(x)}" y="${n(y)}"${a} style="unicode-bidi:isolate">${escapeHtml(content)}</text>`;
}

/**
 * A `<text>` of a user name and a plain rest ("Gold · 12 customers"): the
 * name sits in its own isolate, so a right-to-left name does not carry the
 * numbers after it into its direction.
 */
export function namedText(
  x: number,
  y: number,
  name: string,
  rest: string,
  attrs: Readonly<Record<string, string | number>> = {},
): string {
  const a = Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${escapeHtml(String(v))}"`)
    .join("");
  return `<text x="${n(x)}" y="${n(y)}"${a}><tspan style="unicode-bidi:isolate">${escapeHtml(name)}</tspan>${escapeHtml(rest)}</text>`;
}

/** An `<svg>` that scales to its container's width, with a title and description for screen readers. */
export function svg(width: number, height: number, title: string, body: string, className: string): string {
  return `<svg class="${className}" viewBox="0 0 ${n(width)} ${n(height)}" width="100%" style="max-width:${n(width)}px" role="img" aria-label="${escapeHtml(title)}" xmlns="http://www.w3.org/2000/svg" font-family="inherit"><title>${escapeHtml(title)}</title>${body}</svg>`;
}

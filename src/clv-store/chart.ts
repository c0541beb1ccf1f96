/**
 * The validation chart as one self-contained SVG document: cumulative repeat
 * purchases per week, actual against predicted, across the calibration and
 * holdout periods, with the calibration end marked.
 */

export interface CumulativeSeries {
  /** Week numbers (since the cohort's first purchase day). */
  readonly weeks: readonly number[];
  readonly actual: readonly number[];
  readonly predicted: readonly number[];
  /** The calibration end, in weeks on the same axis. */
  readonly calibrationEndWeek: number;
}

const escapeXml = (s: string) =>
  s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

/** A "nice" tick step for a range. */
function step(max: number, ticks: number): number {
  const raw = Math.max(max, 1) / ticks;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  return (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
}

const fmt = (n: number) => (Number.isInteger(n) ? n.toLocaleString("en-US") : n.toFixed(1));

/**
 * Render the chart.
 * @example writeFile("validate.svg", clvChartSvg(series, "BG/NBD, calibration to 1997-09-30"))
 */
export function clvChartSvg(series: CumulativeSeries, title: string): string {
  const W = 760;
  const H = 420;
  const m = { left: 70, right: 20, top: 40, bottom: 50 };
  const pw = W - m.left - m.right;
  const ph = H - m.top - m.bottom;
  const xMax = Math.max(1, series.weeks[series.weeks.length - 1] ?? 1);
  const yMaxData = Math.max(1, ...series.actual, ...series.predicted);
  const yStep = step(yMaxData, 6);
  const yMax = Math.ceil(yMaxData / yStep) * yStep;
  const xStep = step(xMax, 10);
  const X = (w: number) => m.left + (w / xMax) * pw;
  const Y = (v: number) => m.top + ph - (v / yMax) * ph;
  const line = (values: readonly number[]) =>
    series.weeks.map((w, i) => `${X(w).toFixed(1)},${Y(values[i] ?? 0).toFixed(1)}`).join(" ");
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="14">${escapeXml(title)}</text>`,
  );
  const axes: string[] = [];
  for (let v = 0; v <= yMax + 1e-9; v += yStep) {
    axes.push(
      `<line x1="${m.left}" x2="${m.left + pw}" y1="${Y(v).toFixed(1)}" y2="${Y(v).toFixed(1)}" stroke="#e5e5e5"/>`,
      `<text x="${m.left - 6}" y="${(Y(v) + 4).toFixed(1)}" text-anchor="end">${fmt(v)}</text>`,
    );
  }
  for (let w = 0; w <= xMax + 1e-9; w += xStep) {
    axes.push(
      `<line x1="${X(w).toFixed(1)}" x2="${X(w).toFixed(1)}" y1="${m.top + ph}" y2="${m.top + ph + 5}" stroke="black"/>`,
      `<text x="${X(w).toFixed(1)}" y="${m.top + ph + 18}" text-anchor="middle">${fmt(w)}</text>`,
    );
  }
  parts.push(
    `<g id="axes">`,
    ...axes,
    `<line x1="${m.left}" x2="${m.left}" y1="${m.top}" y2="${m.top + ph}" stroke="black"/>`,
    `<line x1="${m.left}" x2="${m.left + pw}" y1="${m.top + ph}" y2="${m.top + ph}" stroke="black"/>`,
    `<text x="${m.left + pw / 2}" y="${H - 10}" text-anchor="middle">weeks since the first purchase of the cohort</text>`,
    `<text transform="translate(16 ${m.top + ph / 2}) rotate(-90)" text-anchor="middle">cumulative repeat purchases</text>`,
    `</g>`,
  );
  const cx = X(series.calibrationEndWeek).toFixed(1);
  parts.push(
    `<line id="calibration-end" x1="${cx}" x2="${cx}" y1="${m.top}" y2="${m.top + ph}" stroke="#888" stroke-dasharray="4 4"/>`,
    `<text x="${Number(cx) + 4}" y="${m.top + 12}" fill="#555">calibration end</text>`,
    `<polyline id="actual" fill="none" stroke="#1f77b4" stroke-width="2" points="${line(series.actual)}"/>`,
    `<polyline id="predicted" fill="none" stroke="#d62728" stroke-width="2" stroke-dasharray="6 3" points="${line(series.predicted)}"/>`,
    `<g id="legend" transform="translate(${m.left + 12} ${m.top + 10})">`,
    `<line x1="0" x2="24" y1="0" y2="0" stroke="#1f77b4" stroke-width="2"/><text x="30" y="4">actual</text>`,
    `<line x1="0" x2="24" y1="18" y2="18" stroke="#d62728" stroke-width="2" stroke-dasharray="6 3"/><text x="30" y="22">predicted</text>`,
    `</g>`,
    `</svg>`,
  );
  return `${parts.join("\n")}\n`;
}

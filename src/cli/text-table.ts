/** Display width of a string in a terminal: wide (CJK) characters take two cells. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp === 0 || (cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2066 && cp <= 0x2069))
      continue;
    width += isWide(cp) ? 2 : 1;
  }
  return width;
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

/**
 * The width tables are fitted to: the terminal's columns when stdout is a
 * terminal, else the `COLUMNS` variable when set (e.g. `COLUMNS=80 tierwise …
 * | less`), else none (files and pipes keep whole lines for grep and scripts).
 */
export function outputWidth(stream: { isTTY?: boolean; columns?: number } = process.stdout): number | undefined {
  if (stream.isTTY && stream.columns && stream.columns > 0) return stream.columns;
  const fromEnv = Number(process.env["COLUMNS"]);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : undefined;
}

/** The narrowest a wrapped last column may become; narrower than this, its text goes under the row. */
const MIN_WRAPPED = 24;
/** How far a last cell put under its row is indented. */
const INDENT = "    ";

/** Break `text` into lines of at most `width` cells, at spaces where it can (a longer word is cut). */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    let rest = word;
    while (displayWidth(rest) > width) {
      if (line !== "") {
        lines.push(line);
        line = "";
      }
      let cut = "";
      for (const ch of rest) {
        if (displayWidth(cut + ch) > width) break;
        cut += ch;
      }
      lines.push(cut);
      rest = rest.slice(cut.length);
    }
    const next = line === "" ? rest : `${line} ${rest}`;
    if (displayWidth(next) <= width) line = next;
    else {
      lines.push(line);
      line = rest;
    }
  }
  lines.push(line);
  return lines;
}

/**
 * Render rows as an aligned plain-text table. Columns whose header starts
 * with a space or whose cells are numbers are right-aligned, and so are the
 * columns `rightAligned` names (numbers formatted for a locale, money).
 * When the table is wider than `width` (default: outputWidth()) and its last
 * column is text, that column wraps onto continuation lines under itself.
 */
export function textTable(
  headers: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
  rightAligned: readonly number[] = [],
  width: number | undefined = outputWidth(),
): string {
  const widths = headers.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ""))));
  const numeric = headers.map(
    (_, i) => rightAligned.includes(i) || (rows.length > 0 && rows.every((r) => /^[-+]?[\d,.%]*$/.test(r[i] ?? ""))),
  );
  const last = headers.length - 1;
  const before = widths.slice(0, last).reduce((a, b) => a + b + 2, 0);
  // too wide for `width` with a text last column: wrap it in place, or, when the other columns leave it too
  // little room, give each row's last cell the lines under the row (indented by INDENT)
  const tooWide = width !== undefined && last > 0 && !numeric[last] && before + (widths[last] ?? 0) > width;
  const layout: "whole" | "wrapped" | "below" = !tooWide
    ? "whole"
    : width - before >= MIN_WRAPPED
      ? "wrapped"
      : "below";
  const room = layout === "wrapped" ? (width ?? 0) - before : (width ?? 0) - INDENT.length;
  if (layout === "wrapped") widths[last] = Math.max(displayWidth(headers[last] ?? ""), room);
  if (layout === "below") widths[last] = displayWidth(headers[last] ?? "");
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => {
        const pad = " ".repeat(Math.max(0, (widths[i] ?? 0) - displayWidth(cell)));
        return numeric[i] ? pad + cell : cell + pad;
      })
      .join("  ")
      .trimEnd();
  const row = (cells: readonly string[]): string => {
    if (layout === "whole") return line(cells);
    const text = wrapText(cells[last] ?? "", room);
    if (layout === "below") return [line(cells.slice(0, last)), ...text.map((m) => INDENT + m)].join("\n");
    const [first = "", ...more] = text;
    const indent = " ".repeat(before);
    return [line([...cells.slice(0, last), first]), ...more.map((m) => indent + m)].join("\n");
  };
  const rule = widths.map((w) => "─".repeat(w)).join("  ");
  return [line(headers), rule, ...rows.map(row)].join("\n");
}

/** 1234567 → `1,234,567`: outputs without a policy (summary, ingest, generate); a run's outputs use src/format. */
export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}

/** A decimal string → `1,234,567.89`. */
export function formatMoney(amount: string): string {
  const value = Number(amount);
  return Number.isFinite(value)
    ? value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })
    : amount;
}

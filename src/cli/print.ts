import { displayWidth, outputWidth, wrapText } from "./text-table.js";

/**
 * A line of prose, as opposed to a table row: nothing after its indentation
 * is separated by two spaces (tables separate their columns so, and rules
 * draw with "─"). Only prose is reflowed; tables fit themselves (textTable).
 */
function isProse(line: string): boolean {
  const body = line.trimStart();
  return !body.includes("  ") && !body.includes("─");
}

/**
 * The hanging indent of a continuation: the line's own indentation, and past
 * a list marker (`1. `, `- `) or a label (`why: `) when there is one, so that
 * wrapped text lines up under the text it continues.
 */
function hangingIndent(line: string): number {
  const lead = line.length - line.trimStart().length;
  const marker = /^(\d+\.|[-•]) /.exec(line.slice(lead));
  if (marker) return lead + marker[0].length;
  const label = /^[\w -]{1,20}: /.exec(line.slice(lead));
  return lead + (label ? 2 : 0) + (lead === 0 && !label ? 2 : 0);
}

/** Reflow the prose lines of `text` that are wider than `width` at spaces; table rows are left as they are. */
export function fitProse(text: string, width: number | undefined): string {
  if (width === undefined) return text;
  return text
    .split("\n")
    .flatMap((line) => {
      if (displayWidth(line) <= width || !isProse(line)) return [line];
      const indent = hangingIndent(line);
      const lead = line.length - line.trimStart().length;
      const [first = "", ...rest] = wrapText(line.slice(lead), width - lead);
      const tail = rest.join(" ");
      const more = tail === "" ? [] : wrapText(tail, width - indent).map((l) => " ".repeat(indent) + l);
      return [" ".repeat(lead) + first, ...more].map((l) => l.trimEnd());
    })
    .join("\n");
}

/** Print text a person reads: prose fitted to the terminal (or COLUMNS), ended by one newline. */
export function printText(text: string): void {
  const fitted = fitProse(text, outputWidth());
  process.stdout.write(fitted.endsWith("\n") ? fitted : `${fitted}\n`);
}

/** Print a value as indented JSON for programs: never reflowed. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A path or word as a POSIX shell reads it back: as it is when plain, else in single quotes. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * Test helpers for CSV-injection cases (engineer "errors"): the hostile text
 * cells of OWASP's CSV-injection guidance, and an RFC 4180 reader of the
 * files Tierwise writes, written from the RFC (not from the product's code).
 */

/** Text cells a spreadsheet would run as formulas: =, +, -, @, tab and carriage return first. */
export const HOSTILE_CELLS = ['=HYPERLINK("http://x","y")', "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"] as const;

/** Every record of an RFC 4180 file as its cells (quoted cells may hold commas, quotes and line breaks). */
export function csvRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = "";
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else cell += c;
      i += 1;
      continue;
    }
    if (c === '"') quoted = true;
    else if (c === ",") {
      record.push(cell);
      cell = "";
    } else if (c === "\n" || (c === "\r" && text[i + 1] === "\n")) {
      record.push(cell);
      records.push(record);
      record = [];
      cell = "";
      if (c === "\r") i += 1;
    } else cell += c;
    i += 1;
  }
  if (cell !== "" || record.length > 0) {
    record.push(cell);
    records.push(record);
  }
  return records;
}

/** The cells of a file (header included) that a spreadsheet would read as a formula; numbers are not formulas. */
export function formulaCells(text: string): string[] {
  return csvRecords(text)
    .flat()
    .filter((cell) => /^[=+\-@\t\r]/.test(cell) && !/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(cell));
}

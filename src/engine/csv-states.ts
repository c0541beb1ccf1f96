/** Bytes and states shared by the CSV record splitter (`csv-scanner.ts`) and the record counter (`csv-record-count.ts`). */

export const LF = 0x0a;
export const CR = 0x0d;
export const SPACE = 0x20;

// Where a byte outside quotes stands: at a field's start, after one space there, or inside an unquoted field.
export const FIELD_START = 0;
export const ONE_SPACE = 1;
export const UNQUOTED = 2;
// Inside quotes, right after a closing quote, and after spaces following it.
export const QUOTED = 3;
export const AFTER_QUOTE = 4;
export const AFTER_QUOTE_SPACE = 5;

export const EMPTY = Buffer.alloc(0);

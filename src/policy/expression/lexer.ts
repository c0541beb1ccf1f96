import type { Span } from "../../plan/expression.js";
import { ExpressionError, MAX_LENGTH } from "./codes.js";

export type TokenKind = "number" | "string" | "word" | "op" | "eof";

export interface Token {
  readonly kind: TokenKind;
  /** Source text (for `string`: the unquoted value; for `word`: as written). */
  readonly text: string;
  readonly span: Span;
  /** A double-quoted name (`"Invoice Date"`): a `word` that is never a keyword. */
  readonly quoted?: boolean;
}

const OPERATORS = ["<=", ">=", "<>", "!=", "=", "<", ">", "+", "-", "*", "/", "(", ")", ",", "."] as const;
const WORD_START = /[A-Za-z_]/;
const WORD_PART = /[A-Za-z0-9_]/;
const DIGIT = /[0-9]/;
const NUMBER = /[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;

/**
 * Split expression text into tokens. Whitespace separates tokens; text
 * literals use single quotes, a quote inside is doubled (`'it''s'`); names
 * with spaces or other characters are written in double quotes (`"Invoice
 * Date"`, a `"` inside is doubled).
 * @throws ExpressionError EXPR_SYNTAX on an unknown character or an unterminated text literal.
 * @example tokenize("spend > 5").map((t) => t.text) // ["spend", ">", "5", ""]
 */
export function tokenize(source: string): Token[] {
  if (source.length > MAX_LENGTH) {
    throw new ExpressionError(
      "expr.too-long",
      { max: MAX_LENGTH },
      {
        offset: 0,
        line: 1,
        column: 1,
      },
    );
  }
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const at = (offset: number, end: number): Span => ({ offset, end, line, column: offset - lineStart + 1 });

  while (i < source.length) {
    const ch = source[i] as string;
    if (ch === "\n") {
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (ch === " " || ch === "\t" || ch === "\r") {
      i++;
      continue;
    }
    const start = i;
    if (DIGIT.test(ch)) {
      NUMBER.lastIndex = i;
      const match = NUMBER.exec(source) as RegExpExecArray;
      i += match[0].length;
      tokens.push({ kind: "number", text: match[0], span: at(start, i) });
      continue;
    }
    if (WORD_START.test(ch)) {
      while (i < source.length && WORD_PART.test(source[i] as string)) i++;
      tokens.push({ kind: "word", text: source.slice(start, i), span: at(start, i) });
      continue;
    }
    if (ch === '"') {
      const close = quotedName(source, i);
      if (close === null) {
        throw new ExpressionError("expr.quoted-name-open", {}, at(start, start + 1), 'add the closing "');
      }
      i = close.end;
      if (close.name.length === 0) throw new ExpressionError("expr.quoted-name-empty", {}, at(start, i));
      tokens.push({ kind: "word", text: close.name, span: at(start, i), quoted: true });
      continue;
    }
    if (ch === "'") {
      const startSpan = at(start, start + 1);
      let value = "";
      i++;
      for (;;) {
        if (i >= source.length) {
          throw new ExpressionError("expr.text-open", {}, startSpan, "add the closing '");
        }
        const c = source[i] as string;
        if (c === "'") {
          if (source[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (c === "\u0000") {
          throw new ExpressionError("expr.text-nul", {}, at(i, i + 1));
        }
        if (c === "\n") {
          line++;
          lineStart = i + 1;
        }
        value += c;
        i++;
      }
      tokens.push({ kind: "string", text: value, span: { ...startSpan, end: i } });
      continue;
    }
    const op = OPERATORS.find((o) => source.startsWith(o, i));
    if (op) {
      i += op.length;
      tokens.push({ kind: "op", text: op === "!=" ? "<>" : op, span: at(start, i) });
      continue;
    }
    const shown = /[\x20-\x7e]/.test(ch) ? `'${ch}'` : `U+${(ch.codePointAt(0) ?? 0).toString(16).padStart(4, "0")}`;
    throw new ExpressionError("expr.unexpected-character", { character: shown }, at(start, start + 1));
  }
  tokens.push({ kind: "eof", text: "", span: at(i, i) });
  return tokens;
}

/** The name of a double-quoted name starting at `start` and the offset after it, or null when it is not closed on its line. */
function quotedName(source: string, start: number): { name: string; end: number } | null {
  let name = "";
  let i = start + 1;
  while (i < source.length) {
    const c = source[i] as string;
    if (c === "\n") return null;
    if (c === '"') {
      if (source[i + 1] !== '"') return { name, end: i + 1 };
      i++;
    }
    name += c;
    i++;
  }
  return null;
}

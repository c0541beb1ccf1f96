import { InternalError } from "../errors/tierwise-error.js";

/**
 * SQL is assembled only through fragments: literal SQL text comes from this
 * code base, every interpolated value becomes a bound parameter, and names
 * pass through `ident`, which accepts only names of the checked model.
 */

/** A struct of text fields, bound as one parameter (e.g. a reader's column spec). */
export class TextStruct {
  constructor(readonly fields: Readonly<Record<string, string>>) {}
}

export type SqlValue = string | number | bigint | boolean | null | readonly string[] | TextStruct;

type Chunk =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "param"; readonly value: SqlValue }
  | { readonly kind: "ident"; readonly name: string };

export class SqlFragment {
  constructor(readonly chunks: readonly Chunk[]) {}
}

/** What may be interpolated into `sql```: fragments, or values (bound as parameters). */
export type SqlPart = SqlFragment | SqlValue;

/** A statement ready for an engine: text with `$n` placeholders and its values. */
export interface Sql {
  readonly text: string;
  readonly params: readonly SqlValue[];
}

/**
 * Tagged template: literal text is SQL, interpolations are parameters unless
 * they are fragments.
 * @example sql`SELECT count(*) FROM ${ident("orders")} WHERE amount > ${100}`
 */
export function sql(strings: TemplateStringsArray, ...parts: readonly SqlPart[]): SqlFragment {
  const chunks: Chunk[] = [];
  strings.forEach((text, i) => {
    if (text) chunks.push({ kind: "text", text });
    if (i < parts.length) {
      const part = parts[i] as SqlPart;
      // A loop, not push(...): a fragment of a very wide file can hold more chunks than a call takes arguments.
      if (part instanceof SqlFragment) for (const chunk of part.chunks) chunks.push(chunk);
      else chunks.push({ kind: "param", value: part });
    }
  });
  return new SqlFragment(chunks);
}

const SAFE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * A table or column name. Only lower-case ASCII names (the model's own, and
 * names Tierwise generates) are accepted; anything else is a bug upstream.
 */
export function ident(...path: readonly string[]): SqlFragment {
  const chunks: Chunk[] = [];
  path.forEach((name, i) => {
    if (!SAFE_NAME.test(name)) throw new InternalError(`refusing unsafe SQL identifier ${JSON.stringify(name)}`);
    if (i > 0) chunks.push({ kind: "text", text: "." });
    chunks.push({ kind: "ident", name });
  });
  return new SqlFragment(chunks);
}

/** A bound parameter, explicit form. */
export function param(value: SqlValue): SqlFragment {
  return new SqlFragment([{ kind: "param", value }]);
}

/** Join fragments with a separator (literal SQL text). */
export function join(parts: readonly SqlFragment[], separator = ", "): SqlFragment {
  const chunks: Chunk[] = [];
  parts.forEach((p, i) => {
    if (i > 0) chunks.push({ kind: "text", text: separator });
    for (const chunk of p.chunks) chunks.push(chunk);
  });
  return new SqlFragment(chunks);
}

/**
 * Trusted SQL text written in this code base (keywords, type names, function
 * names). Never pass user input here.
 */
export function raw(text: string): SqlFragment {
  return new SqlFragment([{ kind: "text", text }]);
}

/**
 * A whole number written into the SQL text (a run id, a scheme number, a
 * rank, a LIMIT): the one way a number becomes SQL text. Only a safe integer
 * is accepted: a fraction, NaN, an infinity or an integer beyond 2^53 is a
 * bug upstream (InternalError naming the value), never rounded here; a
 * caller that wants a whole part truncates itself, saying why. PostgreSQL
 * types a bound JS number as NUMERIC, and `bigint_column = NUMERIC` is
 * served by no index, so ids compared with indexed columns are written this
 * way. A number the user typed that SQL only compares or stores stays a
 * bound parameter (`sql```, `param`).
 * @example sql`LIMIT ${integer(20)}` // LIMIT 20
 */
export function integer(value: number): SqlFragment {
  if (!Number.isSafeInteger(value)) {
    throw new InternalError(`${String(value)} is not a safe whole number for SQL text`);
  }
  return raw(String(value));
}

/** Quote an identifier for SQL; both engines use standard double quotes. */
export function quoteIdent(name: string): string {
  if (name.length === 0 || name.includes("\u0000")) throw new InternalError("empty or NUL identifier");
  return `"${name.replaceAll('"', '""')}"`;
}

/** Render a fragment to text with `$1…$n` placeholders (DuckDB and PostgreSQL both accept them). */
export function render(fragment: SqlFragment): Sql {
  let text = "";
  const params: SqlValue[] = [];
  for (const chunk of fragment.chunks) {
    if (chunk.kind === "text") text += chunk.text;
    else if (chunk.kind === "ident") text += quoteIdent(chunk.name);
    else {
      params.push(chunk.value);
      text += `$${params.length}`;
    }
  }
  return { text, params };
}

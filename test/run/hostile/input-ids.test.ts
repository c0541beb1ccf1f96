import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Engine } from "../../../src/engine/engine.js";
import { MAX_ID_LENGTH, normaliseId } from "../../../src/model/index.js";
import { sql } from "../../../src/sql/index.js";
import { idForbiddenLabelSql, idForbiddenSql, idTrimmedSql } from "../../../src/sql/ingest/id-text.js";
import { csv, ORDERS_HEADER } from "../../ingest/support/corpus.js";
import { rawRows } from "../../support/raw-rows.js";
import { memoryStore } from "../support.js";
import { ingested } from "./input-support.js";

/** The id rule as ingest's SQL applies it, on this project's engine: the id, or the code point refused. */
async function sqlRule(engine: Engine, text: string): Promise<string> {
  const d = engine.dialect;
  const trimmed = idTrimmedSql(d, sql`CAST(${text} AS VARCHAR)`);
  const row = (
    await engine.query(
      rawRows<{
        id: string | null;
        bad: boolean | null;
        label: string | null;
        n: string | null;
      }>(sql`SELECT t AS id, ${idForbiddenSql(d, sql`t`)} AS bad, ${idForbiddenLabelSql(d, sql`t`)} AS label, length(t) AS n
        FROM (SELECT ${trimmed} AS t) x`),
    )
  )[0];
  if (!row || row.id === null) return "empty";
  if (row.bad) return `forbidden ${row.label}`;
  if (Number(row.n) > MAX_ID_LENGTH) return "too long";
  return `id ${JSON.stringify(row.id)}`;
}

/** The same rule in TypeScript, as commands apply it to ids typed on the command line. */
function tsRule(text: string): string {
  const r = normaliseId(text);
  if (r.ok) return `id ${JSON.stringify(r.id)}`;
  return r.problem === "forbidden" ? `forbidden ${r.codePoint}` : r.problem;
}

/** Hand-checked cases: [text, outcome]. */
const CASES: ReadonlyArray<readonly [string, string]> = [
  ["C1", 'id "C1"'],
  ["C1\u200b", 'id "C1"'],
  ["\u200bC1", 'id "C1"'],
  ["C1\u00a0", 'id "C1"'],
  ["\ufeffC1\u2060", 'id "C1"'],
  ["C1\u00ad", 'id "C1"'],
  ["\tC1\r\n", 'id "C1"'],
  ["C1\u3000\u200d\u2029", 'id "C1"'],
  ["C 1", 'id "C 1"'],
  ["Ça-1", 'id "Ça-1"'],
  ["C\u200b1", "forbidden U+200B"],
  ["C\u00ad1", "forbidden U+00AD"],
  ["C\u20601", "forbidden U+2060"],
  ["C\ufeff1", "forbidden U+FEFF"],
  ["C\u180e1", "forbidden U+180E"],
  ["C\t1", "forbidden U+0009"],
  ["C\u00851", "forbidden U+0085"],
  ["C\u{e0041}1", "forbidden U+E0041"],
  ["\u200b\u00a0", "empty"],
  ["x".repeat(MAX_ID_LENGTH), `id "${"x".repeat(MAX_ID_LENGTH)}"`],
  [`${"x".repeat(MAX_ID_LENGTH)}\u200b`, `id "${"x".repeat(MAX_ID_LENGTH)}"`],
  ["x".repeat(MAX_ID_LENGTH + 1), "too long"],
];

const INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u00a0", " ", "\t", "\u3000", "\u180e"];

describe("hostile input: lookalike ids — one rule for invisible characters, in SQL and in TypeScript", () => {
  it("input-ids-rule-table: ingest's SQL and the commands' TypeScript agree on every hand-checked case", async () => {
    const engine = await memoryStore();
    try {
      for (const [text, want] of CASES) {
        expect([text, tsRule(text)]).toEqual([text, want]);
        expect([text, await sqlRule(engine, text)]).toEqual([text, want]);
      }
    } finally {
      await engine.close();
    }
  });

  it("input-ids-rule-property: random ids with invisible characters at random places give one outcome in both", async () => {
    const engine = await memoryStore();
    try {
      const piece = fc.oneof(fc.constantFrom(...INVISIBLE), fc.constantFrom("C", "1", "é", "-", "x"));
      await fc.assert(
        fc.asyncProperty(fc.array(piece, { minLength: 0, maxLength: 8 }), async (parts) => {
          const text = parts.join("");
          expect(await sqlRule(engine, text)).toBe(tsRule(text));
        }),
        { numRuns: 150, seed: 13 },
      );
    } finally {
      await engine.close();
    }
  });

  it("input-ids-zero-width-lookalike: C1 followed by a zero-width space is customer C1, not a second customer", async () => {
    const customers = csv("customer_id,name", "C1,Ann", "C2\u200b,Bob", "\ufeffC3\u00a0,Cy", "C\u200b4,Dee");
    const orders = csv(ORDERS_HEADER, "O1,C1\u200b,2024-01-01,1", "O2,\u2060C2,2024-01-01,2", "O3,C3,2024-01-01,3");
    await ingested({ "customers.csv": customers, "orders.csv": orders }, async (l) => {
      expect((await l.rows("SELECT customer_id FROM customers ORDER BY 1")).map((r) => r["customer_id"])).toEqual([
        "C1",
        "C2",
        "C3",
      ]);
      expect(l.rejects.map((r) => [r.table, r.line, r.field, r.code, r.reason])).toEqual([
        ["customers", 5, "customer_id", "INVALID_ID", "customer_id contains the invisible or control character U+200B"],
      ]);
      expect(l.table("orders")).toMatchObject({ inserted: 3, rejected: 0 });
    });
  });
});

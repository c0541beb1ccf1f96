import { describe, expect, it } from "vitest";
import { brief, ONE_ORDER } from "../../ingest/support/corpus.js";
import { ingested } from "./input-support.js";

/**
 * A reject's `line` is the physical line its record starts on, counting the
 * line breaks inside quoted fields: a lone CR inside quotes is a line break
 * as it is outside them (records end at `\n`, `\r` or `\r\n`), so the
 * records after it keep their true line.
 */
describe("hostile CSV: line numbers after quoted line breaks of every kind", () => {
  it("csv-lone-cr-lines: a lone CR, a CRLF and an LF inside quotes each count one line", async () => {
    const file = [
      "customer_id,name,kind", // line 1
      // Every kind is unknown, so every record is a reject and shows its line.
      'C1,"Ann\rSmith",x', // lines 2–3 (a lone CR inside quotes)
      'C2,"Bea\r\nJones",x', // lines 4–5
      'C3,"Cy\nLee",x', // lines 6–7
      "C4,Dan,x", // line 8
      "",
    ].join("\n");
    await ingested({ "customers.csv": file, "orders.csv": ONE_ORDER }, (l) => {
      expect(l.table("customers")).toMatchObject({ read: 4, inserted: 0, rejected: 4 });
      expect(brief(l.rejects, "customers").map((r) => [r.record, r.line])).toEqual([
        [1, 2],
        [2, 4],
        [3, 6],
        [4, 8],
      ]);
    });
  });
});

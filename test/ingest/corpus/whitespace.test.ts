import { describe, expect, it } from "vitest";
import { csv, ONE_ORDER, useStores } from "../support/corpus.js";

const NBSP = "\u00a0";
const EM_SPACE = "\u2003";
const IDEOGRAPHIC = "\u3000";
const NARROW_NBSP = "\u202f";

describe("corpus: surrounding whitespace", () => {
  const stores = useStores();

  it("spaces of every Unicode kind around a value are ignored; tabs and inner spaces are kept", async () => {
    const l = await stores.load({
      "customers.csv": csv(
        "customer_id,name,region",
        ` C1 ,${NBSP}Ann${NBSP},${EM_SPACE}North${EM_SPACE}`,
        `C2${IDEOGRAPHIC},${IDEOGRAPHIC}黄金客户${IDEOGRAPHIC},${NARROW_NBSP}South`,
        "C3,\tTabbed\t,Inner  Space",
        `${NBSP}${NBSP},Blank Id,`,
        "C4,   ,x",
      ),
      "orders.csv": ONE_ORDER,
    });
    expect(l.rejects.map((r) => [r.record, r.field, r.code])).toEqual([[4, "customer_id", "MISSING_VALUE"]]);
    expect(await l.rows("SELECT customer_id, name, region FROM customers ORDER BY 1")).toEqual([
      { customer_id: "C1", name: "Ann", region: "North" },
      { customer_id: "C2", name: "黄金客户", region: "South" },
      { customer_id: "C3", name: "\tTabbed\t", region: "Inner  Space" },
      { customer_id: "C4", name: null, region: "x" },
    ]);
  });
});

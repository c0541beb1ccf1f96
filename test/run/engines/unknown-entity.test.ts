import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Engine } from "../../../src/engine/engine.js";
import { TierwiseError } from "../../../src/errors/index.js";
import { rate } from "../../../src/run/ratings.js";
import { unknownEntity } from "../../../src/run/unknown-entity.js";
import { insertRows, memoryStore } from "../support.js";

/**
 * A not-found customer or lead id gets a did-you-mean from the store, found
 * by SQL (equal ignoring case first, then the nearest of a few neighbours):
 * the same suggestion on DuckDB and PostgreSQL.
 */
let engine: Engine;

beforeEach(async () => {
  engine = await memoryStore();
  // Upper and lower case sort differently under a linguistic collation; the suggestion must not depend on it.
  const customers = ["C0000041", "C0000042", "C0000043", "C0000420", "B0000042", "c9", "Z-7", "acme-01"];
  await insertRows(
    engine,
    "customers",
    customers.map((customer_id) => ({ customer_id })),
  );
  await insertRows(engine, "leads", [{ lead_id: "L-3001", created_at: "2025-08-01 00:00:00", need: "clear" }]);
});

afterEach(async () => {
  await engine.close();
});

const hintFor = async (tables: ReadonlyArray<"customers" | "leads">, id: string) =>
  (await unknownEntity(engine, tables, id, "customer")).hint;

describe("did-you-mean for customer and lead ids", () => {
  it("suggests the id equal ignoring case first", async () => {
    expect(await hintFor(["customers"], "c0000042")).toBe("did you mean C0000042?");
    expect(await hintFor(["customers"], "ACME-01")).toBe("did you mean acme-01?");
    expect(await hintFor(["customers", "leads"], "l-3001")).toBe("did you mean L-3001?");
  });

  it("suggests the nearest id for a typo at the end, in the middle or at the start", async () => {
    expect(await hintFor(["customers"], "C00000429")).toBe("did you mean C0000042?");
    expect(await hintFor(["customers"], "C000042")).toBe("did you mean C0000042?");
    expect(await hintFor(["customers"], "X0000420")).toBe("did you mean C0000420?");
    expect(await hintFor(["leads"], "L-3010")).toBe("did you mean L-3001?");
  });

  it("suggests nothing when no id is close", async () => {
    expect(await hintFor(["customers"], "ZZZZZZZZ")).toBeUndefined();
    expect(await hintFor(["leads"], "C0000042")).toBeUndefined();
  });

  it("the message is UNKNOWN_ENTITY with the hint, e.g. from tierwise rate", async () => {
    const error = await rate(engine, "c0000043", 3).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TierwiseError);
    expect((error as TierwiseError).oneLine()).toBe(
      "UNKNOWN_ENTITY: no customer with id c0000043 in the store (did you mean C0000043?)",
    );
  });
});

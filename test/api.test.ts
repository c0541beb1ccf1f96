import { describe, expectTypeOf, it } from "vitest";
import {
  type Engine,
  type IngestResult,
  ingestDirectory,
  openStore,
  type StoreSummary,
  summariseStore,
  type TableIngestResult,
  type TableName,
} from "../src/index.js";

describe("public API types", () => {
  it("exposes typed store, ingest and summary functions", () => {
    expectTypeOf(openStore).parameter(0).toEqualTypeOf<string>();
    expectTypeOf(openStore).returns.resolves.toEqualTypeOf<Engine>();
    expectTypeOf(ingestDirectory).parameter(0).toEqualTypeOf<Engine>();
    expectTypeOf(ingestDirectory).returns.resolves.toEqualTypeOf<IngestResult>();
    expectTypeOf(summariseStore).returns.resolves.toEqualTypeOf<StoreSummary>();
    expectTypeOf<TableIngestResult["read"]>().toEqualTypeOf<number>();
    expectTypeOf<"orders">().toExtend<TableName>();
    expectTypeOf<"order">().not.toExtend<TableName>();
  });
});

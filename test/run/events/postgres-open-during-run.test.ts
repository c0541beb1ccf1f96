import { afterEach, describe, expect, it } from "vitest";
import type { Engine } from "../../../src/engine/engine.js";
import { raw } from "../../../src/sql/fragment.js";
import { openStore } from "../../../src/store/index.js";
import { createTestDatabase } from "../../support/postgres-database.js";

/**
 * A writing command that opens a current PostgreSQL store while a run is
 * being written must not queue behind it: schema DDL (even `… IF NOT
 * EXISTS`) takes table locks that wait for every open writer.
 */
describe("opening a current PostgreSQL store while a run writes", () => {
  const open: Engine[] = [];
  afterEach(async () => {
    for (const e of open.splice(0)) await e.close();
  });

  it("does not wait for the run's locks on the snapshot tables", async () => {
    const { url } = await createTestDatabase("tw_open_during_run");
    const writer = await openStore("", { engine: "postgres", databaseUrl: url });
    open.push(writer);
    let opened: Engine | undefined;
    await writer.transaction(async () => {
      // What a run holds while it writes grades and events.
      await writer.exec(raw("LOCK TABLE tw_grades, tw_events IN ROW EXCLUSIVE MODE"));
      // Without the early return every open would need ACCESS EXCLUSIVE and time out here.
      const second = await openStore("", {
        engine: "postgres",
        databaseUrl: `${url}${url.includes("?") ? "&" : "?"}options=-c%20lock_timeout%3D2000`,
      });
      open.push(second);
      opened = second;
    });
    expect(opened).toBeDefined();
  });
});

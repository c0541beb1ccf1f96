/**
 * A DuckDB store shared by several processes: DuckDB lets one process write
 * or many read. Reading commands open read-only, so readers share the
 * store; a command that finds the store held waits up to --wait (saying so
 * once on stderr) and then fails with STORE_BUSY naming the holder. Real
 * processes: a holder child keeps the file open until the test releases it
 * (store-processes.ts); no step depends on timing, the test waits for the
 * "waiting for the store" line before releasing.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { programOf } from "../../src/store/lock-holder.js";
import { runCli } from "../support/cli.js";
import { fingerprint, makeStore } from "./store-fixture.js";
import { type Holder, holdStore, startCli } from "./store-processes.js";

let store: string;

beforeAll(async () => {
  store = join(await mkdtemp(join(tmpdir(), "tw-store-lock-")), "shop.duckdb");
  await makeStore(store, 20);
});

/** Run `work` while a child process holds the store (`read` or `write`); always released. */
async function whileHeld<T>(mode: "read" | "write", work: (holder: Holder) => Promise<T>): Promise<T> {
  const holder = await holdStore(store, mode);
  try {
    return await work(holder);
  } finally {
    await holder.release();
  }
}

describe("a store held by another process", () => {
  it("held by a writer: a reading command with --wait 0 fails at once with STORE_BUSY naming the PID", async () => {
    await whileHeld("write", async (holder) => {
      const r = await runCli(["report", "--db", store, "--wait", "0"]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        new RegExp(
          `^error: STORE_BUSY: ${store} is in use by node \\(PID ${holder.pid}, writing, started \\d\\d:\\d\\d:\\d\\d UTC\\); try again when it has finished, or pass --wait 2m to wait longer\\n$`,
        ),
      );
    });
  });

  it("held by a reader: a writing command (run) with --wait 0 fails with STORE_BUSY saying the holder is reading", async () => {
    const before = await fingerprint(store);
    await whileHeld("read", async (holder) => {
      const r = await runCli([
        "run",
        "--preset",
        "value-grades",
        "--as-of",
        "2026-01-31",
        "--db",
        store,
        "--wait",
        "0",
      ]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`error: STORE_BUSY: ${store} is in use by node (PID ${holder.pid}, reading,`);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    });
    expect(await fingerprint(store)).toEqual(before);
  });

  it("two readers at once: summary, report and explain work while another process reads the store", async () => {
    await whileHeld("read", async () => {
      for (const args of [["summary"], ["report"], ["explain", "C000001"], ["runs"], ["history", "C000001"]]) {
        const r = await runCli([...args, "--db", store, "--wait", "0"]);
        expect(r.stderr, args.join(" ")).toBe("");
        expect(r.code, args.join(" ")).toBe(0);
      }
    });
  });

  it("a reader waits for a writer: one 'waiting' line, then it reads once the writer is gone", async () => {
    const holder = await holdStore(store, "write");
    let released = false;
    try {
      const summary = startCli(["summary", "--db", store, "--wait", "10m"]);
      await summary.stderrShows("waiting for the store");
      await holder.release();
      released = true;
      const r = await summary.done;
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(
        new RegExp(`^waiting for the store: held by node \\(PID ${holder.pid}, writing, started [\\d:]+ UTC\\)\\n$`),
      );
      expect(r.stdout).toContain("customers");
    } finally {
      if (!released) await holder.release();
    }
  });

  it("a scheduled run is not failed by someone viewing a report: run waits for the reader, then grades", async () => {
    const runsBefore = (await fingerprint(store))["tw_runs"] ?? 0;
    const reader = await holdStore(store, "read");
    let released = false;
    try {
      const run = startCli(["run", "--preset", "value-grades", "--as-of", "2026-02-28", "--db", store]);
      await run.stderrShows(`waiting for the store: held by node (PID ${reader.pid}, reading`);
      await reader.release();
      released = true;
      const r = await run.done;
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^run \d+ as of 2026-02-28/);
    } finally {
      if (!released) await reader.release();
    }
    expect((await fingerprint(store))["tw_runs"]).toBe(runsBefore + 1);
  });

  it("the wait runs out: one 'waiting' line, then STORE_BUSY saying how long it waited", async () => {
    await whileHeld("write", async (holder) => {
      const r = await runCli(["history", "C000001", "--db", store, "--wait", "1s"]);
      expect(r.code).toBe(1);
      const lines = r.stderr.trim().split("\n");
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(new RegExp(`^waiting for the store: held by node \\(PID ${holder.pid}, writing`));
      expect(lines[1]).toMatch(/^error: STORE_BUSY: .* \(waited 1s\); try again when it has finished/);
    });
  });

  it("a --wait that is not a duration is wrong usage (exit 2), before the store is opened", async () => {
    const r = await runCli(["summary", "--db", store, "--wait", "soon"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--wait must be a duration such as 0, 30s, 2m or 1h (at most 24h), got "soon"');
  });
});

describe("naming the holder", () => {
  it("a Tierwise command by its command word, anything else by its program name and never its arguments", () => {
    expect(programOf(["node", "/usr/lib/node_modules/tierwise/bin/tierwise.js", "run", "--db", "a.duckdb"])).toBe(
      "tierwise run",
    );
    expect(programOf(["/usr/local/bin/tierwise", "report", "--format", "html"])).toBe("tierwise report");
    expect(programOf(["node", "--import", "tsx", "/repo/test/support/cli-entry.ts", "events", "list"])).toBe(
      "tierwise events",
    );
    expect(programOf(["/usr/bin/python3", "load.py", "--password", "hunter2"])).toBe("python3");
    expect(programOf(["duckdb", "shop.duckdb"])).toBe("duckdb");
    expect(programOf([])).toBeNull();
  });
});

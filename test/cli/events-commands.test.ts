import { createHmac } from "node:crypto";
import { mkdtemp } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/index.js";
import { seedHistory } from "../run/history/support.js";
import { completedOrders, grade, policyFile, seed } from "../run/support.js";
import { runCli, seededStoreFile } from "../support/cli.js";

/** `tierwise events` on the known history of test/run/history/support.ts (runs 2 and 3 have 3 and 4 changes). */
describe("tierwise events", () => {
  let db = "";
  beforeAll(async () => {
    db = await seededStoreFile("tw-events-cli-", seedHistory);
  });

  it("prints the outbox as NDJSON and JSON, and since a run", async () => {
    const r = await runCli(["events", "--db", db]);
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((e) => [e["runId"], e["entityId"], e["fromTier"], e["toTier"]])).toEqual([
      [2, "A", "Silver", "Gold"],
      [2, "B", "Gold", "Potential"],
      [2, "F", null, "Regular"],
      [3, "C", "Regular", "Silver"],
      [3, "E", "Potential", null],
      [3, "G", null, "Regular"],
      [3, "H", "Gold", "Silver"],
    ]);
    const json = await runCli(["events", "--since", "2", "--format", "json", "--db", db]);
    const keys = (JSON.parse(json.stdout) as { idempotencyKey: string }[]).map((e) => e.idempotencyKey);
    expect(keys).toHaveLength(4);
    for (const k of keys) expect(k).toMatch(/^evt_[0-9a-f]{64}$/);
    expect(new Set(keys).size).toBe(4);
    // The same ids on every listing (and delivery).
    expect(lines.slice(3).map((e) => e["idempotencyKey"])).toEqual(keys);
    const bad = await runCli(["events", "--since", "x", "--db", db]);
    expect(bad.code).not.toBe(0);
  });

  it("says why nothing is listed when --since is at or past the last event, and exits 0", async () => {
    const past = await runCli(["events", "--since", "41", "--db", db]);
    expect(past.code).toBe(0);
    expect(past.stdout).toBe("");
    expect(past.stderr).toBe("no events after run 41 (the last event is of run 3; the latest run is 3)\n");
    const last = await runCli(["events", "--since", "3", "--format", "json", "--db", db]);
    expect(last.code).toBe(0);
    expect(JSON.parse(last.stdout)).toEqual([]);
    expect(last.stderr).toBe("no events after run 3 (the last event is of run 3; the latest run is 3)\n");
    // Events listed: nothing on stderr.
    expect((await runCli(["events", "--since", "2", "--db", db])).stderr).toBe("");
  });

  it("says the outbox is empty, or that there are no runs yet", async () => {
    const oneRun = await seededStoreFile("tw-events-one-", async (engine) => {
      await seed(engine, { customers: [{ customer_id: "A" }], orders: completedOrders("A", [["2025-03-01", 100]]) });
      await grade(engine, { presets: ["value-grades"] }, "2025-07-01");
    });
    const one = await runCli(["events", "--db", oneRun]);
    expect(one.code).toBe(0);
    expect(one.stdout).toBe("");
    expect(one.stderr).toBe(
      "no events: the outbox is empty (tier changes are recorded from a scheme's second run on; the latest run is 1)\n",
    );
    const none = await runCli([
      "events",
      "--since",
      "5",
      "--db",
      await seededStoreFile("tw-events-none-", (e) => seed(e, {})),
    ]);
    expect(none.code).toBe(0);
    expect(none.stdout).toBe("");
    expect(none.stderr).toBe("no events: the store has no runs yet\n");
  });

  it("events retry sends the undelivered events to the policy's webhooks, signed, without printing the secret", async () => {
    const got: { body: string; signature: string | undefined }[] = [];
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => {
        body += c.toString("utf8");
      });
      req.on("end", () => {
        got.push({ body, signature: req.headers["x-tierwise-signature"] as string | undefined });
        res.writeHead(got.length === 1 ? 500 : 200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      const policy = await policyFile(
        `version: 1\nwebhooks:\n  - url: ${url}\n    secret_env: TW_CLI_SECRET\nschemes:\n  - name: x\n    kind: thresholds\n    metric: spend(12 months)\n    tiers: [{ name: All }]\n`,
      );
      const secret = "cli-secret-value";
      const r = await runCli(["events", "retry", "--policy", policy, "--backoff", "1", "--db", db], {
        TW_CLI_SECRET: secret,
      });
      expect(r.code).toBe(0);
      expect(r.stderr).toContain("events: 7 delivered, 0 undelivered (8 requests)");
      expect(r.stdout + r.stderr).not.toContain(secret);
      expect(got).toHaveLength(8);
      for (const g of got)
        expect(g.signature).toBe(`sha256=${createHmac("sha256", secret).update(g.body).digest("hex")}`);
      const again = await runCli(["events", "retry", "--policy", policy, "--db", db], { TW_CLI_SECRET: secret });
      expect(again.stderr).toContain("events: 0 delivered, 0 undelivered (0 requests)");
      const missing = await runCli(["events", "retry", "--policy", policy, "--db", db], { TW_CLI_SECRET: "" });
      expect(missing.code).not.toBe(0);
      expect(missing.stderr).toContain("TW_CLI_SECRET is not set");
    } finally {
      server.close();
    }
  });
});

describe("tierwise run with webhooks", () => {
  it("sends nothing itself; events deliver sends the backlog (a new webhook gets it all) and reports the counts", async () => {
    const db = join(await mkdtemp(join(tmpdir(), "tw-events-run-")), "shop.duckdb");
    const engine = await openStore(db);
    try {
      await seedHistory(engine);
    } finally {
      await engine.close();
    }
    const bodies: string[] = [];
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => {
        body += c.toString("utf8");
      });
      req.on("end", () => {
        bodies.push(body);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      // Same scheme name as the history's value-grades, one tier: every graded customer moves to All.
      const policy = await policyFile(
        `version: 1\nwebhooks:\n  - url: ${url}\n    secret_env: TW_RUN_SECRET\nschemes:\n  - name: value-grades\n    kind: thresholds\n    metric: spend(12 months)\n    tiers: [{ name: All }]\n`,
      );
      const r = await runCli(["run", "--policy", policy, "--as-of", "2026-01-01", "--db", db], { TW_RUN_SECRET: "x" });
      expect(r.code).toBe(0);
      expect(bodies).toEqual([]);
      expect(r.stderr).toContain("events: in the outbox; send them to the webhooks with tierwise events deliver");
      const d = await runCli(["events", "deliver", "--db", db], { TW_RUN_SECRET: "x" });
      expect(d.code, d.stderr).toBe(0);
      // The 7 events of runs 2 and 3 had never been sent to this url, then the 7 of this run.
      expect(d.stderr).toContain("events: 14 delivered, 0 undelivered (14 requests)");
      const sent = bodies
        .map(
          (b) => (JSON.parse(b) as { data: { eventId: number; runId: number; entityId: string; toTier: string } }).data,
        )
        .sort((a, b) => a.eventId - b.eventId);
      expect(sent.slice(7).map((e) => [e.runId, e.entityId, e.toTier])).toEqual(
        ["A", "B", "C", "D", "F", "G", "H"].map((id) => [4, id, "All"]),
      );
    } finally {
      server.close();
    }
  });
});

describe("tierwise run with policy alerts", () => {
  it("writes the alerts after the tier changes, lists them in events and sends them to the webhooks", async () => {
    // The history's runs 1-3 (latest as of 2026-01-01), then a run as of 2026-04-01 (window from 2025-04-01):
    // A Gold → Regular and H Silver → Potential are downgraded; F (one order, 2025-09-01) turned on 2026-02-28;
    // D and H had turned before 2026-01-01 already; B is in the lowest tier.
    const db = await seededStoreFile("tw-events-alerts-", seedHistory);
    const bodies: string[] = [];
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => {
        body += c.toString("utf8");
      });
      req.on("end", () => {
        bodies.push(body);
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      const policy = await policyFile(
        [
          "version: 1",
          "webhooks:",
          `  - url: ${url}`,
          "    secret_env: TW_ALERT_SECRET",
          "schemes:",
          "  - name: value-grades",
          "    kind: thresholds",
          "    metric: spend(12 months)",
          "    tiers:",
          "      - { name: VIP, min: 100000 }",
          "      - { name: Gold, min: 50000 }",
          "      - { name: Silver, min: 20000 }",
          "      - { name: Regular, above: 0 }",
          "      - { name: Potential }",
          "alerts:",
          "  - { name: turned, scheme: value-grades, when: turned }",
          "  - { name: down, scheme: value-grades, when: downgraded }",
          "",
        ].join("\n"),
      );
      const r = await runCli(["run", "--policy", policy, "--as-of", "2026-04-01", "--db", db], {
        TW_ALERT_SECRET: "alert-secret",
      });
      expect(r.code, r.stderr).toBe(0);
      expect(bodies).toEqual([]);
      const d = await runCli(["events", "deliver", "--db", db], { TW_ALERT_SECRET: "alert-secret" });
      expect(d.code, d.stderr).toBe(0);
      expect(d.stderr).toContain("events: 12 delivered, 0 undelivered (12 requests)");
      const listed = await runCli(["events", "--since", "3", "--db", db]);
      const lines = listed.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(
        lines.map((e) => [e["eventId"], e["kind"], e["alert"], e["entityId"], e["fromTier"], e["toTier"]]),
      ).toEqual([
        [8, "tier_change", undefined, "A", "Gold", "Regular"],
        [9, "tier_change", undefined, "H", "Silver", "Potential"],
        [10, "alert", "turned", "F", "Regular", "Regular"],
        [11, "alert", "down", "A", "Gold", "Regular"],
        [12, "alert", "down", "H", "Silver", "Potential"],
      ]);
      expect(lines[3]).toMatchObject({ when: "downgraded", tier: "Gold" });
      const sent = bodies
        .map((b) => (JSON.parse(b) as { data: Record<string, unknown> }).data)
        .sort((a, b) => Number(a["eventId"]) - Number(b["eventId"]));
      expect(sent.slice(7)).toEqual(lines);
    } finally {
      server.close();
    }
  });
});

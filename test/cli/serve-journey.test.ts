import { once } from "node:events";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CUSTOMERS } from "../run/serve/support.js";
import { grade, seed } from "../run/support.js";
import { runCli, seededStoreFile, spawnCli } from "../support/cli.js";

/**
 * The journey of docs/serve.md through the real CLI: `keys create`, then
 * `serve --port 0` in its own process, then HTTP calls with the key, then
 * SIGTERM: the server stops and exits 0. Its logs carry routes, never ids
 * or search text.
 */
describe("tierwise keys create → tierwise serve → HTTP with the key", () => {
  it("serves customers to a viewer key, refuses a member key, and stops on SIGTERM", async () => {
    const db = await seededStoreFile("tw-serve-", async (engine) => {
      await seed(engine, {
        customers: CUSTOMERS,
        orders: [{ order_id: "o1", customer_id: "c02", ordered_at: "2025-06-01", amount: 50, status: "completed" }],
      });
      await grade(engine, { presets: ["abc"] });
    });
    const created = await runCli(["keys", "create", "--role", "viewer", "--name", "me", "--db", db]);
    expect(created.code).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^tw_[0-9a-f]{12}_[\w-]{43}$/);
    expect(created.stderr).toBe("key me (viewer) created; it is shown only now: keep it secret\n");
    const member = (await runCli(["keys", "create", "--role", "member", "--name", "shop", "--db", db])).stdout.trim();
    const listed = await runCli(["keys", "list", "--db", db]);
    expect(listed.stdout).toContain("me    viewer");
    expect(listed.stdout).not.toContain(key.slice(16));

    const server = spawnCli(["serve", "--db", db, "--port", "0"]);
    let out = "";
    let err = "";
    server.stdout.on("data", (d: Buffer) => {
      out += d.toString("utf8");
    });
    server.stderr.on("data", (d: Buffer) => {
      err += d.toString("utf8");
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const look = () => {
          const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (m?.[1]) resolve(m[1]);
        };
        server.stdout.on("data", look);
        server.on("exit", (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
      });
      const health = await fetch(`${url}/health`);
      expect(await health.json()).toEqual({ status: "ok" });
      const page = await fetch(`${url}/customers?q=Lovelace`, { headers: { authorization: `Bearer ${key}` } });
      expect(page.status).toBe(200);
      expect(((await page.json()) as { items: { id: string }[] }).items.map((i) => i.id)).toEqual(["c01"]);
      const one = await fetch(`${url}/customers/c02`, { headers: { authorization: `Bearer ${key}` } });
      expect(((await one.json()) as { entityId: string }).entityId).toBe("c02");
      const denied = await fetch(`${url}/customers`, { headers: { authorization: `Bearer ${member}` } });
      expect(denied.status).toBe(403);
      expect(await denied.json()).toEqual({
        code: "API_FORBIDDEN",
        message: "a key with the member role may not use GET /customers",
      });
      expect((await fetch(`${url}/customers`)).status).toBe(401);

      // The command line meets the served store: told at once which server holds it and where.
      expect(existsSync(`${db}.server`)).toBe(true);
      const busy = await runCli(["explain", "c01", "--db", db]);
      expect(busy.code).toBe(1);
      expect(busy.stderr).toMatch(
        new RegExp(
          `^error: STORE_SERVED: ${db.replaceAll(/[.*+?^${}()|[\]\\]/g, "\\$&")} is held by tierwise serve \\(PID ${server.pid}, writing, started [^)]*\\), which serves it at ${url}: use its API \\(${url}/docs\\) or stop the server to use this command\n$`,
        ),
      );

      server.kill("SIGTERM");
      const [code] = (await once(server, "exit")) as [number | null];
      expect(code).toBe(0);
      expect(existsSync(`${db}.server`)).toBe(false);
      const logs = out
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      const requests = logs.filter((l) => l["msg"] === "request");
      expect(requests.map((l) => [l["route"], l["status"]])).toEqual([
        ["/health", 200],
        ["/customers", 200],
        ["/customers/:id", 200],
        ["/customers", 403],
        ["/customers", 401],
      ]);
      expect(requests.every((l) => typeof l["reqId"] === "string")).toBe(true);
      // Request ids are random UUIDs whose hex may hold "c02" by chance: leave them out of the search.
      expect(out.replace(/"reqId":"[^"]*"/g, "")).not.toMatch(/Lovelace|c02|tw_[0-9a-f]{12}/);
      expect(err).toBe("");
    } finally {
      if (server.exitCode === null && server.signalCode === null) server.kill("SIGKILL");
    }
    // the store is closed and free again
    const after = await runCli(["keys", "list", "--db", db]);
    expect(after.stdout).toMatch(/me +viewer +\S+ \S+ +\d{4}-/); // last used recorded
  });
});

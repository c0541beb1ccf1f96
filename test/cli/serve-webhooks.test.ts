import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { registerWebhook } from "../../src/delivery/registered-webhooks.js";
import { createApiKey } from "../../src/store/api-keys.js";
import { CUSTOMERS } from "../run/serve/support.js";
import { appendEvents, hookReceiver } from "../run/serve/webhook-receiver.js";
import { grade, seed } from "../run/support.js";
import { runCli, seededStoreFile, spawnCli } from "../support/cli.js";
import { verify } from "../webhooks/spec-verifier.js";

/**
 * `tierwise serve` delivers the outbox while it runs, to an endpoint
 * registered in the store, signed with the secret sealed under
 * TIERWISE_SECRET_KEY; `--no-deliver` says it does not; SIGTERM stops both.
 */
async function storeWithEvents(key: Buffer, url: string) {
  let admin = "";
  let secret = "";
  const db = await seededStoreFile("tw-serve-hooks-", async (engine) => {
    await seed(engine, { customers: CUSTOMERS });
    await grade(engine, { presets: ["abc"] });
    admin = await createApiKey(engine, "ops", "admin");
    secret = (await registerWebhook(engine, { url }, key, "ops")).secret ?? "";
    await appendEvents(engine, 5);
  });
  return { db, admin, secret };
}

function serve(args: string[], env: Record<string, string>) {
  const child = spawnCli(["serve", ...args, "--port", "0"], env);
  let out = "";
  child.stdout.on("data", (d: Buffer) => {
    out += d.toString("utf8");
  });
  const url = new Promise<string>((resolve, reject) => {
    child.stdout.on("data", () => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m?.[1] && out.includes("outbox")) resolve(m[1]);
    });
    child.on("exit", (code) => reject(new Error(`serve exited with ${code}`)));
  });
  return { child, url, output: () => out };
}

describe("tierwise serve: the continuous deliverer", () => {
  it("delivers the outbox to a registered endpoint; --no-deliver does not; SIGTERM exits 0", async () => {
    const key = randomBytes(32);
    const env = { TIERWISE_SECRET_KEY: key.toString("base64") };
    const hook = await hookReceiver();
    try {
      const on = await storeWithEvents(key, hook.url);
      const server = serve(["--db", on.db, "--allow-private-webhooks"], env);
      await server.url;
      await hook.received(5);
      expect(server.output()).toContain("tierwise serve: delivering the outbox to webhooks\n");
      for (const hit of hook.hits)
        expect(verify(on.secret, hit.headers, hit.body, Math.floor(Date.now() / 1000))).toEqual({ ok: true });
      server.child.kill("SIGTERM");
      expect((await once(server.child, "exit"))[0]).toBe(0);
      expect(new Set(hook.hits.map((h) => h.headers["webhook-id"])).size).toBe(5);
      // The logs hold counts and hosts, never the secret or the receiver's path.
      expect(server.output()).not.toContain(on.secret);

      const off = await storeWithEvents(key, `${hook.url}-2`);
      const quiet = serve(["--db", off.db, "--no-deliver", "--allow-private-webhooks"], env);
      const url = await quiet.url;
      expect(quiet.output()).toContain("tierwise serve: not delivering the outbox (--no-deliver)\n");
      const posted = await fetch(`${url}/webhooks`, {
        method: "POST",
        headers: { authorization: `Bearer ${off.admin}`, "content-type": "application/json" },
        body: JSON.stringify({ url: `${hook.url}-3` }),
      });
      expect(posted.status).toBe(201);
      quiet.child.kill("SIGTERM");
      expect((await once(quiet.child, "exit"))[0]).toBe(0);
      // Nothing more reached the receiver (it answers any path): the second server sent nothing.
      expect(hook.hits).toHaveLength(5);
    } finally {
      await hook.close();
    }
  });
});

describe("tierwise events deliver: registered endpoints too", () => {
  it("sends to endpoints registered through serve when TIERWISE_SECRET_KEY is set; says so when it is not", async () => {
    const key = randomBytes(32);
    const hook = await hookReceiver();
    try {
      const { db, secret } = await storeWithEvents(key, hook.url);
      const without = await runCli(["events", "deliver", "--db", db]);
      expect(without.code).toBe(2);
      expect(without.stderr).toContain("1 registered webhooks skipped: set TIERWISE_SECRET_KEY to the server's key\n");
      expect(hook.hits).toHaveLength(0);
      const sent = await runCli(["events", "deliver", "--db", db], { TIERWISE_SECRET_KEY: key.toString("base64") });
      expect({ code: sent.code, stderr: sent.stderr }).toMatchObject({ code: 0 });
      expect(sent.stderr).toContain("events: 5 delivered, 0 undelivered (5 requests)\n");
      for (const hit of hook.hits)
        expect(verify(secret, hit.headers, hit.body, Math.floor(Date.now() / 1000))).toEqual({ ok: true });
      expect(hook.hits).toHaveLength(5);
    } finally {
      await hook.close();
    }
  });
});

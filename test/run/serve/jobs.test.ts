import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { secretKeyFrom } from "../../../src/delivery/secret-box.js";
import { TierwiseError } from "../../../src/errors/index.js";
import { Jobs } from "../../../src/serve/jobs.js";
import { memoryStore } from "../support.js";
import { call, get, type Served, served } from "./support.js";

/** Background jobs, and the codes of the server that no other test names: each answered as documented. */
describe("jobs and their codes", () => {
  let s: Served;
  beforeAll(async () => {
    s = await served();
  });
  afterAll(async () => {
    await s?.close();
  });

  it("an unknown job: 404 JOB_NOT_FOUND", async () => {
    const r = await get(s.app, "/jobs/nope", s.keys.viewer);
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ code: "JOB_NOT_FOUND" });
  });

  it("a job that fails unexpectedly shows API_JOB_FAILED with its id, never the error's text; a coded failure keeps its code", async () => {
    const engine = await memoryStore();
    const logged: unknown[] = [];
    const log = { error: (o: unknown) => logged.push(o) } as unknown as ConstructorParameters<typeof Jobs>[1];
    const jobs = new Jobs(engine, log);
    try {
      const bad = jobs.start("run", undefined, async () => {
        throw new Error("secret customer c01 in a driver message");
      });
      const coded = jobs.start("run", undefined, async () => {
        throw new TierwiseError("NO_RUNS", {});
      });
      const good = jobs.start("run", { name: "k", role: "admin" }, async ({ progress }) => {
        progress("half", 0.5);
        return { n: 1 };
      });
      await jobs.drain();
      expect(jobs.get(bad.id)).toMatchObject({
        status: "failed",
        error: { code: "API_JOB_FAILED", message: expect.stringContaining(bad.id) },
      });
      expect(JSON.stringify(jobs.get(bad.id))).not.toContain("c01");
      expect(logged).toHaveLength(1);
      expect(jobs.get(coded.id)).toMatchObject({ status: "failed", error: { code: "NO_RUNS" } });
      expect(jobs.get(good.id)).toMatchObject({
        status: "succeeded",
        created_by: "k",
        result: { n: 1 },
        progress: { phase: "half", fraction: 0.5 },
      });
      expect(jobs.list().map((j) => j.id)).toEqual([good.id, coded.id, bad.id]);
    } finally {
      await engine.close();
    }
  });

  it("an unknown webhook: 404 WEBHOOK_NOT_FOUND", async () => {
    const r = await call(s.app, "DELETE", "/webhooks/wh_0000000000000000", s.keys.admin);
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ code: "WEBHOOK_NOT_FOUND" });
  });

  it("TIERWISE_SECRET_KEY that is not 32 bytes in base64: SECRET_KEY_INVALID naming the variable, never the value", () => {
    expect(() => secretKeyFrom("c2hvcnQ=")).toThrow(expect.objectContaining({ code: "SECRET_KEY_INVALID" }));
    expect(() => secretKeyFrom("not base64 at all")).toThrow(/TIERWISE_SECRET_KEY/);
    expect(secretKeyFrom(randomBytes(32).toString("base64"))?.length).toBe(32);
    expect(secretKeyFrom(undefined)).toBeUndefined();
  });
});

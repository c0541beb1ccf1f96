import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import type { Engine } from "../../../src/engine/engine.js";
import { DataFingerprint } from "../../../src/insight/data-fingerprint.js";
import type { ServeContext } from "../../../src/serve/context.js";
import { dataGeneration } from "../../../src/serve/data-generation.js";
import type { JobView } from "../../../src/serve/jobs.js";

/** A context whose engine says whether one process writes and whose jobs are `jobs`. */
function contextOf(oneWriterProcess: boolean, jobs: Partial<JobView>[]): ServeContext {
  return {
    engine: { dialect: { oneWriterProcess } } as unknown as Engine,
    queue: undefined as never,
    jobs: { list: () => jobs as JobView[] } as ServeContext["jobs"],
    webhooks: {},
  };
}

/**
 * When the server takes the data fingerprint again (src/serve/data-generation.ts):
 * after every request that may write and every job; never trusted while one
 * is in flight, nor on a store other processes write.
 */
describe("the data generation", () => {
  it("changes after a request that may write, not after a read; is unknown while a write is in flight", async () => {
    const app = Fastify();
    const generation = dataGeneration(app, contextOf(true, []));
    let during: string | null | undefined;
    app.get("/read", async () => "r");
    app.post("/write", async () => {
      during = generation();
      return "w";
    });
    await app.ready();
    const first = generation();
    expect(first).not.toBeNull();
    await app.inject({ method: "GET", url: "/read" });
    await app.inject({ method: "HEAD", url: "/read" });
    expect(generation()).toBe(first);
    await app.inject({ method: "POST", url: "/write" });
    expect(during).toBeNull();
    const second = generation();
    expect(second).not.toBeNull();
    expect(second).not.toBe(first);
    await app.inject({ method: "DELETE", url: "/nowhere" }); // refused requests count too
    expect(generation()).not.toBe(second);
    await app.close();
  });

  it("is unknown while a job is queued or running, and changes when one finishes", async () => {
    const app = Fastify();
    const jobs: Partial<JobView>[] = [{ id: "1", finished_at: null }];
    const generation = dataGeneration(app, contextOf(true, jobs));
    expect(generation()).toBeNull();
    jobs[0] = { id: "1", finished_at: "2026-12-07T10:00:00.000Z" };
    const after = generation();
    expect(after).not.toBeNull();
    jobs.push({ id: "2", finished_at: "2026-12-07T10:00:01.000Z" });
    expect(generation()).not.toBe(after);
    await app.close();
  });

  it("on a store other processes may write (PostgreSQL), changes at least once a minute", async () => {
    const app = Fastify();
    let now = 120_000;
    const generation = dataGeneration(app, contextOf(false, []), () => now);
    const first = generation();
    expect(first).not.toBeNull();
    now += 59_999;
    expect(generation()).toBe(first);
    now += 1;
    expect(generation()).not.toBe(first);
    await app.close();
  });

  it("events (POST /events/…) do not change it: each re-grades its customer live", async () => {
    const app = Fastify();
    const generation = dataGeneration(app, contextOf(true, []));
    let during: string | null | undefined;
    app.post("/events/orders", async () => {
      during = generation();
      return "e";
    });
    await app.ready();
    const first = generation();
    await app.inject({ method: "POST", url: "/events/orders" });
    expect(during).toBe(first);
    expect(generation()).toBe(first);
    await app.close();
  });

  it("DataFingerprint takes the fingerprint again only when the generation changed or is unknown", async () => {
    let taken = 0;
    const engine = {
      query: async () => {
        taken++;
        return [{ fp: `fp${taken}` }];
      },
    } as unknown as Engine;
    let generation: string | null = "a";
    const data = new DataFingerprint(() => generation);
    expect(await data.of(engine)).toBe("fp1");
    expect(await data.of(engine)).toBe("fp1");
    generation = "b";
    expect(await data.of(engine)).toBe("fp2");
    generation = null;
    expect(await data.of(engine)).toBe("fp3");
    expect(await data.of(engine)).toBe("fp4");
    expect(taken).toBe(4);
  });
});
